import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installAccessControl } from "../access.ts";
import { generateApiKey, hashApiKey } from "../auth.ts";
import { HttpError, installErrorHandling } from "../errors.ts";
import { installCrossOrigin } from "./crossOrigin.ts";

const WALLET = "https://wallet.example";

describe("cross-origin access for the wallet's protocol routes", () => {
  let app: FastifyInstance;
  const key = generateApiKey();

  beforeAll(async () => {
    // As createServer builds it: `//` is routed as `/`.
    app = Fastify({ logger: false, routerOptions: { ignoreDuplicateSlashes: true } });
    installErrorHandling(app);
    installAccessControl(app, { keys: [{ tenant: "snu", keyHash: hashApiKey(key) }] });
    installCrossOrigin(app);
    // In a scope of its own, as the OpenID4VCI routes are.
    await app.register(async (scope) => {
      scope.get("/issuers/:tenant/metadata", { config: { access: "public", crossOrigin: true } }, async () => ({ ok: true }));
      scope.post("/issuers/:tenant/token", { config: { access: "public", crossOrigin: true } }, async () => {
        throw new HttpError(400, "INVALID_GRANT", "no such code");
      });
      scope.get("/issuers/:tenant/token", { config: { access: "public", crossOrigin: true } }, async () => ({ get: true }));
    });
    app.post("/issuers/:issuer/credentials", async () => ({ issued: true }));
    app.get("/verifier/requests/:id/result", async () => ({ claims: { name: "김민준" } }));
    await app.ready();
  });
  afterAll(() => app.close());

  it("answers a preflight with the route's methods and the protocol headers, for any origin, without credentials", async () => {
    const r = await app.inject({
      method: "OPTIONS",
      url: "/issuers/snu/token",
      headers: { origin: WALLET, "access-control-request-method": "POST", "access-control-request-headers": "dpop, content-type" },
    });
    expect(r.statusCode).toBe(204);
    expect(r.headers["access-control-allow-origin"]).toBe("*");
    expect(String(r.headers["access-control-allow-methods"]).split(", ").sort()).toEqual(["GET", "POST"]);
    expect(r.headers["access-control-allow-headers"]).toBe("authorization, content-type, dpop");
    expect(r.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(Number(r.headers["access-control-max-age"])).toBeGreaterThan(0);
  });

  it("lets the wallet read answers and errors of a cross-origin route", async () => {
    const ok = await app.inject({ method: "GET", url: "/issuers/snu/metadata", headers: { origin: WALLET } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["access-control-allow-origin"]).toBe("*");
    expect(ok.headers["access-control-expose-headers"]).toContain("dpop-nonce");
    const refused = await app.inject({ method: "POST", url: "/issuers/snu/token", headers: { origin: WALLET } });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers["access-control-allow-origin"]).toBe("*");
  });

  it("decides on the matched route: an unusually shaped target of a cross-origin route still gets it", async () => {
    const r = await app.inject({ method: "GET", url: "/issuers/snu//metadata?x=1", headers: { origin: WALLET } });
    expect(r.headers["access-control-allow-origin"]).toBe("*");
  });

  it("gives agency and counter routes no CORS at all: no header, and no preflight", async () => {
    const agency = await app.inject({ method: "POST", url: "/issuers/snu/credentials", headers: { origin: WALLET, authorization: `Bearer ${key}` } });
    expect(agency.statusCode).toBe(200);
    expect(agency.headers["access-control-allow-origin"]).toBeUndefined();
    const counter = await app.inject({ method: "GET", url: "/verifier/requests/abc/result", headers: { origin: WALLET } });
    expect(counter.headers["access-control-allow-origin"]).toBeUndefined();
    for (const url of ["/issuers/snu/credentials", "/verifier/requests/abc/result", "/no/such/route"]) {
      const pre = await app.inject({ method: "OPTIONS", url, headers: { origin: WALLET, "access-control-request-method": "POST" } });
      expect(pre.statusCode, url).toBe(404);
      expect(pre.headers["access-control-allow-origin"], url).toBeUndefined();
    }
  });

  it("refuses to register an agency route declared cross-origin", async () => {
    const other = Fastify({ logger: false });
    installAccessControl(other, { keys: [] });
    installCrossOrigin(other);
    expect(() => other.post("/issuers/:issuer/credentials", { config: { crossOrigin: true } }, async () => ({}))).toThrow(/agency route/);
    await other.close();
  });
});
