import type { DatabaseSync } from "node:sqlite";
import { type MarkedDatabase, openCheckedDatabase, openMarkedDatabase } from "@mobile-id/core/data-files";
import { openSqlite } from "@mobile-id/core/sqlite";

// Foreign keys on, WAL, synchronous=FULL (`@mobile-id/core/sqlite`), and a wait for the lock of another connection.
const openRaw = (path: string): DatabaseSync => openSqlite(path, { busyTimeoutMs: 5000 });

/**
 * Opens (creating if needed, 0600 in a 0700 directory) an SQLite database for durable service state, after
 * an integrity check (`PRAGMA quick_check`; a damaged file is refused with `DATA_FILE_DAMAGED`). WAL with
 * `synchronous = FULL`: a transaction that returned is on disk, so anything the API acknowledged survives a
 * crash or a SIGKILL.
 */
export function openDatabase(path: string): DatabaseSync {
  return openCheckedDatabase(path, openRaw);
}

/**
 * {@link openDatabase} with a commit mark (`path.mark`): a store that passes the returned `counter` to its
 * commits has every acknowledged transaction counted, and an open that finds fewer is refused (`DATA_LOST`).
 */
export function openMarkedServiceDatabase(path: string, options: { readonly acceptDataLoss?: boolean } = {}): MarkedDatabase {
  return openMarkedDatabase(path, openRaw, options);
}
