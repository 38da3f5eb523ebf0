import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPresentation } from "did-jwt-vc";
import { type Provider, parseEther } from "ethers";
import { connectContracts } from "@mobile-id/chain";
import { type TestNetwork, startTestNetwork } from "@mobile-id/chain/testing";
import { createPresentation } from "./createPresentation.ts";
import { createWallet } from "./createWallet.ts";
import { exportBackup } from "./exportBackup.ts";
import { importCredential } from "./importCredential.ts";
import { openBackup } from "./importBackup.ts";
import { listCredentials } from "./listCredentials.ts";
import { openWallet } from "./openWallet.ts";
import { restoreWallet } from "./restoreWallet.ts";
import { rotateKey } from "./rotateKey.ts";
import type { Wallet } from "./session.ts";
import { memoryWalletStorage } from "./storage.ts";
import { PASSPHRASE, TEST_KDF_COST, TEST_KDF_FLOOR, acceptingVerifier, issueCredential, presentationRequest } from "./testing.ts";

// The real ethr-did-resolver, as verifiers will use it. The wallet does not depend on it; the chain package does,
// so it is loaded from there (test only).
const requireFromChain = createRequire(createRequire(import.meta.url).resolve("@mobile-id/chain"));
const { getResolver } = requireFromChain("ethr-did-resolver") as {
  getResolver(config: { networks: { name: string; chainId: number; provider: Provider; registry: string }[] }): Record<string, unknown>;
};
const { Resolver } = requireFromChain("did-resolver") as { Resolver: new (registry: Record<string, unknown>) => Parameters<typeof verifyPresentation>[1] };

/** The provider with `broadcastTransaction` replaced (ethers classes use private fields: bind to the original). */
function withBroadcast(provider: Provider, broadcast: (signed: string) => Promise<never>): Provider {
  return new Proxy(provider, {
    get(target, prop) {
      if (prop === "broadcastTransaction") return broadcast;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("rotateKey against the in-process chain", () => {
  let net: TestNetwork;
  let provider: Provider;
  let didRegistry: string;
  const common = { passphrase: PASSPHRASE, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR };
  const now = Math.floor(Date.now() / 1000);
  const fund = async (address: string) => (await net.roster.root.sendTransaction({ to: address, value: parseEther("1") })).wait();
  const ownerOnChain = async (identity: string) => String(await connectContracts({ descriptor: net.descriptor, runner: provider }).didRegistry.getFunction("identityOwner")(identity));

  beforeAll(async () => {
    net = await startTestNetwork();
    provider = net.chain.provider;
    didRegistry = net.descriptor.contracts.didRegistry.address;
  });
  afterAll(() => net.chain.close());

  async function newWalletWithCredential(storage = memoryWalletStorage()): Promise<{ wallet: Wallet; jwt: string }> {
    const wallet = await createWallet({ storage, chainId: net.descriptor.chainId, ...common });
    const jwt = await issueCredential({ subject: wallet.did, nbf: now - 60, exp: now + 86_400 });
    await importCredential({ wallet, jwt, verifyCredential: acceptingVerifier() });
    return { wallet, jwt };
  }

  it("moves ownership to a new key; the DID, the credentials and the presentations carry on", async () => {
    const storage = memoryWalletStorage();
    const { wallet, jwt } = await newWalletWithCredential(storage);
    const { did, identity } = wallet;
    const oldKey = wallet.signingKeyAddress;
    expect(await ownerOnChain(identity)).toBe(oldKey);
    await fund(identity);

    const r = await rotateKey({ wallet, provider, didRegistry });
    expect(r.previousKeyAddress).toBe(oldKey);
    expect(r.newKeyAddress).not.toBe(oldKey);
    expect(r.resumed).toBe(false);
    expect(r.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await ownerOnChain(identity)).toBe(r.newKeyAddress);
    expect(wallet.did).toBe(did);
    expect(wallet.signingKeyAddress).toBe(r.newKeyAddress);
    expect(wallet.pendingKeyAddress).toBeUndefined();
    expect((await listCredentials({ wallet })).length).toBe(1);

    // The new key signs, and a verifier resolving the DID through ERC-1056 accepts it as the DID's key.
    const request = presentationRequest({ expiresAt: now + 600 });
    const { jwt: vp } = await createPresentation({ wallet, request, credentialIds: (await listCredentials({ wallet })).map((c) => c.id) });
    const resolver = new Resolver(getResolver({ networks: [{ name: "test", chainId: net.descriptor.chainId, provider, registry: didRegistry }] }));
    const verified = await verifyPresentation(vp, resolver, { challenge: request["challenge"] as string, domain: "library.snu.ac.kr" });
    expect(verified.verified).toBe(true);
    expect(verified.signer.blockchainAccountId?.toLowerCase()).toBe(`eip155:${net.descriptor.chainId}:${r.newKeyAddress}`.toLowerCase());
    expect(verified.payload["vp"]).toMatchObject({ verifiableCredential: [jwt] });

    // Persisted: the reopened wallet signs with the new key; the retired key's private part is gone.
    const reopened = await openWallet({ storage, ...common });
    expect(reopened.signingKeyAddress).toBe(r.newKeyAddress);
    const { state } = await openBackup(await exportBackup({ wallet: reopened, passphrase: PASSPHRASE, kdf: TEST_KDF_COST }), PASSPHRASE, TEST_KDF_FLOOR);
    const retired = state.keys.find((k) => k.address === oldKey)!;
    expect(retired.status).toBe("retired");
    expect(retired.privateKey).toBeUndefined();
    expect(state.keys.find((k) => k.status === "current")).toMatchObject({ address: r.newKeyAddress, ownerChangeTx: r.transactionHash });

    // A second rotation works from the new key, which now pays the gas.
    await fund(r.newKeyAddress);
    const r2 = await rotateKey({ wallet: reopened, provider, didRegistry });
    expect(await ownerOnChain(identity)).toBe(r2.newKeyAddress);
  });

  it("refuses an unfunded rotation before saving or sending anything", async () => {
    const { wallet } = await newWalletWithCredential();
    const generation = wallet.generation;
    await expect(rotateKey({ wallet, provider, didRegistry })).rejects.toMatchObject({
      code: "WALLET_INSUFFICIENT_FUNDS",
      details: { payer: wallet.signingKeyAddress },
    });
    expect(wallet.pendingKeyAddress).toBeUndefined();
    expect(wallet.generation).toBe(generation);
  });

  it("keeps the new key when sending fails, and completes the rotation with that same key on retry", async () => {
    const storage = memoryWalletStorage();
    const { wallet } = await newWalletWithCredential(storage);
    const oldKey = wallet.signingKeyAddress;
    await fund(wallet.identity);
    const refusing = withBroadcast(provider, () => Promise.reject(Object.assign(new Error("connection reset"), { code: "NETWORK_ERROR" })));
    await expect(rotateKey({ wallet, provider: refusing, didRegistry })).rejects.toMatchObject({
      code: "WALLET_ROTATION_FAILED",
      details: { reason: "NETWORK_ERROR" },
    });
    const pending = wallet.pendingKeyAddress!;
    expect(pending).toMatch(/^0x/);
    expect(wallet.signingKeyAddress).toBe(oldKey);
    expect(await ownerOnChain(wallet.identity)).toBe(oldKey);
    // The pending key was saved before anything was sent: a crash here would not lose it.
    expect((await openWallet({ storage, ...common })).pendingKeyAddress).toBe(pending);

    const r = await rotateKey({ wallet, provider, didRegistry });
    expect(r).toMatchObject({ newKeyAddress: pending, resumed: true });
    expect(await ownerOnChain(wallet.identity)).toBe(pending);
    expect(wallet.signingKeyAddress).toBe(pending);
  });

  it("believes the ledger when the answer to a sent transaction is lost", async () => {
    const { wallet } = await newWalletWithCredential();
    await fund(wallet.identity);
    const lossy = withBroadcast(provider, async (signed) => {
      await provider.broadcastTransaction(signed); // mined (automine), but the caller never hears back
      throw Object.assign(new Error("timeout"), { code: "TIMEOUT" });
    });
    const r = await rotateKey({ wallet, provider: lossy, didRegistry });
    // Signed (and saved) before the broadcast: the hash is known although the answer was lost.
    expect(r.resumed).toBe(false);
    expect((await provider.getTransactionReceipt(r.transactionHash!))?.status).toBe(1);
    expect(await ownerOnChain(wallet.identity)).toBe(r.newKeyAddress);
    expect(wallet.signingKeyAddress).toBe(r.newKeyAddress);
  });

  it("refuses to rotate from a key that no longer owns the DID (an old backup restored after a rotation)", async () => {
    const { wallet } = await newWalletWithCredential();
    const old = await exportBackup({ wallet, passphrase: PASSPHRASE, kdf: TEST_KDF_COST });
    await fund(wallet.identity);
    await rotateKey({ wallet, provider, didRegistry });
    const stale = await restoreWallet({ backup: old, backupPassphrase: PASSPHRASE, storage: memoryWalletStorage(), ...common });
    await expect(rotateKey({ wallet: stale, provider, didRegistry })).rejects.toMatchObject({ code: "WALLET_KEY_NOT_OWNER" });
  });

  it("refuses a provider on another chain", async () => {
    const { wallet } = await newWalletWithCredential();
    const elsewhere = { getNetwork: () => Promise.resolve({ chainId: 1n }) } as unknown as Provider;
    await expect(rotateKey({ wallet, provider: elsewhere, didRegistry })).rejects.toMatchObject({ code: "CHAIN_MISMATCH" });
    expect(wallet.pendingKeyAddress).toBeUndefined();
  });
});
