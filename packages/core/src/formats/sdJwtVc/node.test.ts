import { p256 } from "@noble/curves/p256";
import { secp256k1 } from "@noble/curves/secp256k1";
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "../../base64url.ts";
import { createP256Signer, createSecp256k1Signer, nobleEs256Verify, nobleEs256kVerify, nobleSha256 } from "./crypto.ts";
import { nodeEs256Verify, nodeEs256kPublicKeyVerifier, nodeP256Signer, nodeSha256 } from "./node.ts";
import { CHAIN_ID, ISSUER_DID } from "./testing.ts";

const input = new TextEncoder().encode("header.payload");
const N = secp256k1.CURVE.n;

describe("Node crypto of the SD-JWT VC module agrees with the browser-safe one", () => {
  it("SHA-256", () => {
    expect(nodeSha256(input)).toEqual(nobleSha256(input));
  });

  it("ES256K: the OpenSSL check agrees with noble; a high-s twin and another alg are refused", async () => {
    const key = secp256k1.utils.randomPrivateKey();
    const pub = secp256k1.getPublicKey(key, true);
    const check = nodeEs256kPublicKeyVerifier(pub);
    const env = (signature: Uint8Array) => ({ alg: "ES256K", kid: "k", issuer: { did: ISSUER_DID, chainId: CHAIN_ID, address: "" }, signingInput: "header.payload", signature });
    for (let i = 0; i < 10; i++) {
      const sig = await createSecp256k1Signer(key, "k").sign(new TextEncoder().encode(`header.payload`));
      expect([check(env(sig)), nobleEs256kVerify(input, sig, pub)]).toEqual([true, true]);
      const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
      const high = Uint8Array.from(sig);
      high.set(Buffer.from((N - s).toString(16).padStart(64, "0"), "hex"), 32);
      expect([check(env(high)), nobleEs256kVerify(input, high, pub)]).toEqual([false, false]);
      expect(check({ ...env(sig), alg: "ES256" })).toBe(false);
    }
  });

  it("ES256: both verifiers accept each other's signatures and refuse other keys and off-curve keys", async () => {
    const a = nodeP256Signer(p256.utils.randomPrivateKey());
    const b = createP256Signer(p256.utils.randomPrivateKey());
    const sa = await a.sign(input);
    const sb = await b.sign(input);
    expect([nodeEs256Verify(input, sa, a.publicJwk), nobleEs256Verify(input, sa, a.publicJwk)]).toEqual([true, true]);
    expect([nodeEs256Verify(input, sb, b.publicJwk), nobleEs256Verify(input, sb, b.publicJwk)]).toEqual([true, true]);
    expect([nodeEs256Verify(input, sa, b.publicJwk), nobleEs256Verify(input, sa, b.publicJwk)]).toEqual([false, false]);
    const offCurve = { ...a.publicJwk, y: encodeBase64url(new Uint8Array(32).fill(1)) };
    expect([nodeEs256Verify(input, sa, offCurve), nobleEs256Verify(input, sa, offCurve)]).toEqual([false, false]);
  });
});
