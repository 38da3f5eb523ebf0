import type { DatabaseSync } from "node:sqlite";
import type { Transaction } from "@mobile-id/core/sqlite";
import { num, numOrNull, sharedStatements, str, toListOperator } from "./rows.ts";
import type { ListOperatorRow, ListPurpose, PairRow } from "./types.ts";

/**
 * The issuer's status lists on the ledger (tables `status_lists`, `list_pairs`, `list_operators`): which lists
 * it created, how they are paired (revocation + suspension), and the operator keys it named on them.
 */
export interface StatusListStore {
  pairs(): PairRow[];
  listKnown(listId: string): { purpose: ListPurpose; sizeLog2: number; pairId: number | null } | undefined;
  unpairedList(purpose: ListPurpose, sizeLog2: number): string | undefined;
  addList(listId: string, purpose: ListPurpose, sizeLog2: number, createdTx: string | null): void;
  addPair(revocationListId: string, suspensionListId: string, sizeLog2: number, now: number): PairRow;
  /** The list a journaled `createList` operation created, by the operation's transaction hash. */
  listCreatedBy(txHash: string): { listId: string; purpose: ListPurpose; sizeLog2: number } | undefined;
  /** Every recorded operator intent, by list (numeric order) then operator. */
  listOperators(): ListOperatorRow[];
  /** The recorded intent for one operator on one list. */
  listOperator(listId: string, operator: string): ListOperatorRow | undefined;
  /**
   * Records operator intents (`put`, replacing earlier ones for the same list and operator) and drops others
   * (`remove`), in one transaction.
   */
  writeListOperators(put: readonly ListOperatorRow[], remove?: readonly { listId: string; operator: string }[]): void;
}

/**
 * The status lists of an opened issuance database (see `openIssuerDatabase`); writes go through `transaction`
 * (`createTransaction` of `@mobile-id/core/sqlite`, counted in the database's commit mark).
 *
 * @example
 * ```ts
 * const lists = createStatusListStore(db, { transaction });
 * const pair = lists.addPair(revocationListId, suspensionListId, 17, now);
 * ```
 */
export function createStatusListStore(db: DatabaseSync, options: { readonly transaction: Transaction }): StatusListStore {
  const { transaction } = options;
  const { insertList } = sharedStatements(db);
  const selectPairs = db.prepare("SELECT * FROM list_pairs ORDER BY pair_id");
  const selectList = db.prepare("SELECT purpose, size_log2, pair_id FROM status_lists WHERE list_id = ?");
  const selectUnpaired = db.prepare(
    "SELECT list_id FROM status_lists WHERE pair_id IS NULL AND purpose = ? AND size_log2 = ? ORDER BY rowid LIMIT 1",
  );
  const insertPair = db.prepare(
    "INSERT INTO list_pairs (revocation_list_id, suspension_list_id, size_log2, added_at) VALUES (?, ?, ?, ?)",
  );
  const linkList = db.prepare("UPDATE status_lists SET pair_id = ? WHERE list_id = ?");
  const selectCreatedList = db.prepare("SELECT list_id, purpose, size_log2 FROM status_lists WHERE created_tx = ?");
  const selectListOperators = db.prepare("SELECT * FROM list_operators ORDER BY length(list_id), list_id, operator");
  const selectListOperator = db.prepare("SELECT * FROM list_operators WHERE list_id = ? AND operator = ?");
  const upsertListOperator = db.prepare(`INSERT INTO list_operators (list_id, operator, allowed, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (list_id, operator) DO UPDATE SET allowed = excluded.allowed, updated_at = excluded.updated_at`);
  const deleteListOperator = db.prepare("DELETE FROM list_operators WHERE list_id = ? AND operator = ?");

  return {
    pairs() {
      return selectPairs.all().map((r) => ({
        pairId: num(r["pair_id"]),
        revocationListId: str(r["revocation_list_id"]),
        suspensionListId: str(r["suspension_list_id"]),
        sizeLog2: num(r["size_log2"]),
        addedAt: num(r["added_at"]),
      }));
    },
    listKnown(listId) {
      const r = selectList.get(listId);
      if (r === undefined) return undefined;
      return { purpose: str(r["purpose"]) as ListPurpose, sizeLog2: num(r["size_log2"]), pairId: numOrNull(r["pair_id"]) };
    },
    unpairedList(purpose, sizeLog2) {
      const r = selectUnpaired.get(purpose, sizeLog2);
      return r === undefined ? undefined : str(r["list_id"]);
    },
    addList(listId, purpose, sizeLog2, createdTx) {
      // One statement in its own (autocommit) transaction, not counted in the commit mark: unchanged from the
      // single store this was split from (its one caller keeps a spare list a lost write left behind).
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
    listCreatedBy(txHash) {
      const r = selectCreatedList.get(txHash);
      if (r === undefined) return undefined;
      return { listId: str(r["list_id"]), purpose: str(r["purpose"]) as ListPurpose, sizeLog2: num(r["size_log2"]) };
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
  };
}
