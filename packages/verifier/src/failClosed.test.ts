import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerMirror, type LedgerNode, RpcLedgerReader, bootstrapNetwork, deployNetwork, devRoster, startLedgerNode } from "@mobile-id/chain";
import { startTestKit, type TestKit } from "./testing.ts";

/** Against a real ledger node (anvil, as `pnpm start` runs it): a node that stops makes verification fail closed. */
describe("verification against a real ledger node that stops", () => {
  let node: LedgerNode;
  let dir: string;
  let kit: TestKit;
  let provider: JsonRpcProvider;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mid-verifier-ledger-"));
    node = await startLedgerNode({ dataDir: dir });
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const roster = devRoster(provider);
    const { descriptor } = await deployNetwork({ deployer: roster.root, rootName: roster.rootName, networkName: "fail-closed", rpcUrl: node.url });
    await bootstrapNetwork({ descriptor, root: roster.root, accreditors: roster.accreditors, issuers: roster.issuers });
    kit = await startTestKit({
      network: {
        descriptor,
        roster,
        chain: {
          provider,
          increaseTime: async (s) => {
            await provider.send("evm_increaseTime", [s]);
            await provider.send("evm_mine", []);
          },
          close: () => node.stop(),
        },
      },
    });
  });
  afterAll(async () => {
    await kit?.close();
    provider?.destroy();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("verifies while the node runs, then answers LEDGER_UNAVAILABLE from both readers once it is gone", async () => {
    const descriptor = kit.net.descriptor;
    const mirror = new LedgerMirror({ rpc: provider, descriptor, pollIntervalMs: 100, maxStalenessSeconds: 1 });
    await mirror.start();
    const rpcReader = new RpcLedgerReader({ rpc: provider, descriptor });
    await rpcReader.checkNetwork();
    const holder = kit.newHolder();
    const vc = kit.issue({ issuer: kit.issuerFor("StudentIDCredential"), holder }).jwt;
    const present = () => {
      const request = kit.request({ expiresAt: kit.now() + 3600 });
      return { request, presentation: kit.present({ holder, credentials: [vc], request }) };
    };
    // The kit clock is the chain's time; the mirror's staleness runs on the wall clock.
    expect((await kit.verifier({ ledger: mirror }).verifyPresentation(present())).verified).toBe(true);
    expect((await kit.verifier({ ledger: rpcReader }).verifyPresentation(present())).verified).toBe(true);

    await node.stop();
    expect((await kit.verifier({ ledger: rpcReader }).verifyPresentation(present())).code).toBe("LEDGER_UNAVAILABLE");
    await new Promise((r) => setTimeout(r, 2100));
    const outcome = await kit.verifier({ ledger: mirror }).verifyPresentation(present());
    expect(outcome.code).toBe("LEDGER_UNAVAILABLE");
    expect(outcome.checks.at(-1)).toMatchObject({ check: "ledger.read", passed: false });
    expect(mirror.status().lastError).toBeDefined();
    await mirror.stop();
  });
});
