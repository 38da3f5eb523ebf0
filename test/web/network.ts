/**
 * The network as the browser tests use it: `node scripts/start.ts` (the `pnpm start` script) as a real child
 * process on free ports with a temporary data directory, and the agency API keys it wrote there.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printedApiKeys } from "../support/apiKeys.ts";
import { repoRoot } from "../support/run.ts";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningNetwork {
  readonly url: string;
  readonly dataDir: string;
  readonly apiKeys: Readonly<Record<string, string>>;
  /** Everything the process printed (for failure messages). */
  output(): string;
  /**
   * Waits until the services' ledger mirror has reached the node's current block. The mirror polls the node
   * (every 500 ms), so a ledger write is visible to the verifier and to wallets' status checks one poll
   * later, by design; a test that writes and then reads must wait for that, as a real counter would.
   */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** SIGINT (a clean stop, as Ctrl-C), then removes the data directory. */
  stop(): Promise<void>;
}

/** Builds the web pages if they are missing or stale (as `pnpm start` does). */
export function buildWebApp(): void {
  const r = spawnSync(process.execPath, [join(repoRoot, "packages/web/scripts/build.ts"), "--if-stale"], { cwd: repoRoot, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`web build failed:\n${r.stdout}\n${r.stderr}`);
}

export async function startNetwork(timeoutMs = 120_000): Promise<RunningNetwork> {
  const dataDir = mkdtempSync(join(tmpdir(), "mid-web-"));
  const rpcPort = await freePort();
  const httpPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["scripts/start.ts", "--data-dir", dataDir, "--port", String(rpcPort), "--http-port", String(httpPort), "--quiet"],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + timeoutMs;
  // The banner ends with this line; the API keys (printed once, stored nowhere) come before it.
  while (!output.includes("Press Ctrl-C to stop")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`the network did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const apiKeys = printedApiKeys(output);
  const url = `http://127.0.0.1:${httpPort}`;
  return {
    url,
    dataDir,
    apiKeys,
    output: () => output,
    caughtUp: async (waitMs = 10_000) => {
      const rpc = await fetch(`http://127.0.0.1:${rpcPort}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      });
      const head = Number(((await rpc.json()) as { result: string }).result);
      const deadline = Date.now() + waitMs;
      for (;;) {
        const health = (await (await fetch(`${url}/health`)).json()) as { ledger?: { freshness?: { head?: { blockNumber?: number } } } };
        const seen = health.ledger?.freshness?.head?.blockNumber ?? -1;
        if (seen >= head) return;
        if (Date.now() > deadline) throw new Error(`the services' ledger mirror is at block ${seen}, the node at ${head}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
