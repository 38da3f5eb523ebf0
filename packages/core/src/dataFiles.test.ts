import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { openCommitMark, openDataFile, openMarkedDatabase } from "./dataFiles.ts";
import { MobileIdError, isMobileIdError } from "./errors.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "mid-datafiles-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const openRaw = (p: string) => {
  const db = new DatabaseSync(p);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  return db;
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

/**
 * A marked database with `n` acknowledged transactions, and a copy of its files taken while it is open (what a
 * crash leaves: the commits sit in the WAL, not checkpointed).
 */
function crashImage(n: number): { path: string; rows: number } {
  const live = join(tempDir(), "live.sqlite");
  const m = openMarkedDatabase(live, openRaw);
  m.db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  const insert = m.db.prepare("INSERT INTO t (v) VALUES (?)");
  for (let i = 0; i < n; i++) {
    m.db.exec("BEGIN IMMEDIATE");
    insert.run("x".repeat(500));
    m.counter.next();
    m.db.exec("COMMIT");
    m.counter.committed();
  }
  const path = join(tempDir(), "image.sqlite");
  for (const suffix of ["", "-wal", ".mark"]) copyFileSync(`${live}${suffix}`, `${path}${suffix}`);
  m.close();
  return { path, rows: n };
}

const rows = (path: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  const n = db.prepare("SELECT COUNT(*) AS n FROM t").get()!["n"] as number;
  db.close();
  return n;
};

describe("openMarkedDatabase", () => {
  it("opens a crash image with every acknowledged transaction (no false alarm)", () => {
    const { path, rows: n } = crashImage(60);
    const m = openMarkedDatabase(path, openRaw);
    m.close();
    expect(rows(path)).toBe(n);
  });

  it("refuses a crash image whose WAL lost commits to 8 flipped bytes (DATA_LOST); accepted, opens with fewer rows", () => {
    const { path, rows: n } = crashImage(60);
    const wal = readFileSync(`${path}-wal`);
    const pageSize = wal.readUInt32BE(8);
    const frames = Math.floor((wal.length - 32) / (24 + pageSize));
    expect(frames).toBeGreaterThan(20);
    const at = 32 + Math.floor(frames / 2) * (24 + pageSize) + 24 + 100;
    for (let i = 0; i < 8; i++) wal[at + i] = wal[at + i]! ^ 0xff;
    writeFileSync(`${path}-wal`, wal);
    const e = thrown(() => openMarkedDatabase(path, openRaw));
    expect(isMobileIdError(e, "DATA_LOST")).toBe(true);
    expect((e as { details: Record<string, unknown> }).details["acknowledgedCommits"]).toBe(n);
    openMarkedDatabase(path, openRaw, { acceptDataLoss: true }).close();
    expect(rows(path)).toBeLessThan(n);
    openMarkedDatabase(path, openRaw).close();
  });

  it("refuses a missing database whose mark remains, and a missing mark (DATA_FILE_MISSING)", () => {
    const a = crashImage(5);
    rmSync(a.path);
    rmSync(`${a.path}-wal`);
    expect(isMobileIdError(thrown(() => openMarkedDatabase(a.path, openRaw)), "DATA_FILE_MISSING")).toBe(true);
    const b = crashImage(5);
    rmSync(`${b.path}.mark`);
    expect(isMobileIdError(thrown(() => openMarkedDatabase(b.path, openRaw)), "DATA_FILE_MISSING")).toBe(true);
  });

  it("creates the database, its WAL and its mark 0600 in a 0700 directory", () => {
    const path = join(tempDir(), "new", "db.sqlite");
    const m = openMarkedDatabase(path, openRaw);
    m.db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}.mark`]) {
      if (existsSync(p)) expect(statSync(p).mode & 0o777).toBe(0o600);
    }
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
    m.close();
  });
});

describe("openCommitMark", () => {
  it("keeps the previous generation when the slot being written is torn", () => {
    const path = join(tempDir(), "x.mark");
    const mark = openCommitMark(path, "x.sqlite");
    mark.advance(1);
    mark.advance(2);
    mark.advance(3);
    mark.close();
    // Generation 3 went to slot 0 (1 → slot 0, 2 → slot 1, 3 → slot 0): tear it.
    const bytes = readFileSync(path);
    bytes.fill(0, 8, 20);
    writeFileSync(path, bytes);
    const again = openCommitMark(path, "x.sqlite");
    expect(again.found).toBe(2);
    again.close();
  });
});

describe("openDataFile", () => {
  it("turns a failure of ours-unknown kind into DATA_FILE_DAMAGED naming the file, and lets our own errors through", () => {
    const path = join(tempDir(), "other.sqlite");
    const db = openRaw(path);
    // Another program's table under the name a store expects: the store's statements fail on it.
    db.exec("CREATE TABLE t (other TEXT)");
    const e = thrown(() => openDataFile(path, "the test database", () => db.prepare("SELECT id, v FROM t").all()));
    expect(isMobileIdError(e, "DATA_FILE_DAMAGED")).toBe(true);
    expect((e as MobileIdError).details).toMatchObject({ path });
    expect((e as MobileIdError).hint).toContain(path);
    expect((e as MobileIdError).cause).toBeInstanceOf(Error);
    db.close();
    const ours = new MobileIdError("DATA_LOST", "lost");
    expect(thrown(() => openDataFile(path, "the test database", () => {
      throw ours;
    }))).toBe(ours);
    expect(openDataFile(path, "the test database", () => 42)).toBe(42);
  });
});
