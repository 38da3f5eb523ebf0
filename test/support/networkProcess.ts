/**
 * The one launcher of `pnpm start` for process tests (test/services, test/web): `node scripts/start.ts` as a real
 * child process in its own process group (its anvil child inherits the group), so that one `kill(-pgid, SIGKILL)`
 * takes down the services and the ledger node together, as a power cut or the OOM killer would, and one
 * `kill(-pgid, SIGINT)` stops both as Ctrl-C in a terminal does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printedApiKeys } from "./apiKeys.ts";
import { repoRoot } from "./run.ts";

/**
 * A TCP port free on 127.0.0.1 a moment ago, drawn at random BELOW Linux's ephemeral range (32768-60999): the
 * network is killed and restarted on the same ports, and in between, a process asking the kernel for any port
 * (port 0, as other tests' ledger nodes do) must not be handed one of them.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port found in 20000-31999");
}

/** Whether anything accepts connections on 127.0.0.1:`port`. */
export async function portAnswers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
    return true;
  } catch (e) {
    // fetch rejects with a TypeError whose cause is the socket error; only a refused connection means "free".
    const code = (e as { cause?: { code?: string } }).cause?.code;
    return code !== "ECONNREFUSED";
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface NetworkProcessOptions {
  /** The data directory; without one, a fresh temporary directory that `stop()`/`kill()` remove afterwards. */
  readonly dataDir?: string;
  /** The ledger node's port; a {@link freePort} by default. */
  readonly rpcPort?: number;
  /** The services' HTTP port; a {@link freePort} by default. */
  readonly httpPort?: number;
  /** The wallet origin's port (`--wallet-port`); a {@link freePort} by default. */
  readonly walletPort?: number;
  /** A ledger node the test started itself answers on `rpcPort`: `start.ts` is to reuse it. */
  readonly reuseLedger?: boolean;
  /**
   * `--requests-per-minute` for the verifier: 1,000,000 by default (crash tests poll the verifier far faster than
   * a counter would); `null` leaves the start script's own default, as a real start has.
   */
  readonly requestsPerMinute?: number | null;
  /** More arguments for `scripts/start.ts` (e.g. `--accept-data-loss FILE`). */
  readonly extraArgs?: readonly string[];
}

/** {@link NetworkProcessOptions} with the data directory and the ports chosen. */
export interface ResolvedNetworkProcessOptions extends NetworkProcessOptions {
  readonly dataDir: string;
  readonly rpcPort: number;
  readonly httpPort: number;
  readonly walletPort: number;
}

/** One run of `node scripts/start.ts` (a new instance per start). */
export class NetworkProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<string>;
  #output = "";
  readonly startedAt = Date.now();
  readonly options: ResolvedNetworkProcessOptions;
  /** Whether this launcher made the data directory (then it removes it once the process is gone). */
  readonly #ownsDataDir: boolean;

  private constructor(options: ResolvedNetworkProcessOptions, ownsDataDir: boolean) {
    this.options = options;
    this.#ownsDataDir = ownsDataDir;
    const requestsPerMinute = options.requestsPerMinute === undefined ? 1_000_000 : options.requestsPerMinute;
    this.#child = spawn(
      process.execPath,
      [
        "scripts/start.ts",
        "--data-dir", options.dataDir,
        "--port", String(options.rpcPort),
        "--http-port", String(options.httpPort),
        "--wallet-port", String(options.walletPort),
        ...(requestsPerMinute === null ? [] : ["--requests-per-minute", String(requestsPerMinute)]),
        "--quiet",
        ...(options.extraArgs ?? []),
      ],
      // detached: a new process group led by the child, which anvil (spawned by it) joins.
      { cwd: repoRoot, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } },
    );
    const keep = (d: Buffer) => {
      this.#output = (this.#output + d.toString()).slice(-20_000);
    };
    this.#child.stdout?.on("data", keep);
    this.#child.stderr?.on("data", keep);
    this.#exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => resolve(signal ?? `exit ${String(code)}`));
    });
  }

  /**
   * Starts the network on the given (or a temporary) data directory and the given (or free) ports; refuses ports
   * already taken, since `start.ts` would silently use a foreign ledger node found there.
   */
  static async start(options: NetworkProcessOptions = {}): Promise<NetworkProcess> {
    const rpcPort = options.rpcPort ?? (await freePort());
    const httpPort = options.httpPort ?? (await freePort());
    const walletPort = options.walletPort ?? (await freePort());
    for (const port of options.reuseLedger === true ? [httpPort, walletPort] : [rpcPort, httpPort, walletPort]) {
      if (await portAnswers(port)) throw new Error(`port ${port} is taken; the network process needs it free`);
    }
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "mid-net-"));
    return new NetworkProcess({ ...options, dataDir, rpcPort, httpPort, walletPort }, options.dataDir === undefined);
  }

  /** The data directory (the given one, or the temporary one this launcher made). */
  get dataDir(): string {
    return this.options.dataDir;
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  get output(): string {
    return this.#output;
  }

  /** The exit code once the process has exited (null while it runs, or when a signal ended it). */
  get exitCode(): number | null {
    return this.#child.exitCode;
  }

  /** Waits until the process has exited (or `timeoutMs` passed: then SIGKILL); returns how it ended. */
  async waitExit(timeoutMs = 60_000): Promise<string> {
    const timer = setTimeout(() => void this.kill(), timeoutMs);
    try {
      return await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * SIGINT to the process group (Ctrl-C: services and node stop cleanly, the node saves its state); SIGKILL if
   * it has not exited within 30 s. Removes a temporary data directory afterwards.
   */
  async stop(): Promise<string> {
    if (this.alive && this.pid > 0) process.kill(-this.pid, "SIGINT");
    const how = await this.waitExit(30_000);
    this.#removeOwnDataDir();
    return how;
  }

  #removeOwnDataDir(): void {
    if (this.#ownsDataDir) rmSync(this.options.dataDir, { recursive: true, force: true });
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.httpPort}`;
  }

  /** The wallet's own origin (loopback mode; with `--lan` it is `https://<lan-address>:<walletPort>`). */
  get walletUrl(): string {
    return `http://127.0.0.1:${this.options.walletPort}`;
  }

  get rpcUrl(): string {
    return `http://127.0.0.1:${this.options.rpcPort}`;
  }

  /** Waits until GET /health answers 200 (services up, ledger mirror ready), or fails with the output. */
  async waitHealthy(timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer";
    while (Date.now() < deadline) {
      if (!this.alive) {
        throw new Error(`the network exited before it was healthy (${await this.#exited}); output:\n${this.#output}`);
      }
      try {
        const r = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) return Date.now() - this.startedAt;
        last = `HTTP ${r.status}: ${await r.text()}`;
      } catch (e) {
        last = String(e);
      }
      await sleep(100);
    }
    throw new Error(`the network was not healthy within ${timeoutMs} ms (last: ${last}); output:\n${this.#output}`);
  }

  /** Waits until the process has printed something matching `pattern`; returns the match. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.#output);
      if (m !== null) return m;
      if (!this.alive) throw new Error(`the network exited (${await this.#exited}) before printing ${String(pattern)}; output:\n${this.#output}`);
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} within ${timeoutMs} ms; output:\n${this.#output}`);
      await sleep(5);
    }
  }

  /** SIGKILL to the whole process group (services and ledger node), then waits until both are gone. */
  async kill(): Promise<void> {
    if (this.pid > 0) {
      try {
        process.kill(-this.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await this.#exited;
    // anvil is reaped by init once its parent is gone; wait until its port is released.
    const deadline = Date.now() + 10_000;
    while (await portAnswers(this.options.rpcPort)) {
      if (Date.now() > deadline) throw new Error(`the ledger node still answers on ${this.options.rpcPort} after SIGKILL`);
      await sleep(50);
    }
    this.#removeOwnDataDir();
  }

  /**
   * Waits until the services' ledger mirror has reached the node's current block. The mirror polls the node
   * (every 500 ms), so a ledger write is visible to the verifier and to wallets' status checks one poll later,
   * by design; a test that writes and then reads must wait for that, as a real counter would.
   */
  async caughtUp(timeoutMs = 10_000): Promise<void> {
    const rpc = await fetch(this.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    });
    const head = Number(((await rpc.json()) as { result: string }).result);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = (await (await fetch(`${this.url}/health`)).json()) as { ledger?: { freshness?: { head?: { blockNumber?: number } } } };
      const seen = health.ledger?.freshness?.head?.blockNumber ?? -1;
      if (seen >= head) return;
      if (Date.now() > deadline) throw new Error(`the services' ledger mirror is at block ${seen}, the node at ${head}`);
      await sleep(100);
    }
  }

  /** The pids of this process's direct children named `anvil` (the embedded ledger node), from /proc. */
  ledgerNodePids(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        // pid (comm) state ppid ...: comm may hold spaces, so parse from the last ')'.
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (comm === "anvil" && ppid === this.pid) pids.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return pids;
  }

  /**
   * The agencies' plain API keys this start printed (a start prints only the keys it made: all of them on the
   * first start, none later; they are stored nowhere). Waits (up to `timeoutMs`) for the end of the start banner.
   */
  async apiKeys(timeoutMs = 60_000): Promise<Record<string, string>> {
    await this.waitForOutput(/Press Ctrl-C to stop/, timeoutMs);
    return printedApiKeys(this.#output);
  }
}
