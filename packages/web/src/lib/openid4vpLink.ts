/**
 * An OpenID4VP request link (`openid4vp://?client_id=…&request_uri=…`, OpenID4VP 1.0 §5 by reference), as the wallet
 * accepts it: a `decentralized_identifier:` client id naming a `did:ethr`, and a `request_uri` on the wallet's own
 * origin (the wallet talks to the network it was loaded from, as its Content-Security-Policy says). Pure.
 */

/** `client_id` prefix of a verifier identified by its DID (OpenID4VP 1.0 §5.9.3). */
export const DID_CLIENT_ID_PREFIX = "decentralized_identifier:";

export interface Openid4vpLink {
  readonly kind: "openid4vp";
  /** The link as given (trimmed). */
  readonly url: string;
  readonly clientId: string;
  /** The verifier's `did:ethr` (the client id without its prefix). */
  readonly did: string;
  readonly requestUri: string;
}

const DID = /^did:ethr:(0x[0-9a-fA-F]+:)?0x[0-9a-fA-F]{40}$/;
const REQUEST_PATH = /^\/verifier\/openid4vp\/requests\/[A-Za-z0-9_-]{10,64}$/;

/**
 * Reads an `openid4vp://` link, or `undefined` when it is not one the wallet answers.
 *
 * @example
 * ```ts
 * parseOpenid4vpLink("openid4vp://?client_id=decentralized_identifier%3Adid%3Aethr%3A0x7a69%3A0xa0Ee…&request_uri=http%3A%2F%2F127.0.0.1%3A8081%2Fverifier%2Fopenid4vp%2Frequests%2FAbC…", "http://127.0.0.1:8081")
 * // { kind: "openid4vp", clientId: "decentralized_identifier:did:ethr:0x7a69:0xa0Ee…", did: "did:ethr:0x7a69:0xa0Ee…", requestUri: "http://127.0.0.1:8081/verifier/openid4vp/requests/AbC…", url: "openid4vp://…" }
 * ```
 */
export function parseOpenid4vpLink(text: string, origin: string): Openid4vpLink | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("openid4vp:")) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  const params = url.searchParams;
  // Exactly these two parameters, once each: a request by value, or anything extra, is not answered.
  if ([...params.keys()].sort().join(",") !== "client_id,request_uri") return undefined;
  const clientId = params.get("client_id") ?? "";
  const requestUri = params.get("request_uri") ?? "";
  if (!clientId.startsWith(DID_CLIENT_ID_PREFIX)) return undefined;
  const did = clientId.slice(DID_CLIENT_ID_PREFIX.length);
  if (!DID.test(did)) return undefined;
  let request: URL;
  try {
    request = new URL(requestUri);
  } catch {
    return undefined;
  }
  if (request.origin !== origin || request.search !== "" || request.hash !== "" || !REQUEST_PATH.test(request.pathname)) return undefined;
  return { kind: "openid4vp", url: trimmed, clientId, did, requestUri: request.href };
}
