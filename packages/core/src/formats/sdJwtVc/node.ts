/**
 * Node-only crypto for the SD-JWT VC module (node:crypto / OpenSSL): faster than
 * the browser-safe defaults of `crypto.ts`, same results. Never imported by browser code.
 */
import { createECDH, createHash, createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import type { SdJwtVcIssuerEnvelope } from "./verifySdJwtVc.ts";
import type { Es256Verifier, JoseSigner, P256PublicJwk, Sha256 } from "./crypto.ts";

/**
 * SHA-256 by OpenSSL (node:crypto `createHash`; `@sd-jwt/crypto-nodejs`'s `digest` does the same but imports
 * `crypto.subtle`, a getter the `mid` bundle does not re-export, so the command line could not be built with it).
 *
 * @example
 * ```ts
 * issueSdJwtVc({ ..., sha256: nodeSha256 })
 * ```
 */
export const nodeSha256: Sha256 = (data) => {
  const b = createHash("sha256").update(data).digest();
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

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
    // No key cache: every copy has its own holder key, so a verifier rarely sees one twice.
    const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, format: "jwk" });
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

function p256PrivateKey(privateKey: Uint8Array) {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(privateKey);
  const pub = ecdh.getPublicKey();
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
  const jwk = { kty: "EC", crv: "P-256", d: b64(privateKey), x: b64(pub.subarray(1, 33)), y: b64(pub.subarray(33, 65)) };
  return { key: createPrivateKey({ key: jwk, format: "jwk" }), x: jwk.x, y: jwk.y };
}

/**
 * An ES256 {@link JoseSigner} by OpenSSL for a P-256 private key in memory (`mid wallet`, tests, benchmarks);
 * ~15× faster than `createP256Signer`. (No OpenSSL ES256K signer: OpenSSL's generic secp256k1 code signs no
 * faster than @noble/curves, so issuers keep `createSecp256k1Signer` or their HSM.)
 *
 * @example
 * ```ts
 * const holder = nodeP256Signer(privateKey); holder.publicJwk // cnf.jwk of one copy
 * ```
 */
export function nodeP256Signer(privateKey: Uint8Array): JoseSigner & { readonly publicJwk: P256PublicJwk } {
  const { key, x, y } = p256PrivateKey(privateKey);
  return {
    alg: "ES256",
    kid: undefined,
    publicJwk: { kty: "EC", crv: "P-256", x, y },
    sign: async (input) => sign("sha256", input, { key, dsaEncoding: "ieee-p1363" }),
  };
}
