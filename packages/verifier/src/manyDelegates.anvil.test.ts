import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Wallet, getAddress, getBytes, hexlify, randomBytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_MNEMONIC, type LedgerNode, RpcLedgerReader, bootstrapNetwork, deployNetwork, devRoster, startLedgerNode } from "@mobile-id/chain";
import { VerificationCode } from "@mobile-id/core";
import { createMemoryNonceStore } from "./nonceStore.ts";
import { type TestHolder, type TestIssuer, type TestKit, addManyDelegates, randomPrivateKey, startTestKit } from "./testing.ts";
import { CheckId, type VerificationOutcome } from "./types.ts";

const DELEGATES = 10_000;

/** The verification failed at `check` with `code`. */
function expectRejected(outcome: VerificationOutcome, check: CheckId, code: VerificationCode): void {
  const last = outcome.checks[outcome.checks.length - 1];
  expect({ verified: outcome.verified, code: outcome.code, check: last?.check }).toEqual({ verified: false, code, check });
}

/** Written out here rather than imported, so that this file states the wire format it tests (core README, "Key ids"). */
const delegateKid = (did: string, address: string) => `${did}#delegate-${address.toLowerCase()}`;

/**
 * Issue 8 item 7 against a real ledger node (anvil): a holder and an issuer with 10,000 ERC-1056 delegates
 * each. A `kid` selects one key, a token without one is refused rather than tried against every key, and the
 * cold path refuses to read the whole history.
 */
describe(`DIDs with ${DELEGATES.toLocaleString("en")} delegates (anvil)`, () => {
  let node: LedgerNode;
  let dir: string;
  let provider: JsonRpcProvider;
  let kit: TestKit;
  let issuer: TestIssuer;
  let holder: TestHolder;
  /** Delegates whose keys the test holds, in the middle of each identity's delegate list. */
  let issuerDelegate: Wallet;
  let holderDelegate: Wallet;
  let otherHolderDelegate: Wallet;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mid-verifier-delegates-"));
    node = await startLedgerNode({ dataDir: dir });
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const roster = devRoster(provider);
    const { descriptor } = await deployNetwork({ deployer: roster.root, rootName: roster.rootName, networkName: "delegates", rpcUrl: node.url });
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
          close: async () => undefined,
        },
      },
    });
    // The kit funds new keys from dev account 19, which anvil (10 accounts) leaves empty.
    const funder = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0/19").address;
    await provider.send("anvil_setBalance", [funder, "0x3635c9adc5dea00000"]);
    issuer = await kit.addIssuer("StudentIDCredential");
    holder = kit.newHolder();
    issuerDelegate = new Wallet(Wallet.createRandom().privateKey);
    holderDelegate = new Wallet(Wallet.createRandom().privateKey);
    otherHolderDelegate = new Wallet(Wallet.createRandom().privateKey);
    // Random addresses (not Wallet.createRandom(), whose mnemonic derivation costs milliseconds each).
    const filler = (n: number) => Array.from({ length: n }, () => getAddress(hexlify(randomBytes(20))));
    const registry = descriptor.contracts.didRegistry.address;
    const issuerDelegates = filler(DELEGATES);
    issuerDelegates[DELEGATES / 2] = issuerDelegate.address;
    const holderDelegates = filler(DELEGATES);
    holderDelegates[DELEGATES / 2] = holderDelegate.address;
    holderDelegates[DELEGATES / 2 + 1] = otherHolderDelegate.address;
    await addManyDelegates({ provider, registry, identity: issuer.address, delegates: issuerDelegates, delegateType: "veriKey" });
    await addManyDelegates({ provider, registry, identity: holder.address, delegates: holderDelegates, delegateType: "sigAuth" });
    await kit.sync();
    kit.setNow(Math.max(kit.now(), (await provider.getBlock("latest"))!.timestamp));
  }, 180_000);
  afterAll(async () => {
    await kit?.close();
    provider?.destroy();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A presentation by `holder` of a credential by `issuer`, each signed by the key given, with the kids given. */
  function presentation(options: {
    readonly vcKey?: Uint8Array;
    readonly vcKid?: string | undefined;
    readonly vpKey?: Uint8Array;
    readonly vpKid?: string | undefined;
  }) {
    const header = (kid: string | undefined) => (kid === undefined ? { alg: "ES256K", typ: "JWT" } : { alg: "ES256K", typ: "JWT", kid });
    const vc = kit.issue({ issuer, holder, header: header(options.vcKid), signingKey: options.vcKey ?? getBytes(issuerDelegate.privateKey) });
    const request = kit.request();
    const vp = kit.present({ holder, credentials: [vc.jwt], request, header: header(options.vpKid), signingKey: options.vpKey ?? getBytes(holderDelegate.privateKey) });
    return { vp, request };
  }
  const valid = () =>
    presentation({ vcKid: delegateKid(issuer.did, issuerDelegate.address), vpKid: delegateKid(holder.did, holderDelegate.address) });

  it("the mirror holds every delegate", () => {
    expect(kit.mirror.identity(issuer.address).delegates).toHaveLength(DELEGATES);
    expect(kit.mirror.identity(holder.address).delegates).toHaveLength(DELEGATES);
    // The batcher handed both identities back to themselves.
    expect(kit.mirror.identity(issuer.address).owner).toBe(issuer.address);
    expect(kit.mirror.identity(holder.address).owner).toBe(holder.address);
  });

  it("verifies a presentation whose kids select the delegates that signed", async () => {
    const { vp, request } = valid();
    const outcome = await kit.verifier().verifyPresentation({ presentation: vp, request });
    expect(outcome).toMatchObject({ verified: true, holder: holder.did });
  });

  it("accepts the owner key by #controller whatever the number of delegates", async () => {
    const { vp, request } = presentation({
      vcKid: `${issuer.did}#controller`,
      vcKey: getBytes(issuer.wallet.privateKey),
      vpKid: `${holder.did}#controllerKey`,
      vpKey: holder.privateKey,
    });
    expect((await kit.verifier().verifyPresentation({ presentation: vp, request })).verified).toBe(true);
  });

  it("tries only the key the kid names: another valid delegate's signature is refused", async () => {
    const { vp, request } = presentation({
      vcKid: delegateKid(issuer.did, issuerDelegate.address),
      vpKid: delegateKid(holder.did, holderDelegate.address),
      vpKey: getBytes(otherHolderDelegate.privateKey),
    });
    expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationSignature, VerificationCode.SIGNATURE_INVALID);
  });

  it("refuses forged signatures under a kid that names a valid delegate", async () => {
    const forgedVp = presentation({
      vcKid: delegateKid(issuer.did, issuerDelegate.address),
      vpKid: delegateKid(holder.did, holderDelegate.address),
      vpKey: randomPrivateKey(),
    });
    expectRejected(await kit.verifier().verifyPresentation({ presentation: forgedVp.vp, request: forgedVp.request }), CheckId.PresentationSignature, VerificationCode.SIGNATURE_INVALID);
    const forgedVc = presentation({
      vcKid: delegateKid(issuer.did, issuerDelegate.address),
      vcKey: randomPrivateKey(),
      vpKid: delegateKid(holder.did, holderDelegate.address),
    });
    expectRejected(await kit.verifier().verifyPresentation({ presentation: forgedVc.vp, request: forgedVc.request }), CheckId.CredentialSignature, VerificationCode.SIGNATURE_INVALID);
  });

  it("refuses a token without a kid from a DID with more keys than the cap (DID_TOO_COMPLEX), before trying any", async () => {
    const noVpKid = presentation({ vcKid: delegateKid(issuer.did, issuerDelegate.address), vpKid: undefined });
    expectRejected(await kit.verifier().verifyPresentation({ presentation: noVpKid.vp, request: noVpKid.request }), CheckId.PresentationSignature, VerificationCode.DID_TOO_COMPLEX);
    // Even when the signer is the owner: no key is tried, so no layout of delegates decides what is tried.
    const noVcKid = presentation({ vcKid: undefined, vcKey: getBytes(issuer.wallet.privateKey), vpKid: delegateKid(holder.did, holderDelegate.address) });
    expectRejected(await kit.verifier().verifyPresentation({ presentation: noVcKid.vp, request: noVcKid.request }), CheckId.CredentialSignature, VerificationCode.DID_TOO_COMPLEX);
  });

  it("refuses kids that name no key that may sign: a counter id naming another delegate, a key that is no delegate", async () => {
    for (const vpKid of [`${holder.did}#delegate-1`, delegateKid(holder.did, issuerDelegate.address), `${holder.did}#owner`]) {
      const { vp, request } = presentation({ vcKid: delegateKid(issuer.did, issuerDelegate.address), vpKid });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationSignature, VerificationCode.SIGNATURE_INVALID);
    }
  });

  it("refuses, on the cold path, to read an identity's 10,000 events (DID_TOO_COMPLEX at ledger.read)", async () => {
    const { vp, request } = valid();
    // A time budget generous enough that the reader's cap, not the clock, is what refuses (on a loaded machine
    // the node alone can take longer than the default budget to send 20,000 logs).
    const verifier = kit.verifier({
      ledger: new RpcLedgerReader({ rpc: provider, descriptor: kit.net.descriptor }),
      nonceStore: createMemoryNonceStore({ clock: kit.clock }),
      limits: { maxVerificationMs: 120_000 },
    });
    expectRejected(await verifier.verifyPresentation({ presentation: vp, request }), CheckId.LedgerRead, VerificationCode.DID_TOO_COMPLEX);
    // With caps raised past the history (and a time budget to match), the same reader reads it all and the
    // presentation verifies: the refusal above is the cap's, not a reading error.
    const generous = new RpcLedgerReader({ rpc: provider, descriptor: kit.net.descriptor, maxEventsPerIdentity: 20_000, maxLogBytesPerIdentity: 16 << 20 });
    const again = valid();
    const outcome = await kit.verifier({ ledger: generous, limits: { maxVerificationMs: 120_000 } }).verifyPresentation({ presentation: again.vp, request: again.request });
    expect(outcome.verified).toBe(true);
  });
});
