import type { DatabaseSync, StatementSync } from "node:sqlite";
import { type Clock, systemClock } from "@mobile-id/core";
import { type CommitCounter, openCheckedDatabase, openMarkedDatabase } from "@mobile-id/core/data-files";
import { createGroupCommit, createTransaction, openSqlite } from "@mobile-id/core/sqlite";
import type { NonceStore } from "./nonceStore.ts";

/**
 * Opens (creating if needed, 0600 in a 0700 directory) an SQLite database for the nonce store, after an
 * integrity check (`PRAGMA quick_check`; a damaged file is refused with `DATA_FILE_DAMAGED`): WAL with
 * `synchronous = FULL`, so a consumed challenge is on disk before `consume` returns.
 */
export function openNonceDatabase(path: string): DatabaseSync {
  return openCheckedDatabase(path, openRaw);
}

const openRaw = (path: string): DatabaseSync => openSqlite(path, { busyTimeoutMs: 5000 });

/**
 * The nonce store a service runs on: {@link createSqliteNonceStore} over a database opened with a commit mark
 * (`path.mark`), so that consumed challenges lost to a damaged or removed WAL are refused at open
 * (`DATA_LOST`) rather than served as fresh again (`acceptDataLoss`: the operator's explicit word to go on).
 *
 * @example
 * ```ts
 * const { store, close } = openDurableNonceStore({ path: ".data/verifier/nonces.sqlite" });
 * ```
 */
export function openDurableNonceStore(params: {
  readonly path: string;
  readonly acceptDataLoss?: boolean;
  readonly clock?: Clock;
}): { readonly store: NonceStore; close(): void } {
  const marked = openMarkedDatabase(params.path, openRaw, { acceptDataLoss: params.acceptDataLoss === true });
  return { store: createSqliteNonceStore(marked.db, params.clock ?? systemClock, marked.counter), close: marked.close };
}

/**
 * A persistent {@link NonceStore}: a consumed challenge stays consumed across restarts and crashes. One
 * `INSERT … ON CONFLICT DO NOTHING` decides atomically (SQLite serialises writers), and the row is durable
 * before `consume` resolves; concurrent consumes share one commit; expired rows are purged in bounded batches.
 *
 * @example
 * ```ts
 * const nonceStore = createSqliteNonceStore(openNonceDatabase(".data/verifier/nonces.sqlite"));
 * ```
 */
export function createSqliteNonceStore(
  db: DatabaseSync,
  clock: Clock = systemClock,
  /**
   * The database's commit counter when it was opened with `openMarkedDatabase` (`@mobile-id/core/data-files`):
   * each commit is then recorded in the mark before any consume resolves, so a consumed challenge lost with a
   * damaged WAL is found at the next open instead of letting a replay through.
   */
  counter?: CommitCounter,
): NonceStore {
  db.exec(`CREATE TABLE IF NOT EXISTS consumed_challenges (
    challenge TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER NOT NULL
  ) STRICT`);
  db.exec("CREATE INDEX IF NOT EXISTS consumed_challenges_expiry ON consumed_challenges (expires_at)");
  const insert: StatementSync = db.prepare(
    "INSERT INTO consumed_challenges (challenge, expires_at, consumed_at) VALUES (?, ?, ?) ON CONFLICT (challenge) DO NOTHING",
  );
  const purge = db.prepare(
    "DELETE FROM consumed_challenges WHERE rowid IN (SELECT rowid FROM consumed_challenges WHERE expires_at < ? LIMIT 1000)",
  );
  // Group commit (`@mobile-id/core/sqlite`): the consumes that arrive in one turn of the event loop share one
  // transaction (one fsync), and every caller is answered only after that transaction is on disk; a failed
  // batch rejects every caller in it (fail closed: nobody is told their challenge is fresh).
  let batches = 0;
  let now = 0;
  const consumes = createGroupCommit({
    transaction: createTransaction(db, counter),
    beforeBatch: () => {
      now = clock();
      // A challenge is kept until its request expires, after which the verifier refuses the request anyway,
      // so dropping it then cannot let a replay through.
      if (++batches % 100 === 0) purge.run(now - 60);
    },
    write: (w: { challenge: string; expiresAt: number }) => Number(insert.run(w.challenge, w.expiresAt, now).changes) === 1,
  });
  return {
    consume: (challenge, expiresAt) => consumes.submit({ challenge, expiresAt }),
  };
}
