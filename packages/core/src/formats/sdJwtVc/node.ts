/**
 * Node-only crypto for the SD-JWT VC module (node:crypto / OpenSSL and `@sd-jwt/crypto-nodejs`): faster than
 * the browser-safe defaults of `crypto.ts`, same results. Never imported by browser code.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { digest } from "@sd-jwt/crypto-nodejs";
import type { SdJwtVcIssuerEnvelope } from "./verifySdJwtVc.ts";
import type { Es256Verifier, P256PublicJwk, Sha256 } from "./crypto.ts";

/**
 * SHA-256 by OpenSSL (`@sd-jwt/crypto-nodejs`'s `digest`).
 *
 * @example
 * ```ts
 * issueSdJwtVc({ ..., sha256: nodeSha256 })
 * ```
 */
export const nodeSha256: Sha256 = (data) => digest(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer, "sha-256");

const P256_KEYS = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 1024;

/**
 * ES256 verification by OpenSSL; accepts either s (see `nobleEs256Verify`). Never throws.
 *
 * @example
 * ```ts
 * verifySdJwtVc({ ..., es256Verify: nodeEs256Verify })
 * ```
 */
export const nodeEs256Verify: Es256Verifier = (signingInput, signature, jwk: P256PublicJwk) => {
  try {
    const id = `${jwk.x}.${jwk.y}`;
    let key = P256_KEYS.get(id);
    if (key === undefined) {
      key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, format: "jwk" });
      // Holder keys are per copy, so the cache mostly helps benchmarks and repeat presenters; keep it bounded.
      if (P256_KEYS.size >= MAX_CACHED_KEYS) P256_KEYS.clear();
      P256_KEYS.set(id, key);
    }
    return verify("sha256", signingInput, { key, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
};

const SPKI_SECP256K1 = {
  33: Buffer.from("3036301006072a8648ce3d020106052b8104000a032200", "hex"),
  65: Buffer.from("3056301006072a8648ce3d020106052b8104000a034200", "hex"),
} as const;
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * An issuer-signature check against one known secp256k1 public key (33 or 65 bytes) by OpenSSL, ES256K only,
 * low-s only.
 *
 * @example
 * ```ts
 * verifySdJwtVc({ ..., verifyIssuerSignature: nodeEs256kPublicKeyVerifier(issuerPublicKey) })
 * ```
 */
export function nodeEs256kPublicKeyVerifier(publicKey: Uint8Array): (envelope: SdJwtVcIssuerEnvelope) => boolean {
  const prefix = publicKey.length === 33 ? SPKI_SECP256K1[33] : publicKey.length === 65 ? SPKI_SECP256K1[65] : undefined;
  if (prefix === undefined) throw new RangeError("secp256k1 public key must be 33 or 65 bytes");
  const key = createPublicKey({ key: Buffer.concat([prefix, publicKey]), format: "der", type: "spki" });
  return (envelope) => {
    if (envelope.alg !== "ES256K" || envelope.signature.length !== 64) return false;
    if (BigInt(`0x${Buffer.from(envelope.signature.subarray(32)).toString("hex")}`) > HALF_N) return false;
    try {
      return verify("sha256", Buffer.from(envelope.signingInput, "latin1"), { key, dsaEncoding: "ieee-p1363" }, envelope.signature);
    } catch {
      return false;
    }
  };
}
