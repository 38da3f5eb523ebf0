import { createHash } from "node:crypto";
import fc from "fast-check";
import { secp256k1 } from "@noble/curves/secp256k1";
import { describe, expect, it } from "vitest";
import { randomPrivateKey } from "../testing.ts";
import { SignatureVerifier, addressOfPublicKey, isCanonicalSignature, keyObjectOf, recoverPublicKeys, verifyEs256k } from "./es256k.ts";

const N = secp256k1.CURVE.n;

function sign(input: string, key: Uint8Array, highS = false): Uint8Array {
  const sig = secp256k1.sign(createHash("sha256").update(input).digest(), key, { lowS: true });
  const s = highS ? N - sig.s : sig.s;
  return Buffer.from(sig.r.toString(16).padStart(64, "0") + s.toString(16).padStart(64, "0"), "hex");
}

describe("ES256K", () => {
  it("OpenSSL and @noble/curves agree on random keys and messages (both ways)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.boolean(), (input, tamper) => {
        const key = randomPrivateKey();
        const pub = secp256k1.getPublicKey(key, true);
        const sig = sign(input, key);
        const msg = tamper ? `${input}x` : input;
        const noble = secp256k1.verify(sig, createHash("sha256").update(msg, "latin1").digest(), pub);
        expect(verifyEs256k(msg, sig, keyObjectOf(pub))).toBe(noble);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses high-s signatures, which OpenSSL alone would accept", () => {
    const key = randomPrivateKey();
    const high = sign("a.b", key, true);
    expect(verifyEs256k("a.b", high, keyObjectOf(secp256k1.getPublicKey(key, true)))).toBe(true);
    expect(isCanonicalSignature(high)).toBe(false);
    const verifier = new SignatureVerifier({ maxKeys: 10 });
    const publicKey = secp256k1.getPublicKey(key, true);
    expect(verifier.verify("a.b", high, [{ address: addressOfPublicKey(publicKey), publicKey }])).toBeUndefined();
    expect(verifier.verify("a.b", sign("a.b", key), [{ address: addressOfPublicKey(publicKey), publicKey }])).toBe(addressOfPublicKey(publicKey));
  });

  it("refuses r or s out of range and wrong lengths", () => {
    const zero = new Uint8Array(64);
    expect(isCanonicalSignature(zero)).toBe(false);
    const rN = Buffer.from(N.toString(16).padStart(64, "0") + "01".padStart(64, "0"), "hex");
    expect(isCanonicalSignature(rN)).toBe(false);
    expect(isCanonicalSignature(new Uint8Array(65))).toBe(false);
  });

  it("recovers the signer of an address-only method once, then verifies with the cached key", () => {
    const key = randomPrivateKey();
    const address = addressOfPublicKey(secp256k1.getPublicKey(key, false));
    const verifier = new SignatureVerifier({ maxKeys: 10 });
    const other = addressOfPublicKey(secp256k1.getPublicKey(randomPrivateKey(), true));
    expect(verifier.verify("p.q", sign("p.q", key), [{ address: other }, { address }])).toBe(address);
    expect([...recoverPublicKeys("p.q", sign("p.q", key))].map(addressOfPublicKey)).toContain(address);
    // A forgery for a signer whose key is known costs one verification, no recovery, and fails.
    expect(verifier.verify("p.q", sign("p.q", randomPrivateKey()), [{ address }])).toBeUndefined();
    expect(verifier.verify("p.r", sign("p.r", key), [{ address }])).toBe(address);
  });
});
