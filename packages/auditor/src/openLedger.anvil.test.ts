/**
 * The production path: the auditor on its own JSON-RPC connection to a real node (anvil), opened from the
 * descriptor's URL, and what it says when that node goes away.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Contract, JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LedgerNode, bootstrapNetwork, connectContracts, deployNetwork, devRoster, startLedgerNode } from "@mobile-id/chain";
import { type NetworkDescriptor, ReasonCode, credentialTypeId, isMobileIdError } from "@mobile-id/core";
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

  // The embedded node keeps only the latest state on disk (no per-block snapshots): once restarted it cannot run
  // a call at an earlier block. A report "as of" an earlier block must still be answered, from on-chain history.
  it("answers who was in force as of an earlier block after the node restarted without past states", async () => {
    const roster = devRoster(provider);
    const student = credentialTypeId("StudentIDCredential", 1);
    const [education, snu] = await Promise.all([roster.accreditors.education.signer.getAddress(), roster.issuers[0]!.signer.getAddress()]);
    // A minute passes (the bootstrap's records all took effect in its last second or so).
    await provider.send("evm_increaseTime", [60]);
    await provider.send("evm_mine", []);
    const pastBlock = await provider.getBlockNumber();
    const pastTime = (await provider.getBlock(pastBlock))!.timestamp;
    const before = await openLedger({ descriptor });
    const expected = await getInForce({ ledger: before, credentialType: "StudentIDCredential", atBlock: pastBlock, at: pastTime - 1 });
    before.close();
    expect(expected.inForceCount).toBe(2);
    // After that block: the issuer is suspended (so the head's state differs), then the node restarts.
    const acc = connectContracts({ descriptor, runner: roster.accreditors.education.signer }).accreditationRegistry as Contract;
    await (await acc.getFunction("suspend")(education, snu, student, ReasonCode.AUDIT_FINDING)).wait();
    const port = node!.port;
    await node!.stop();
    node = await startLedgerNode({ dataDir: join(dir, "ledger"), port });
    const ledger = await openLedger({ descriptor });
    try {
      const report = await getInForce({ ledger, credentialType: "StudentIDCredential", atBlock: pastBlock, at: pastTime - 1 });
      expect(report.parties).toEqual(expected.parties);
      expect(report.inForceCount).toBe(2);
      const now = await getInForce({ ledger, credentialType: "StudentIDCredential" });
      expect(now.parties.find((p) => p.party === snu)?.status).toBe("Suspended");
    } finally {
      ledger.close();
    }
    const reconnected = connectContracts({ descriptor, runner: roster.accreditors.education.signer }).accreditationRegistry as Contract;
    await (await reconnected.getFunction("reinstate")(education, snu, student, ReasonCode.REVIEW_CLEARED)).wait();
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
