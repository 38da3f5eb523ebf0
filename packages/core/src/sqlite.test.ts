import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { type CommitCounter, openCheckedDatabase, openMarkedDatabase } from "./dataFiles.ts";
import { type Transaction, createGroupCommit, createTransaction, openSqlite } from "./sqlite.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "mid-sqlite-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const pragma = (db: DatabaseSync, name: string): unknown => Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];

/** A database with a table `t (k TEXT PRIMARY KEY)`, a counter that logs, and a transaction that counts its calls. */
function fixture() {
  const db = openCheckedDatabase(join(tempDir(), "t.sqlite"), (p) => openSqlite(p));
  db.exec("CREATE TABLE t (k TEXT PRIMARY KEY) STRICT");
  const events: string[] = [];
  const counter: CommitCounter = { next: () => events.push("next"), committed: () => events.push("committed") };
  const inner = createTransaction(db, counter);
  let transactions = 0;
  const transaction: Transaction = (work) => {
    transactions++;
    return inner(work);
  };
  const insert = db.prepare("INSERT INTO t (k) VALUES (?)");
  const count = () => Number(db.prepare("SELECT COUNT(*) AS n FROM t").get()?.["n"]);
  return { db, events, transaction, insert, count, transactions: () => transactions };
}

describe("openSqlite", () => {
  it("opens with WAL, synchronous=FULL, foreign keys, the busy timeout asked for, and exclusive locking on request", () => {
    const path = join(tempDir(), "a.sqlite");
    const db = openCheckedDatabase(path, (p) => openSqlite(p, { busyTimeoutMs: 5000 }));
    expect(pragma(db, "journal_mode")).toBe("wal");
    expect(pragma(db, "synchronous")).toBe(2); // FULL
    expect(pragma(db, "foreign_keys")).toBe(1);
    expect(pragma(db, "busy_timeout")).toBe(5000);
    expect(pragma(db, "locking_mode")).toBe("normal");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    db.close();
    const exclusive = openSqlite(join(tempDir(), "b.sqlite"), { exclusive: true });
    expect(pragma(exclusive, "locking_mode")).toBe("exclusive");
    expect(pragma(exclusive, "busy_timeout")).toBe(0);
    exclusive.close();
  });
});

describe("createTransaction", () => {
  it("commits the work, counts it inside the transaction and marks it after the commit", () => {
    const f = fixture();
    expect(f.transaction(() => f.insert.run("a").changes)).toBe(1);
    expect(f.events).toStrictEqual(["next", "committed"]);
    expect(f.db.isTransaction).toBe(false);
    expect(f.count()).toBe(1);
  });

  it("rolls back everything the work wrote when it throws, and counts nothing", () => {
    const f = fixture();
    expect(() =>
      f.transaction(() => {
        f.insert.run("a");
        f.insert.run("a"); // primary key violation
      }),
    ).toThrow();
    expect(f.db.isTransaction).toBe(false);
    expect(f.count()).toBe(0);
    expect(f.events).toStrictEqual([]);
  });
});

describe("createGroupCommit", () => {
  it("lets concurrent callers share one commit, and answers each with its own result only after the commit is marked", async () => {
    const f = fixture();
    const writes = createGroupCommit({
      transaction: f.transaction,
      write: (k: string) => Number(f.insert.run(k).changes),
    });
    const answered = Array.from({ length: 50 }, (_, i) =>
      writes.submit(`k${i}`).then((changes) => {
        f.events.push("answered");
        return changes;
      }),
    );
    expect(writes.queued).toBe(50);
    expect(f.count()).toBe(0); // nothing written before the turn ends
    expect(await Promise.all(answered)).toStrictEqual(Array.from({ length: 50 }, () => 1));
    expect(f.transactions()).toBe(1);
    expect(f.events).toStrictEqual(["next", "committed", ...Array.from({ length: 50 }, () => "answered")]);
    expect(f.count()).toBe(50);
  });

  it("commits at once when maxBatch writes wait", async () => {
    const f = fixture();
    const writes = createGroupCommit({
      transaction: f.transaction,
      write: (k: string) => {
        f.insert.run(k);
      },
      maxBatch: 8,
    });
    const all = Array.from({ length: 20 }, (_, i) => writes.submit(`k${i}`));
    expect(f.count()).toBe(16); // two full batches, synchronously
    expect(writes.queued).toBe(4);
    await Promise.all(all);
    expect(f.transactions()).toBe(3);
    expect(f.count()).toBe(20);
  });

  it("rolls a failing batch back and rejects every caller in it; the next batch commits", async () => {
    const f = fixture();
    const writes = createGroupCommit({
      transaction: f.transaction,
      write: (k: string) => {
        f.insert.run(k);
      },
    });
    // The fifth key repeats the first: the batch's fifth insert fails after four succeeded.
    const failing = ["a", "b", "c", "d", "a", "e"].map((k) => writes.submit(k));
    const settled = await Promise.allSettled(failing);
    expect(settled.map((s) => s.status)).toStrictEqual(Array.from({ length: 6 }, () => "rejected"));
    const reasons = new Set(settled.map((s) => (s.status === "rejected" ? s.reason : undefined)));
    expect(reasons.size).toBe(1); // every caller gets the batch's error
    expect(f.count()).toBe(0);
    expect(f.events).toStrictEqual([]);
    expect(f.db.isTransaction).toBe(false);
    await expect(writes.submit("a")).resolves.toBeUndefined();
    expect(f.count()).toBe(1);
    expect(f.events).toStrictEqual(["next", "committed"]);
  });

  it("runs beforeBatch once per batch inside its transaction: rolled back with a failing batch", async () => {
    const f = fixture();
    let batches = 0;
    const writes = createGroupCommit({
      transaction: f.transaction,
      beforeBatch: () => {
        batches++;
        f.insert.run(`batch-${batches}`);
      },
      write: (k: string) => {
        f.insert.run(k);
      },
    });
    await Promise.all([writes.submit("a"), writes.submit("b")]);
    expect(batches).toBe(1);
    expect(f.count()).toBe(3);
    await expect(writes.submit("a")).rejects.toThrow();
    expect(batches).toBe(2);
    expect(f.count()).toBe(3); // batch-2 went with the failed batch
  });

  it("flush commits what is queued now", async () => {
    const f = fixture();
    const writes = createGroupCommit({
      transaction: f.transaction,
      write: (k: string) => {
        f.insert.run(k);
      },
    });
    const pending = [writes.submit("a"), writes.submit("b")];
    writes.flush();
    expect(f.count()).toBe(2);
    expect(writes.queued).toBe(0);
    await Promise.all(pending);
    expect(f.transactions()).toBe(1);
  });
});

const child = new URL("./testdata/groupCommitUntilKilled.ts", import.meta.url).pathname;

/** Runs the child on `path`, collects its `ACK`s, and SIGKILLs it after `killAfter` of them (if given). */
async function runChild(path: string, args: readonly string[], killAfter?: number) {
  const proc = spawn(process.execPath, [child, path, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const acked: number[] = [];
  let queued: [number, number] | undefined;
  let stderr = "";
  let buffer = "";
  const take = (line: string) => {
    const ack = /^ACK (\d+)$/.exec(line);
    if (ack !== null) acked.push(Number(ack[1]));
    const q = /^QUEUED (\d+) (\d+)$/.exec(line);
    if (q !== null) queued = [Number(q[1]), Number(q[2])];
  };
  proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  proc.stdout.on("data", (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      take(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
    if (killAfter !== undefined && acked.length >= killAfter && !proc.killed) proc.kill("SIGKILL");
  });
  // "close", not "exit": only then has everything the child wrote into the pipe before dying been read.
  const how = await new Promise<NodeJS.Signals | number | null>((resolve) => proc.on("close", (code, signal) => resolve(signal ?? code)));
  // Lines written before it died are acknowledgements too.
  for (const line of buffer.split("\n")) take(line);
  return { how, acked, queued, stderr };
}

function readBack(path: string): Set<number> {
  // Opened with its commit mark and without accepting loss: refused (DATA_LOST) if an acknowledged commit is gone.
  const { db, close } = openMarkedDatabase(path, (p) => openSqlite(p));
  const rows = new Set(db.prepare("SELECT n FROM writes").all().map((r) => Number(r["n"])));
  close();
  return rows;
}

describe("createGroupCommit across a hard kill", () => {
  it("keeps every acknowledged write when the process is SIGKILLed mid-flight", async () => {
    const path = join(tempDir(), "kill.sqlite");
    const run = await runChild(path, [], 300 + Math.floor(Math.random() * 300));
    expect(run.how, run.stderr).toBe("SIGKILL");
    expect(run.acked.length).toBeGreaterThanOrEqual(300);
    const rows = readBack(path);
    expect(run.acked.filter((n) => !rows.has(n))).toStrictEqual([]);
  }, 60_000);

  it("a crash before the commit loses only the writes nobody was answered for", async () => {
    const path = join(tempDir(), "queued.sqlite");
    const run = await runChild(path, ["--then-queue-and-die"]);
    expect(run.how, run.stderr).toBe("SIGKILL");
    expect(run.acked).toHaveLength(200);
    expect(run.queued).toStrictEqual([200, 249]);
    const rows = readBack(path);
    expect(run.acked.filter((n) => !rows.has(n))).toStrictEqual([]);
    expect([...rows].filter((n) => n >= 200)).toStrictEqual([]);
  }, 60_000);
});
