import type { DatabaseSync } from "node:sqlite";
import type { Transaction } from "@mobile-id/core/sqlite";
import { num, numOrNull, sharedStatements, str, toOp } from "./rows.ts";
import type { CredentialStatus, LedgerCheckpoint, LedgerOpRow, ListPurpose, PreparedTxFields, StatusAction } from "./types.ts";

/**
 * The issuer's ledger-write journal (table `ledger_ops`, checkpoint in `meta`): every ledger transaction is
 * signed, then committed here with its raw bytes *before* it is broadcast, so that after a crash at any point
 * its outcome can be found on the ledger and recorded exactly once; a confirmed write the ledger node later
 * lost is found `lost` and written again. An operation's effects on credentials, their history and the lists
 * are written in the same transaction as the operation.
 */
export interface LedgerOpJournal {
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
  checkpoint(): LedgerCheckpoint | undefined;
  /** Sets the checkpoint to the newest block holding a confirmed operation (or clears it if none). */
  advanceCheckpoint(): LedgerCheckpoint | undefined;
}

/**
 * The ledger-write journal of an opened issuance database (see `openIssuerDatabase`); writes go through
 * `transaction` (`createTransaction` of `@mobile-id/core/sqlite`, counted in the database's commit mark).
 *
 * @example
 * ```ts
 * const journal = createLedgerOpJournal(db, { transaction });
 * const opId = journal.journalCreateListOp({ purpose: "revocation", sizeLog2: 17, now, ...signed });
 * ```
 */
export function createLedgerOpJournal(db: DatabaseSync, options: { readonly transaction: Transaction }): LedgerOpJournal {
  const { transaction } = options;
  const { insertList, insertHistory, setStatus, markPending, upsertMeta } = sharedStatements(db);
  const insertOp = db.prepare(`INSERT INTO ledger_ops (kind, list_id, purpose, size_log2, reason, state, tx_hash, sender,
    nonce, raw_tx, prepared_at) VALUES (?, ?, ?, ?, ?, 'prepared', ?, ?, ?, ?, ?)`);
  const selectPrepared = db.prepare("SELECT * FROM ledger_ops WHERE state = 'prepared' ORDER BY op_id");
  const selectOp = db.prepare("SELECT * FROM ledger_ops WHERE op_id = ?");
  const selectOpByHash = db.prepare("SELECT 1 FROM ledger_ops WHERE tx_hash = ?");
  const selectOpSeqs = db.prepare("SELECT credential_seq FROM status_history WHERE op_id = ? ORDER BY credential_seq");
  const updateOp = db.prepare(
    "UPDATE ledger_ops SET state = ?, outcome = ?, resolved_at = ?, block_number = ?, block_hash = ? WHERE op_id = ? AND state = 'prepared'",
  );
  const selectConfirmedAfter = db.prepare(
    "SELECT * FROM ledger_ops WHERE state = 'confirmed' AND (block_number > ? OR block_hash IS NULL) ORDER BY op_id",
  );
  const updateOpBlock = db.prepare("UPDATE ledger_ops SET block_number = ?, block_hash = ? WHERE op_id = ? AND state = 'confirmed'");
  const updateOpBlockHistory = db.prepare("UPDATE status_history SET block_number = ? WHERE op_id = ? AND state = 'confirmed'");
  const markLost = db.prepare(
    "UPDATE ledger_ops SET state = 'lost', outcome = ?, resolved_at = ?, replaced_by = ? WHERE op_id = ? AND state = 'confirmed'",
  );
  const markLostHistory = db.prepare("UPDATE status_history SET state = 'lost' WHERE op_id = ? AND state = 'confirmed'");
  const selectOpHistory = db.prepare("SELECT credential_seq, action, reason FROM status_history WHERE op_id = ? ORDER BY credential_seq");
  const updateCreatedTx = db.prepare("UPDATE status_lists SET created_tx = ? WHERE created_tx = ?");
  const selectMeta = db.prepare("SELECT value FROM meta WHERE key = ?");
  const deleteMeta = db.prepare("DELETE FROM meta WHERE key = ?");
  const selectNewestConfirmed = db.prepare(
    "SELECT block_number, block_hash FROM ledger_ops WHERE state = 'confirmed' AND block_hash IS NOT NULL ORDER BY block_number DESC LIMIT 1",
  );
  const updateOpHistory = db.prepare(
    "UPDATE status_history SET state = ?, resolved_at = ?, block_number = ? WHERE op_id = ? AND state = 'pending'",
  );
  const clearPending = db.prepare("UPDATE credentials SET pending_op = NULL WHERE pending_op = ?");

  return {
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
    checkpoint() {
      const r = selectMeta.get("ledgerCheckpoint");
      return r === undefined ? undefined : (JSON.parse(str(r["value"])) as LedgerCheckpoint);
    },
    advanceCheckpoint() {
      // Autocommit, not counted in the commit mark (as before the split): a lost checkpoint only makes the next
      // reconcile look further back.
      const r = selectNewestConfirmed.get();
      if (r === undefined) {
        deleteMeta.run("ledgerCheckpoint");
        return undefined;
      }
      const cp = { blockNumber: num(r["block_number"]), blockHash: str(r["block_hash"]) };
      upsertMeta.run("ledgerCheckpoint", JSON.stringify(cp));
      return cp;
    },
  };
}
