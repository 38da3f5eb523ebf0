import { existsSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { MobileIdError } from "@mobile-id/core";
import {
  type CommitMark,
  DataFileErrorCode,
  checkCommitMark,
  checkDatabase,
  databaseDamaged,
  isSqliteDamage,
  openCommitMark,
  prepareDatabaseFile,
} from "@mobile-id/core/data-files";
import { applyDurablePragmas } from "@mobile-id/core/sqlite";
import { issuerError, IssuerErrorCode } from "../errors.ts";

/** Version of the schema below; bumped with a migration when it changes (see `MIGRATIONS`). */
export const SCHEMA_VERSION = 2;

/**
 * The issuance database. Holds what the issuer must know to manage what it issued, and nothing more: no VC
 * JWT, and no claim values unless the agency turned `storeClaims` on (column `credentials.claims`).
 *
 * - `list_pairs`/`status_lists`: the issuer's status lists on the ledger, paired (revocation + suspension).
 * - `credentials`: one row per issued credential: id (`jti`), type, holder DID, list pair and entry, times,
 *   current status, and the ledger operation in flight for it (`pending_op`).
 * - `ledger_ops`: a write-ahead journal of ledger transactions. A transaction is signed first, and its hash
 *   and raw bytes are committed here *before* it is broadcast, so that after a crash at any point the
 *   outcome can be found on the ledger (receipt, nonce, status bits) and recorded exactly once.
 *   A confirmed operation records the hash of its block: if the ledger node later loses that block (a node
 *   that persists on a timer and was killed), the operation is found `lost` and written again.
 * - `status_history`: every status change of a credential with reason, time, transaction and outcome.
 * - `meta`: what the database is bound to (issuer, chain, registry), the schema version, and the ledger
 *   checkpoint (the newest block verified to hold every confirmed operation).
 * - `list_operators`: the operator keys the issuer named (`allowed` 1) or un-named (0) on each list with
 *   `setListOperator`, recorded before the `setOperator` transaction is sent: the state the ledger must hold,
 *   brought back by reconcile and the journal watcher when a restarted node lost it. Created `IF NOT EXISTS`
 *   on every open, so databases written before it exist work unchanged (no schema version bump: an older
 *   issuer opening the file ignores the table).
 * - `credential_copies`: the copies of one batch issuance (SD-JWT VC): each copy is a `credentials` row with its
 *   own entry (jti `<group id>.<position>`, holder = RFC 9278 thumbprint URI of its `cnf` key), grouped here
 *   under the id the agency manages. Created `IF NOT EXISTS` like `list_operators` (no version bump).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS list_pairs (
  pair_id INTEGER PRIMARY KEY,
  revocation_list_id TEXT NOT NULL UNIQUE,
  suspension_list_id TEXT NOT NULL UNIQUE,
  size_log2 INTEGER NOT NULL,
  added_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS status_lists (
  list_id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
  size_log2 INTEGER NOT NULL,
  created_tx TEXT,
  pair_id INTEGER REFERENCES list_pairs (pair_id)
) STRICT;

CREATE TABLE IF NOT EXISTS ledger_ops (
  op_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('createList', 'revoke', 'suspend', 'reinstate')),
  list_id TEXT,
  purpose TEXT,
  size_log2 INTEGER,
  reason INTEGER,
  state TEXT NOT NULL CHECK (state IN ('prepared', 'confirmed', 'failed', 'lost')),
  tx_hash TEXT NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  nonce INTEGER NOT NULL,
  raw_tx TEXT NOT NULL,
  prepared_at INTEGER NOT NULL,
  resolved_at INTEGER,
  block_number INTEGER,
  outcome TEXT,
  block_hash TEXT,
  replaced_by INTEGER REFERENCES ledger_ops (op_id)
) STRICT;
CREATE INDEX IF NOT EXISTS ledger_ops_prepared ON ledger_ops (op_id) WHERE state = 'prepared';
CREATE INDEX IF NOT EXISTS ledger_ops_confirmed ON ledger_ops (block_number) WHERE state = 'confirmed';

CREATE TABLE IF NOT EXISTS credentials (
  seq INTEGER PRIMARY KEY,
  jti TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  type_version INTEGER NOT NULL,
  holder TEXT NOT NULL,
  pair_id INTEGER NOT NULL REFERENCES list_pairs (pair_id),
  list_index INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
  pending_op INTEGER REFERENCES ledger_ops (op_id),
  claims TEXT,
  UNIQUE (pair_id, list_index)
) STRICT;
CREATE INDEX IF NOT EXISTS credentials_holder ON credentials (holder, seq);
CREATE INDEX IF NOT EXISTS credentials_type_status ON credentials (type, status, seq);
CREATE INDEX IF NOT EXISTS credentials_status ON credentials (status, seq);

CREATE TABLE IF NOT EXISTS status_history (
  id INTEGER PRIMARY KEY,
  credential_seq INTEGER NOT NULL REFERENCES credentials (seq),
  action TEXT NOT NULL CHECK (action IN ('revoke', 'suspend', 'reinstate')),
  reason INTEGER,
  source TEXT NOT NULL CHECK (source IN ('issuer', 'ledger')),
  op_id INTEGER REFERENCES ledger_ops (op_id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'failed', 'lost')),
  requested_at INTEGER NOT NULL,
  resolved_at INTEGER,
  tx_hash TEXT,
  block_number INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS status_history_credential ON status_history (credential_seq, id);
CREATE INDEX IF NOT EXISTS status_history_op ON status_history (op_id);

CREATE TABLE IF NOT EXISTS list_operators (
  list_id TEXT NOT NULL REFERENCES status_lists (list_id),
  operator TEXT NOT NULL,
  allowed INTEGER NOT NULL CHECK (allowed IN (0, 1)),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (list_id, operator)
) STRICT;

CREATE TABLE IF NOT EXISTS credential_copies (
  credential_seq INTEGER PRIMARY KEY REFERENCES credentials (seq),
  group_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  format TEXT NOT NULL,
  UNIQUE (group_id, position)
) STRICT;
`;

/**
 * Migrations, by the version they start from. Each brings the tables to the next version inside the opening
 * transaction (all or nothing); indexes are (re)created by `SCHEMA` afterwards.
 * - 1 → 2: ledger operations can be `lost` (confirmed, then gone from the ledger node) and record their block
 *   hash and the operation that re-sent them; history rows can be `lost` too. SQLite cannot alter a CHECK
 *   constraint, so both tables are rebuilt (the documented create-copy-drop-rename sequence).
 */
const MIGRATIONS: Readonly<Record<number, string>> = {
  1: `
CREATE TABLE ledger_ops_v2 (
  op_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('createList', 'revoke', 'suspend', 'reinstate')),
  list_id TEXT,
  purpose TEXT,
  size_log2 INTEGER,
  reason INTEGER,
  state TEXT NOT NULL CHECK (state IN ('prepared', 'confirmed', 'failed', 'lost')),
  tx_hash TEXT NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  nonce INTEGER NOT NULL,
  raw_tx TEXT NOT NULL,
  prepared_at INTEGER NOT NULL,
  resolved_at INTEGER,
  block_number INTEGER,
  outcome TEXT,
  block_hash TEXT,
  replaced_by INTEGER REFERENCES ledger_ops (op_id)
) STRICT;
INSERT INTO ledger_ops_v2 (op_id, kind, list_id, purpose, size_log2, reason, state, tx_hash, sender, nonce, raw_tx,
  prepared_at, resolved_at, block_number, outcome)
  SELECT op_id, kind, list_id, purpose, size_log2, reason, state, tx_hash, sender, nonce, raw_tx, prepared_at,
  resolved_at, block_number, outcome FROM ledger_ops;
DROP TABLE ledger_ops;
ALTER TABLE ledger_ops_v2 RENAME TO ledger_ops;
CREATE TABLE status_history_v2 (
  id INTEGER PRIMARY KEY,
  credential_seq INTEGER NOT NULL REFERENCES credentials (seq),
  action TEXT NOT NULL CHECK (action IN ('revoke', 'suspend', 'reinstate')),
  reason INTEGER,
  source TEXT NOT NULL CHECK (source IN ('issuer', 'ledger')),
  op_id INTEGER REFERENCES ledger_ops (op_id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'failed', 'lost')),
  requested_at INTEGER NOT NULL,
  resolved_at INTEGER,
  tx_hash TEXT,
  block_number INTEGER
) STRICT;
INSERT INTO status_history_v2 SELECT * FROM status_history;
DROP TABLE status_history;
ALTER TABLE status_history_v2 RENAME TO status_history;
UPDATE meta SET value = '2' WHERE key = 'schemaVersion';
`,
};

/** Brings an existing database up to {@link SCHEMA_VERSION}; a fresh one gets `SCHEMA` directly. */
function migrate(db: DatabaseSync, path: string): void {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  const row = hasMeta ? db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() : undefined;
  if (row === undefined) return;
  let version = Number(row["value"]);
  if (!Number.isInteger(version) || version > SCHEMA_VERSION) {
    throw issuerError(IssuerErrorCode.DATABASE_MISMATCH, "the database was written by a newer version of the issuer", {
      details: { path, schemaVersion: row["value"], supported: SCHEMA_VERSION },
      hint: "upgrade this software; never open a database with an older version",
    });
  }
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (step === undefined) throw new Error(`no migration from schema version ${version}`);
    db.exec(step);
    version++;
  }
}

/** What a database is bound to; a database opened for anything else is refused. */
export interface DatabaseIdentity {
  readonly issuer: string;
  readonly chainId: string;
  readonly statusRegistry: string;
}

/** Options of {@link openIssuerDatabase}. */
export interface OpenIssuerDatabaseOptions {
  /**
   * Open even though the database lost acknowledged transactions, is missing while its commit mark exists, or
   * its mark is missing: the mark is set to what the database holds (a warning `MID_DATA_LOSS_ACCEPTED` is
   * emitted). Only on the operator's explicit word (`pnpm start --accept-data-loss FILE`).
   */
  readonly acceptDataLoss?: boolean;
}

/** An opened issuance database and its commit mark (see `@mobile-id/core/data-files`). */
export interface OpenedIssuerDatabase {
  readonly db: DatabaseSync;
  readonly mark: CommitMark;
}

/** The mark file beside a database. */
export function commitMarkPath(path: string): string {
  return `${path}.mark`;
}

/**
 * Opens (creating if needed) the issuance database at `path`: WAL journal, `synchronous=FULL` (a commit is on
 * stable storage before it returns, so an acknowledged issuance survives a power cut, not only a process
 * crash), foreign keys, and an exclusive lock held for the connection's life (one issuer process per
 * database: two processes would each believe they own the free entries). Checks or writes the identity.
 *
 * Refuses a damaged database (`PRAGMA quick_check`), and compares the database's commit generation with its
 * commit mark (`path.mark`, written after every commit): fewer transactions than acknowledged (a damaged or
 * deleted WAL, an older copy), a missing database whose mark exists, or a missing mark are refused
 * (`DATA_LOST`, `DATA_FILE_MISSING`) unless `acceptDataLoss`. The file is 0600 in a 0700 directory.
 *
 * @example
 * ```ts
 * const { db, mark } = openIssuerDatabase("issuer.db", { issuer: "0x…", chainId: "31337", statusRegistry: "0x…" });
 * ```
 */
export function openIssuerDatabase(path: string, identity: DatabaseIdentity, options: OpenIssuerDatabaseOptions = {}): OpenedIssuerDatabase {
  const markPath = commitMarkPath(path);
  const markExisted = existsSync(markPath);
  const { existed } = prepareDatabaseFile(path);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: 0 });
  } catch (cause) {
    throw issuerError(IssuerErrorCode.DATABASE_UNAVAILABLE, "cannot open the issuance database", {
      cause,
      details: { path },
      hint: "check the path and its permissions",
    });
  }
  let mark: CommitMark | undefined;
  try {
    // Exclusive locking (before WAL): the write lock is held until close, so a second process fails here
    // instead of corrupting allocation. WAL and synchronous=FULL as for every store (`@mobile-id/core/sqlite`).
    applyDurablePragmas(db, { exclusive: true });
    // Before anything is written: the integrity of the pages, then whether every acknowledged commit is there.
    checkDatabase(db, path);
    mark = openCommitMark(markPath, path, { replaceDamaged: options.acceptDataLoss === true });
    checkCommitMark({ inDatabase: commitGeneration(db), mark, path, existed, markExisted, accept: options.acceptDataLoss === true });
    // Off while a migration rebuilds tables (the pragma is a no-op inside a transaction); checked explicitly
    // with foreign_key_check before the commit, and on again for the connection's life.
    db.exec("PRAGMA foreign_keys = OFF");
    db.exec("BEGIN IMMEDIATE");
    migrate(db, path);
    db.exec(SCHEMA);
    checkIdentity(db, identity, path);
    if (db.prepare("PRAGMA foreign_key_check").all().length > 0) throw new Error("foreign key violations after migration");
    db.exec("COMMIT");
    db.exec("PRAGMA foreign_keys = ON");
  } catch (cause) {
    if (db.isTransaction) db.exec("ROLLBACK");
    db.close();
    mark?.close();
    if (cause instanceof MobileIdError && (cause.code === IssuerErrorCode.DATABASE_MISMATCH || cause.code in DataFileErrorCode)) {
      throw cause;
    }
    if (isSqliteDamage(cause)) throw databaseDamaged(path, cause);
    throw issuerError(IssuerErrorCode.DATABASE_UNAVAILABLE, "cannot open the issuance database", {
      cause,
      details: { path },
      hint: "another issuer process may hold it open (one process per database); stop it and retry",
    });
  }
  return { db, mark };
}

/** The database's commit generation (`meta.commitGeneration`), 0 when it has none (new, or written before marks). */
export function commitGeneration(db: DatabaseSync): number {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  const row = hasMeta ? db.prepare("SELECT value FROM meta WHERE key = 'commitGeneration'").get() : undefined;
  return row === undefined ? 0 : Number(row["value"]);
}

function checkIdentity(db: DatabaseSync, identity: DatabaseIdentity, path: string): void {
  const read = db.prepare("SELECT value FROM meta WHERE key = ?");
  const write = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
  const expected: Record<string, string> = {
    schemaVersion: String(SCHEMA_VERSION),
    issuer: identity.issuer.toLowerCase(),
    chainId: identity.chainId,
    statusRegistry: identity.statusRegistry.toLowerCase(),
  };
  for (const [key, value] of Object.entries(expected)) {
    const row = read.get(key);
    if (row === undefined) {
      write.run(key, value);
    } else if (row["value"] !== value) {
      throw issuerError(IssuerErrorCode.DATABASE_MISMATCH, `the database belongs to another ${key}`, {
        details: { path, key, database: row["value"], configured: value },
        hint: "each issuer identity and network needs its own database file",
      });
    }
  }
}
