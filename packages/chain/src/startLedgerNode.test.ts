import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { describe, expect, it } from "vitest";
import { startLedgerNode, stateIntervalFor } from "./startLedgerNode.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("startLedgerNode", () => {
  // With --preserve-historical-states anvil wrote a whole state snapshot per block (250-320 kB per empty block
  // on the bootstrapped network). The file must grow with what the blocks hold, not with the state's size.
  it("keeps a state file that grows by the blocks, not by a snapshot per block", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mid-node-"));
    const node = await startLedgerNode({ dataDir: dir });
    const provider = new JsonRpcProvider(node.url, undefined, { batchMaxCount: 1, staticNetwork: true });
    try {
      // Some state worth snapshotting: a contract with a few hundred storage slots.
      for (let i = 0; i < 300; i++) await provider.send("anvil_setStorageAt", ["0x5fbdb2315678afecb367f032d93f642f64180aa3", `0x${i.toString(16)}`, `0x${"11".repeat(32)}`]);
      await provider.send("evm_mine", []);
      const dumped = async () => {
        const head = await provider.getBlockNumber();
        for (let i = 0; i < 100; i++) {
          let text = "";
          try {
            text = readFileSync(node.stateFile, "latin1").slice(0, 256);
          } catch {
            // not written yet
          }
          const m = /"number":"0x([0-9a-f]+)"/.exec(text);
          if (m?.[1] !== undefined && parseInt(m[1], 16) >= head) break;
          await sleep(100);
        }
        await sleep(1500);
        return statSync(node.stateFile).size;
      };
      const before = await dumped();
      for (let i = 0; i < 10; i++) await provider.send("evm_mine", []);
      const after = await dumped();
      expect((after - before) / 10).toBeLessThan(4096);
      expect((JSON.parse(readFileSync(node.stateFile, "utf8")) as { historical_states: unknown }).historical_states).toBeNull();
    } finally {
      provider.destroy();
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("dumps a small state every second and a large one less often, at most every minute", () => {
    expect(stateIntervalFor(0)).toBe(1);
    expect(stateIntervalFor(12_000_000)).toBe(1);
    expect(stateIntervalFor(12_000_001)).toBe(2);
    expect(stateIntervalFor(500_000_000)).toBe(42);
    expect(stateIntervalFor(10_000_000_000)).toBe(60);
  });
});
