/**
 * Fetching and checking an OpenID4VP request object (JAR, `request_uri`) whose `client_id` is a relying party's
 * `did:ethr` (`decentralized_identifier:` prefix): its ES256K signature against the key its `kid` names in the
 * DID document (resolved by the injected resolver), the request's shape, and where it may send the answer.
 * Browser-safe (ethers, WebCrypto-free hashing via @noble).
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { computeAddress, getAddress, recoverAddress } from "ethers";
import { decodeBase64url, parseEthrDid, parseJsonObject } from "@mobile-id/core/browser";
import { walletError } from "../errors.ts";
import type { WalletFetch } from "../openid4vci/oauthCallbacks.ts";
import { type ResponseEnc, type ResponseKey, responseEncryptionOf } from "./encryptResponse.ts";

/** The `client_id` prefix of a relying party identified by its DID (OpenID4VP 1.0 §5.9.3). */
export const DECENTRALIZED_IDENTIFIER_PREFIX = "decentralized_identifier:";
/** A request object larger than this is refused before parsing (it also bounds the DCQL query). */
export const MAX_REQUEST_OBJECT_BYTES = 64 * 1024;
const CLOCK_SKEW_SECONDS = 60;
const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** The part of a DID document the wallet reads (did-resolver's `DIDDocument` fits). */
export interface DidDocumentLike {
  readonly id: string;
  readonly verificationMethod?: readonly { readonly id: string; readonly blockchainAccountId?: string; readonly publicKeyHex?: string }[];
  readonly assertionMethod?: readonly (string | { readonly id: string })[];
  readonly authentication?: readonly (string | { readonly id: string })[];
  readonly service?: readonly { readonly type?: string | readonly string[]; readonly serviceEndpoint?: unknown }[];
}

/** Resolves a DID with the project's resolution (did-resolver's `Resolvable.resolve` fits). */
export type DidResolver = (did: string) => Promise<{ readonly didDocument: DidDocumentLike | null; readonly didDocumentMetadata?: { readonly deactivated?: boolean } }>;

export interface VerifiedRequestObject {
  readonly clientId: string;
  readonly did: string;
  readonly requestUri: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly responseUri: string;
  readonly nonce: string;
  readonly state: string | undefined;
  /** `direct_post.jwt`: the verifier's key for this request and the `enc` to encrypt the answer with. */
  readonly encryption?: { readonly key: ResponseKey; readonly enc: ResponseEnc };
}

const invalid = (message: string, details: Record<string, unknown> = {}) => walletError("REQUEST_INVALID", message, { details });

function httpsOrLoopback(value: unknown, what: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalid(`${what} is not a URL`);
  }
  const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) throw invalid(`${what} must be https`, { [what]: url.origin });
  return url;
}

/** Parses `openid4vp://?client_id=…&request_uri=…` (by value requests are refused: they are unsigned). */
export function parseRequestLink(uri: string): { readonly clientId: string; readonly did: string; readonly requestUri: URL } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid("not an openid4vp:// link");
  }
  if (url.protocol !== "openid4vp:" && url.protocol !== "haip:" && url.protocol !== "https:") throw invalid("not an openid4vp:// link");
  const clientId = url.searchParams.get("client_id");
  const requestUri = url.searchParams.get("request_uri");
  if (clientId === null || requestUri === null) throw invalid("the link needs client_id and request_uri (a signed request object)");
  if (url.searchParams.has("request") || url.searchParams.has("dcql_query")) throw invalid("requests by value are unsigned: refused");
  const method = url.searchParams.get("request_uri_method");
  if (method !== null && method !== "get") throw invalid("only request_uri_method=get is supported");
  if (!clientId.startsWith(DECENTRALIZED_IDENTIFIER_PREFIX)) throw invalid("client_id is not a decentralized_identifier (a registered relying party's did:ethr)", { clientId });
  const did = clientId.slice(DECENTRALIZED_IDENTIFIER_PREFIX.length);
  if (parseEthrDid(did) === undefined) throw invalid("client_id is not a did:ethr", { clientId });
  return { clientId, did, requestUri: httpsOrLoopback(requestUri, "request_uri") };
}

const refs = (list: DidDocumentLike["assertionMethod"]) => (list ?? []).map((r) => (typeof r === "string" ? r : r.id));

/** The address the key `kid` of the document stands for, if the document lets it sign (assertion or authentication). */
function signingAddress(doc: DidDocumentLike, kid: string): string | undefined {
  const allowed = new Set([...refs(doc.assertionMethod), ...refs(doc.authentication)].map((r) => (r.startsWith("#") ? `${doc.id}${r}` : r)));
  if (!allowed.has(kid)) return undefined;
  const vm = (doc.verificationMethod ?? []).find((m) => (m.id.startsWith("#") ? `${doc.id}${m.id}` : m.id) === kid);
  if (vm === undefined) return undefined;
  if (typeof vm.blockchainAccountId === "string") {
    const address = vm.blockchainAccountId.split(":").at(-1) ?? "";
    try {
      return getAddress(address);
    } catch {
      return undefined;
    }
  }
  if (typeof vm.publicKeyHex === "string") {
    try {
      return computeAddress(`0x${vm.publicKeyHex.replace(/^0x/, "")}`);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether the ES256K signature over `signingInput` is by `address` (either recovery id). */
function signedBy(signingInput: string, signature: Uint8Array, address: string): boolean {
  if (signature.length !== 64) return false;
  const digest = `0x${bytesToHex(sha256(new TextEncoder().encode(signingInput)))}`;
  const r = `0x${bytesToHex(signature.subarray(0, 32))}`;
  const s = `0x${bytesToHex(signature.subarray(32))}`;
  // Reject high-s (malleable) signatures as every JOSE ES256K signer here writes low-s.
  if (BigInt(s) > SECP256K1_HALF_N) return false;
  for (const v of [27, 28]) {
    try {
      if (recoverAddress(digest, { r, s, v }) === address) return true;
    } catch {
      // not a valid point for this recovery id
    }
  }
  return false;
}

/**
 * Whether a compact ES256K JWS is signed by the key `kid` (a DID URL of `did`) and that key may sign for `did`
 * (assertion or authentication) in its document as resolved now; a deactivated DID signs nothing.
 *
 * @example
 * ```ts
 * await signedByDid({ signingInput, signature, kid: `${did}#controller` }, did, resolveDid); // true
 * ```
 */
export async function signedByDid(jws: { readonly signingInput: string; readonly signature: Uint8Array; readonly kid: string }, did: string, resolveDid: DidResolver): Promise<boolean> {
  if (!jws.kid.startsWith(`${did}#`)) return false;
  const resolved = await resolveDid(did);
  const doc = resolved.didDocument;
  const address = doc === null || resolved.didDocumentMetadata?.deactivated === true ? undefined : signingAddress(doc, jws.kid);
  return address !== undefined && signedBy(jws.signingInput, jws.signature, address);
}

/** Origins the DID document allows (its service endpoints), or `undefined` when it declares none. */
function serviceOrigins(doc: DidDocumentLike): Set<string> | undefined {
  const out = new Set<string>();
  for (const s of doc.service ?? []) {
    const endpoints = Array.isArray(s.serviceEndpoint) ? s.serviceEndpoint : [s.serviceEndpoint];
    for (const e of endpoints) {
      const uri = typeof e === "string" ? e : typeof (e as { uri?: unknown })?.uri === "string" ? (e as { uri: string }).uri : undefined;
      if (uri === undefined) continue;
      try {
        out.add(new URL(uri).origin);
      } catch {
        // not a URL: ignored
      }
    }
  }
  return out.size === 0 ? undefined : out;
}

/**
 * Fetches the request object at the link's `request_uri` and checks it, in this order: size and JWS shape
 * (`REQUEST_INVALID`); header `typ: oauth-authz-req+jwt`, `alg: ES256K`, `kid` a key of the client_id's DID, and the
 * signature by that key per the resolved DID document (`REQUEST_SIGNATURE_INVALID`); the payload's `client_id` equal
 * to the link's, `response_type: vp_token`, `response_mode: direct_post` or `direct_post.jwt` (then a P-256 ECDH-ES key in `client_metadata.jwks`), `nonce`, `iat`/`exp` (`REQUEST_INVALID`,
 * `REQUEST_EXPIRED`); and that `request_uri` and `response_uri` share one origin, among the DID document's service
 * endpoints when it declares any (`REQUEST_URI_MISMATCH`).
 */
export async function fetchAndVerifyRequestObject(params: {
  readonly uri: string;
  readonly fetch: WalletFetch;
  readonly resolveDid: DidResolver;
  readonly now: number;
}): Promise<VerifiedRequestObject> {
  const link = parseRequestLink(params.uri);
  let text: string;
  try {
    const response = await params.fetch(link.requestUri.href, { method: "GET", headers: { accept: "application/oauth-authz-req+jwt" }, redirect: "error" });
    if (!response.ok) throw invalid(`the request_uri answered ${response.status}`, { status: response.status });
    text = (await response.text()).trim();
  } catch (e) {
    if (e instanceof Error && "code" in e) throw e;
    throw invalid("the request object could not be fetched", { requestUri: link.requestUri.origin });
  }
  if (text.length > MAX_REQUEST_OBJECT_BYTES) throw invalid(`the request object exceeds ${MAX_REQUEST_OBJECT_BYTES} bytes`);
  const parts = text.split(".");
  const headerBytes = parts.length === 3 ? decodeBase64url(parts[0] as string) : undefined;
  const payloadBytes = parts.length === 3 ? decodeBase64url(parts[1] as string) : undefined;
  const signature = parts.length === 3 ? decodeBase64url(parts[2] as string) : undefined;
  const header = headerBytes === undefined ? undefined : parseJsonObject(headerBytes);
  const payload = payloadBytes === undefined ? undefined : parseJsonObject(payloadBytes);
  if (header === undefined || payload === undefined || signature === undefined) throw invalid("the request object is not a signed JWT");
  const kid = header["kid"];
  if (header["alg"] !== "ES256K" || header["typ"] !== "oauth-authz-req+jwt" || typeof kid !== "string" || !kid.startsWith(`${link.did}#`)) {
    throw walletError("REQUEST_SIGNATURE_INVALID", "the request object is not signed (ES256K, typ oauth-authz-req+jwt) by a key of the client_id's DID", {
      details: { alg: String(header["alg"]), typ: String(header["typ"]), kid: String(kid) },
    });
  }
  const resolved = await params.resolveDid(link.did);
  const doc = resolved.didDocument;
  const address = doc === null || resolved.didDocumentMetadata?.deactivated === true ? undefined : signingAddress(doc, kid);
  if (address === undefined || !signedBy(`${parts[0]}.${parts[1]}`, signature, address)) {
    throw walletError("REQUEST_SIGNATURE_INVALID", "the request object's signature is not by the client_id's DID", { details: { clientId: link.clientId, kid } });
  }
  if (payload["client_id"] !== link.clientId) throw invalid("the request object's client_id differs from the link's", { clientId: link.clientId });
  if (payload["response_type"] !== "vp_token") throw invalid("response_type must be vp_token");
  const mode = payload["response_mode"];
  if (mode !== "direct_post" && mode !== "direct_post.jwt") throw invalid("response_mode must be direct_post or direct_post.jwt", { responseMode: String(mode) });
  const encryption = mode === "direct_post.jwt" ? responseEncryptionOf(payload["client_metadata"]) : undefined;
  if (encryption !== undefined && !encryption.ok) throw invalid(encryption.reason);
  // OpenID4VP 1.0 static discovery names `https://self-issued.me/v2`; @openid4vc/openid4vp writes the request_uri.
  if (payload["aud"] !== undefined && payload["aud"] !== "https://self-issued.me/v2" && payload["aud"] !== link.requestUri.href) {
    throw invalid("the request object's aud is neither https://self-issued.me/v2 nor its request_uri");
  }
  const nonce = payload["nonce"];
  if (typeof nonce !== "string" || nonce.length < 16 || nonce.length > 256) throw invalid("nonce must be 16..256 characters");
  const state = payload["state"];
  if (state !== undefined && (typeof state !== "string" || state.length > 512)) throw invalid("state must be a string");
  const exp = payload["exp"];
  const iat = payload["iat"];
  if (typeof exp !== "number" || (iat !== undefined && typeof iat !== "number")) throw invalid("the request object needs exp (and a numeric iat)");
  if (exp <= params.now) throw walletError("REQUEST_EXPIRED", "the request has expired", { details: { exp } });
  if (typeof iat === "number" && iat > params.now + CLOCK_SKEW_SECONDS) throw invalid("the request object is issued in the future");
  const responseUri = httpsOrLoopback(payload["response_uri"], "response_uri");
  const allowed = doc === null ? undefined : serviceOrigins(doc);
  if (responseUri.origin !== link.requestUri.origin || (allowed !== undefined && !allowed.has(responseUri.origin))) {
    throw walletError("REQUEST_URI_MISMATCH", "the request's request_uri and response_uri are not both the relying party's", {
      details: { requestUri: link.requestUri.origin, responseUri: responseUri.origin, ...(allowed === undefined ? {} : { allowed: [...allowed] }) },
    });
  }
  return {
    clientId: link.clientId,
    did: link.did,
    requestUri: link.requestUri.href,
    payload,
    responseUri: responseUri.href,
    nonce,
    state: state as string | undefined,
    ...(encryption?.ok === true ? { encryption: { key: encryption.key, enc: encryption.enc } } : {}),
  };
}
