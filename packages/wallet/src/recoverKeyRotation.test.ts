import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserProvider, type Provider, parseEther } from "ethers";
import { connectContracts } from "@mobile-id/chain";
import { type TestNetwork, startTestNetwork } from "@mobile-id/chain/testing";
import { createWallet } from "./createWallet.ts";
import { exportBackup } from "./exportBackup.ts";
import { openWallet } from "./openWallet.ts";
import { recoverKeyRotation } from "./recoverKeyRotation.ts";
import { restoreWallet } from "./restoreWallet.ts";
import { rotateKey } from "./rotateKey.ts";
import { memoryWalletStorage } from "./storage.ts";
import { PASSPHRASE, TEST_KDF_COST, TEST_KDF_FLOOR } from "./testing.ts";

/**
 * A key rotation the ledger node lost after the wallet completed it (node restarted from an older state file;
 * simulated with evm_snapshot / evm_revert): the old key is erased, so only the signed bytes the wallet kept can
 * bring the DID back under the wallet's key.
 */
describe("recoverKeyRotation against the in-process chain", () => {
  let net: TestNetwork;
  let provider: Provider;
  let didRegistry: string;
  const common = { passphrase: PASSPHRASE, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR };
  const ownerOnChain = async (identity: string) => String(await connectContracts({ descriptor: net.descriptor, runner: provider }).didRegistry.getFunction("identityOwner")(identity));

  beforeAll(async () => {
    net = await startTestNetwork();
    provider = net.chain.provider;
    didRegistry = net.descriptor.contracts.didRegistry.address;
  });
  afterAll(() => net.chain.close());

  it("broadcasts the lost owner change again from the saved bytes; then there is nothing to do", async () => {
    const storage = memoryWalletStorage();
    const wallet = await createWallet({ storage, chainId: net.descriptor.chainId, ...common });
    await (await net.roster.root.sendTransaction({ to: wallet.identity, value: parseEther("1") })).wait();
    const snapshot = (await (provider as BrowserProvider).send("evm_snapshot", [])) as string;
    const r = await rotateKey({ wallet, provider, didRegistry });
    expect(await ownerOnChain(wallet.identity)).toBe(r.newKeyAddress);
    expect(await (provider as BrowserProvider).send("evm_revert", [snapshot])).toBe(true);
    expect(await ownerOnChain(wallet.identity)).toBe(r.previousKeyAddress);

    // From the wallet as saved (the reopened file), not from memory.
    const reopened = await openWallet({ storage, ...common });
    expect(await recoverKeyRotation({ wallet: reopened, provider, didRegistry })).toStrictEqual({ owner: r.newKeyAddress, rebroadcast: [r.transactionHash] });
    expect(await ownerOnChain(wallet.identity)).toBe(r.newKeyAddress);
    const block = await provider.getBlockNumber();
    expect(await recoverKeyRotation({ wallet: reopened, provider, didRegistry })).toStrictEqual({ owner: r.newKeyAddress, rebroadcast: [] });
    expect(await provider.getBlockNumber()).toBe(block);
  });

  it("refuses a wallet that does not hold the ledger's owner key (a backup from before a rotation)", async () => {
    const wallet = await createWallet({ storage: memoryWalletStorage(), chainId: net.descriptor.chainId, ...common });
    const old = await exportBackup({ wallet, passphrase: PASSPHRASE, kdf: TEST_KDF_COST });
    await (await net.roster.root.sendTransaction({ to: wallet.identity, value: parseEther("1") })).wait();
    await rotateKey({ wallet, provider, didRegistry });
    const stale = await restoreWallet({ backup: old, backupPassphrase: PASSPHRASE, storage: memoryWalletStorage(), ...common });
    await expect(recoverKeyRotation({ wallet: stale, provider, didRegistry })).rejects.toMatchObject({ code: "WALLET_KEY_NOT_OWNER" });
  });
});
