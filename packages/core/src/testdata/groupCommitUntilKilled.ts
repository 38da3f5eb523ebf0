/**
 * Child process of `sqlite.test.ts`: writes through `createGroupCommit` over a marked database with many writes
 * in flight and prints `ACK <n>` the moment each write resolves (a caller would act on it from then on). With
 * `--then-queue-and-die` it stops after `ACK`s for 200 writes, queues 50 more and kills itself with SIGKILL in
 * the same turn, before their commit can run: `QUEUED <first> <last>` names them. The parent otherwise kills it
 * at an arbitrary point.
 */
import { writeSync } from "node:fs";
import { openMarkedDatabase } from "../dataFiles.ts";
import { createGroupCommit, createTransaction, openSqlite } from "../sqlite.ts";

const [path, mode] = process.argv.slice(2);
if (path === undefined) throw new Error("usage: groupCommitUntilKilled.ts <database path> [--then-queue-and-die]");
// Straight to fd 1: a line is in the pipe when this returns, also when the process kills itself right after
// (process.stdout may still hold it in user space then).
const say = (line: string) => writeSync(1, `${line}\n`);
const { db, counter } = openMarkedDatabase(path, (p) => openSqlite(p, { busyTimeoutMs: 5000 }));
db.exec("CREATE TABLE IF NOT EXISTS writes (n INTEGER PRIMARY KEY, payload TEXT NOT NULL) STRICT");
const insert = db.prepare("INSERT INTO writes (n, payload) VALUES (?, ?)");
const writes = createGroupCommit({
  transaction: createTransaction(db, counter),
  write: (n: number) => {
    insert.run(n, "x".repeat(200));
  },
  maxBatch: 64,
});
say("READY");

let next = 0;
if (mode === "--then-queue-and-die") {
  await Promise.all(Array.from({ length: 200 }, () => {
    const n = next++;
    return writes.submit(n).then(() => say(`ACK ${n}`));
  }));
  const first = next;
  for (let i = 0; i < 50; i++) void writes.submit(next++);
  say(`QUEUED ${first} ${next - 1}`);
  process.kill(process.pid, "SIGKILL");
} else {
  const worker = async (): Promise<never> => {
    for (;;) {
      const n = next++;
      await writes.submit(n);
      say(`ACK ${n}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}
