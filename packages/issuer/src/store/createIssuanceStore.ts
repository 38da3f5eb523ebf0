import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type { CommitMark } from "@mobile-id/core/data-files";

/** Current status of a credential, as the ledger holds it. */
export type CredentialStatus = "active" | "suspended" | "revoked";
/** A status change. */
export type StatusAction = "revoke" | "suspend" | "reinstate";
/** The purpose of a status list. */
export type ListPurpose = "revocation" | "suspension";
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

export interface CredentialRow extends IssuanceRow {
  readonly seq: number;
  readonly status: CredentialStatus;
  readonly pendingOp: number | null;
  readonly revocationListId: string;
  readonly suspensionListId: string;
}

export interface PairRow {
  readonly pairId: number;
  readonly revocationListId: string;
  readonly suspensionListId: string;
  readonly sizeLog2: number;
  readonly addedAt: number;
}

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

export interface PreparedTxFields {
  readonly txHash: string;
  readonly sender: string;
  readonly nonce: number;
  readonly rawTx: string;
}

/**
 * The issuer's SQL: every statement prepared once. Synchronous (node:sqlite), so each method's transaction runs
 * to completion without interleaving with other work on the event loop.
 */
export interface IssuanceStore {
  /**
   * Queues an issuance record and resolves once it is committed to stable storage (group commit: records
   * queued in the same turn of the event loop, up to `maxBatch`, share one transaction and one fsync).
   * Rejects if the commit fails; nothing in that batch is then recorded.
   */
  recordIssuance(row: IssuanceRow): Promise<void>;
  /** Commits all rows in one transaction now (all or nothing). */
  recordIssuancesNow(rows: readonly IssuanceRow[]): void;
  /** Commits whatever is queued. */
  flush(): void;

  pairs(): PairRow[];
  usedIndexes(pairId: number): Iterable<number>;
  listKnown(listId: string): { purpose: ListPurpose; sizeLog2: number; pairId: number | null } | undefined;
  unpairedList(purpose: ListPurpose, sizeLog2: number): string | undefined;
  addList(listId: string, purpose: ListPurpose, sizeLog2: number, createdTx: string | null): void;
  addPair(revocationListId: string, suspensionListId: string, sizeLog2: number, now: number): PairRow;

  credentialsByJti(jtis: readonly string[]): CredentialRow[];
  credentialBySeqs(seqs: readonly number[]): CredentialRow[];
  credentialsOfPair(pairId: number): CredentialRow[];
  listCredentials(filter: CredentialFilter): CredentialRow[];
  history(seq: number): StatusHistoryRow[];

  /** Journals a signed status transaction with its credentials (marked pending) before it is broadcast. */
  journalStatusOp(
    op: { kind: StatusAction; listId: string; reason: number; now: number } & PreparedTxFields,
    seqs: readonly number[],
  ): number;
  /** Journals a signed `createList` transaction before it is broadcast. */
  journalCreateListOp(op: { purpose: ListPurpose; sizeLog2: number; now: number } & PreparedTxFields): number;
  preparedOps(): LedgerOpRow[];
  /** Whether a transaction with this hash is in the journal (any state). */
  isJournaled(txHash: string): boolean;
  op(opId: number): LedgerOpRow | undefined;
  opCredentialSeqs(opId: number): number[];
  /**
   * Records the outcome of a journaled operation: its state, and for a status operation each credential's
   * new status (`statusBySeq`; credentials not listed keep theirs), its history rows, and clears `pending_op`.
   * For a created list, `createdList` is recorded in the same transaction.
   */
  resolveOp(params: {
    readonly opId: number;
    readonly state: "confirmed" | "failed";
    readonly outcome: string;
    readonly now: number;
    readonly blockNumber: number | null;
    readonly blockHash?: string | null;
    readonly statusBySeq?: ReadonlyMap<number, CredentialStatus>;
    readonly createdList?: { readonly listId: string; readonly purpose: ListPurpose; readonly sizeLog2: number };
  }): void;
  /** Confirmed operations mined after block `afterBlock`, and those without a recorded block hash, oldest first. */
  confirmedOpsAfter(afterBlock: number): LedgerOpRow[];
  /** Records where a confirmed operation's transaction is now (re-mined after a loss, or a hash first recorded). */
  updateOpBlock(opId: number, blockNumber: number, blockHash: string): void;
  /**
   * Marks a confirmed operation `lost` (and its history rows) and journals, in the same transaction, the
   * signed transaction that writes it again: a new `prepared` operation of the same kind, list and reason,
   * with pending history rows for the same credentials (those without another change in flight are marked
   * pending). For `createList`, the list's record points at the new transaction. Returns the new op id.
   */
  replaceLostOp(lostOpId: number, tx: PreparedTxFields, now: number): number;
  /** Marks a confirmed operation `lost` with no replacement (what it did is gone, or back by other means). */
  markOpLost(opId: number, outcome: string, now: number): void;
  /** The list a journaled `createList` operation created, by the operation's transaction hash. */
  listCreatedBy(txHash: string): { listId: string; purpose: ListPurpose; sizeLog2: number } | undefined;
  /** The reason of the credential's latest confirmed or lost change of `action`, if any recorded one. */
  lastReason(seq: number, action: StatusAction): number | undefined;
  checkpoint(): LedgerCheckpoint | undefined;
  /** Sets the checkpoint to the newest block holding a confirmed operation (or clears it if none). */
  advanceCheckpoint(): LedgerCheckpoint | undefined;
  /** Every recorded operator intent, by list (numeric order) then operator. */
  listOperators(): ListOperatorRow[];
  /** The recorded intent for one operator on one list. */
  listOperator(listId: string, operator: string): ListOperatorRow | undefined;
  /**
   * Records operator intents (`put`, replacing earlier ones for the same list and operator) and drops others
   * (`remove`), in one transaction.
   */
  writeListOperators(put: readonly ListOperatorRow[], remove?: readonly { listId: string; operator: string }[]): void;
  /** Aligns credentials with statuses read from the ledger, writing a `ledger`-sourced history row for each. */
  applyObservedStatuses(changes: readonly { seq: number; from: CredentialStatus; to: CredentialStatus }[], now: number): void;
  close(): void;
}

interface Pending {
  readonly row: IssuanceRow;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

const CREDENTIAL_COLUMNS = `c.seq, c.jti, c.type, c.type_version, c.holder, c.pair_id, c.list_index, c.issued_at,
  c.valid_from, c.expires_at, c.status, c.pending_op, c.claims, p.revocation_list_id, p.suspension_list_id`;
const FROM_CREDENTIALS = "FROM credentials c JOIN list_pairs p ON p.pair_id = c.pair_id";

type Row = Record<string, unknown>;
const num = (v: unknown): number => v as number;
const str = (v: unknown): string => v as string;
const numOrNull = (v: unknown): number | null => (v === null ? null : (v as number));
const strOrNull = (v: unknown): string | null => (v === null ? null : (v as string));

function toCredential(r: Row): CredentialRow {
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

function toOp(r: Row): LedgerOpRow {
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

function toListOperator(r: Row): ListOperatorRow {
  return { listId: str(r["list_id"]), operator: str(r["operator"]), allowed: num(r["allowed"]) === 1, updatedAt: num(r["updated_at"]) };
}

const ACTION_FOR: Record<CredentialStatus, Record<CredentialStatus, StatusAction | undefined>> = {
  active: { active: undefined, suspended: "suspend", revoked: "revoke" },
  suspended: { active: "reinstate", suspended: undefined, revoked: "revoke" },
  revoked: { active: undefined, suspended: undefined, revoked: undefined },
};

/**
 * Wraps an opened issuance database (see `openIssuerDatabase`).
 *
 * @example
 * ```ts
 * const store = createIssuanceStore(openIssuerDatabase(path, identity), { maxBatch: 256 });
 * await store.recordIssuance(row); // durable when this resolves
 * ```
 */
export function createIssuanceStore(
  db: DatabaseSync,
  options: {
    readonly maxBatch: number;
    /**
     * The database's commit mark (from `openIssuerDatabase`): every transaction of this store bumps
     * `meta.commitGeneration`, and the mark is advanced (fsynced) after the commit and before the caller is
     * answered, so a later open can tell whether acknowledged transactions went missing. One more small
     * write and fdatasync per commit (group commits share it).
     */
    readonly mark?: CommitMark;
  },
): IssuanceStore {
  const q = (sql: string): StatementSync => db.prepare(sql);
  const insertCredential = q(`INSERT INTO credentials (jti, type, type_version, holder, pair_id, list_index,
    issued_at, valid_from, expires_at, status, claims) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)`);
  const selectPairs = q("SELECT * FROM list_pairs ORDER BY pair_id");
  const selectUsed = q("SELECT list_index FROM credentials WHERE pair_id = ?");
  selectUsed.setReturnArrays(true);
  const selectList = q("SELECT purpose, size_log2, pair_id FROM status_lists WHERE list_id = ?");
  const selectUnpaired = q(
    "SELECT list_id FROM status_lists WHERE pair_id IS NULL AND purpose = ? AND size_log2 = ? ORDER BY rowid LIMIT 1",
  );
  const insertList = q(
    "INSERT INTO status_lists (list_id, purpose, size_log2, created_tx) VALUES (?, ?, ?, ?) ON CONFLICT (list_id) DO NOTHING",
  );
  const insertPair = q(
    "INSERT INTO list_pairs (revocation_list_id, suspension_list_id, size_log2, added_at) VALUES (?, ?, ?, ?)",
  );
  const linkList = q("UPDATE status_lists SET pair_id = ? WHERE list_id = ?");
  const selectByJti = q(`SELECT ${CREDENTIAL_COLUMNS} ${FROM_CREDENTIALS} WHERE c.jti = ?`);
  const selectBySeq = q(`SELECT ${CREDENTIAL_COLUMNS} ${FROM_CREDENTIALS} WHERE c.seq = ?`);
  const selectOfPair = q(`SELECT ${CREDENTIAL_COLUMNS} ${FROM_CREDENTIALS} WHERE c.pair_id = ? ORDER BY c.seq`);
  const selectHistory = q("SELECT * FROM status_history WHERE credential_seq = ? ORDER BY id");
  const insertOp = q(`INSERT INTO ledger_ops (kind, list_id, purpose, size_log2, reason, state, tx_hash, sender,
    nonce, raw_tx, prepared_at) VALUES (?, ?, ?, ?, ?, 'prepared', ?, ?, ?, ?, ?)`);
  const markPending = q("UPDATE credentials SET pending_op = ? WHERE seq = ? AND pending_op IS NULL");
  const insertHistory = q(`INSERT INTO status_history (credential_seq, action, reason, source, op_id, state,
    requested_at, resolved_at, tx_hash, block_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const selectPrepared = q("SELECT * FROM ledger_ops WHERE state = 'prepared' ORDER BY op_id");
  const selectOp = q("SELECT * FROM ledger_ops WHERE op_id = ?");
  const selectOpByHash = q("SELECT 1 FROM ledger_ops WHERE tx_hash = ?");
  const selectOpSeqs = q("SELECT credential_seq FROM status_history WHERE op_id = ? ORDER BY credential_seq");
  const updateOp = q(
    "UPDATE ledger_ops SET state = ?, outcome = ?, resolved_at = ?, block_number = ?, block_hash = ? WHERE op_id = ? AND state = 'prepared'",
  );
  const selectConfirmedAfter = q(
    "SELECT * FROM ledger_ops WHERE state = 'confirmed' AND (block_number > ? OR block_hash IS NULL) ORDER BY op_id",
  );
  const updateOpBlock = q("UPDATE ledger_ops SET block_number = ?, block_hash = ? WHERE op_id = ? AND state = 'confirmed'");
  const updateOpBlockHistory = q("UPDATE status_history SET block_number = ? WHERE op_id = ? AND state = 'confirmed'");
  const markLost = q(
    "UPDATE ledger_ops SET state = 'lost', outcome = ?, resolved_at = ?, replaced_by = ? WHERE op_id = ? AND state = 'confirmed'",
  );
  const markLostHistory = q("UPDATE status_history SET state = 'lost' WHERE op_id = ? AND state = 'confirmed'");
  const selectOpHistory = q("SELECT credential_seq, action, reason FROM status_history WHERE op_id = ? ORDER BY credential_seq");
  const selectCreatedList = q("SELECT list_id, purpose, size_log2 FROM status_lists WHERE created_tx = ?");
  const updateCreatedTx = q("UPDATE status_lists SET created_tx = ? WHERE created_tx = ?");
  const selectLastReason = q(`SELECT reason FROM status_history WHERE credential_seq = ? AND action = ?
    AND state IN ('confirmed', 'lost') AND reason IS NOT NULL ORDER BY id DESC LIMIT 1`);
  const selectMeta = q("SELECT value FROM meta WHERE key = ?");
  const upsertMeta = q("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const deleteMeta = q("DELETE FROM meta WHERE key = ?");
  const selectNewestConfirmed = q(
    "SELECT block_number, block_hash FROM ledger_ops WHERE state = 'confirmed' AND block_hash IS NOT NULL ORDER BY block_number DESC LIMIT 1",
  );
  const updateOpHistory = q(
    "UPDATE status_history SET state = ?, resolved_at = ?, block_number = ? WHERE op_id = ? AND state = 'pending'",
  );
  const setStatus = q("UPDATE credentials SET status = ? WHERE seq = ?");
  const selectListOperators = q("SELECT * FROM list_operators ORDER BY length(list_id), list_id, operator");
  const selectListOperator = q("SELECT * FROM list_operators WHERE list_id = ? AND operator = ?");
  const upsertListOperator = q(`INSERT INTO list_operators (list_id, operator, allowed, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (list_id, operator) DO UPDATE SET allowed = excluded.allowed, updated_at = excluded.updated_at`);
  const deleteListOperator = q("DELETE FROM list_operators WHERE list_id = ? AND operator = ?");
  const clearPending = q("UPDATE credentials SET pending_op = NULL WHERE pending_op = ?");

  const selectGeneration = q("SELECT value FROM meta WHERE key = 'commitGeneration'").get();
  let generation = selectGeneration === undefined ? 0 : Number(selectGeneration["value"]);
  const transaction = <T>(fn: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      upsertMeta.run("commitGeneration", String(generation + 1));
      db.exec("COMMIT");
      generation++;
      options.mark?.advance(generation);
      return result;
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
  };

  const insertRows = (rows: readonly IssuanceRow[]) => {
    for (const r of rows) {
      insertCredential.run(
        r.jti,
        r.type,
        r.typeVersion,
        r.holder,
        r.pairId,
        r.index,
        r.issuedAt,
        r.validFrom,
        r.expiresAt,
        r.claims,
      );
    }
  };

  let queue: Pending[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    try {
      transaction(() => insertRows(batch.map((p) => p.row)));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    for (const p of batch) p.resolve();
  };

  const many = <T>(keys: readonly T[], stmt: StatementSync): CredentialRow[] => {
    const out: CredentialRow[] = [];
    for (const k of keys) {
      const r = stmt.get(k as SQLInputValue);
      if (r !== undefined) out.push(toCredential(r));
    }
    return out;
  };

  return {
    recordIssuance(row) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        if (queue.length >= options.maxBatch) flush();
        else if (!scheduled) {
          scheduled = true;
          // setImmediate runs after the microtasks of this turn: every issuance that signed in this turn
          // joins the same commit.
          setImmediate(flush);
        }
      });
    },
    recordIssuancesNow(rows) {
      transaction(() => insertRows(rows));
    },
    flush,

    pairs() {
      return selectPairs.all().map((r) => ({
        pairId: num(r["pair_id"]),
        revocationListId: str(r["revocation_list_id"]),
        suspensionListId: str(r["suspension_list_id"]),
        sizeLog2: num(r["size_log2"]),
        addedAt: num(r["added_at"]),
      }));
    },
    *usedIndexes(pairId) {
      for (const r of selectUsed.iterate(pairId) as Iterable<unknown[]>) yield r[0] as number;
    },
    listKnown(listId) {
      const r = selectList.get(listId);
      if (r === undefined) return undefined;
      return {
        purpose: str(r["purpose"]) as ListPurpose,
        sizeLog2: num(r["size_log2"]),
        pairId: numOrNull(r["pair_id"]),
      };
    },
    unpairedList(purpose, sizeLog2) {
      const r = selectUnpaired.get(purpose, sizeLog2);
      return r === undefined ? undefined : str(r["list_id"]);
    },
    addList(listId, purpose, sizeLog2, createdTx) {
      insertList.run(listId, purpose, sizeLog2, createdTx);
    },
    addPair(revocationListId, suspensionListId, sizeLog2, now) {
      return transaction(() => {
        insertList.run(revocationListId, "revocation", sizeLog2, null);
        insertList.run(suspensionListId, "suspension", sizeLog2, null);
        const pairId = Number(insertPair.run(revocationListId, suspensionListId, sizeLog2, now).lastInsertRowid);
        linkList.run(pairId, revocationListId);
        linkList.run(pairId, suspensionListId);
        return { pairId, revocationListId, suspensionListId, sizeLog2, addedAt: now };
      });
    },

    credentialsByJti: (jtis) => many(jtis, selectByJti),
    credentialBySeqs: (seqs) => many(seqs, selectBySeq),
    credentialsOfPair: (pairId) => selectOfPair.all(pairId).map(toCredential),
    listCredentials(f) {
      const where: string[] = ["c.seq > ?"];
      const args: SQLInputValue[] = [f.afterSeq];
      const and = (clause: string, value: SQLInputValue) => {
        where.push(clause);
        args.push(value);
      };
      if (f.type !== undefined) and("c.type = ?", f.type);
      if (f.status !== undefined) and("c.status = ?", f.status);
      if (f.holder !== undefined) and("c.holder = ?", f.holder);
      if (f.expired !== undefined) and(f.expired ? "c.expires_at <= ?" : "c.expires_at > ?", f.now);
      args.push(f.limit);
      // Built from fixed fragments only; every value is a bound parameter.
      const sql = `SELECT ${CREDENTIAL_COLUMNS} ${FROM_CREDENTIALS} WHERE ${where.join(" AND ")} ORDER BY c.seq LIMIT ?`;
      return db.prepare(sql).all(...args).map(toCredential);
    },
    history(seq) {
      return selectHistory.all(seq).map((r) => ({
        action: str(r["action"]) as StatusAction,
        reason: numOrNull(r["reason"]),
        source: str(r["source"]) as "issuer" | "ledger",
        state: str(r["state"]) as "pending" | "confirmed" | "failed",
        requestedAt: num(r["requested_at"]),
        resolvedAt: numOrNull(r["resolved_at"]),
        txHash: strOrNull(r["tx_hash"]),
        blockNumber: numOrNull(r["block_number"]),
      }));
    },

    journalStatusOp(op, seqs) {
      return transaction(() => {
        const opId = Number(
          insertOp.run(op.kind, op.listId, null, null, op.reason, op.txHash, op.sender, op.nonce, op.rawTx, op.now)
            .lastInsertRowid,
        );
        for (const seq of seqs) {
          if (markPending.run(opId, seq).changes !== 1) throw new Error(`credential ${seq} already has a pending change`);
          insertHistory.run(seq, op.kind, op.reason, "issuer", opId, "pending", op.now, null, op.txHash, null);
        }
        return opId;
      });
    },
    journalCreateListOp(op) {
      return transaction(() =>
        Number(
          insertOp.run("createList", null, op.purpose, op.sizeLog2, null, op.txHash, op.sender, op.nonce, op.rawTx, op.now)
            .lastInsertRowid,
        ),
      );
    },
    preparedOps: () => selectPrepared.all().map(toOp),
    isJournaled: (txHash) => selectOpByHash.get(txHash) !== undefined,
    op(opId) {
      const r = selectOp.get(opId);
      return r === undefined ? undefined : toOp(r);
    },
    opCredentialSeqs: (opId) => selectOpSeqs.all(opId).map((r) => num(r["credential_seq"])),
    resolveOp(p) {
      transaction(() => {
        if (updateOp.run(p.state, p.outcome, p.now, p.blockNumber, p.blockHash ?? null, p.opId).changes !== 1) return; // already resolved
        updateOpHistory.run(p.state, p.now, p.blockNumber, p.opId);
        for (const [seq, status] of p.statusBySeq ?? []) setStatus.run(status, seq);
        clearPending.run(p.opId);
        if (p.createdList !== undefined) {
          const op = selectOp.get(p.opId);
          insertList.run(p.createdList.listId, p.createdList.purpose, p.createdList.sizeLog2, op?.["tx_hash"] as string);
        }
      });
    },
    confirmedOpsAfter: (afterBlock) => selectConfirmedAfter.all(afterBlock).map(toOp),
    updateOpBlock(opId, blockNumber, blockHash) {
      transaction(() => {
        if (updateOpBlock.run(blockNumber, blockHash, opId).changes === 1) updateOpBlockHistory.run(blockNumber, opId);
      });
    },
    replaceLostOp(lostOpId, tx, now) {
      return transaction(() => {
        const lost = selectOp.get(lostOpId);
        if (lost === undefined || lost["state"] !== "confirmed") throw new Error(`operation ${lostOpId} is not a confirmed operation`);
        const opId = Number(
          insertOp.run(lost["kind"] as string, lost["list_id"] as string | null, lost["purpose"] as string | null,
            lost["size_log2"] as number | null, lost["reason"] as number | null, tx.txHash, tx.sender, tx.nonce, tx.rawTx, now)
            .lastInsertRowid,
        );
        const rows = selectOpHistory.all(lostOpId);
        markLost.run("lost by the ledger; written again", now, opId, lostOpId);
        markLostHistory.run(lostOpId);
        for (const r of rows) {
          const seq = num(r["credential_seq"]);
          // A credential with another change in flight (journaled later, unconfirmed) stays that change's.
          markPending.run(opId, seq);
          insertHistory.run(seq, str(r["action"]), numOrNull(r["reason"]), "issuer", opId, "pending", now, null, tx.txHash, null);
        }
        if (lost["kind"] === "createList") updateCreatedTx.run(tx.txHash, lost["tx_hash"] as string);
        return opId;
      });
    },
    markOpLost(opId, outcome, now) {
      transaction(() => {
        if (markLost.run(outcome, now, null, opId).changes === 1) markLostHistory.run(opId);
      });
    },
    listCreatedBy(txHash) {
      const r = selectCreatedList.get(txHash);
      if (r === undefined) return undefined;
      return { listId: str(r["list_id"]), purpose: str(r["purpose"]) as ListPurpose, sizeLog2: num(r["size_log2"]) };
    },
    lastReason(seq, action) {
      const r = selectLastReason.get(seq, action);
      return r === undefined ? undefined : num(r["reason"]);
    },
    checkpoint() {
      const r = selectMeta.get("ledgerCheckpoint");
      return r === undefined ? undefined : (JSON.parse(str(r["value"])) as LedgerCheckpoint);
    },
    advanceCheckpoint() {
      const r = selectNewestConfirmed.get();
      if (r === undefined) {
        deleteMeta.run("ledgerCheckpoint");
        return undefined;
      }
      const cp = { blockNumber: num(r["block_number"]), blockHash: str(r["block_hash"]) };
      upsertMeta.run("ledgerCheckpoint", JSON.stringify(cp));
      return cp;
    },
    listOperators: () => selectListOperators.all().map(toListOperator),
    listOperator(listId, operator) {
      const r = selectListOperator.get(listId, operator);
      return r === undefined ? undefined : toListOperator(r);
    },
    writeListOperators(put, remove = []) {
      if (put.length === 0 && remove.length === 0) return;
      transaction(() => {
        for (const r of put) upsertListOperator.run(r.listId, r.operator, r.allowed ? 1 : 0, r.updatedAt);
        for (const r of remove) deleteListOperator.run(r.listId, r.operator);
      });
    },
    applyObservedStatuses(changes, now) {
      if (changes.length === 0) return;
      transaction(() => {
        for (const c of changes) {
          const action = ACTION_FOR[c.from][c.to];
          if (action === undefined) continue; // never "un-revoke" locally; reported by the caller instead
          setStatus.run(c.to, c.seq);
          insertHistory.run(c.seq, action, null, "ledger", null, "confirmed", now, now, null, null);
        }
      });
    },
    close() {
      flush();
      db.close();
      options.mark?.close();
    },
  };
}
