import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DEV_CHAIN_ID, MobileIdError } from "@mobile-id/core";

/**
 * The embedded ledger: an anvil node (Foundry's EVM node, from the npm registry) that keeps chain state in a
 * file under `dataDir` across restarts. A nation-scale network runs the same contracts on Hyperledger Besu
 * (QBFT) instead; nothing here is specific to anvil except how the process is started.
 */
export interface StartLedgerNodeParameters {
  /** Directory for the state file (created if missing). */
  readonly dataDir: string;
  readonly host?: string;
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number;
  /**
   * Seconds between periodic state dumps (anvil also dumps on a clean exit). Default: {@link stateIntervalFor}
   * the size of the state file found at start (1 s for a small chain, up to a minute for a large one).
   */
  readonly stateIntervalSeconds?: number;
  /** Chain id. Default 31337. */
  readonly chainId?: number;
  /**
   * Gas price zero (the default), as on a permissioned Besu network run with `--min-gas-price=0`: holders
   * rotate keys and issuers write status without holding ether; gas still bounds block capacity. There,
   * account permissioning decides who may transact; anvil has none, so keep it on loopback.
   */
  readonly freeGas?: boolean;
  /** Receives anvil's output lines (for logs). */
  readonly onOutput?: (line: string) => void;
  /** How long to wait for the node to answer. Default 20 s. */
  readonly startTimeoutMs?: number;
}

export interface LedgerNode {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly stateFile: string;
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Clean shutdown (SIGTERM: anvil writes its state file), waits for exit. */
  stop(): Promise<void>;
  /** Hard kill (SIGKILL), for crash tests. */
  kill(): Promise<void>;
}

const PLATFORM_PACKAGES: Record<string, string> = {
  "linux-x64": "@foundry-rs/anvil-linux-amd64",
  "linux-arm64": "@foundry-rs/anvil-linux-arm64",
  "darwin-x64": "@foundry-rs/anvil-darwin-amd64",
  "darwin-arm64": "@foundry-rs/anvil-darwin-arm64",
};

/**
 * The anvil binary: `MID_ANVIL_BIN` if set, else the one shipped by the platform package of
 * `@foundry-rs/anvil` (its own launcher is a Node script; calling the binary saves a process).
 */
export function anvilBinary(): string {
  const fromEnv = process.env["MID_ANVIL_BIN"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const pkg = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (pkg === undefined) {
    throw new MobileIdError("INVALID_ARGUMENT", "no anvil build for this platform", {
      details: { platform: process.platform, arch: process.arch },
      hint: "install Foundry's anvil and set MID_ANVIL_BIN, or pass --rpc to use another node",
    });
  }
  const require = createRequire(import.meta.url);
  const launcher = require.resolve("@foundry-rs/anvil/package.json");
  const platformPkg = createRequire(launcher).resolve(`${pkg}/package.json`);
  const bin = join(dirname(platformPkg), "bin", "anvil");
  if (!existsSync(bin)) throw new MobileIdError("INVALID_ARGUMENT", "anvil binary missing", { details: { bin } });
  return bin;
}

/** State file bytes per second of dump interval (see {@link stateIntervalFor}). */
const STATE_BYTES_PER_INTERVAL_SECOND = 12_000_000;
/** The longest default dump interval, in seconds. */
const MAX_STATE_INTERVAL_SECONDS = 60;

/**
 * The default seconds between anvil's state dumps for a state file of `bytes`. anvil rewrites the whole file
 * every interval, even when no block was mined (measured: about 1.5 ms of CPU per MB per dump), so a fixed 1 s
 * interval costs a large chain most of a core while idle. One second per 12 MB keeps that near 2 % of a core;
 * the price is a longer window of blocks a SIGKILL can lose (issuers write their acknowledged changes again from
 * their journals; other writes must be sent again), bounded at a minute.
 *
 * @example
 * ```ts
 * stateIntervalFor(2_000_000); // 1
 * stateIntervalFor(500_000_000); // 42
 * ```
 */
export function stateIntervalFor(bytes: number): number {
  return Math.min(MAX_STATE_INTERVAL_SECONDS, Math.max(1, Math.ceil(bytes / STATE_BYTES_PER_INTERVAL_SECOND)));
}

function stateFileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Starts the embedded ledger node and resolves once it answers JSON-RPC.
 *
 * @example
 * ```ts
 * const node = await startLedgerNode({ dataDir: ".data/ledger" });
 * console.log(node.url); // http://127.0.0.1:NNNNN
 * await node.stop();
 * ```
 */
export async function startLedgerNode(params: StartLedgerNodeParameters): Promise<LedgerNode> {
  mkdirSync(params.dataDir, { recursive: true });
  const host = params.host ?? "127.0.0.1";
  const stateFile = join(params.dataDir, "state.json");
  const args = [
    "--host", host,
    "--port", String(params.port ?? 0),
    "--chain-id", String(params.chainId ?? DEV_CHAIN_ID),
    "--state", stateFile,
    // The file holds the latest state, the blocks, the transactions and their receipts (events): everything
    // the readers need, as they rebuild the past from events and the contracts' on-chain history. Without
    // --preserve-historical-states (a whole state snapshot per block) it grows with the transactions only.
    "--state-interval", String(params.stateIntervalSeconds ?? stateIntervalFor(stateFileSize(stateFile))),
    ...(params.freeGas === false ? [] : ["--base-fee", "0", "--gas-price", "0", "--disable-min-priority-fee"]),
  ];
  const child: ChildProcess = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new MobileIdError("LEDGER_UNAVAILABLE", "the ledger node did not start in time", { details: { args } }));
    }, params.startTimeoutMs ?? 20_000);
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        params.onOutput?.(line);
        const m = /Listening on [^:]+:(\d+)/.exec(line);
        if (m?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new MobileIdError("LEDGER_UNAVAILABLE", "the ledger node exited during start-up", { details: { code, args } }));
    });
  });
  const signalAndWait = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: `http://${host}:${port}`,
    port,
    pid: child.pid ?? -1,
    stateFile,
    exited,
    stop: () => signalAndWait("SIGTERM"),
    kill: () => signalAndWait("SIGKILL"),
  };
}
