import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installErrorHandling } from "../errors.ts";
import { registerWebRoutes } from "./web.ts";

describe("serving the built web app", () => {
  const root = mkdtempSync(join(tmpdir(), "mid-web-root-"));
  const app = Fastify({ logger: false });
  const get = (url: string) => app.inject({ method: "GET", url });

  beforeAll(async () => {
    mkdirSync(join(root, "dist", "wallet"), { recursive: true });
    mkdirSync(join(root, "dist", "assets"), { recursive: true });
    writeFileSync(join(root, "dist", "index.html"), "<!doctype html><title>landing</title>");
    writeFileSync(join(root, "dist", "wallet", "index.html"), "<!doctype html><title>wallet</title>");
    writeFileSync(join(root, "dist", "assets", "app-abc123.js"), "console.log(1)");
    writeFileSync(join(root, "secret.txt"), "outside");
    installErrorHandling(app);
    registerWebRoutes(app, { root: join(root, "dist") });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("redirects / to /app/ and serves pages with a strict Content-Security-Policy", async () => {
    expect((await get("/")).headers.location).toBe("/app/");
    expect((await get("/app/wallet")).headers.location).toBe("/app/wallet/");
    const page = await get("/app/wallet/");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("wallet");
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["cache-control"]).toBe("no-cache");
    const asset = await get("/app/assets/app-abc123.js");
    expect(asset.headers["content-type"]).toContain("text/javascript");
    expect(asset.headers["cache-control"]).toContain("immutable");
  });

  it("lets only the wallet connect to other origins (any issuer or verifier over https, http on loopback only)", async () => {
    const directive = (csp: unknown) => String(csp).split("; ").find((d) => d.startsWith("connect-src"));
    const wallet = directive((await get("/app/wallet/")).headers["content-security-policy"]);
    expect(wallet).toBe("connect-src 'self' https: http://127.0.0.1:* http://localhost:*");
    expect(directive((await get("/app/")).headers["content-security-policy"])).toBe("connect-src 'self'");
    // Decided on the file served, not the URL's spelling.
    expect(directive((await get("/app/wallet/../")).headers["content-security-policy"])).toBe("connect-src 'self'");
    expect(directive((await get("/app/%77allet/")).headers["content-security-policy"])).toBe(wallet);
    // Served over HTTPS (--lan): https only, never the phone's own loopback.
    const https = Fastify({ logger: false });
    installErrorHandling(https);
    registerWebRoutes(https, { root: join(root, "dist"), walletLoopbackHttp: false });
    const page = await https.inject({ method: "GET", url: "/app/wallet/" });
    expect(directive(page.headers["content-security-policy"])).toBe("connect-src 'self' https:");
    await https.close();
  });

  it("never serves a file outside the build", async () => {
    for (const url of ["/app/../secret.txt", "/app/%2e%2e/secret.txt", "/app/..%2fsecret.txt", "/app/%2e%2e%2f%2e%2e%2fsecret.txt"]) {
      const r = await get(url);
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.body, url).not.toContain("outside");
    }
    expect((await get("/app/nope.js")).statusCode).toBe(404);
  });

  it("answers an unknown page of a built app with a JSON 404, not 503", async () => {
    for (const url of ["/app/nope/", "/app/wallet/nope/", "/app/nope.js", "/app/a%00b"]) {
      const r = await get(url);
      expect(r.statusCode, url).toBeLessThan(500);
      expect(r.json().error.code, url).toMatch(/^(NOT_FOUND|INVALID_PATH)$/);
    }
    expect((await get("/app/nope/")).statusCode).toBe(404);
  });

  it("says 503 WEB_APP_NOT_BUILT, in JSON, only when there is no build", async () => {
    const bare = Fastify({ logger: false });
    installErrorHandling(bare);
    registerWebRoutes(bare, { root: join(root, "missing") });
    const r = await bare.inject({ method: "GET", url: "/app/" });
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe("WEB_APP_NOT_BUILT");
    await bare.close();
  });
});
