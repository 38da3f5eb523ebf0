/**
 * Internal to the issuer's stores: row mappers and the statements more than one store runs (the journal's
 * transactions also write credentials, history and lists, in the same transaction as the operation).
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { CredentialRow, CredentialStatus, LedgerOpKind, LedgerOpRow, LedgerOpState, ListOperatorRow, ListPurpose, StatusAction, StatusHistoryRow } from "./types.ts";

export const CREDENTIAL_COLUMNS = `c.seq, c.jti, c.type, c.type_version, c.holder, c.pair_id, c.list_index, c.issued_at,
  c.valid_from, c.expires_at, c.status, c.pending_op, c.claims, p.revocation_list_id, p.suspension_list_id`;
export const FROM_CREDENTIALS = "FROM credentials c JOIN list_pairs p ON p.pair_id = c.pair_id";

export type Row = Record<string, unknown>;
export const num = (v: unknown): number => v as number;
export const str = (v: unknown): string => v as string;
export const numOrNull = (v: unknown): number | null => (v === null ? null : (v as number));
export const strOrNull = (v: unknown): string | null => (v === null ? null : (v as string));

export function toCredential(r: Row): CredentialRow {
  return {
    seq: num(r["seq"]),
    jti: str(r["jti"]),
    type: str(r["type"]),
    typeVersion: num(r["type_version"]),
    holder: str(r["holder"]),
    pairId: num(r["pair_id"]),
    index: num(r["list_index"]),
    issuedAt: num(r["issued_at"]),
    validFrom: num(r["valid_from"]),
    expiresAt: num(r["expires_at"]),
    status: str(r["status"]) as CredentialStatus,
    pendingOp: numOrNull(r["pending_op"]),
    claims: strOrNull(r["claims"]),
    revocationListId: str(r["revocation_list_id"]),
    suspensionListId: str(r["suspension_list_id"]),
  };
}

export function toOp(r: Row): LedgerOpRow {
  return {
    opId: num(r["op_id"]),
    kind: str(r["kind"]) as LedgerOpKind,
    listId: strOrNull(r["list_id"]),
    purpose: strOrNull(r["purpose"]) as ListPurpose | null,
    sizeLog2: numOrNull(r["size_log2"]),
    reason: numOrNull(r["reason"]),
    state: str(r["state"]) as LedgerOpState,
    txHash: str(r["tx_hash"]),
    sender: str(r["sender"]),
    nonce: num(r["nonce"]),
    rawTx: str(r["raw_tx"]),
    preparedAt: num(r["prepared_at"]),
    blockNumber: numOrNull(r["block_number"]),
    blockHash: strOrNull(r["block_hash"]),
  };
}

export function toListOperator(r: Row): ListOperatorRow {
  return { listId: str(r["list_id"]), operator: str(r["operator"]), allowed: num(r["allowed"]) === 1, updatedAt: num(r["updated_at"]) };
}

export function toHistory(r: Row): StatusHistoryRow {
  return {
    action: str(r["action"]) as StatusAction,
    reason: numOrNull(r["reason"]),
    source: str(r["source"]) as "issuer" | "ledger",
    state: str(r["state"]) as "pending" | "confirmed" | "failed",
    requestedAt: num(r["requested_at"]),
    resolvedAt: numOrNull(r["resolved_at"]),
    txHash: strOrNull(r["tx_hash"]),
    blockNumber: numOrNull(r["block_number"]),
  };
}

/** Statements on credentials, history, lists and meta that more than one store runs; each store prepares its own. */
export function sharedStatements(db: DatabaseSync): {
  readonly insertList: StatementSync;
  readonly insertHistory: StatementSync;
  readonly setStatus: StatementSync;
  readonly markPending: StatementSync;
  readonly upsertMeta: StatementSync;
} {
  return {
    insertList: db.prepare(
      "INSERT INTO status_lists (list_id, purpose, size_log2, created_tx) VALUES (?, ?, ?, ?) ON CONFLICT (list_id) DO NOTHING",
    ),
    insertHistory: db.prepare(`INSERT INTO status_history (credential_seq, action, reason, source, op_id, state,
    requested_at, resolved_at, tx_hash, block_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    setStatus: db.prepare("UPDATE credentials SET status = ? WHERE seq = ?"),
    markPending: db.prepare("UPDATE credentials SET pending_op = ? WHERE seq = ? AND pending_op IS NULL"),
    upsertMeta: db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
  };
}
