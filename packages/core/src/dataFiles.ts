/**
 * Data files that must not lose anything silently (entry `@mobile-id/core/data-files`, Node only): private
 * files and directories (0600 / 0700), an integrity check of SQLite databases at open, and the commit mark, a
 * small fsynced sidecar that remembers how many transactions a database had acknowledged, so that a database
 * that comes back with fewer (a damaged or deleted WAL, an older copy put in its place) is refused instead of
 * being served as if nothing had happened.
 *
 * Why a sidecar: SQLite replays its write-ahead log up to the first frame whose checksum does not match and
 * silently ignores the rest (that is how it tells a torn last write from a committed one), so a few flipped
 * bytes in the WAL drop every later commit and `PRAGMA quick_check` still answers `ok`: the pages that remain
 * are consistent, they are just old. Only something outside the WAL can tell that commits are missing.
 */
import { chmodSync, closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { MobileIdError } from "./errors.ts";

/** Stable codes of data-file failures (all found at open; a service refuses to start on any of them). */
export const DataFileErrorCode = {
  /** The file is there but unreadable or inconsistent (integrity check failed, not a database, bad mark). */
  DATA_FILE_DAMAGED: "DATA_FILE_DAMAGED",
  /** A file that other state says must exist is gone. */
  DATA_FILE_MISSING: "DATA_FILE_MISSING",
  /** The database opened, but holds fewer transactions than it acknowledged (its commit mark says so). */
  DATA_LOST: "DATA_LOST",
} as const;

export type DataFileErrorCode = (typeof DataFileErrorCode)[keyof typeof DataFileErrorCode];

/**
 * The way out printed with every data-file error: restore, or accept the loss explicitly for this file (a
 * damaged file must be moved aside first; it is then begun anew).
 */
export function dataFileHint(path: string, damaged = false): string {
  return (
    `restore ${path} (with its -wal file and its .mark, if any) from a backup; or, to go on without what is lost, ` +
    `${damaged ? `move it aside and ` : ""}start once with --accept-data-loss ${path}`
  );
}

/** Creates `dir` (and missing parents) with mode 0700 and makes sure `dir` itself is 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Sets mode 0600 on `path` and on SQLite's companions (`-wal`, `-shm`, `-journal`) where they exist. */
export function makeFilesPrivate(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(p)) chmodSync(p, 0o600);
  }
}

/**
 * Before opening an SQLite database: its directory is made private, and a missing file is created empty with
 * mode 0600 (SQLite then gives its -wal and -shm files the same mode). Returns whether the file existed.
 */
export function prepareDatabaseFile(path: string): { readonly existed: boolean } {
  ensurePrivateDir(dirname(path));
  const existed = existsSync(path);
  if (!existed) closeSync(openSync(path, "a", 0o600));
  return { existed };
}

/** Whether `e` is SQLite saying the file is corrupt or not a database (SQLITE_CORRUPT, SQLITE_NOTADB). */
export function isSqliteDamage(e: unknown): boolean {
  const errcode = (e as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === "number" && ((errcode & 0xff) === 11 || (errcode & 0xff) === 26);
}

/** The error for a database SQLite found corrupt; `cause` is SQLite's own error or the check's findings. */
export function databaseDamaged(path: string, cause?: unknown, findings?: readonly string[]): MobileIdError<DataFileErrorCode> {
  return new MobileIdError(DataFileErrorCode.DATA_FILE_DAMAGED, `the database ${path} is damaged`, {
    cause,
    details: { path, ...(findings === undefined ? {} : { findings: findings.slice(0, 5) }) },
    hint: dataFileHint(path, true),
  });
}

/**
 * Runs `open` for a data file (a store over a database opened with {@link openCheckedDatabase}, a file the
 * services read at start) and turns a failure that is not already one of ours into
 * {@link DataFileErrorCode.DATA_FILE_DAMAGED}, naming the file (`what` says which one) and the way out: a file
 * that is damaged, or is not what it should be (another program's database in its place), then stops the start
 * with a stable code and hint, not a stack trace. Our own errors (`DATA_LOST`, …) pass through unchanged.
 *
 * @example
 * ```ts
 * const requests = openDataFile(path, "the verifier's request database", () => createRequestStore(db));
 * ```
 */
export function openDataFile<T>(path: string, what: string, open: () => T): T {
  try {
    return open();
  } catch (e) {
    if (e instanceof MobileIdError) throw e;
    const reason = e instanceof Error ? (e.message.split("\n")[0] ?? "").slice(0, 200) : "unknown";
    throw new MobileIdError(DataFileErrorCode.DATA_FILE_DAMAGED, `${what} cannot be read: it is damaged or not what it should be`, {
      details: { path, reason },
      hint: dataFileHint(path, true),
      cause: e,
    });
  }
}

/**
 * Runs `PRAGMA quick_check` (every page and index entry readable and consistent; O(size), no index-to-table
 * cross check) and throws {@link DataFileErrorCode.DATA_FILE_DAMAGED} naming the file if it finds anything.
 * Then makes the file and its companions 0600.
 */
export function checkDatabase(db: DatabaseSync, path: string): void {
  let findings: string[];
  try {
    findings = db.prepare("PRAGMA quick_check").all().map((r) => String(Object.values(r)[0]));
  } catch (e) {
    throw databaseDamaged(path, e);
  }
  if (findings.length !== 1 || findings[0] !== "ok") throw databaseDamaged(path, undefined, findings);
  if (path !== ":memory:") makeFilesPrivate(path);
}

/**
 * Opens an SQLite database through `open`, creating the file 0600 in a 0700 directory if missing, translating
 * "corrupt / not a database" into {@link DataFileErrorCode.DATA_FILE_DAMAGED}, and running {@link checkDatabase}.
 */
export function openCheckedDatabase(path: string, open: (path: string) => DatabaseSync): DatabaseSync {
  if (path !== ":memory:") prepareDatabaseFile(path);
  let db: DatabaseSync;
  try {
    db = open(path);
  } catch (e) {
    if (isSqliteDamage(e)) throw databaseDamaged(path, e);
    throw e;
  }
  try {
    checkDatabase(db, path);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

const SLOT_SIZE = 32;
const MAGIC = Buffer.from("MIDMARK1", "latin1");

/**
 * The commit mark of a database: the generation (count of write transactions) it has acknowledged. Two
 * checksummed slots written alternately, each with one `pwrite` + `fdatasync`: a write torn by a crash spoils
 * at most the slot being written, and the other still holds the previous generation (never more than the
 * database holds, as the mark is written only after the database's commit is on disk).
 */
export interface CommitMark {
  readonly path: string;
  /** The generation read at open; undefined when the file did not exist (it is created). */
  readonly found: number | undefined;
  /** Records `generation` durably; call after the database's commit returned, before acknowledging. */
  advance(generation: number): void;
  /** Overwrites both slots with `generation` (accepting a loss: the mark may go down). */
  reset(generation: number): void;
  close(): void;
}

function encodeSlot(generation: number): Buffer {
  const slot = Buffer.alloc(SLOT_SIZE);
  MAGIC.copy(slot, 0);
  slot.writeBigUInt64LE(BigInt(generation), 8);
  slot.writeUInt32LE(crc32(slot.subarray(0, 16)), 16);
  return slot;
}

function decodeSlot(slot: Buffer): number | undefined {
  if (slot.length < SLOT_SIZE || !slot.subarray(0, 8).equals(MAGIC)) return undefined;
  if (slot.readUInt32LE(16) !== crc32(slot.subarray(0, 16))) return undefined;
  return Number(slot.readBigUInt64LE(8));
}

/**
 * Opens (creating, 0600) the commit mark at `path`. Throws {@link DataFileErrorCode.DATA_FILE_DAMAGED} if the
 * file exists and neither slot is valid, unless `replaceDamaged` (then it is treated as missing and rewritten).
 *
 * @example
 * ```ts
 * const mark = openCommitMark(`${dbPath}.mark`);
 * if ((mark.found ?? 0) > generationInDb) throw …; // commits the database acknowledged are gone
 * ```
 */
export function openCommitMark(path: string, databasePath: string, options: { readonly replaceDamaged?: boolean } = {}): CommitMark {
  const existed = existsSync(path);
  const fd = openSync(path, existed ? "r+" : "w+", 0o600);
  chmodSync(path, 0o600);
  let found: number | undefined;
  let next = 0;
  if (existed) {
    const buf = Buffer.alloc(SLOT_SIZE * 2);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const slots = [decodeSlot(buf.subarray(0, Math.min(n, SLOT_SIZE))), decodeSlot(buf.subarray(SLOT_SIZE, n))];
    const valid = slots.filter((s): s is number => s !== undefined);
    if (valid.length === 0 && options.replaceDamaged !== true) {
      closeSync(fd);
      throw new MobileIdError(DataFileErrorCode.DATA_FILE_DAMAGED, `the commit mark ${path} is damaged`, {
        details: { path, database: databasePath },
        hint: dataFileHint(databasePath),
      });
    }
    if (valid.length > 0) {
      found = Math.max(...valid);
      // Write next into the slot that does not hold the newest generation.
      next = slots[0] === found ? 1 : 0;
    }
  }
  if (found === undefined) {
    writeSync(fd, Buffer.concat([encodeSlot(0), encodeSlot(0)]), 0, SLOT_SIZE * 2, 0);
    fsyncSync(fd);
    // The new file's name must be durable too: fsync the directory.
    const dirFd = openSync(dirname(path), "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
  let open = true;
  const write = (slot: number, generation: number) => {
    writeSync(fd, encodeSlot(generation), 0, SLOT_SIZE, slot * SLOT_SIZE);
  };
  return {
    path,
    found,
    advance(generation) {
      write(next, generation);
      fdatasyncSync(fd);
      next = 1 - next;
    },
    reset(generation) {
      write(0, generation);
      write(1, generation);
      fdatasyncSync(fd);
      next = 0;
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/**
 * Compares a database's commit generation with its mark and refuses (unless `accept`) when they disagree in
 * the one direction that means loss: a missing database whose mark exists (`DATA_FILE_MISSING`), a missing
 * mark for a database that has commits (`DATA_FILE_MISSING`), or fewer commits than the mark (`DATA_LOST`).
 * Accepted, the mark is set to what the database holds and a warning `MID_DATA_LOSS_ACCEPTED` is emitted.
 */
export function checkCommitMark(params: {
  /** The database's generation (0 when it has none: new, or written before marks). */
  readonly inDatabase: number;
  readonly mark: CommitMark;
  readonly path: string;
  /** Whether the database file existed before this open, and whether its mark did. */
  readonly existed: boolean;
  readonly markExisted: boolean;
  readonly accept: boolean;
}): void {
  const { inDatabase: inDb, mark, path } = params;
  let problem: MobileIdError | undefined;
  if (!params.existed && params.markExisted) {
    problem = new MobileIdError(DataFileErrorCode.DATA_FILE_MISSING, `the database ${path} is missing`, {
      details: { path, mark: mark.path, acknowledgedCommits: mark.found },
      hint: dataFileHint(path),
    });
  } else if (mark.found === undefined && inDb > 0) {
    problem = new MobileIdError(DataFileErrorCode.DATA_FILE_MISSING, `the commit mark ${mark.path} is missing`, {
      details: { path, mark: mark.path, commitsInDatabase: inDb },
      hint: dataFileHint(path),
    });
  } else if (mark.found !== undefined && mark.found > inDb) {
    problem = new MobileIdError(
      DataFileErrorCode.DATA_LOST,
      `the database ${path} lacks ${mark.found - inDb} of the ${mark.found} transactions it acknowledged ` +
        "(its write-ahead log was damaged or removed, or an older copy was put in its place)",
      { details: { path, mark: mark.path, acknowledgedCommits: mark.found, commitsInDatabase: inDb }, hint: dataFileHint(path) },
    );
  }
  if (problem === undefined) return;
  if (!params.accept) throw problem;
  process.emitWarning(`${problem.message}; going on with what it holds (--accept-data-loss)`, { code: "MID_DATA_LOSS_ACCEPTED" });
  mark.reset(inDb);
}

/**
 * Counts a marked database's write transactions: `next()` inside each write transaction (before COMMIT)
 * bumps the generation stored in the database; `committed()` after COMMIT, before the caller is answered,
 * writes it to the mark.
 */
export interface CommitCounter {
  next(): void;
  committed(): void;
}

/** A database opened with {@link openMarkedDatabase}: close it with `close` (database and mark). */
export interface MarkedDatabase {
  readonly db: DatabaseSync;
  readonly counter: CommitCounter;
  close(): void;
}

const GENERATION_TABLE = "mid_commit_generation";

/**
 * Opens a service's SQLite database with all the checks of this module: created 0600 in a 0700 directory,
 * `quick_check`, and a commit mark beside it (`path.mark`) compared with the generation the database holds
 * (table `mid_commit_generation`) before anything is written; see {@link checkCommitMark}.
 *
 * @example
 * ```ts
 * const { db, counter, close } = openMarkedDatabase(".data/verifier/nonces.sqlite", (p) => new DatabaseSync(p), { acceptDataLoss: false });
 * ```
 */
export function openMarkedDatabase(
  path: string,
  open: (path: string) => DatabaseSync,
  options: { readonly acceptDataLoss?: boolean } = {},
): MarkedDatabase {
  const markPath = `${path}.mark`;
  const markExisted = existsSync(markPath);
  const { existed } = prepareDatabaseFile(path);
  const db = openCheckedDatabase(path, open);
  let mark: CommitMark | undefined;
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(GENERATION_TABLE) !== undefined;
    const row = hasTable ? db.prepare(`SELECT generation FROM ${GENERATION_TABLE} WHERE id = 1`).get() : undefined;
    let generation = row === undefined ? 0 : Number(row["generation"]);
    mark = openCommitMark(markPath, path, { replaceDamaged: options.acceptDataLoss === true });
    checkCommitMark({ inDatabase: generation, mark, path, existed, markExisted, accept: options.acceptDataLoss === true });
    db.exec(`CREATE TABLE IF NOT EXISTS ${GENERATION_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL) STRICT`);
    const bump = db.prepare(
      `INSERT INTO ${GENERATION_TABLE} (id, generation) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET generation = excluded.generation`,
    );
    const opened = mark;
    let pending = generation;
    return {
      db,
      counter: {
        next() {
          pending = generation + 1;
          bump.run(pending);
        },
        committed() {
          generation = pending;
          opened.advance(generation);
        },
      },
      close() {
        db.close();
        opened.close();
      },
    };
  } catch (e) {
    db.close();
    mark?.close();
    throw e;
  }
}
