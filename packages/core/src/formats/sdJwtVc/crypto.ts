import { p256 } from "@noble/curves/p256";
import { secp256k1 } from "@noble/curves/secp256k1";
import { sha256 } from "@noble/hashes/sha256";
import { decodeBase64url, encodeBase64url } from "../../base64url.ts";

/**
 * The cryptography the SD-JWT VC module needs, injected: browser-safe defaults here (@noble, WebCrypto's
 * `getRandomValues`), faster Node-only ones in `node.ts`. Private keys never enter this module: signing is a
 * {@link JoseSigner} (an HSM, a KMS, a phone's secure element or a non-extractable WebCrypto key).
 */

/** A JOSE signer: `sign` returns the raw JWS signature (64 bytes r||s for ES256/ES256K) over `signingInput`. */
export interface JoseSigner {
  readonly alg: "ES256" | "ES256K";
  /** The JWS `kid` (for an issuer: the DID URL of its key); `undefined` for a holder's key binding key. */
  readonly kid: string | undefined;
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

/** SHA-256 of bytes (synchronous, so parsing stays pure and synchronous). */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** Verifies an ES256 signature (64 bytes r||s, either s) under a P-256 public JWK. Never throws. */
export type Es256Verifier = (signingInput: Uint8Array, signature: Uint8Array, jwk: P256PublicJwk) => boolean | Promise<boolean>;

/** A P-256 public key as a JWK (RFC 7518 §6.2.1), the holder's `cnf.jwk`. */
export interface P256PublicJwk {
  readonly kty: "EC";
  readonly crv: "P-256";
  /** base64url of the 32-byte x coordinate. */
  readonly x: string;
  /** base64url of the 32-byte y coordinate. */
  readonly y: string;
}

/** The SHA-256 of @noble/hashes: browser-safe. */
export const nobleSha256: Sha256 = (data) => sha256(data);

/**
 * 16 random bytes (128 bits, RFC 9901 §9.3) as base64url, from WebCrypto's `getRandomValues` (Node and browsers).
 *
 * @example
 * ```ts
 * randomSalt() // "Qg9…" (22 characters)
 * ```
 */
export function randomSalt(): string {
  return encodeBase64url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * A public JWK of P-256 with exactly `kty`, `crv`, `x`, `y` (32 bytes each, canonical base64url) that is a point
 * of the curve, or `undefined`. Private (`d`) or extra members are refused: `cnf.jwk` is a public key only.
 * `checkPoint: false` skips the curve check (~0.1 ms) where a signature verification under the key follows
 * anyway: both ES256 verifiers refuse a point off the curve.
 *
 * @example
 * ```ts
 * parseP256PublicJwk(payload.cnf?.jwk) // P256PublicJwk | undefined
 * ```
 */
export function parseP256PublicJwk(value: unknown, options: { readonly checkPoint?: boolean } = {}): P256PublicJwk | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 4 || o.kty !== "EC" || o.crv !== "P-256" || typeof o.x !== "string" || typeof o.y !== "string") return undefined;
  const x = decodeBase64url(o.x);
  const y = decodeBase64url(o.y);
  if (x?.length !== 32 || y?.length !== 32) return undefined;
  if (options.checkPoint === false) return { kty: "EC", crv: "P-256", x: o.x, y: o.y };
  try {
    p256.ProjectivePoint.fromHex(uncompressedPoint(x, y)).assertValidity();
  } catch {
    return undefined;
  }
  return { kty: "EC", crv: "P-256", x: o.x, y: o.y };
}

function uncompressedPoint(x: Uint8Array, y: Uint8Array): Uint8Array {
  const point = new Uint8Array(65);
  point[0] = 4;
  point.set(x, 1);
  point.set(y, 33);
  return point;
}

/**
 * ES256 verification in JavaScript (@noble/curves, browser-safe). Accepts high-s signatures: phone secure
 * hardware does not normalise s, and a key binding JWT is single-use, so malleability gains an attacker nothing.
 *
 * @example
 * ```ts
 * nobleEs256Verify(signingInput, signature, cnfJwk) // boolean
 * ```
 */
export const nobleEs256Verify: Es256Verifier = (signingInput, signature, jwk) => {
  try {
    const x = decodeBase64url(jwk.x);
    const y = decodeBase64url(jwk.y);
    if (x === undefined || y === undefined || signature.length !== 64) return false;
    return p256.verify(signature, sha256(signingInput), uncompressedPoint(x, y), { lowS: false, prehash: false });
  } catch {
    return false;
  }
};

/**
 * ES256K verification under a known secp256k1 public key (33 or 65 bytes) in JavaScript (@noble/curves,
 * browser-safe). Low-s only, as every mobile-id ES256K check: a high-s twin would give a token two encodings.
 *
 * @example
 * ```ts
 * nobleEs256kVerify(signingInput, signature, issuerPublicKey) // boolean
 * ```
 */
export function nobleEs256kVerify(signingInput: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    if (signature.length !== 64) return false;
    return secp256k1.verify(signature, sha256(signingInput), publicKey, { lowS: true, prehash: false });
  } catch {
    return false;
  }
}

/**
 * An ES256 {@link JoseSigner} over a P-256 private key in memory (@noble/curves, RFC 6979). For tests, benchmarks
 * and `mid wallet` (whose keys are encrypted at rest); the web wallet signs with a non-extractable WebCrypto key.
 *
 * @example
 * ```ts
 * const holder = createP256Signer(p256.utils.randomPrivateKey());
 * holder.publicJwk // { kty: "EC", crv: "P-256", x, y }
 * ```
 */
export function createP256Signer(privateKey: Uint8Array): JoseSigner & { readonly publicJwk: P256PublicJwk } {
  const pub = p256.getPublicKey(privateKey, false);
  return {
    alg: "ES256",
    kid: undefined,
    publicJwk: { kty: "EC", crv: "P-256", x: encodeBase64url(pub.subarray(1, 33)), y: encodeBase64url(pub.subarray(33, 65)) },
    sign: async (signingInput) => p256.sign(sha256(signingInput), privateKey, { prehash: false }).toCompactRawBytes(),
  };
}

/**
 * An ES256K {@link JoseSigner} over a secp256k1 private key in memory (@noble/curves, RFC 6979, low-s), with
 * `kid` the DID URL of the key (e.g. `<did>#controller`).
 *
 * @example
 * ```ts
 * const issuer = createSecp256k1Signer(privateKey, `${issuerDid}#controller`);
 * ```
 */
export function createSecp256k1Signer(privateKey: Uint8Array, kid: string): JoseSigner {
  return {
    alg: "ES256K",
    kid,
    sign: async (signingInput) => secp256k1.sign(sha256(signingInput), privateKey, { prehash: false, lowS: true }).toCompactRawBytes(),
  };
}
