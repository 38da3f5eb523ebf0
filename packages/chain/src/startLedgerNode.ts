import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { MobileIdError } from "@mobile-id/core";

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
  /** Seconds between periodic state dumps (anvil also dumps on a clean exit). Default 1. */
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
    "--chain-id", String(params.chainId ?? 31337),
    "--state", stateFile,
    "--state-interval", String(params.stateIntervalSeconds ?? 1),
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
