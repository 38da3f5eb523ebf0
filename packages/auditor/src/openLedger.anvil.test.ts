/**
 * The production path: the auditor on its own JSON-RPC connection to a real node (anvil), opened from the
 * descriptor's URL, and what it says when that node goes away.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LedgerNode, bootstrapNetwork, deployNetwork, devRoster, startLedgerNode } from "@mobile-id/chain";
import { type NetworkDescriptor, isMobileIdError } from "@mobile-id/core";
import { checkConsistency, getInForce, openLedger } from "./index.ts";

describe("the auditor against anvil over JSON-RPC", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-auditor-"));
  let node: LedgerNode | undefined;
  let provider: JsonRpcProvider;
  let descriptor: NetworkDescriptor;

  beforeAll(async () => {
    node = await startLedgerNode({ dataDir: join(dir, "ledger") });
    provider = new JsonRpcProvider(node.url, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
    const roster = devRoster(provider);
    ({ descriptor } = await deployNetwork({ deployer: roster.root, rootName: roster.rootName, networkName: "anvil", rpcUrl: node.url }));
    await bootstrapNetwork({ descriptor, root: roster.root, accreditors: roster.accreditors, issuers: roster.issuers });
  }, 120_000);
  afterAll(async () => {
    provider.destroy();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens from the descriptor's URL, reports, and fails with LEDGER_UNAVAILABLE once the node is gone", async () => {
    const ledger = await openLedger({ descriptor });
    try {
      const report = await checkConsistency({ ledger });
      expect(report.consistent).toBe(true);
      expect(report.checked.accreditations).toBe(8);
      const inForce = await getInForce({ ledger, credentialType: "StudentIDCredential" });
      expect(inForce.inForceCount).toBe(2);
      await node?.stop();
      node = undefined;
      let code = "";
      try {
        await getInForce({ ledger, credentialType: "StudentIDCredential" });
      } catch (e) {
        code = isMobileIdError(e) ? e.code : `other: ${String(e)}`;
      }
      expect(code).toBe("LEDGER_UNAVAILABLE");
    } finally {
      ledger.close();
    }
  });
});
