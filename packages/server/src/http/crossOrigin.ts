import type { FastifyInstance, FastifyReply } from "fastify";
import { routeAccess } from "../access.ts";

/**
 * Cross-origin access (CORS) for the routes a holder's wallet calls from its own origin: the OpenID4VCI issuer's
 * metadata, offer, token, nonce and credential endpoints and the OpenID4VP verifier's request and response
 * endpoints. A wallet is a web page on an origin of its own (or of another network's), so these answers must be
 * readable by any origin, as any OAuth endpoint a browser wallet reaches.
 *
 * Declared on the route (`config: { crossOrigin: true }`) and decided on the route the router matched, never on the
 * URL string. Cross-origin answers carry `Access-Control-Allow-Origin: *` and never credentials: none of these
 * routes reads a cookie, and the agency and counter routes (API keys, counter tokens) get no CORS header at all,
 * so a page elsewhere cannot read their answers. Each cross-origin route gets its preflight (`OPTIONS` on the same
 * path) registered next to it, allowing the headers the protocols send (`Authorization`, `DPoP`, `Content-Type`).
 */
declare module "fastify" {
  interface FastifyContextConfig {
    crossOrigin?: boolean;
  }
}

/** Request headers a wallet may send cross-origin (beyond the CORS-safelisted ones). */
export const CROSS_ORIGIN_REQUEST_HEADERS: readonly string[] = ["authorization", "content-type", "dpop"];
/** Answer headers a wallet may read cross-origin (RFC 9449 nonces, OAuth challenges, back-off). */
export const CROSS_ORIGIN_EXPOSED_HEADERS: readonly string[] = ["dpop-nonce", "www-authenticate", "retry-after"];
/** How long a browser may keep a preflight's answer (seconds). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const PREFLIGHT = Symbol("mobile-id.crossOrigin.preflight");

function allowAnyOrigin(reply: FastifyReply): FastifyReply {
  return reply.header("access-control-allow-origin", "*").header("access-control-expose-headers", CROSS_ORIGIN_EXPOSED_HEADERS.join(", "));
}

/**
 * Installs cross-origin access on `app`. Call it before any route is registered: routes registered earlier are not
 * seen. Errors are covered too (an OAuth error the wallet must read is an answer like any other).
 *
 * @example
 * ```ts
 * installCrossOrigin(app);
 * app.post("/issuers/:tenant/token", { config: { access: "public", crossOrigin: true } }, handler);
 * // OPTIONS /issuers/:tenant/token now answers the preflight; POST answers carry Access-Control-Allow-Origin: *
 * ```
 */
export function installCrossOrigin(app: FastifyInstance): void {
  /** The methods allowed per cross-origin path, filled as routes are registered (read when a preflight arrives). */
  const methods = new Map<string, Set<string>>();
  app.addHook("onRoute", (route) => {
    if ((route as { [PREFLIGHT]?: true })[PREFLIGHT] === true || route.config?.crossOrigin !== true) return;
    // An agency route (API key) is never readable from another origin, whatever its declaration says.
    if (routeAccess(route) === "agency") throw new Error(`route ${String(route.method)} ${route.url} is an agency route and cannot be declared crossOrigin`);
    const url = route.url;
    const known = methods.get(url);
    const list = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== "HEAD" && m !== "OPTIONS");
    if (known !== undefined) {
      for (const m of list) known.add(m);
      return;
    }
    methods.set(url, new Set(list));
    // Fastify runs onRoute for routes added here too; the marker keeps the preflight from registering its own.
    app.route({
      method: "OPTIONS",
      url,
      [PREFLIGHT]: true,
      config: { access: "public", crossOrigin: true },
      schema: { hide: true },
      handler: async (_request, reply) =>
        reply
          .code(204)
          .header("access-control-allow-methods", [...(methods.get(url) ?? [])].join(", "))
          .header("access-control-allow-headers", CROSS_ORIGIN_REQUEST_HEADERS.join(", "))
          .header("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS))
          .send(),
    } as Parameters<FastifyInstance["route"]>[0]);
  });
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.routeOptions.config?.crossOrigin === true) allowAnyOrigin(reply);
    return payload;
  });
}
