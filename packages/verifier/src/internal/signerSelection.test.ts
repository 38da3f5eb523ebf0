import { getAddress, hexlify, randomBytes } from "ethers";
import { describe, expect, it } from "vitest";
import { secp256k1 } from "@noble/curves/secp256k1";
import type { IdentityAttribute, IdentityDelegate, IdentityState, ResolverKeyCounter } from "@mobile-id/chain";
import { MAX_SIGNER_CANDIDATES, VerificationCode, parseEthrDid } from "@mobile-id/core";
import { addressOfPublicKey } from "../crypto/es256k.ts";
import { selectSigners } from "./signerSelection.ts";

const T = 1_800_000_000;
const randomAddress = () => getAddress(hexlify(randomBytes(20)));

function identity(delegates: IdentityDelegate[]): { did: NonNullable<ReturnType<typeof parseEthrDid>>; state: IdentityState } {
  const address = randomAddress();
  const did = parseEthrDid(`did:ethr:0x7a69:${address.toLowerCase()}`)!;
  return { did, state: { identity: address, owner: address, deactivated: false, delegates, attributes: [], changes: delegates.length } };
}
const delegate = (delegateType: string, validTo = BigInt(T + 3600), address = randomAddress()): IdentityDelegate => ({ delegateType, delegate: address, validTo });

describe("selectSigners", () => {
  it("with a kid, returns the one key it names out of 10,000 delegates", () => {
    const named = delegate("veriKey");
    const delegates = Array.from({ length: 10_000 }, () => delegate("veriKey"));
    delegates[6_000] = named;
    const { did, state } = identity(delegates);
    const kid = `${did.did}#delegate-${named.delegate.toLowerCase()}`;
    expect(selectSigners(did, state, T, "assertion", kid)).toEqual({ ok: true, candidates: [{ address: named.delegate.toLowerCase() }] });
    // A veriKey delegate cannot sign a presentation; an expired one signs nothing.
    expect(selectSigners(did, state, T, "authentication", kid)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
    expect(selectSigners(did, state, T + 3600, "assertion", kid)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
    expect(selectSigners(did, state, T, "assertion", `${did.did}#controller`)).toEqual({ ok: true, candidates: [{ address: state.owner.toLowerCase() }] });
  });

  it("without a kid, counts only the keys that may sign now against the cap of 8", () => {
    const usable = Array.from({ length: MAX_SIGNER_CANDIDATES - 1 }, () => delegate("sigAuth"));
    const unusable = [
      ...Array.from({ length: 50 }, () => delegate("sigAuth", BigInt(T))), // expired (validTo <= t)
      ...Array.from({ length: 50 }, () => delegate("veriKey")), // cannot sign presentations
      ...Array.from({ length: 50 }, () => delegate("otherKind")),
    ];
    const { did, state } = identity([...unusable, ...usable]);
    const ok = selectSigners(did, state, T, "authentication", undefined);
    expect(ok.ok && ok.candidates.length).toBe(MAX_SIGNER_CANDIDATES);
    // For a credential, veriKey delegates count too: far over the cap.
    expect(selectSigners(did, state, T, "assertion", undefined)).toMatchObject({ ok: false, code: VerificationCode.DID_TOO_COMPLEX });
    const over = identity([...usable, delegate("sigAuth")]);
    expect(selectSigners(over.did, over.state, T, "authentication", undefined)).toMatchObject({ ok: false, code: VerificationCode.DID_TOO_COMPLEX });
  });
});

describe("selectSigners with ERC-1056 attribute keys", () => {
  const key = () => secp256k1.utils.randomPrivateKey();
  const hexOf = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
  const attribute = (name: string, pub: Uint8Array, counter: number, validTo = BigInt(T + 3600)): IdentityAttribute => ({ name, value: hexOf(pub), validTo, counter });
  const withAttributes = (attributes: IdentityAttribute[], delegates: IdentityDelegate[] = [], irregularKeyEvents?: ResolverKeyCounter[]) => {
    const { did, state } = identity(delegates);
    return { did, state: { ...state, attributes, ...(irregularKeyEvents ? { irregularKeyEvents } : {}) } };
  };
  const addressOf = (pub: Uint8Array) => addressOfPublicKey(pub);

  it("selects a veriKey attribute key by the resolver's #delegate-N, in every encoding, with its public key", () => {
    const keys = [key(), key(), key(), key()];
    const pubs = [secp256k1.getPublicKey(keys[0]!, true), secp256k1.getPublicKey(keys[1]!, false), secp256k1.getPublicKey(keys[2]!, true), secp256k1.getPublicKey(keys[3]!, true)];
    const names = ["did/pub/Secp256k1/veriKey/hex", "did/pub/Secp256k1/veriKey/base64", "did/pub/Secp256k1/veriKey/base58", "did/pub/Secp256k1/veriKey"];
    const { did, state } = withAttributes(names.map((n, i) => attribute(n, pubs[i]!, i + 2)), [{ ...delegate("veriKey"), counter: 1 }]);
    for (let i = 0; i < 4; i++) {
      const s = selectSigners(did, state, T, "assertion", `${did.did}#delegate-${i + 2}`);
      expect(s).toEqual({ ok: true, candidates: [{ address: addressOf(pubs[i]!), publicKey: Buffer.from(pubs[i]!) }] });
      // A veriKey key signs credentials, not presentations.
      expect(selectSigners(did, state, T, "authentication", `${did.did}#delegate-${i + 2}`)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
    }
    // #delegate-1 is the delegate; #delegate-6 is nothing.
    expect(selectSigners(did, state, T, "assertion", `${did.did}#delegate-1`)).toEqual({ ok: true, candidates: [{ address: state.delegates[0]!.delegate.toLowerCase() }] });
    expect(selectSigners(did, state, T, "assertion", `${did.did}#delegate-6`)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
    expect(selectSigners(did, state, T, "assertion", `${did.did}#delegate-02`)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
  });

  it("refuses attribute keys that are expired, revoked, not signing keys or not points", () => {
    const pub = secp256k1.getPublicKey(key(), true);
    const { did, state } = withAttributes([
      attribute("did/pub/Secp256k1/veriKey/hex", pub, 1, BigInt(T)), // expired (validTo <= t)
      attribute("did/pub/Secp256k1/veriKey/hex", pub, 2, 0n), // revoked
      attribute("did/pub/Secp256k1/enc/hex", pub, 3), // key agreement
      attribute("did/pub/Ed25519/veriKey/hex", pub, 4), // another algorithm
      attribute("did/pub/Secp256k1/veriKey/pem", pub, 5), // an encoding the verifier does not read
      { name: "did/pub/Secp256k1/veriKey/hex", value: `0x02${"ff".repeat(32)}`, validTo: BigInt(T + 3600), counter: 6 }, // off the curve
    ]);
    for (let n = 1; n <= 6; n++) {
      expect(selectSigners(did, state, T, "assertion", `${did.did}#delegate-${n}`)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
    }
    expect(selectSigners(did, state, T, "assertion", undefined)).toEqual({ ok: true, candidates: [{ address: state.owner.toLowerCase() }] });
  });

  it("lets a sigAuth attribute key sign presentations too", () => {
    const pub = secp256k1.getPublicKey(key(), true);
    const { did, state } = withAttributes([attribute("did/pub/Secp256k1/sigAuth/hex", pub, 1)]);
    expect(selectSigners(did, state, T, "authentication", `${did.did}#delegate-1`)).toMatchObject({ ok: true, candidates: [{ address: addressOf(pub) }] });
  });

  it("numbers keys after an irregular did/pub event as the resolver does: +1 once that event is no longer valid", () => {
    const pub = secp256k1.getPublicKey(key(), true);
    const { did, state } = withAttributes([attribute("did/pub/Secp256k1/veriKey/hex", pub, 1, BigInt(T + 7200))], [], [{ after: 0, validTo: BigInt(T + 100) }]);
    expect(selectSigners(did, state, T, "assertion", `${did.did}#delegate-1`)).toMatchObject({ ok: true });
    expect(selectSigners(did, state, T + 100, "assertion", `${did.did}#delegate-1`)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
    expect(selectSigners(did, state, T + 100, "assertion", `${did.did}#delegate-2`)).toMatchObject({ ok: true, candidates: [{ address: addressOf(pub) }] });
  });

  it("counts attribute keys against the cap of 8 when no kid is given", () => {
    const attributes = Array.from({ length: MAX_SIGNER_CANDIDATES - 1 }, (_, i) => attribute("did/pub/Secp256k1/veriKey/hex", secp256k1.getPublicKey(key(), true), i + 1));
    const ok = withAttributes(attributes);
    const s = selectSigners(ok.did, ok.state, T, "assertion", undefined);
    expect(s.ok && s.candidates.map((c) => c.address)).toEqual([ok.state.owner.toLowerCase(), ...attributes.map((a) => addressOf(Buffer.from(a.value.slice(2), "hex")))]);
    const over = withAttributes([...attributes, attribute("did/pub/Secp256k1/veriKey/hex", secp256k1.getPublicKey(key(), true), 99)]);
    expect(selectSigners(over.did, over.state, T, "assertion", undefined)).toMatchObject({ ok: false, code: VerificationCode.DID_TOO_COMPLEX });
  });
});
