import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic } from "ethers";
import { DEV_MNEMONIC, bootstrapNetwork, deployNetwork, devRoster, startLedgerNode } from "@mobile-id/chain";
import { type TestKit, startTestKit } from "./testKit.ts";

/**
 * The verifier's test kit on a real ledger node (anvil, a fresh data directory), deployed and bootstrapped with the
 * dev roster exactly like the in-process one. `close` stops the node and removes its directory.
 *
 * @example
 * ```ts
 * const kit = await startAnvilTestKit("sd-jwt");
 * try { ... } finally { await kit.close(); }
 * ```
 */
export async function startAnvilTestKit(name: string): Promise<TestKit> {
  const dir = mkdtempSync(join(tmpdir(), `mid-verifier-${name}-`));
  const node = await startLedgerNode({ dataDir: dir });
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  const roster = devRoster(provider);
  const { descriptor } = await deployNetwork({ deployer: roster.root, rootName: roster.rootName, networkName: name, rpcUrl: node.url });
  await bootstrapNetwork({ descriptor, root: roster.root, accreditors: roster.accreditors, issuers: roster.issuers });
  const kit = await startTestKit({
    network: {
      descriptor,
      roster,
      chain: {
        provider,
        increaseTime: async (s) => {
          await provider.send("evm_increaseTime", [s]);
          await provider.send("evm_mine", []);
        },
        close: async () => {
          provider.destroy();
          await node.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      },
    },
  });
  // The kit funds new keys from dev account 19, which anvil (10 accounts) leaves empty.
  const funder = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0/19").address;
  await provider.send("anvil_setBalance", [funder, "0x3635c9adc5dea00000"]);
  return kit;
}
