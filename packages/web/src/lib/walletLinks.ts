/**
 * What the wallet accepts from a QR code, a pasted text or its own URL fragment: a credential offer or a
 * presentation request. The standard links (`openid4vp://`, `openid-credential-offer://`) may name any verifier or
 * issuer; the older own-network links (`/offers/<id>`, `/verifier/requests/<id>`) only this origin. Pure.
 */
import { type Openid4vpLink, parseOpenid4vpLink } from "./openid4vpLink.ts";

export type WalletLink =
  | { readonly kind: "offer"; readonly url: string }
  | { readonly kind: "request"; readonly url: string }
  /** An OpenID4VCI credential offer (`openid-credential-offer://…`), handled by `wallet/credentialOffer.ts`. */
  | { readonly kind: "credential-offer"; readonly url: string }
  /** An OpenID4VP request (`openid4vp://…`), handled by `wallet/openid4vp/present.ts`. */
  | Openid4vpLink;

const CREDENTIAL_OFFER = /^openid-credential-offer:\/\/[^?#\s]*\?[^#\s]*\bcredential_offer(?:_uri)?=/;

const OFFER_PATH = /^\/offers\/[A-Za-z0-9_-]{22}$/;
const REQUEST_PATH = /^\/verifier\/requests\/[A-Za-z0-9_-]{10,64}$/;

/**
 * Recognises `text` as a link the wallet can act on. Accepted: a wallet link (`…/app/wallet/#offer=<url>` or
 * `#request=<url>`), an offer URL (`…/offers/<id>`) or a request URI (`…/verifier/requests/<id>`). Only http(s) URLs
 * on `origin` are accepted for those older links; an `openid4vp://` link (alone or in `#request=`) is checked by
 * {@link parseOpenid4vpLink}.
 *
 * @example
 * ```ts
 * parseWalletLink("http://127.0.0.1:8080/verifier/requests/AbCdEf0123", "http://127.0.0.1:8080")
 * // { kind: "request", url: "http://127.0.0.1:8080/verifier/requests/AbCdEf0123" }
 * ```
 */
export function parseWalletLink(text: string, origin: string): WalletLink | undefined {
  const trimmed = text.trim();
  // An OpenID4VP request (issue 11): the link itself (a QR code), or wrapped in a wallet link's #request=.
  if (trimmed.startsWith("openid4vp:")) return parseOpenid4vpLink(trimmed, origin);
  // OpenID4VCI (issue 11): the offer's own URL is checked when it is fetched (see credentialOffer.ts).
  if (CREDENTIAL_OFFER.test(trimmed) && trimmed.length <= 4096) return { kind: "credential-offer", url: trimmed };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.hash.length > 1) {
    const params = new URLSearchParams(url.hash.slice(1));
    const offer = params.get("offer");
    const request = params.get("request");
    if (offer !== null) return checked("offer", offer, origin);
    if (request !== null) return request.startsWith("openid4vp:") ? parseOpenid4vpLink(request, origin) : checked("request", request, origin);
  }
  if (OFFER_PATH.test(url.pathname)) return checked("offer", trimmed, origin);
  if (REQUEST_PATH.test(url.pathname)) return checked("request", trimmed, origin);
  return undefined;
}

function checked(kind: "offer" | "request", text: string, origin: string): WalletLink | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.origin !== origin || url.search !== "" || url.hash !== "") return undefined;
  if (!(kind === "offer" ? OFFER_PATH : REQUEST_PATH).test(url.pathname)) return undefined;
  return { kind, url: url.href };
}

/** The wallet link that opens `target` (used by the verifier and issuer pages for same-device hand-over). */
export function walletLinkFor(kind: "offer" | "request", targetUrl: string, origin: string): string {
  return `${origin}/app/wallet/#${kind}=${encodeURIComponent(targetUrl)}`;
}
