import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { HttpError } from "../errors.ts";

export interface WebRoutesParameters {
  /** The built web app (`packages/web/dist`). When it is missing, `/app/` says how to build it. */
  readonly root: string;
  /**
   * Whether the wallet may also reach plain-http services on the loopback (`pnpm start` without `--lan`, where the
   * services themselves are plain http on 127.0.0.1). Default true. Off when the pages are served over HTTPS: on a
   * phone, "loopback" is the phone itself, which a wallet link must not make the wallet probe.
   */
  readonly walletLoopbackHttp?: boolean;
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * Content-Security-Policy of a page: scripts and styles from this origin only (the build inlines nothing), images
 * also as data: URLs (QR codes drawn in the page), the camera for this origin only. The pages talk to their own
 * services (`connect-src 'self'`), except the wallet: it talks to any issuer and any verifier through the standard
 * protocols, so it may connect to any `https:` origin, and, where the services run on plain http on this machine
 * (no `--lan`), to plain http on the loopback names too (CSP has no IPv6 host sources) (where
 * `pnpm start` runs the services; the wallet's link parsing says the same, see `reachableByWallet`).
 */
function contentSecurityPolicy(page: "page" | "wallet" | "wallet-https-only"): string {
  const connect = { page: "connect-src 'self'", wallet: "connect-src 'self' https: http://127.0.0.1:* http://localhost:*", "wallet-https-only": "connect-src 'self' https:" }[page];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    connect,
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}
const CSP = { page: contentSecurityPolicy("page"), wallet: contentSecurityPolicy("wallet"), "wallet-https-only": contentSecurityPolicy("wallet-https-only") } as const;

function securityHeaders(reply: FastifyReply, csp: keyof typeof CSP): FastifyReply {
  return reply
    .header("content-security-policy", CSP[csp])
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("permissions-policy", "camera=(self), microphone=(), geolocation=()")
    .header("cross-origin-opener-policy", "same-origin");
}

/**
 * Serves the built web app under `/app/` (landing page, wallet, verifier counter, issuer console, auditor
 * dashboard) and redirects `/` there. Files with a content hash (`/app/assets/`) are cached for a year; pages, the
 * manifest and the service worker are revalidated on every load so that an update reaches phones at once.
 */
export function registerWebRoutes(app: FastifyInstance, p: WebRoutesParameters): void {
  const root = resolve(p.root);

  app.get("/", { schema: { hide: true } }, async (_request, reply) => reply.redirect("/app/", 302));
  app.get("/app", { schema: { hide: true } }, async (_request, reply) => reply.redirect("/app/", 302));

  app.get<{ Params: { "*": string } }>("/app/*", { schema: { hide: true } }, async (request, reply) => {
    let relative: string;
    try {
      relative = decodeURIComponent(request.params["*"]);
    } catch {
      throw new HttpError(400, "INVALID_PATH", "the path is not valid percent-encoding");
    }
    if (relative.includes("\0")) throw new HttpError(400, "INVALID_PATH", "the path contains a NUL character");
    const notFound = () => new HttpError(404, "NOT_FOUND", `no page ${(request.url.split("?")[0] ?? "").slice(0, 200)}`);
    let path = resolve(root, normalize(relative));
    // Never outside the build directory, whatever the URL says (`..`, encoded slashes, absolute paths).
    if (path !== root && !path.startsWith(root + sep)) throw notFound();
    let info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() === true) {
      // The Location is rebuilt from the resolved file path, never from the request target: an absolute-form or
      // `//host/...` target must not become a redirect to another host.
      if (!relative.endsWith("/") && relative !== "") {
        const inside = path.slice(root.length + 1).split(sep).map(encodeURIComponent).join("/");
        return reply.redirect(`/app/${inside}/`, 301);
      }
      path = join(path, "index.html");
      info = await stat(path).catch(() => undefined);
    }
    if (info?.isFile() !== true) {
      // 503 only when the build itself is missing; a missing page of a built app is an ordinary 404.
      const built = (await stat(join(root, "index.html")).catch(() => undefined))?.isFile() === true;
      if (!built) {
        throw new HttpError(503, "WEB_APP_NOT_BUILT", "the web app is not built", { hint: "run `pnpm build:web` (pnpm start builds it when it is missing)" });
      }
      throw notFound();
    }
    const type = TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
    const immutable = relative.startsWith("assets/");
    // Decided on the resolved file, not the URL: the wallet's pages and worker are the files under `wallet/`.
    const wallet = path.startsWith(join(root, "wallet") + sep);
    return securityHeaders(reply, !wallet ? "page" : p.walletLoopbackHttp === false ? "wallet-https-only" : "wallet")
      .type(type)
      .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache")
      .send(await readFile(path));
  });
}
