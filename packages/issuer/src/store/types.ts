/**
 * The rows of the issuance database (see `openIssuerDatabase` for its tables), as the issuer's stores read and
 * write them: issuance records (`createIssuanceRecordStore`), status lists (`createStatusListStore`) and the
 * ledger-write journal (`createLedgerOpJournal`).
 */
/** Current status of a credential, as the ledger holds it. */
export type CredentialStatus = "active" | "suspended" | "revoked";
/** A status change. */
export type StatusAction = "revoke" | "suspend" | "reinstate";
/** The purpose of a status list. */
export type ListPurpose = "revocation" | "suspension";
/** What a journaled ledger operation does. */
export type LedgerOpKind = "createList" | StatusAction;
/**
 * `prepared`: signed and journaled, outcome unknown. `confirmed`/`failed`: settled. `lost`: was confirmed, then
 * the ledger node lost it (its block is gone and no receipt remains); `replaced_by` names the operation that
 * wrote it again, when it could not simply be broadcast again under its own hash.
 */
export type LedgerOpState = "prepared" | "confirmed" | "failed" | "lost";

/** What an issuance writes. */
export interface IssuanceRow {
  readonly jti: string;
  readonly type: string;
  readonly typeVersion: number;
  readonly holder: string;
  readonly pairId: number;
  readonly index: number;
  readonly issuedAt: number;
  readonly validFrom: number;
  readonly expiresAt: number;
  /** JSON of the claims, only when the agency configured `storeClaims`. */
  readonly claims: string | null;
}

/** An issued credential with its current status and list pair. */
export interface CredentialRow extends IssuanceRow {
  readonly seq: number;
  readonly status: CredentialStatus;
  readonly pendingOp: number | null;
  readonly revocationListId: string;
  readonly suspensionListId: string;
}

/** A revocation list and a suspension list that share their entries (one credential, one index in both). */
export interface PairRow {
  readonly pairId: number;
  readonly revocationListId: string;
  readonly suspensionListId: string;
  readonly sizeLog2: number;
  readonly addedAt: number;
}

/** A journaled ledger transaction (table `ledger_ops`). */
export interface LedgerOpRow {
  readonly opId: number;
  readonly kind: LedgerOpKind;
  readonly listId: string | null;
  readonly purpose: ListPurpose | null;
  readonly sizeLog2: number | null;
  readonly reason: number | null;
  readonly state: LedgerOpState;
  readonly txHash: string;
  readonly sender: string;
  readonly nonce: number;
  readonly rawTx: string;
  readonly preparedAt: number;
  /** Block of the receipt, once settled (the block it was re-mined in, after a recovery). */
  readonly blockNumber: number | null;
  /** Hash of that block; null for rows settled before schema version 2. */
  readonly blockHash: string | null;
}

/** The newest block verified to hold every confirmed operation at or below it. */
export interface LedgerCheckpoint {
  readonly blockNumber: number;
  readonly blockHash: string;
}

/** One status change of a credential. */
export interface StatusHistoryRow {
  readonly action: StatusAction;
  readonly reason: number | null;
  readonly source: "issuer" | "ledger";
  /** `lost`: the ledger node lost the confirmed transaction; a later row records the write that replaced it. */
  readonly state: "pending" | "confirmed" | "failed" | "lost";
  readonly requestedAt: number;
  readonly resolvedAt: number | null;
  readonly txHash: string | null;
  readonly blockNumber: number | null;
}

/** What `listCredentials` selects (keyset pagination on `seq`). */
export interface CredentialFilter {
  readonly type?: string;
  readonly status?: CredentialStatus;
  readonly holder?: string;
  /** Only credentials whose `exp` is (true) or is not (false) at or before `now`. */
  readonly expired?: boolean;
  readonly now: number;
  /** Only rows with `seq` greater than this (keyset pagination). */
  readonly afterSeq: number;
  readonly limit: number;
}

/**
 * An operator key the issuer named on (`allowed`) or removed from one of its lists with `setListOperator`: the
 * state the ledger must hold (`isOperator(listId, operator) === allowed`). The latest call's intent replaces
 * the earlier one.
 */
export interface ListOperatorRow {
  readonly listId: string;
  /** Checksummed address. */
  readonly operator: string;
  readonly allowed: boolean;
  readonly updatedAt: number;
}

/** A signed transaction as the journal records it before broadcasting. */
export interface PreparedTxFields {
  readonly txHash: string;
  readonly sender: string;
  readonly nonce: number;
  readonly rawTx: string;
}
