/**
 * Development machines serve the issuer and the verifier over plain http on this machine (`pnpm start`). The
 * `@openid4vc` libraries refuse http unless their process-wide `allowInsecureUrls` is set; this turns it on and
 * returns a `fetch` that still refuses plain http to any other host, so https stays required everywhere else.
 */
import { setGlobalConfig } from "@openid4vc/oauth2";
import { MobileIdError } from "@mobile-id/core/browser";
import type { WalletFetch } from "./oauthCallbacks.ts";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether `uri` is plain http to this machine. */
export function isLoopbackHttp(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === "http:" && LOOPBACK.has(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Allows plain http to this machine only (process-wide for `@openid4vc`; meant for a command-line process or a test).
 *
 * @example
 * ```ts
 * const fetch = allowLoopbackHttp(globalThis.fetch); // then receiveCredentialOffer({ ..., fetch })
 * ```
 */
export function allowLoopbackHttp(fetch: WalletFetch): WalletFetch {
  setGlobalConfig({ allowInsecureUrls: true });
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith("http:") && !isLoopbackHttp(url)) {
      return Promise.reject(new MobileIdError("INVALID_ARGUMENT", "plain http is allowed to this machine only", { details: { url: new URL(url).origin } }));
    }
    return fetch(input, init);
  };
}
