/**
 * SD-JWT VC holder keys in the browser (issue 10): one P-256 key pair per copy, made by WebCrypto with
 * `extractable: false` and kept as `CryptoKey` objects in IndexedDB. The private key can sign, but no script (this
 * one included) can read or export it: a stolen IndexedDB dump or an XSS can use the key while the page runs, never
 * take it away. Keys are named by their RFC 7638 JWK thumbprint, which is what the wallet matches a copy's
 * `cnf.jwk` against.
 */
import { createWebCryptoEs256Signer, encodeBase64url } from "@mobile-id/core/browser";
import type { JoseSigner, P256PublicJwk } from "@mobile-id/core/sd-jwt-vc";
import { type DeviceDb, KEYS } from "../idb.ts";

/** What IndexedDB holds per key (the private `CryptoKey` is non-extractable). */
interface StoredHolderKey {
  readonly id: string;
  readonly privateKey: CryptoKey;
  readonly jwk: P256PublicJwk;
  readonly createdAt: number;
}

/** A holder key's signer: `alg` ES256, no `kid` (a KB-JWT names no key; OpenID4VCI proofs carry `jwk`). */
export interface HolderKeySigner extends JoseSigner {
  readonly alg: "ES256";
  readonly kid: undefined;
  /** The key's id (JWK thumbprint). */
  readonly keyId: string;
  /** The public key, for `cnf.jwk` and for an OpenID4VCI proof's `jwk` header. */
  readonly publicJwk: P256PublicJwk;
}

/**
 * RFC 7638 JWK thumbprint of a P-256 public key (SHA-256, base64url): the key's id.
 *
 * @example
 * ```ts
 * const id = await jwkThumbprint({ kty: "EC", crv: "P-256", x, y });
 * ```
 */
export async function jwkThumbprint(jwk: { readonly x: string; readonly y: string }): Promise<string> {
  const canonical = new TextEncoder().encode(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`);
  return encodeBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", canonical)));
}

/**
 * Makes `count` fresh non-extractable P-256 holder keys, stores them, and returns their public JWKs (one per copy
 * the issuer is asked to sign: OpenID4VCI batch proofs, or the issuer API's `holderKeys`).
 *
 * @example
 * ```ts
 * const jwks = await createHolderKeys({ db, count: 10 });
 * ```
 */
export async function createHolderKeys(params: { readonly db: DeviceDb; readonly count: number }): Promise<P256PublicJwk[]> {
  if (!Number.isSafeInteger(params.count) || params.count < 1 || params.count > 100) throw new RangeError("count must be 1..100");
  const out: P256PublicJwk[] = [];
  for (let i = 0; i < params.count; i++) {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const pub = await crypto.subtle.exportKey("jwk", pair.publicKey);
    if (typeof pub.x !== "string" || typeof pub.y !== "string") throw new Error("WebCrypto returned no public JWK");
    const jwk: P256PublicJwk = { kty: "EC", crv: "P-256", x: pub.x, y: pub.y };
    const id = await jwkThumbprint(jwk);
    const stored: StoredHolderKey = { id, privateKey: pair.privateKey, jwk, createdAt: Math.floor(Date.now() / 1000) };
    await params.db.put(KEYS, id, stored);
    out.push(jwk);
  }
  return out;
}

/**
 * The signer of a stored holder key (`undefined` if this device has no such key): sign with it, never read it.
 *
 * @example
 * ```ts
 * const signer = await holderKeySigner({ db, keyId });
 * const kbJwtSignature = await signer.sign(signingInput);
 * ```
 */
export async function holderKeySigner(params: { readonly db: DeviceDb; readonly keyId: string }): Promise<HolderKeySigner | undefined> {
  const stored = await params.db.get<StoredHolderKey>(KEYS, params.keyId);
  if (stored === undefined) return undefined;
  const signer = createWebCryptoEs256Signer(stored.privateKey);
  return { alg: "ES256", kid: undefined, keyId: stored.id, publicJwk: stored.jwk, sign: (input) => signer.sign(input) };
}

/** The ids of the holder keys on this device. */
export function listHolderKeyIds(db: DeviceDb): Promise<string[]> {
  return db.keys(KEYS);
}

/** Deletes holder keys (their copies were removed): the keys are gone for good. */
export async function deleteHolderKeys(db: DeviceDb, ids: readonly string[]): Promise<void> {
  for (const id of ids) await db.delete(KEYS, id);
}
