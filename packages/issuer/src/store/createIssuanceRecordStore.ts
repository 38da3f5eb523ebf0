import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import { type Transaction, createGroupCommit } from "@mobile-id/core/sqlite";
import { CREDENTIAL_COLUMNS, FROM_CREDENTIALS, num, sharedStatements, toCredential, toHistory } from "./rows.ts";
import type { CredentialFilter, CredentialRow, CredentialStatus, IssuanceRow, StatusAction, StatusHistoryRow } from "./types.ts";

/**
 * What the issuer issued: one record per credential (tables `credentials`, `status_history`), written by
 * issuance with a group commit and read by the listing and status-change paths.
 */
export interface IssuanceRecordStore {
  /**
   * Queues an issuance record and resolves once it is committed to stable storage (group commit: records
   * queued in the same turn of the event loop, up to `maxBatch`, share one transaction and one fsync).
   * Rejects if the commit fails; nothing in that batch is then recorded.
   */
  recordIssuance(row: IssuanceRow): Promise<void>;
  /** Commits all rows in one transaction now (all or nothing). */
  recordIssuancesNow(rows: readonly IssuanceRow[]): void;
  /**
   * Commits the copies of one batch issuance (one `credentials` row each) and their grouping under `groupId`,
   * in one transaction (all or nothing). Positions count from `firstPosition` (more copies of a group: its count).
   */
  recordCopyGroupNow(groupId: string, format: string, rows: readonly IssuanceRow[], firstPosition?: number): void;
  /** The credential ids (jti) of the copies grouped under `groupId`, in position order; empty when none. */
  copiesOfGroup(groupId: string): string[];
  /** Commits whatever is queued. */
  flush(): void;
  /** The entries of a list pair that credentials already hold. */
  usedIndexes(pairId: number): Iterable<number>;
  credentialsByJti(jtis: readonly string[]): CredentialRow[];
  credentialBySeqs(seqs: readonly number[]): CredentialRow[];
  credentialsOfPair(pairId: number): CredentialRow[];
  listCredentials(filter: CredentialFilter): CredentialRow[];
  history(seq: number): StatusHistoryRow[];
  /** The reason of the credential's latest confirmed or lost change of `action`, if any recorded one. */
  lastReason(seq: number, action: StatusAction): number | undefined;
  /** Aligns credentials with statuses read from the ledger, writing a `ledger`-sourced history row for each. */
  applyObservedStatuses(changes: readonly { seq: number; from: CredentialStatus; to: CredentialStatus }[], now: number): void;
}

const ACTION_FOR: Record<CredentialStatus, Record<CredentialStatus, StatusAction | undefined>> = {
  active: { active: undefined, suspended: "suspend", revoked: "revoke" },
  suspended: { active: "reinstate", suspended: undefined, revoked: "revoke" },
  revoked: { active: undefined, suspended: undefined, revoked: undefined },
};

/**
 * The issuance records of an opened issuance database (see `openIssuerDatabase`); writes go through
 * `transaction` (`createTransaction` of `@mobile-id/core/sqlite`, counted in the database's commit mark).
 *
 * @example
 * ```ts
 * const records = createIssuanceRecordStore(db, { transaction, maxBatch: 256 });
 * await records.recordIssuance(row); // durable when this resolves
 * ```
 */
export function createIssuanceRecordStore(
  db: DatabaseSync,
  options: { readonly transaction: Transaction; readonly maxBatch: number },
): IssuanceRecordStore {
  const { transaction } = options;
  const { insertHistory, setStatus } = sharedStatements(db);
  const insertCredential = db.prepare(`INSERT INTO credentials (jti, type, type_version, holder, pair_id, list_index,
    issued_at, valid_from, expires_at, status, claims) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)`);
  const selectUsed = db.prepare("SELECT list_index FROM credentials WHERE pair_id = ?");
  selectUsed.setReturnArrays(true);
  const selectByJti = db.prepare(`SELECT ${CREDENTIAL_COLUMNS} ${FROM_CREDENTIALS} WHERE c.jti = ?`);
  const selectBySeq = db.prepare(`SELECT ${CREDENTIAL_COLUMNS} ${FROM_CREDENTIALS} WHERE c.seq = ?`);
  const selectOfPair = db.prepare(`SELECT ${CREDENTIAL_COLUMNS} ${FROM_CREDENTIALS} WHERE c.pair_id = ? ORDER BY c.seq`);
  const selectHistory = db.prepare("SELECT * FROM status_history WHERE credential_seq = ? ORDER BY id");
  const selectLastReason = db.prepare(`SELECT reason FROM status_history WHERE credential_seq = ? AND action = ?
    AND state IN ('confirmed', 'lost') AND reason IS NOT NULL ORDER BY id DESC LIMIT 1`);

  const insertRow = (r: IssuanceRow): void => {
    insertCredential.run(r.jti, r.type, r.typeVersion, r.holder, r.pairId, r.index, r.issuedAt, r.validFrom, r.expiresAt, r.claims);
  };
  const issuances = createGroupCommit({ transaction, write: insertRow, maxBatch: options.maxBatch });
  const insertCopy = db.prepare(
    "INSERT INTO credential_copies (credential_seq, group_id, position, format) SELECT seq, ?, ?, ? FROM credentials WHERE jti = ?",
  );
  const selectCopies = db.prepare(
    "SELECT c.jti FROM credential_copies k JOIN credentials c ON c.seq = k.credential_seq WHERE k.group_id = ? ORDER BY k.position",
  );
  selectCopies.setReturnArrays(true);
  const many = (keys: readonly SQLInputValue[], stmt: StatementSync): CredentialRow[] => {
    const out: CredentialRow[] = [];
    for (const k of keys) {
      const r = stmt.get(k);
      if (r !== undefined) out.push(toCredential(r));
    }
    return out;
  };

  return {
    recordIssuance: (row) => issuances.submit(row),
    recordIssuancesNow(rows) {
      transaction(() => rows.forEach(insertRow));
    },
    recordCopyGroupNow(groupId, format, rows, firstPosition = 0) {
      transaction(() => {
        rows.forEach((r, k) => {
          insertRow(r);
          insertCopy.run(groupId, firstPosition + k, format, r.jti);
        });
      });
    },
    copiesOfGroup: (groupId) => (selectCopies.all(groupId) as unknown as unknown[][]).map((r) => r[0] as string),
    flush: () => issuances.flush(),
    *usedIndexes(pairId) {
      for (const r of selectUsed.iterate(pairId) as Iterable<unknown[]>) yield r[0] as number;
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
    history: (seq) => selectHistory.all(seq).map(toHistory),
    lastReason(seq, action) {
      const r = selectLastReason.get(seq, action);
      return r === undefined ? undefined : num(r["reason"]);
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
  };
}
