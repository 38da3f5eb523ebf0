/**
 * SQLite for the actors' durable state (entry `@mobile-id/core/sqlite`, Node only): one way to open a database
 * with the durability settings every store relies on, one transaction that counts its commit in the commit mark
 * (see `@mobile-id/core/data-files`), and one group commit that lets concurrent callers share a transaction and
 * its fsync while none of them is answered before that commit is on disk.
 *
 * Used by the issuer's stores, the verifier's nonce store and the services' request store: a durability rule
 * changed here changes for all of them.
 */
import { DatabaseSync } from "node:sqlite";
import type { CommitCounter } from "./dataFiles.ts";

/** Options of {@link applyDurablePragmas} and {@link openSqlite}. */
export interface DurablePragmasOptions {
  /**
   * Hold the write lock for the connection's life (`locking_mode = EXCLUSIVE`, set before WAL so that SQLite
   * keeps the WAL index in heap memory, no -shm file): a second process fails at open instead of writing too.
   */
  readonly exclusive?: boolean;
  /** Milliseconds a statement waits for another connection's lock (`busy_timeout`); 0 fails at once. Default 0. */
  readonly busyTimeoutMs?: number;
}

/**
 * Sets the durability every store relies on: WAL journal and `synchronous = FULL`, so a transaction that
 * returned is on stable storage (an acknowledged write survives a power cut, not only a process crash).
 * Throws what SQLite throws (a file that is not a database fails here: map it with `isSqliteDamage`).
 *
 * @example
 * ```ts
 * const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
 * applyDurablePragmas(db, { exclusive: true });
 * ```
 */
export function applyDurablePragmas(db: DatabaseSync, options: DurablePragmasOptions = {}): void {
  if (options.exclusive === true) db.exec("PRAGMA locking_mode = EXCLUSIVE");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  if (options.busyTimeoutMs !== undefined) db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
}

/**
 * Opens an SQLite database with foreign keys on and {@link applyDurablePragmas}; the connection is closed if a
 * pragma fails. Pass it to `openCheckedDatabase` / `openMarkedDatabase` (`@mobile-id/core/data-files`) for the
 * 0600 file, the integrity check and the commit mark.
 *
 * @example
 * ```ts
 * const db = openCheckedDatabase(path, (p) => openSqlite(p, { busyTimeoutMs: 5000 }));
 * ```
 */
export function openSqlite(path: string, options: DurablePragmasOptions = {}): DatabaseSync {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  try {
    applyDurablePragmas(db, options);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Runs `work` in one write transaction and returns its result; see {@link createTransaction}. */
export type Transaction = <T>(work: () => T) => T;

/**
 * Returns the one way a store writes: `work` runs inside `BEGIN IMMEDIATE … COMMIT`; with a `counter` (from
 * `openMarkedDatabase`, or a store's own), `counter.next()` runs inside the transaction and
 * `counter.committed()` after COMMIT, before the result is returned, so that every acknowledged transaction is
 * counted in the commit mark. If `work` (or the commit) throws, the transaction is rolled back and the error
 * rethrown: nothing of it is written. Synchronous (node:sqlite): no other work interleaves with it.
 *
 * @example
 * ```ts
 * const transaction = createTransaction(marked.db, marked.counter);
 * const id = transaction(() => Number(insert.run(value).lastInsertRowid));
 * ```
 */
export function createTransaction(db: DatabaseSync, counter?: CommitCounter): Transaction {
  return <T>(work: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    let result: T;
    try {
      result = work();
      counter?.next();
      db.exec("COMMIT");
    } catch (e) {
      // A failed COMMIT may already have rolled back on its own.
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
    counter?.committed();
    return result;
  };
}

/** Parameters of {@link createGroupCommit}. */
export interface GroupCommitParameters<I, R> {
  /** The store's transaction ({@link createTransaction}); one call per batch. */
  readonly transaction: Transaction;
  /**
   * Writes one item inside its batch's transaction and returns its result (`void` when the callers only wait
   * for durability). Throwing rolls the whole batch back.
   */
  readonly write: (item: I) => R;
  /** Runs first in each batch's transaction (e.g. a bounded purge); throwing rolls the batch back. */
  readonly beforeBatch?: () => void;
  /** Commit at once when this many items wait (default: no limit, one commit per turn of the event loop). */
  readonly maxBatch?: number;
}

/** A queue of writes that share commits; see {@link createGroupCommit}. */
export interface GroupCommit<I, R> {
  /** Queues `item`; resolves with its result once its batch is committed, rejects if that batch failed. */
  submit(item: I): Promise<R>;
  /** Commits whatever is queued now (synchronously; the callers' promises settle as usual). */
  flush(): void;
  /** Items waiting for a commit. */
  readonly queued: number;
}

/**
 * Group commit: items submitted in the same turn of the event loop (up to `maxBatch`) are written in one
 * transaction with one fsync, and every caller is answered only after that transaction is committed (and
 * counted in the commit mark). If the batch fails, it is rolled back and every caller in it is rejected with
 * the error: nobody is told their write is durable when it is not (fail closed). A crash before the commit
 * loses only writes nobody was answered for.
 *
 * @example
 * ```ts
 * const consumes = createGroupCommit({
 *   transaction: createTransaction(db, counter),
 *   write: (challenge: string) => insert.run(challenge).changes === 1,
 * });
 * const fresh = await consumes.submit(challenge); // on disk when this resolves
 * ```
 */
export function createGroupCommit<I, R = void>(params: GroupCommitParameters<I, R>): GroupCommit<I, R> {
  interface Waiting {
    readonly item: I;
    readonly resolve: (result: R) => void;
    readonly reject: (e: unknown) => void;
  }
  const maxBatch = params.maxBatch ?? Number.POSITIVE_INFINITY;
  let queue: Waiting[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    let results: R[];
    try {
      results = params.transaction(() => {
        params.beforeBatch?.();
        return batch.map((w) => params.write(w.item));
      });
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] as R));
  };
  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (queue.length >= maxBatch) flush();
        else if (!scheduled) {
          scheduled = true;
          // setImmediate runs after this turn's microtasks: every write started in this turn joins the commit.
          setImmediate(flush);
        }
      });
    },
    flush,
    get queued() {
      return queue.length;
    },
  };
}
