import { DatabaseSync } from "node:sqlite";
import { openCheckedDatabase } from "@mobile-id/core/data-files";

/**
 * Opens (creating if needed, 0600 in a 0700 directory) an SQLite database for durable service state, after
 * an integrity check (`PRAGMA quick_check`; a damaged file is refused with `DATA_FILE_DAMAGED`). WAL with
 * `synchronous = FULL`: a transaction that returned is on disk, so anything the API acknowledged survives a
 * crash or a SIGKILL.
 */
export function openDatabase(path: string): DatabaseSync {
  return openCheckedDatabase(path, (p) => {
    const db = new DatabaseSync(p);
    try {
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = FULL");
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec("PRAGMA foreign_keys = ON");
    } catch (e) {
      db.close();
      throw e;
    }
    return db;
  });
}
