import { randomBytes, randomInt } from "node:crypto";
import { type JsonRpcProvider, SigningKey, Wallet, computeAddress, decodeBase58, encodeBytes32String, getBytes, hexlify, toUtf8Bytes, zeroPadBytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEthrDidResolver } from "@mobile-id/chain";
import { VerificationCode } from "@mobile-id/core";
import { createSecp256k1Signer, issueSdJwtVc, presentSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeP256Signer } from "@mobile-id/core/sd-jwt-vc/node";
import { startAnvilTestKit } from "./testing/anvilKit.ts";
import type { TestHolder, TestIssuer, TestKit } from "./testing.ts";

/** A verification method as ethr-did-resolver writes it (the fields this test reads). */
interface ResolvedMethod {
  readonly id: string;
  readonly blockchainAccountId?: string;
  readonly publicKeyHex?: string;
  readonly publicKeyBase64?: string;
  readonly publicKeyBase58?: string;
}

/** The address of the key a resolved verification method stands for. */
function addressOf(vm: ResolvedMethod): string {
  if (vm.blockchainAccountId !== undefined) return (vm.blockchainAccountId.split(":")[2] as string).toLowerCase();
  let bytes: Uint8Array;
  if (vm.publicKeyHex !== undefined) bytes = getBytes(`0x${vm.publicKeyHex}`);
  else if (vm.publicKeyBase64 !== undefined) bytes = Buffer.from(vm.publicKeyBase64, "base64");
  else if (vm.publicKeyBase58 !== undefined) {
    // A key never starts with a zero byte: the number's hex, evened out, is the key.
    const h = decodeBase58(vm.publicKeyBase58).toString(16);
    bytes = getBytes(`0x${h.length % 2 === 1 ? "0" : ""}${h}`);
  }
  else throw new Error(`no key material in ${vm.id}`);
  return computeAddress(hexlify(bytes)).toLowerCase();
}

const compressed = (w: Wallet) => SigningKey.computePublicKey(w.signingKey.publicKey, true);
const uncompressed = (w: Wallet) => w.signingKey.publicKey;

/**
 * Issue 10: ERC-1056 attribute keys (`did/pub/Secp256k1/veriKey/…`) sign credentials exactly as ethr-did-resolver
 * lists them. One DID goes through delegate, attribute and owner changes on a real ledger node; at each
 * checkpoint ethr-did-resolver resolves it at the checkpoint's block (so that it judges validity at the same
 * time as the verifier), and every key the test holds signs a credential under every id either side has used.
 * The verifier must accept exactly the (id, key) pairs the resolver lists under `assertionMethod`.
 */
describe("ERC-1056 attribute keys as ethr-did-resolver lists them (anvil)", () => {
  let kit: TestKit;
  let provider: JsonRpcProvider;
  let issuer: TestIssuer;
  let holder: TestHolder;
  /** Every key the test made or holds, by label. */
  const keys = new Map<string, Wallet>();
  /** Every kid the resolver has given out, plus numbers past the end and the address form. */
  const kidsSeen = new Set<string>();
  /** What the resolver listed at each checkpoint: assertion id → address. */
  const listed = new Map<string, Map<string, string>>();
  /** What the verifier accepted at each checkpoint: "kid key-label" pairs. */
  const accepted = new Map<string, Set<string>>();
  const expected = new Map<string, Set<string>>();
  /** Codes of the refusals. */
  const refusalCodes = new Set<string>();

  const key = (label: string) => keys.get(label) as Wallet;
  const registry = (signer: Wallet, method: string, args: readonly unknown[]) => kit.didRegistry(signer.connect(provider), method, args);
  const DAY = 86_400;
  /** As ethr-did writes names: a full 32 bytes with no terminator (`…/veriKey/base64` is exactly 32). */
  const nameBytes = (name: string) => zeroPadBytes(toUtf8Bytes(name), 32);
  const setAttribute = (signer: Wallet, name: string, value: string, validity: number) =>
    registry(signer, "setAttribute", [issuer.address, nameBytes(name), value, validity]);

  function credential(signer: Wallet, kid: string | undefined): string {
    const header = kid === undefined ? { alg: "ES256K", typ: "JWT" } : { alg: "ES256K", typ: "JWT", kid };
    return kit.issue({ issuer, holder, header, signingKey: getBytes(signer.privateKey) }).jwt;
  }

  /** Mines a later block, resolves at it with ethr-did-resolver and tries every (kid, key) pair on the verifier. */
  async function checkpoint(name: string): Promise<void> {
    // A block after the last change: no validTo equals the time judged (ethr-did-resolver counts `validTo = now`
    // as valid, the registry's validDelegate as expired; see the report).
    await kit.advanceChain(2);
    await kit.sync();
    const block = (await provider.getBlock("latest"))!;
    kit.setNow(block.timestamp);
    const resolver = createEthrDidResolver({ provider, descriptor: kit.net.descriptor, cache: false });
    const doc = (await resolver.resolve(`${issuer.did}?versionId=${block.number}`)).didDocument;
    if (doc === null) throw new Error("ethr-did-resolver returned no document");
    const methods = new Map((doc.verificationMethod as ResolvedMethod[]).map((vm) => [vm.id, vm]));
    const assertion = new Map<string, string>();
    for (const ref of doc.assertionMethod ?? []) {
      const id = typeof ref === "string" ? ref : ref.id;
      assertion.set(id, addressOf(methods.get(id) as ResolvedMethod));
    }
    for (const id of methods.keys()) kidsSeen.add(id);
    listed.set(name, assertion);
    const want = new Set<string>();
    const got = new Set<string>();
    const verifier = kit.verifier();
    for (const kid of kidsSeen) {
      for (const [label, w] of keys) {
        if (assertion.get(kid) === w.address.toLowerCase()) want.add(`${kid} ${label}`);
        const outcome = await verifier.verifyCredential({ credential: credential(w, kid) });
        if (outcome.verified) got.add(`${kid} ${label}`);
        else refusalCodes.add(String(outcome.code));
      }
    }
    expected.set(name, want);
    accepted.set(name, got);
  }

  beforeAll(async () => {
    kit = await startAnvilTestKit("attribute-keys");
    provider = kit.net.chain.provider as JsonRpcProvider;
    issuer = await kit.addIssuer("ResidentIDCredential");
    holder = kit.newHolder();
    keys.set("owner1", new Wallet(issuer.wallet.privateKey));
    for (const label of ["owner2", "d1", "d2", "d3", "a1", "a2", "a3", "a4", "a5", "a6", "stranger"]) keys.set(label, new Wallet(hexlify(randomBytes(32))));
    await kit.fund(key("owner2").address);
    const o1 = key("owner1");
    const o2 = key("owner2");
    // Checkpoint "start": the DID untouched (the issuer's own key).
    kidsSeen.add(`${issuer.did}#delegate-1`);
    await checkpoint("start");

    await registry(o1, "addDelegate", [issuer.address, encodeBytes32String("veriKey"), key("d1").address, DAY]);
    await setAttribute(o1, "did/pub/Secp256k1/veriKey/hex", compressed(key("a1")), DAY);
    // A did/pub name outside the resolver's grammar: counted in #delegate-N only once it is no longer valid.
    await setAttribute(o1, "did/pub/Secp256k1/veriKey/x-y", compressed(key("a5")), 600);
    await setAttribute(o1, "did/pub/Secp256k1/veriKey/hex", uncompressed(key("a2")), 600);
    await registry(o1, "addDelegate", [issuer.address, encodeBytes32String("sigAuth"), key("d3").address, DAY]);
    await setAttribute(o1, "did/pub/Secp256k1/veriKey", compressed(key("a6")), DAY);
    await checkpoint("delegates and attributes");

    await registry(o1, "changeOwner", [issuer.address, o2.address]);
    await setAttribute(o2, "did/pub/Secp256k1/veriKey/base64", compressed(key("a3")), DAY);
    await setAttribute(o2, "did/pub/Secp256k1/veriKey/base58", uncompressed(key("a4")), DAY);
    // An encryption key: listed by the resolver, but not under assertionMethod.
    await setAttribute(o2, "did/pub/Secp256k1/enc/hex", compressed(key("stranger")), DAY);
    await registry(o2, "addDelegate", [issuer.address, encodeBytes32String("veriKey"), key("d2").address, DAY]);
    await checkpoint("after the owner change");

    await registry(o2, "revokeAttribute", [issuer.address, nameBytes("did/pub/Secp256k1/veriKey/hex"), compressed(key("a1"))]);
    await registry(o2, "revokeDelegate", [issuer.address, encodeBytes32String("veriKey"), key("d1").address]);
    await registry(o2, "revokeAttribute", [issuer.address, nameBytes("did/pub/Secp256k1/veriKey/base58"), uncompressed(key("a4"))]);
    await checkpoint("after revocations");

    // a1 again (a new id), then past a2's and the irregular attribute's validity: later numbers shift by one.
    await setAttribute(o2, "did/pub/Secp256k1/veriKey/hex", compressed(key("a1")), DAY);
    await kit.advanceChain(700);
    for (let n = 1; n <= 16; n++) kidsSeen.add(`${issuer.did}#delegate-${n}`);
    await checkpoint("after expiry");
  }, 300_000);
  afterAll(async () => {
    await kit?.close();
  });

  it("the resolver's documents hold what the test set up (the comparison is not vacuous)", () => {
    const ids = (name: string) => [...(listed.get(name) as Map<string, string>).entries()];
    const labelOf = (address: string) => [...keys].find(([, w]) => w.address.toLowerCase() === address)?.[0];
    const listing = (name: string) => ids(name).map(([id, address]) => `${id.slice(issuer.did.length)} ${labelOf(address)}`);
    expect(listing("start")).toEqual(["#controller owner1"]);
    expect(listing("delegates and attributes").sort()).toEqual(
      ["#controller owner1", "#delegate-1 d1", "#delegate-2 a1", "#delegate-3 a2", "#delegate-4 d3", "#delegate-5 a6"].sort(),
    );
    expect(listing("after the owner change")).toContain("#controller owner2");
    expect(listing("after the owner change")).toContain("#delegate-6 a3");
    expect(listing("after revocations")).not.toContain("#delegate-2 a1");
    // a1 re-added as #delegate-13; the expired irregular attribute now counts, so a1 is listed as #delegate-14.
    expect(listing("after expiry").sort()).toEqual(
      ["#controller owner2", "#delegate-5 d3", "#delegate-6 a6", "#delegate-7 a3", "#delegate-10 d2", "#delegate-14 a1"].sort(),
    );
  });

  for (const name of ["start", "delegates and attributes", "after the owner change", "after revocations", "after expiry"]) {
    it(`accepts exactly the (kid, key) pairs ethr-did-resolver lists: ${name}`, () => {
      expect([...(accepted.get(name) as Set<string>)].sort()).toEqual([...(expected.get(name) as Set<string>)].sort());
    });
  }

  it("refuses the others with SIGNATURE_INVALID", () => {
    expect([...refusalCodes]).toEqual([VerificationCode.SIGNATURE_INVALID]);
  });

  it("accepts an attribute key's credential without a kid (the DID has fewer keys than the cap)", async () => {
    expect((await kit.verifier().verifyCredential({ credential: credential(key("a3"), undefined) })).verified).toBe(true);
    expect((await kit.verifier().verifyCredential({ credential: credential(key("a4"), undefined) })).code).toBe(VerificationCode.SIGNATURE_INVALID);
    // The address form of a delegate's kid, which the resolver does not give out, keeps working.
    const byAddress = `${issuer.did}#delegate-${key("d2").address.toLowerCase()}`;
    expect((await kit.verifier().verifyCredential({ credential: credential(key("d2"), byAddress) })).verified).toBe(true);
  });

  it("applies the same keys to SD-JWT VC: a valid attribute key signs, a revoked one does not", async () => {
    const sign = async (signer: Wallet, kid: string): Promise<string> => {
      const holderKey = nodeP256Signer(randomBytes(32));
      const { copies } = await issueSdJwtVc({
        issuer: issuer.did,
        signer: createSecp256k1Signer(getBytes(signer.privateKey), kid),
        typeName: "ResidentIDCredential",
        claims: {
          familyName: "Hong",
          givenName: "Gildong",
          birthDate: "1990-01-01",
          residentRegistrationNumber: "900101-1234567",
          address: "1 Sejong-daero, Jongno-gu, Seoul",
          issueDate: "2020-05-01",
        },
        copies: [{ holderKey: holderKey.publicJwk, status: { idx: randomInt(0, 1 << 17), uri: `http://127.0.0.1:8080/status-lists/${issuer.revocationListId}/${issuer.suspensionListId}` } }],
        issuedAt: kit.now(),
        validUntil: kit.now() + 365 * 86400,
        timeGranularitySeconds: 1,
      });
      const req = kit.request({ domain: "shop.example.kr", credentialTypes: ["ResidentIDCredential"], claims: [{ path: "age_equal_or_over.19" }] });
      const presentation = await presentSdJwtVc({
        credential: copies[0] as string,
        claims: [["age_equal_or_over", "19"]],
        audience: req.domain,
        nonce: req.challenge,
        issuedAt: kit.now(),
        holderSigner: holderKey,
      });
      const outcome = await kit.verifier().verifyPresentation({ presentation, request: req });
      return outcome.verified ? "verified" : String(outcome.code);
    };
    expect(await sign(key("a1"), `${issuer.did}#delegate-14`)).toBe("verified");
    expect(await sign(key("a3"), `${issuer.did}#delegate-7`)).toBe("verified");
    // a1's id before its revocation, a4 (revoked), a2 (expired).
    expect(await sign(key("a1"), `${issuer.did}#delegate-2`)).toBe(VerificationCode.SIGNATURE_INVALID);
    expect(await sign(key("a4"), `${issuer.did}#delegate-8`)).toBe(VerificationCode.SIGNATURE_INVALID);
    expect(await sign(key("a2"), `${issuer.did}#delegate-4`)).toBe(VerificationCode.SIGNATURE_INVALID);
  });
});
