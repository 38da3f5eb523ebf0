import type { FastifyInstance, FastifyRequest, RouteOptions, onRequestHookHandler } from "fastify";
import { type ApiKeyRecord, authorizeTenant } from "./auth.ts";
import { HttpError, errorBodySchema } from "./errors.ts";

/**
 * Who may call a route. Declared on the route (`config: { access }`) and enforced on the route the router
 * matched, never by looking at the URL string: a request reaches a handler only through its route, whatever the
 * request target looked like (origin-form, absolute-form, `//double//slashes`, percent-encoding).
 *
 * - `"agency"`: `Authorization: Bearer <key>` of the agency named by the route's `:issuer` parameter
 *   (401 without a key or with an unknown one, 403 with another agency's).
 * - `"public"`: anyone.
 *
 * A route whose path has an `:issuer` parameter is an agency route unless it says `access: "public"`, so a
 * tenant route added without thought is protected, not open.
 */
export type RouteAccess = "public" | "agency";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export interface AccessControlParameters {
  /** The agencies' API key hashes. */
  readonly keys: readonly ApiKeyRecord[];
  /**
   * The `host[:port]` authorities under which this server is reached, for absolute-form request targets
   * (`GET http://host/path HTTP/1.1`). The address the server listens on is always one of them. A target
   * naming any other authority is refused with 421 `MISDIRECTED_REQUEST`: this server is no proxy.
   */
  readonly authorities?: () => readonly string[];
}

const DECORATOR = "midAccessControl";

/** The access a route gets: its declared one, else agency for tenant routes (`:issuer`), else public. */
export function routeAccess(route: Pick<RouteOptions, "url" | "config">): RouteAccess {
  const declared = (route.config as { access?: RouteAccess } | undefined)?.access;
  if (declared !== undefined) return declared;
  return /(^|\/):issuer(\/|$)/.test(route.url) ? "agency" : "public";
}

/**
 * Installs route-level access control and the request-target guard on `app`. Call it before any route is
 * registered (routes registered earlier are not seen); the route modules that need it refuse to register
 * without it ({@link requireAccessControl}).
 */
export function installAccessControl(app: FastifyInstance, params: AccessControlParameters): void {
  app.decorate(DECORATOR, true);

  const authorizeAgency: onRequestHookHandler = async (request) => {
    const tenant = (request.params as { issuer?: unknown } | undefined)?.issuer;
    // The router decoded the parameter; anything but a plain tenant id names no agency.
    if (typeof tenant !== "string" || tenant === "") {
      throw new HttpError(401, "UNAUTHENTICATED", "an API key is required", { hint: "send Authorization: Bearer <agency API key>" });
    }
    authorizeTenant(request, tenant, params.keys);
  };

  app.addHook("onRoute", (route) => {
    const access = routeAccess(route);
    if (access === "public") return;
    if (!/(^|\/):issuer(\/|$)/.test(route.url)) {
      throw new Error(`route ${route.method} ${route.url} is declared for agencies but has no :issuer parameter`);
    }
    // Authenticate first of all the route's hooks, before the body is read: an unauthenticated caller learns nothing.
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [authorizeAgency, ...existing];
    // The OpenAPI document says the same thing the server enforces.
    if (route.schema !== undefined) {
      const schema = route.schema as { security?: unknown; response?: Record<string, unknown> };
      schema.security = [{ agencyKey: [] }];
      schema.response = { 401: errorBodySchema, 403: errorBodySchema, ...schema.response };
    }
  });

  app.addHook("onRequest", async (request) => {
    checkRequestTarget(request, params.authorities?.() ?? [], listeningAuthorities(app));
  });
}

/** Throws unless {@link installAccessControl} ran on `app` (route modules with agency routes call it). */
export function requireAccessControl(app: FastifyInstance): void {
  if (!app.hasDecorator(DECORATOR)) {
    throw new Error("installAccessControl(app, …) must run before agency routes are registered");
  }
}

function listeningAuthorities(app: FastifyInstance): string[] {
  const address = app.server.address();
  if (address === null || typeof address === "string") return [];
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const out = [`${host}:${address.port}`, `localhost:${address.port}`];
  if (address.address === "127.0.0.1" || address.address === "::1") out.push(`127.0.0.1:${address.port}`, `[::1]:${address.port}`);
  return out;
}

function normaliseAuthority(authority: string, scheme: string): string {
  const lower = authority.toLowerCase();
  if (scheme === "http:" && lower.endsWith(":80")) return lower.slice(0, -3);
  if (scheme === "https:" && lower.endsWith(":443")) return lower.slice(0, -4);
  return lower;
}

/**
 * RFC 9112 §3.2 allows four request-target forms. Origin-form (`/path`) is served; absolute-form
 * (`http://authority/path`) only when it names this server; asterisk-form and authority-form (proxies' and
 * CONNECT's) never.
 */
function checkRequestTarget(request: FastifyRequest, configured: readonly string[], listening: readonly string[]): void {
  const target = request.raw.url ?? "";
  if (target.startsWith("/")) return;
  if (!/^https?:\/\//i.test(target)) {
    throw new HttpError(400, "INVALID_REQUEST_TARGET", "the request target must be a path", { hint: "send GET /path HTTP/1.1 with a Host header" });
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new HttpError(400, "INVALID_REQUEST_TARGET", "the request target is not a valid URL");
  }
  const authority = normaliseAuthority(url.host, url.protocol);
  const own = new Set([...configured, ...listening].map((a) => normaliseAuthority(a, url.protocol)));
  if (url.username !== "" || url.password !== "" || !own.has(authority)) {
    throw new HttpError(421, "MISDIRECTED_REQUEST", "the request target names another server", { hint: "this server is not a proxy; send the path only" });
  }
}
