import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import { type DatabaseIdentity, commitMarkPath, openIssuerDatabase } from "./openIssuerDatabase.ts";

const repoRoot = new URL("../../../../", import.meta.url).pathname;
const child = new URL("../testdata/issueUntilKilled.ts", import.meta.url).pathname;

/** The error `fn` throws (fails the test if it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

/** Frames of the WAL that belong to its current generation (salts equal to the header's), and the page size. */
function walFrames(wal: Buffer): { pageSize: number; frames: number } {
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let frames = 0;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
    if (wal.readUInt32BE(off + 8) !== salt1 || wal.readUInt32BE(off + 12) !== salt2) break;
    frames++;
  }
  return { pageSize, frames };
}

/**
 * Damaged and missing issuance files, made for real: a child process issues with 32 requests in flight and is
 * SIGKILLed (its WAL then holds the latest commits, not yet checkpointed); the files are copied per case and
 * damaged the way an operator's disk or hand would.
 */
describe("openIssuerDatabase: damaged or missing files", () => {
  let source: string;
  let identity: DatabaseIdentity;
  let acked = 0;
  const dirs: string[] = [];

  /** A copy of the killed issuer's files (database, WAL, mark) in a fresh directory. */
  const copyCase = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "mid-issuer-case-"));
    dirs.push(dir);
    const path = join(dir, "issuer.db");
    for (const suffix of ["", "-wal", ".mark"]) {
      if (existsSync(`${source}${suffix}`)) copyFileSync(`${source}${suffix}`, `${path}${suffix}`);
    }
    return path;
  };
  const count = (path: string): number => {
    const { db, mark } = openIssuerDatabase(path, identity, { acceptDataLoss: true });
    const n = db.prepare("SELECT COUNT(*) AS n FROM credentials").get()!["n"] as number;
    db.close();
    mark.close();
    return n;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "mid-issuer-kill-"));
    dirs.push(dir);
    source = join(dir, "issuer.db");
    const proc = spawn(process.execPath, [child, source], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<unknown>((resolve) => proc.on("exit", (code, signal) => resolve(signal ?? code)));
    let out = "";
    let err = "";
    proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        acked = out.split("\n").filter((l) => l.startsWith("ACK ")).length;
        if (acked >= 300 && !proc.killed) {
          proc.kill("SIGKILL");
          resolve();
        }
      });
      void exited.then((how) => reject(new Error(`child exited early (${String(how)}): ${err}`)));
    });
    await exited;
    acked = out.split("\n").filter((l) => l.startsWith("ACK ")).length;
    const ready = /^READY (\S+) (\d+) (\S+)$/m.exec(out);
    if (ready === null) throw new Error(`no READY line: ${out.slice(0, 200)}`);
    identity = { issuer: ready[1]!, chainId: ready[2]!, statusRegistry: ready[3]! };
  }, 120_000);

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("opens an undamaged database after SIGKILL, with every acknowledged issuance (no false alarm)", () => {
    const path = copyCase();
    expect(walFrames(readFileSync(`${path}-wal`)).frames).toBeGreaterThan(4);
    const { db, mark } = openIssuerDatabase(path, identity);
    const n = db.prepare("SELECT COUNT(*) AS n FROM credentials").get()!["n"] as number;
    expect(n).toBeGreaterThanOrEqual(acked);
    expect(Number(db.prepare("SELECT value FROM meta WHERE key = 'commitGeneration'").get()!["value"])).toBe(mark.found);
    db.close();
    mark.close();
  });

  it("refuses a database whose WAL lost acknowledged commits to 8 flipped bytes (DATA_LOST), and opens on --accept-data-loss", () => {
    const path = copyCase();
    const wal = readFileSync(`${path}-wal`);
    const { pageSize, frames } = walFrames(wal);
    // A frame in the middle: SQLite's replay stops at its bad checksum and drops every later commit.
    const frame = Math.floor(frames / 2);
    const at = 32 + frame * (24 + pageSize) + 24 + 200;
    for (let i = 0; i < 8; i++) wal[at + i] = wal[at + i]! ^ 0xff;
    writeFileSync(`${path}-wal`, wal);

    const e = thrown(() => openIssuerDatabase(path, identity));
    expect(isMobileIdError(e, "DATA_LOST")).toBe(true);
    const details = (e as { details: Record<string, number> }).details;
    expect(details["acknowledgedCommits"]).toBeGreaterThan(details["commitsInDatabase"]!);
    expect((e as { details: Record<string, unknown> }).details["path"]).toBe(path);
    // The loss is real (what the old code served silently): fewer records than acknowledged issuances.
    expect(count(path)).toBeLessThan(acked);
    // Accepted once, the mark follows the database: the next open is clean.
    const again = openIssuerDatabase(path, identity);
    again.db.close();
    again.mark.close();
  });

  it("refuses when the WAL file was deleted (DATA_LOST)", () => {
    const path = copyCase();
    rmSync(`${path}-wal`);
    expect(isMobileIdError(thrown(() => openIssuerDatabase(path, identity)), "DATA_LOST")).toBe(true);
  });

  it("refuses a missing database whose commit mark remains (DATA_FILE_MISSING) instead of creating an empty one", () => {
    const path = copyCase();
    rmSync(path);
    rmSync(`${path}-wal`);
    expect(isMobileIdError(thrown(() => openIssuerDatabase(path, identity)), "DATA_FILE_MISSING")).toBe(true);
  });

  it("refuses a database whose commit mark was deleted (DATA_FILE_MISSING)", () => {
    const path = copyCase();
    rmSync(commitMarkPath(path));
    expect(isMobileIdError(thrown(() => openIssuerDatabase(path, identity)), "DATA_FILE_MISSING")).toBe(true);
  });

  it("refuses a damaged commit mark (DATA_FILE_DAMAGED)", () => {
    const path = copyCase();
    writeFileSync(commitMarkPath(path), Buffer.alloc(64, 0x41));
    expect(isMobileIdError(thrown(() => openIssuerDatabase(path, identity)), "DATA_FILE_DAMAGED")).toBe(true);
    // Accepted: the mark is rewritten from the database, and the next open is clean.
    const accepted = openIssuerDatabase(path, identity, { acceptDataLoss: true });
    accepted.db.close();
    accepted.mark.close();
    const again = openIssuerDatabase(path, identity);
    expect(again.mark.found).toBeGreaterThan(0);
    again.db.close();
    again.mark.close();
  });

  it("refuses a database whose pages are damaged (quick_check) or whose header is garbage (DATA_FILE_DAMAGED)", () => {
    // Checkpointed first (a clean open and close), so that the records are in the main file.
    const path = copyCase();
    const clean = openIssuerDatabase(path, identity);
    clean.db.close();
    clean.mark.close();
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length / pageSize).toBeGreaterThan(8);
    // Garbage over the middle of the file: b-tree pages no longer parse.
    const damaged = Buffer.from(bytes);
    damaged.fill(0x5a, Math.floor(damaged.length / 2), Math.floor(damaged.length / 2) + 2 * pageSize);
    writeFileSync(path, damaged);
    const e = thrown(() => openIssuerDatabase(path, identity));
    expect(isMobileIdError(e, "DATA_FILE_DAMAGED")).toBe(true);
    expect((e as { hint?: string }).hint).toContain("--accept-data-loss");

    const header = Buffer.from(bytes);
    header.fill(0x00, 0, 100);
    writeFileSync(path, header);
    expect(isMobileIdError(thrown(() => openIssuerDatabase(path, identity)), "DATA_FILE_DAMAGED")).toBe(true);
  });

  it("keeps the database, its WAL and its mark private (0600) in a private directory (0700)", () => {
    const dir = mkdtempSync(join(tmpdir(), "mid-issuer-perm-"));
    dirs.push(dir);
    const path = join(dir, "sub", "issuer.db");
    const { db, mark } = openIssuerDatabase(path, identity);
    db.exec("INSERT INTO meta (key, value) VALUES ('probe', 'x')");
    for (const p of [path, `${path}-wal`, commitMarkPath(path)]) expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "sub")).mode & 0o777).toBe(0o700);
    db.close();
    mark.close();
  });
});
