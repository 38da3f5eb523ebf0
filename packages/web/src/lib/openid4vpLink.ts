/**
 * An OpenID4VP request link (`openid4vp://?client_id=…&request_uri=…`, OpenID4VP 1.0 §5 by reference), as the wallet
 * accepts it: a `decentralized_identifier:` client id naming a `did:ethr`, and a `request_uri` the wallet may fetch
 * from `walletOrigin` ({@link reachableByWallet}) on the verifier's own origin, whichever it is: the wallet answers any verifier the
 * ledger lists as a relying party, not only the network it was loaded from. Pure.
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
/** Loopback names the page's `connect-src` can list (a CSP host source cannot name an IPv6 address). */
const LOOPBACK = new Set(["127.0.0.1", "localhost"]);
/** A request URI longer than this is not one a verifier makes (a QR code holds about 2,900 bytes). */
const MAX_REQUEST_URI_LENGTH = 2048;

/**
 * Whether the wallet on `walletOrigin` talks to `url`: `https:` anywhere; plain `http:` only on the loopback and
 * only for a wallet itself served over plain http on the loopback (`pnpm start` without `--lan`: the services run
 * there; on a phone, the loopback is the phone itself); never a URL with credentials in it. The wallet page's
 * Content-Security-Policy (`connect-src`) says the same.
 *
 * @example
 * ```ts
 * reachableByWallet(new URL("https://counter.example/vp/requests/1"), "https://192.168.0.23:8444"); // true
 * reachableByWallet(new URL("http://127.0.0.1:8080/vp/requests/1"), "http://127.0.0.1:8081");       // true
 * reachableByWallet(new URL("http://127.0.0.1:8080/vp/requests/1"), "https://192.168.0.23:8444");   // false
 * ```
 */
export function reachableByWallet(url: URL, walletOrigin: string): boolean {
  if (url.username !== "" || url.password !== "") return false;
  if (url.protocol === "https:") return true;
  const wallet = new URL(walletOrigin);
  return url.protocol === "http:" && LOOPBACK.has(url.hostname) && wallet.protocol === "http:" && LOOPBACK.has(wallet.hostname);
}

/**
 * Reads an `openid4vp://` link, or `undefined` when it is not one the wallet answers.
 *
 * @example
 * ```ts
 * parseOpenid4vpLink("openid4vp://?client_id=decentralized_identifier%3Adid%3Aethr%3A0x7a69%3A0xa0Ee…&request_uri=https%3A%2F%2Fcounter.example%2Fverifier%2Fopenid4vp%2Frequests%2FAbC…", "https://192.168.0.23:8444")
 * // { kind: "openid4vp", clientId: "decentralized_identifier:did:ethr:0x7a69:0xa0Ee…", did: "did:ethr:0x7a69:0xa0Ee…", requestUri: "https://counter.example/verifier/openid4vp/requests/AbC…", url: "openid4vp://…" }
 * ```
 */
export function parseOpenid4vpLink(text: string, walletOrigin: string): Openid4vpLink | undefined {
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
  if (!reachableByWallet(request, walletOrigin) || request.hash !== "" || request.href.length > MAX_REQUEST_URI_LENGTH) return undefined;
  return { kind: "openid4vp", url: trimmed, clientId, did, requestUri: request.href };
}
