/**
 * Where SD-JWT VC holder keys may live instead of the wallet's encrypted state: a platform key store whose private
 * keys cannot be read out (a non-extractable WebCrypto key in the browser, a phone's keystore). The wallet then keeps
 * only the public JWK and asks the store to sign (core's `JwsKeySigner`, ES256). Browser-safe.
 */
import { sha256 } from "@noble/hashes/sha2";
import { hexToBytes } from "@noble/hashes/utils";
import { type JwsKeySigner, MobileIdError, createWebCryptoEs256Signer, encodeBase64url } from "@mobile-id/core/browser";
import { type P256PublicJwk, createP256Signer } from "@mobile-id/core/sd-jwt-vc";
import { walletError } from "./errors.ts";
import type { StoredHolderKey } from "./state.ts";

/** A key store for holder keys. */
export interface HolderKeyStore {
  /** Makes a P-256 key pair whose private half stays in the store; returns its public JWK. */
  create(): Promise<P256PublicJwk>;
  /** The ES256 signer of a key this store made, by its RFC 7638 thumbprint (`undefined` when it holds no such key). */
  signer(id: string): Promise<JwsKeySigner | undefined>;
}

const encoder = new TextEncoder();

/** RFC 7638 thumbprint of a P-256 public JWK (SHA-256, base64url): the id the wallet gives holder keys. */
export function holderKeyId(jwk: { readonly x: string; readonly y: string }): string {
  return encodeBase64url(sha256(encoder.encode(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`)));
}

/**
 * A {@link HolderKeyStore} of non-extractable WebCrypto keys (kept in memory here; a browser app persists the
 * `CryptoKey` objects in IndexedDB, which stores them without exposing their bytes, and passes them back as `keys`).
 *
 * @example
 * ```ts
 * const store = webCryptoHolderKeyStore();
 * await receiveCredentialOffer({ wallet, offer, txCode, fetch, checkIssuer, verifyCredential, holderKeyStore: store });
 * ```
 */
export function webCryptoHolderKeyStore(keys: Map<string, CryptoKeyPair> = new Map()): HolderKeyStore & { readonly keys: Map<string, CryptoKeyPair> } {
  return {
    keys,
    async create() {
      const pair = await globalThis.crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
      const jwk = (await globalThis.crypto.subtle.exportKey("jwk", pair.publicKey)) as { x?: string; y?: string };
      if (typeof jwk.x !== "string" || typeof jwk.y !== "string") throw new MobileIdError("INVALID_ARGUMENT", "WebCrypto gave no P-256 public key");
      const publicJwk: P256PublicJwk = { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
      keys.set(holderKeyId(publicJwk), pair);
      return publicJwk;
    },
    async signer(id) {
      const pair = keys.get(id);
      return pair === undefined ? undefined : createWebCryptoEs256Signer(pair.privateKey);
    },
  };
}

/**
 * The signer of a stored holder key: from its private key in the wallet state, or from the key store that holds it
 * (`WALLET_KEY_UNAVAILABLE` when that store is not given or no longer has the key). `wipe` erases the in-memory copy.
 */
export async function holderKeySigner(key: StoredHolderKey, store: HolderKeyStore | undefined): Promise<{ readonly signer: JwsKeySigner; readonly wipe: () => void }> {
  if (key.privateKey !== undefined) {
    const secret = hexToBytes(key.privateKey.slice(2));
    const s = createP256Signer(secret);
    return { signer: { alg: "ES256", sign: s.sign }, wipe: () => secret.fill(0) };
  }
  const signer = await store?.signer(key.id);
  if (signer === undefined) {
    throw walletError("WALLET_KEY_UNAVAILABLE", "this copy's holder key lives in a key store that was not given or no longer holds it", { details: { keyId: key.id } });
  }
  return { signer, wipe: () => undefined };
}
