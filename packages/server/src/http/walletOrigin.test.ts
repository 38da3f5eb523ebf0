import type { IncomingMessage, Server } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeBase64url } from "@mobile-id/core";
import { installAccessControl } from "../access.ts";
import { generateApiKey, hashApiKey } from "../auth.ts";
import { installErrorHandling } from "../errors.ts";
import type { IssuerTenant } from "../routes/issuer.ts";
import { createOfferStore } from "../routes/offerStore.ts";
import { registerOfferRoutes } from "../routes/offers.ts";
import { registerWebRoutes } from "../routes/web.ts";
import { openDatabase } from "../stores/database.ts";
import { DEFAULT_HTTP_LIMITS } from "./edge.ts";
import { installWalletOriginGuard, listenWalletOrigin } from "./walletOrigin.ts";

const SNU = "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";
const credential = `${encodeBase64url(JSON.stringify({ alg: "ES256K", typ: "JWT" }))}.${encodeBase64url(JSON.stringify({ iss: SNU, exp: 4_000_000_000 }))}.${encodeBase64url(new Uint8Array(64))}`;

describe("the wallet on its own origin", () => {
  const app = Fastify({ logger: false });
  const key = generateApiKey();
  const walletRequests = new WeakSet<IncomingMessage>();
  const urls = { main: "", wallet: "" };
  let walletServer: Server;
  let root: string;
  const get = (url: string, init: RequestInit = {}) => fetch(url, { redirect: "manual", ...init });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "mid-web-"));
    for (const app of ["", "wallet", "issuer", "verifier"]) {
      mkdirSync(join(root, app), { recursive: true });
      writeFileSync(join(root, app, "index.html"), `<!doctype html><title>${app || "landing"}</title>`);
    }
    writeFileSync(join(root, "wallet", "sw.js"), "// sw");
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "assets", "layout-abc.js"), "// shared");
    writeFileSync(join(root, "assets", "layout-abc.css"), "body{}");
    writeFileSync(join(root, "assets", "drawing.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    installErrorHandling(app);
    installAccessControl(app, { keys: [{ tenant: "snu", keyHash: hashApiKey(key) }], authorities: () => [new URL(urls.wallet).host] });
    installWalletOriginGuard(app, { url: () => urls.wallet, mainUrl: () => urls.main, servedHere: (raw) => walletRequests.has(raw) });
    registerOfferRoutes(app, {
      tenants: [{ id: "snu", name: "서울대학교", issuer: { did: SNU } }] as unknown as IssuerTenant[],
      offers: createOfferStore(openDatabase(":memory:")),
      get publicBaseUrl() {
        return urls.main;
      },
      get walletBaseUrl() {
        return urls.wallet;
      },
      verifyCredential: async () => ({ verified: true }),
    });
    registerWebRoutes(app, { root });
    urls.main = await app.listen({ host: "127.0.0.1", port: 0 });
    walletServer = await listenWalletOrigin({ app, host: "127.0.0.1", port: 0, limits: DEFAULT_HTTP_LIMITS, mark: (raw) => walletRequests.add(raw) });
    const address = walletServer.address();
    urls.wallet = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => walletServer.close(resolve));
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves the wallet's pages on its origin only, and no other app's page there", async () => {
    expect(new URL(urls.wallet).origin).not.toBe(new URL(urls.main).origin);
    const page = await get(`${urls.wallet}/app/wallet/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>wallet</title>");
    expect((await get(`${urls.wallet}/app/wallet/sw.js`)).status).toBe(200);
    // The shared scripts and styles the wallet's page loads from its own origin (its CSP allows no other).
    expect((await get(`${urls.wallet}/app/assets/layout-abc.js`)).status).toBe(200);
    expect((await get(`${urls.wallet}/app/assets/layout-abc.css`)).status).toBe(200);
    for (const [path, to] of [
      ["/", "/app/wallet/"],
      ["/app/", "/app/wallet/"],
      ["/app/issuer/", `${urls.main}/app/issuer/`],
      ["/app/verifier/index.html", `${urls.main}/app/verifier/index.html`],
      ["/app/wallet/%2e%2e/issuer/index.html", `${urls.main}/app/issuer/index.html`],
      // An SVG is a document that can run script: never served on the wallet origin outside the wallet's own files.
      ["/app/assets/drawing.svg", `${urls.main}/app/assets/drawing.svg`],
    ] as const) {
      const a = await get(`${urls.wallet}${path}`);
      expect(a.status, path).toBe(302);
      expect(a.headers.get("location"), path).toBe(to);
    }
  });

  it("moves the wallet's pages off the main origin (the path kept, so links with a #fragment still open it)", async () => {
    for (const [path, to] of [
      ["/app/wallet/", `${urls.wallet}/app/wallet/`],
      ["/app/wallet", `${urls.wallet}/app/wallet/`],
      ["/app/wallet/sw.js", `${urls.wallet}/app/wallet/sw.js`],
      ["/app/issuer/%2e%2e/wallet/index.html", `${urls.wallet}/app/wallet/index.html`],
    ] as const) {
      const a = await get(`${urls.main}${path}`);
      expect(a.status, path).toBe(302);
      expect(a.headers.get("location"), path).toBe(to);
    }
    expect((await get(`${urls.main}/app/issuer/`)).status).toBe(200);
  });

  it("points offer links at the wallet's origin, where the wallet redeems them; agency routes do not exist there", async () => {
    const body = JSON.stringify({ credential });
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    expect((await get(`${urls.wallet}/issuers/snu/offers`, { method: "POST", headers, body })).status).toBe(404);
    const created = await get(`${urls.main}/issuers/snu/offers`, { method: "POST", headers, body });
    expect(created.status).toBe(201);
    const offer = (await created.json()) as { offerUri: string; walletUri: string };
    expect(new URL(offer.offerUri).origin).toBe(urls.wallet);
    expect(offer.walletUri).toBe(`${urls.wallet}/app/wallet/#offer=${encodeURIComponent(offer.offerUri)}`);
    const redeemed = await get(offer.offerUri);
    expect(redeemed.status).toBe(200);
    expect(((await redeemed.json()) as { credential: string }).credential).toBe(credential);
  });
});
