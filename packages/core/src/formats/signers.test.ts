import { generateKeyPairSync, randomBytes, verify as nodeVerify } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secp256k1 } from "@noble/curves/secp256k1";
import { sha256 } from "@noble/hashes/sha2";
import { SigningKey, Wallet, hexlify } from "ethers";
import { isMobileIdError } from "../errors.ts";
import { createNodeEs256Signer, createNodeEs256kSigner } from "./nodeSigners.ts";
import { signCompactJwt } from "./signJws.ts";
import { createEs256kSigner, createWebCryptoEs256Signer } from "./signers.ts";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const enc = new TextEncoder();

describe("ES256K signers", () => {
  // Equality with did-jwt's ES256KSigner is tested where did-jwt is a dependency: issuer createJwtSigner.test.ts
  // (the Node signer) and wallet presentation.test.ts (the browser-safe signer, byte-identical VPs).
  it("the browser-safe and the Node signer give the same RFC 6979 low-S raw r||s, which verifies under the key", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ maxLength: 1000 }), async (seed, data) => {
        let key: string;
        try {
          key = new Wallet(hexlify(seed)).privateKey;
        } catch {
          return; // not a valid scalar
        }
        const publicKey = Buffer.from(new SigningKey(key).compressedPublicKey.slice(2), "hex");
        const digest = sha256(enc.encode(data));
        const sigs: string[] = [];
        for (const signer of [createEs256kSigner(key), createNodeEs256kSigner(key)]) {
          expect(signer.alg).toBe("ES256K");
          const sig = await signer.sign(enc.encode(data));
          expect(sig.length).toBe(64);
          sigs.push(Buffer.from(sig).toString("hex"));
          expect(secp256k1.verify(sig, digest, publicKey, { lowS: true })).toBe(true);
          // Deterministic (RFC 6979): noble's own signer gives the same r || s.
          expect(Buffer.from(secp256k1.sign(digest, Buffer.from(key.slice(2), "hex")).toCompactRawBytes()).toString("hex")).toBe(sigs.at(-1));
          expect(BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`) <= N / 2n).toBe(true);
        }
        expect(sigs[0]).toBe(sigs[1]);
      }),
      { numRuns: 40 },
    );
  });

  it("the Node signer reports the key's public key; a bad key throws INVALID_ARGUMENT without echoing it", () => {
    const key = hexlify(randomBytes(32));
    expect(createNodeEs256kSigner(key).publicKey).toBe(new SigningKey(key).publicKey);
    for (const bad of ["0x1234", `0x${"00".repeat(32)}`, "not a key"]) {
      let caught: unknown;
      try {
        createEs256kSigner(bad);
      } catch (e) {
        caught = e;
      }
      expect(isMobileIdError(caught, "INVALID_ARGUMENT")).toBe(true);
      expect(String((caught as Error).message)).not.toContain(bad.slice(2));
    }
  });
});

describe("ES256 (P-256) signers", () => {
  it("the Node signer returns a raw r||s that node:crypto verifies, for a KeyObject, a PEM and a JWK", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const data = enc.encode("eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ");
    for (const k of [privateKey, privateKey.export({ format: "pem", type: "pkcs8" }).toString(), privateKey.export({ format: "jwk" })]) {
      const signer = createNodeEs256Signer(k);
      expect(signer.alg).toBe("ES256");
      const sig = await signer.sign(data);
      expect(sig.length).toBe(64);
      expect(nodeVerify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, sig)).toBe(true);
      expect(nodeVerify("sha256", enc.encode("other"), { key: publicKey, dsaEncoding: "ieee-p1363" }, sig)).toBe(false);
    }
  });

  it("the Node signer refuses a key of another curve or kind", () => {
    const k1 = generateKeyPairSync("ec", { namedCurve: "secp256k1" }).privateKey;
    const ed = generateKeyPairSync("ed25519").privateKey;
    const pub = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
    for (const k of [k1, ed, pub]) expect(() => createNodeEs256Signer(k)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("the WebCrypto signer signs with a non-extractable key; WebCrypto verifies it, and refuses other keys", async () => {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const signer = createWebCryptoEs256Signer(pair.privateKey);
    const data = enc.encode("header.payload");
    const sig = await signer.sign(data);
    expect(sig.length).toBe(64);
    expect(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, pair.publicKey, sig as Uint8Array<ArrayBuffer>, data)).toBe(true);
    expect(() => createWebCryptoEs256Signer(pair.publicKey)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    const p384 = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, ["sign", "verify"]);
    expect(() => createWebCryptoEs256Signer(p384.privateKey)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("signCompactJwt", () => {
  it("writes header {alg, kid, typ} and the payload as given, and signs the exact signing input", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwt = await signCompactJwt({ b: 1, a: "é" }, { ...createNodeEs256Signer(privateKey), kid: "did:example:1#k" });
    const [h, p, s] = jwt.split(".") as [string, string, string];
    expect(Buffer.from(h, "base64url").toString()).toBe('{"alg":"ES256","kid":"did:example:1#k","typ":"JWT"}');
    expect(Buffer.from(p, "base64url").toString()).toBe('{"b":1,"a":"é"}');
    expect(nodeVerify("sha256", enc.encode(`${h}.${p}`), { key: publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"))).toBe(true);
  });

  it("refuses a signer without a kid, and a signer that returns anything but 64 bytes (e.g. DER)", async () => {
    const sign = async () => new Uint8Array(64);
    await expect(signCompactJwt({}, { alg: "ES256K", kid: "", sign })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(signCompactJwt({}, { alg: "ES256K", kid: "k", sign: async () => new Uint8Array(70) })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(signCompactJwt({}, { alg: "ES256K", kid: "k", sign })).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
