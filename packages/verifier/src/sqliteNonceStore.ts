import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type Clock, systemClock } from "@mobile-id/core";
import { type CommitCounter, openCheckedDatabase, openMarkedDatabase } from "@mobile-id/core/data-files";
import type { NonceStore } from "./nonceStore.ts";

/**
 * Opens (creating if needed, 0600 in a 0700 directory) an SQLite database for the nonce store, after an
 * integrity check (`PRAGMA quick_check`; a damaged file is refused with `DATA_FILE_DAMAGED`): WAL with
 * `synchronous = FULL`, so a consumed challenge is on disk before `consume` returns.
 */
export function openNonceDatabase(path: string): DatabaseSync {
  return openCheckedDatabase(path, openRaw);
}

function openRaw(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA busy_timeout = 5000");
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

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
  // Group commit: the consumes that arrive in one turn of the event loop share one transaction (one fsync),
  // and every caller is answered only after that transaction is on disk.
  type Waiting = { challenge: string; expiresAt: number; resolve: (fresh: boolean) => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  let batches = 0;
  const flush = () => {
    const batch = queue;
    queue = [];
    const now = clock();
    const results: boolean[] = [];
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        // A challenge is kept until its request expires, after which the verifier refuses the request anyway,
        // so dropping it then cannot let a replay through.
        if (++batches % 100 === 0) purge.run(now - 60);
        for (const w of batch) results.push(Number(insert.run(w.challenge, w.expiresAt, now).changes) === 1);
        counter?.next();
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
      counter?.committed();
    } catch (e) {
      // Fail closed: nobody in the batch is told their challenge is fresh.
      for (const w of batch) w.reject(e);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] === true));
  };
  return {
    consume(challenge, expiresAt) {
      return new Promise<boolean>((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ challenge, expiresAt, resolve, reject });
      });
    },
  };
}
