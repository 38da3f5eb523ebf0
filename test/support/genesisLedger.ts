import { type ChildProcess, spawn } from "node:child_process";
import { anvilBinary } from "@mobile-id/chain";

/** An anvil node booted from a genesis file (`anvil --init`), as Besu would boot the same genesis. */
export interface GenesisLedger {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Boots `anvil --init genesis.json --hardfork cancun` on a free loopback port with free gas (anvil reads the
 * genesis `chainId`, `alloc`, `gasLimit`, `timestamp`, `baseFeePerGas`; it ignores the fork milestones, hence
 * `--hardfork`). Memory only: nothing is written.
 */
export async function startGenesisLedger(genesisPath: string): Promise<GenesisLedger> {
  const args = [
    "--host", "127.0.0.1", "--port", "0", "--init", genesisPath, "--hardfork", "cancun",
    "--base-fee", "0", "--gas-price", "0", "--disable-min-priority-fee",
  ];
  const child: ChildProcess = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`anvil --init did not start:\n${output}`)), 20_000);
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
      const m = /Listening on (127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`anvil --init exited (${String(code)}):\n${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
