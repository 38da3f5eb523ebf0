import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";

const repoRoot = new URL("../../../", import.meta.url).pathname;
const child = new URL("./testdata/issueUntilKilled.ts", import.meta.url).pathname;

/**
 * "Nothing acknowledged is lost": a real process issues with 32 requests in flight and is killed with SIGKILL
 * (no chance to flush or close) at an arbitrary point; every credential it acknowledged must be in the
 * database afterwards, with the status entry the holder received.
 */
describe("issuance durability across a hard kill", () => {
  it("keeps every acknowledged issuance record after SIGKILL", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mid-issuer-kill-")), "issuer.db");
    const proc = spawn(process.execPath, [child, path], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    const acked: { id: string; pair: number; index: number }[] = [];
    let stderr = "";
    let buffer = "";
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => proc.on("exit", (code, signal) => resolve(signal ?? code)));
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const target = 400 + Math.floor(Math.random() * 400);
      proc.stdout.on("data", (d: Buffer) => {
        buffer += d.toString();
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const m = /^ACK (\S+) (\d+) (\d+)$/.exec(line);
          if (m !== null) acked.push({ id: m[1]!, pair: Number(m[2]), index: Number(m[3]) });
        }
        if (acked.length >= target && !proc.killed) {
          proc.kill("SIGKILL");
          resolve();
        }
      });
      void exited.then((how) => reject(new Error(`child exited early (${String(how)}): ${stderr}`)));
    });
    expect(await exited).toBe("SIGKILL");
    // Lines the child wrote before dying are acknowledgements too.
    for (const line of buffer.split("\n")) {
      const m = /^ACK (\S+) (\d+) (\d+)$/.exec(line);
      if (m !== null) acked.push({ id: m[1]!, pair: Number(m[2]), index: Number(m[3]) });
    }

    const db = new DatabaseSync(path);
    const lookup = db.prepare("SELECT pair_id, list_index FROM credentials WHERE jti = ?");
    const missing = acked.filter((a) => {
      const row = lookup.get(a.id);
      return row === undefined || row["pair_id"] !== a.pair || row["list_index"] !== a.index;
    });
    const total = db.prepare("SELECT COUNT(*) AS n FROM credentials").get()!["n"] as number;
    db.close();
    expect(acked.length).toBeGreaterThanOrEqual(400);
    expect(missing).toStrictEqual([]);
    expect(total).toBeGreaterThanOrEqual(acked.length);
  });
});
