import { type IncomingMessage, type Server, createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { posix } from "node:path";
import type { FastifyInstance } from "fastify";
import { routeAccess } from "../access.ts";
import { HttpError } from "../errors.ts";
import { type HttpLimits, clientErrorHandler } from "./edge.ts";

/**
 * The wallet's own origin: the wallet pages are served on a second port of the same services, so that no issuer,
 * verifier or auditor page ever shares the wallet's storage (IndexedDB, service worker, local storage are per
 * origin, and an origin includes the port). The wallet there reads the ledger through the same public APIs on its
 * own origin, and talks to issuers and verifiers (these services' or anyone's) where they are, cross-origin
 * (`crossOrigin.ts`).
 */
export interface WalletOrigin {
  /** Base URL of the wallet origin, e.g. `http://127.0.0.1:8081` (read on every request: known after listen). */
  readonly url: () => string;
  /** Base URL of the other pages' origin, e.g. `http://127.0.0.1:8080`. */
  readonly mainUrl: () => string;
  /** Whether a request arrived on the wallet origin's listener. */
  readonly servedHere: (raw: IncomingMessage) => boolean;
}

/** `/app/*`'s path, decoded and normalised as the page route resolves it, e.g. `/wallet/sw.js`; undefined if undecodable. */
function pagePath(wildcard: string): string | undefined {
  try {
    return posix.normalize(`/${decodeURIComponent(wildcard)}`);
  } catch {
    return undefined;
  }
}

const isWalletPage = (path: string) => path === "/wallet" || path.startsWith("/wallet/");
/**
 * Files every app's page loads (the build's shared, content-hashed scripts and styles under `/app/assets/`): served
 * on the wallet origin too, since its pages load them from there. Only kinds a browser never runs as a document of
 * the origin (scripts and styles run only inside a page that loads them; `nosniff` is set): never HTML or SVG.
 */
const SUBRESOURCE = /\.(js|css|woff2|png|ico)$/;
/** A path suffix safe to carry into a redirect's Location (anything else is dropped: the redirect goes to the app's start). */
const safeSuffix = (suffix: string) => (/^[A-Za-z0-9._~\-/]*$/.test(suffix) && !suffix.includes("//") ? suffix : "");

/**
 * Splits the pages between the two origins, decided on the route the router matched (never on the raw URL):
 * on the wallet origin, only the wallet's pages and the shared scripts and styles they load are served (`/` and
 * `/app/` lead to the wallet, another app's page to that page on the main origin) and agency routes do not exist; on the main origin, `/app/wallet/…` moves to
 * the wallet origin (a browser carries the `#offer=`/`#request=` fragment over a redirect, so the same-device links
 * the counter and console pages make keep working).
 *
 * @example
 * ```ts
 * installWalletOriginGuard(app, { url: () => "http://127.0.0.1:8081", mainUrl: () => "http://127.0.0.1:8080", servedHere: (raw) => walletRequests.has(raw) });
 * ```
 */
export function installWalletOriginGuard(app: FastifyInstance, origin: WalletOrigin): void {
  app.addHook("onRequest", async (request, reply) => {
    const route = request.routeOptions.url;
    const wildcard = route === "/app/*" ? ((request.params as { "*"?: string })["*"] ?? "") : undefined;
    const page = wildcard === undefined ? undefined : pagePath(wildcard);
    if (origin.servedHere(request.raw)) {
      if (route === "/" || route === "/app" || page === "/") return reply.redirect("/app/wallet/", 302);
      if (page !== undefined && !isWalletPage(page) && !SUBRESOURCE.test(page)) return reply.redirect(`${origin.mainUrl()}/app${safeSuffix(page)}`, 302);
      if (route !== undefined && routeAccess({ url: route, config: request.routeOptions.config }) === "agency") {
        throw new HttpError(404, "NOT_FOUND", "the wallet's origin serves no agency API");
      }
      return;
    }
    if (page !== undefined && isWalletPage(page)) {
      return reply.redirect(`${origin.url()}/app/wallet/${safeSuffix(page.slice("/wallet/".length))}`, 302);
    }
  });
}

export interface ListenWalletOriginParameters {
  readonly app: FastifyInstance;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Key and certificate chain (PEM) when the services speak HTTPS. */
  readonly tls?: { readonly key: string; readonly cert: string } | undefined;
  readonly limits: HttpLimits;
  /** Called with each request this listener receives, before it is routed (see {@link WalletOrigin.servedHere}). */
  readonly mark: (raw: IncomingMessage) => void;
}

/**
 * Listens for the wallet origin: a second HTTP(S) server with the same limits as the main one, handing every
 * request to `app`'s router. Call after `app.ready()` (or `listen`); close the returned server yourself.
 *
 * @example
 * ```ts
 * const server = await listenWalletOrigin({ app, host: "127.0.0.1", port: 8081, limits: DEFAULT_HTTP_LIMITS, mark: (raw) => walletRequests.add(raw) });
 * ```
 */
export async function listenWalletOrigin(p: ListenWalletOriginParameters): Promise<Server> {
  const handler = (req: IncomingMessage, res: Parameters<FastifyInstance["routing"]>[1]) => {
    p.mark(req);
    p.app.routing(req, res);
  };
  const options = {
    headersTimeout: p.limits.headersTimeoutMs,
    requestTimeout: p.limits.requestTimeoutMs,
    connectionsCheckingInterval: p.limits.checkIntervalMs,
    keepAliveTimeout: p.limits.keepAliveTimeoutMs,
  };
  // An https.Server is an http.Server for everything used here (listen, close, limits, clientError).
  const server: Server = p.tls === undefined ? createHttpServer(options, handler) : (createHttpsServer({ ...options, key: p.tls.key, cert: p.tls.cert }, handler) as unknown as Server);
  server.setTimeout(p.limits.idleTimeoutMs);
  server.maxRequestsPerSocket = p.limits.maxRequestsPerSocket;
  server.maxConnections = p.limits.maxConnections;
  server.on("clientError", clientErrorHandler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(p.port, p.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
