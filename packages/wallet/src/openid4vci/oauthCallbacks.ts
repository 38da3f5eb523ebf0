/**
 * The callbacks `@openid4vc/*` wants (hash, randomness, JWT signing, fetch), built from the wallet's own keys and
 * an injected `fetch`. Browser-safe: @noble, WebCrypto randomness, no Node built-ins. The one seam where the
 * library's errors become ours is {@link translateLibraryError}.
 */
import { type CallbackContext, HashAlgorithm, type Jwk, type JwtSigner, clientAuthenticationAnonymous } from "@openid4vc/oauth2";
import { sha256, sha384, sha512 } from "@noble/hashes/sha2";
import { hexToBytes } from "@noble/hashes/utils";
import { SigningKey } from "ethers";
import { MobileIdError, type JwsKeySigner, createEs256kSigner, encodeBase64url } from "@mobile-id/core/browser";
import { type WalletErrorCode, walletError } from "../errors.ts";
import { type HolderKeyStore, holderKeySigner } from "../holderKeyStore.ts";
import type { WalletState } from "../state.ts";
import { currentKey } from "../state.ts";

const encoder = new TextEncoder();

/** The `fetch` the wallet talks to issuers and verifiers with (injected: the browser's, Node's, or a test shim). */
export type WalletFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** RFC 7638 thumbprint of a P-256 public JWK (the id the wallet gives holder keys). */
export function p256Thumbprint(jwk: { readonly x: string; readonly y: string }): string {
  return encodeBase64url(sha256(encoder.encode(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`)));
}

/** Compact JWS over `header` and `payload` with `signer`. */
export async function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, signer: JwsKeySigner): Promise<string> {
  const input = `${encodeBase64url(encoder.encode(JSON.stringify(header)))}.${encodeBase64url(encoder.encode(JSON.stringify(payload)))}`;
  return `${input}.${encodeBase64url(await signer.sign(encoder.encode(input)))}`;
}

/** A signer for a holder key of this wallet (P-256, by its public JWK) or for the DID's current key (ES256K). */
export async function walletKeySigner(
  state: WalletState,
  signer: JwtSigner,
  store: HolderKeyStore | undefined,
): Promise<{ readonly key: JwsKeySigner; readonly jwk: Jwk; readonly wipe: () => void }> {
  if (signer.method === "jwk" && signer.alg === "ES256") {
    const id = p256Thumbprint(signer.publicJwk as { x: string; y: string });
    const held = (state.holderKeys ?? []).find((k) => k.id === id);
    if (held === undefined) throw walletError("WALLET_TAMPERED", "asked to sign with a holder key this wallet does not hold");
    const s = await holderKeySigner(held, store);
    return { key: s.signer, jwk: { ...held.jwk }, wipe: s.wipe };
  }
  if (signer.method === "did" && signer.alg === "ES256K" && signer.didUrl.startsWith(`${state.did}#`)) {
    const k = currentKey(state);
    const secret = hexToBytes(k.privateKey.slice(2));
    const pub = SigningKey.computePublicKey(k.publicKey, false);
    const jwk = { kty: "EC", crv: "secp256k1", x: encodeBase64url(hexToBytes(pub.slice(4, 68))), y: encodeBase64url(hexToBytes(pub.slice(68))) };
    return { key: createEs256kSigner(secret), jwk, wipe: () => secret.fill(0) };
  }
  throw new MobileIdError("INVALID_ARGUMENT", "the wallet signs only with its holder keys (ES256) and its DID key (ES256K)");
}

/** Callbacks for `Openid4vciClient`: public client (no client authentication), the wallet's keys for proofs. */
export function walletCallbacks(state: () => WalletState, fetch: WalletFetch, store?: HolderKeyStore): Omit<CallbackContext, "verifyJwt" | "decryptJwe" | "encryptJwe"> {
  return {
    fetch: fetch as CallbackContext["fetch"] & object,
    hash: (data, alg) => (alg === HashAlgorithm.Sha384 ? sha384(data) : alg === HashAlgorithm.Sha512 ? sha512(data) : sha256(data)),
    generateRandom: (n) => crypto.getRandomValues(new Uint8Array(n)),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (signer, jwt) => {
      const s = await walletKeySigner(state(), signer, store);
      try {
        return { jwt: await signJwt(jwt.header, jwt.payload, s.key), signerJwk: s.jwk };
      } finally {
        s.wipe();
      }
    },
  };
}



/**
 * The seam where `@openid4vc/*` errors become the wallet's: an OAuth/OpenID error response from the other side
 * keeps its `error` code (`invalid_grant`, `invalid_proof`, ...) in `details.error`; our own errors pass through.
 */
export function translateLibraryError(e: unknown, code: WalletErrorCode, what: string): Error {
  if (e instanceof MobileIdError) return e;
  const o = (e ?? {}) as { errorResponse?: { error?: unknown; error_description?: unknown }; response?: { status?: unknown }; message?: unknown };
  const error = typeof o.errorResponse?.error === "string" ? o.errorResponse.error : undefined;
  const description = typeof o.errorResponse?.error_description === "string" ? o.errorResponse.error_description.slice(0, 300) : undefined;
  const status = typeof o.response?.status === "number" ? o.response.status : undefined;
  // Not an answer from the other side (a malformed response, a refused URL, a network error): say what went wrong.
  const reason = error === undefined && typeof o.message === "string" && o.message !== "" ? o.message.slice(0, 300) : undefined;
  return walletError(code, error === undefined ? `${what} failed${reason === undefined ? "" : `: ${reason}`}` : `${what} failed: ${error}${description === undefined ? "" : ` (${description})`}`, {
    details: {
      ...(error === undefined ? {} : { error }),
      ...(description === undefined ? {} : { errorDescription: description }),
      ...(status === undefined ? {} : { status }),
      ...(reason === undefined ? {} : { reason }),
    },
    cause: e,
  });
}
