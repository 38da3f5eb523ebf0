import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installAccessControl } from "./access.ts";
import { generateApiKey, hashApiKey } from "./auth.ts";
import { installErrorHandling } from "./errors.ts";
import { registerWebRoutes } from "./routes/web.ts";
import { type TestHolder, type TestServices, issueStudentIds, startTestServices } from "./testing.ts";

interface RawResponse {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/**
 * One HTTP/1.1 request with the request target exactly as given (fetch and undici normalise targets, so an
 * attacker's absolute-form or `//` target needs a raw socket).
 */
function rawRequest(port: number, method: string, target: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      const lines = [`${method} ${target} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      if (body !== undefined) lines.push("Content-Type: application/json", `Content-Length: ${Buffer.byteLength(body)}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n${body ?? ""}`);
    });
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (data += chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const head = data.slice(0, data.indexOf("\r\n\r\n"));
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: data.slice(head.length + 4) });
    });
  });
}

/** Every spelling of one origin-form path that a router may send to the same route. */
function targetForms(path: string, port: number): { form: string; target: string }[] {
  return [
    { form: "origin-form", target: path },
    { form: "absolute-form", target: `http://127.0.0.1:${port}${path}` },
    { form: "absolute-form, upper-case scheme", target: `HTTP://127.0.0.1:${port}${path}` },
    { form: "absolute-form, localhost", target: `http://localhost:${port}${path}` },
    { form: "double-slash", target: `/${path}` },
    { form: "doubled inner slashes", target: path.replaceAll("/", "//") },
    { form: "percent-encoded tenant", target: path.replace("/snu", "/%73%6Eu") },
    { form: "query string", target: `${path}?issuer=seoul` },
  ];
}

describe("access control on the issuer API, walked from /openapi.json", () => {
  let services: TestServices;
  let port: number;
  let holder: TestHolder;
  let credentialId: string;
  let snuKey: string;
  let seoulKey: string;

  beforeAll(async () => {
    services = await startTestServices();
    port = Number(new URL(services.url).port);
    snuKey = services.apiKeys["snu"] ?? "";
    seoulKey = services.apiKeys["seoul"] ?? "";
    [holder] = (await issueStudentIds(services, 1)) as [TestHolder];
    const list = (await (await fetch(`${services.url}/issuers/snu/credentials`, { headers: { authorization: `Bearer ${snuKey}` } })).json()) as {
      items: { id: string }[];
    };
    credentialId = list.items[0]?.id ?? "";
  }, 120_000);
  afterAll(() => services?.close());

  /** A body the route would accept from the right agency: a bypass would really issue, revoke or offer. */
  const bodyFor = (method: string, path: string): string | undefined => {
    if (method !== "post") return undefined;
    if (path.endsWith("/credentials")) {
      return JSON.stringify({
        type: "StudentIDCredential",
        holder: holder.did,
        claims: { familyName: "김", givenName: "공격", studentNumber: "2026-99999", institution: "서울대학교", enrollmentStatus: "enrolled" },
      });
    }
    if (path.endsWith("/credentials/status")) return JSON.stringify({ action: "revoke", ids: [credentialId], reason: "OTHER" });
    if (path.endsWith("/offers")) return JSON.stringify({ credential: holder.credential });
    return "{}";
  };

  const countIssued = async (): Promise<number> => {
    const r = await fetch(`${services.url}/issuers/snu/credentials?limit=1000`, { headers: { authorization: `Bearer ${snuKey}` } });
    return ((await r.json()) as { items: unknown[] }).items.length;
  };

  it("marks every tenant route as protected in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${services.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const tenantOps = Object.entries(doc.paths).flatMap(([path, ops]) =>
      path.includes("{issuer}") ? Object.entries(ops).map(([method, op]) => ({ path, method, op })) : [],
    );
    expect(tenantOps.length).toBeGreaterThanOrEqual(5);
    for (const { path, method, op } of tenantOps) expect(op.security, `${method} ${path}`).toEqual([{ agencyKey: [] }]);
  });

  it("refuses every protected route without the agency's own valid key, whatever the request target looks like", async () => {
    const doc = (await (await fetch(`${services.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const protectedOps = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        // Protected: marked so, or scoped to a tenant (a route that forgot its marking is walked all the same).
        .filter(([, op]) => (op.security?.length ?? 0) > 0 || path.includes("{issuer}"))
        .map(([method, _op]) => ({ method, path: path.replace("{issuer}", "snu").replace("{id}", encodeURIComponent(credentialId)) })),
    );
    expect(protectedOps.length).toBeGreaterThanOrEqual(5);
    const offByOne = `${snuKey.slice(0, -1)}${snuKey.endsWith("A") ? "B" : "A"}`;
    const keyVariants: { name: string; headers: Record<string, string> }[] = [
      { name: "no key", headers: {} },
      { name: "another agency's key", headers: { authorization: `Bearer ${seoulKey}` } },
      { name: "the key off by one character", headers: { authorization: `Bearer ${offByOne}` } },
      { name: "the key without its scheme", headers: { authorization: snuKey } },
      { name: "the key as Basic credentials", headers: { authorization: `Basic ${Buffer.from(`snu:${snuKey}`).toString("base64")}` } },
      { name: "the key twice", headers: { authorization: `Bearer ${snuKey}, Bearer ${snuKey}` } },
    ];
    const issuedBefore = await countIssued();
    const failures: string[] = [];
    let tried = 0;
    for (const op of protectedOps) {
      const methods = op.method === "get" ? ["GET", "HEAD"] : [op.method.toUpperCase()];
      for (const method of methods) {
        for (const { form, target } of targetForms(op.path, port)) {
          for (const variant of keyVariants) {
            const r = await rawRequest(port, method, target, variant.headers, bodyFor(op.method, op.path));
            tried++;
            if (r.status !== 401 && r.status !== 403) failures.push(`${method} ${target} (${form}, ${variant.name}) → ${r.status}`);
          }
        }
        // An absolute-form target naming another server is refused whatever the key: this server is no proxy.
        for (const headers of [{}, { authorization: `Bearer ${snuKey}` }]) {
          const r = await rawRequest(port, method, `http://attacker.example${op.path}`, headers, bodyFor(op.method, op.path));
          tried++;
          if (r.status !== 421) failures.push(`${method} http://attacker.example${op.path} → ${r.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(400);
    // Nothing was issued, revoked or offered by any of those requests.
    expect(await countIssued()).toBe(issuedBefore);
    const one = (await (await fetch(`${services.url}/issuers/snu/credentials/${encodeURIComponent(credentialId)}`, { headers: { authorization: `Bearer ${snuKey}` } })).json()) as {
      status: string;
    };
    expect(one.status).toBe("active");
  }, 300_000);

  it("serves the agency with its own key in every target form that names this server (the walk above is no false alarm)", async () => {
    for (const { form, target } of targetForms("/issuers/snu/lists", port)) {
      const r = await rawRequest(port, "GET", target, { authorization: `Bearer ${snuKey}` });
      expect(r.status, form).toBe(200);
    }
  });

  it("refuses asterisk-form and malformed absolute targets with a JSON error, and closes on authority-form", async () => {
    // (Node's parser or the router itself refuses these with a 400 before any hook of ours sees them.)
    for (const target of ["http:/issuers/snu/credentials", "http://127.0.0.1:99999/issuers/snu/credentials", "snu/credentials", "ftp://127.0.0.1/x"]) {
      expect((await rawRequest(port, "GET", target, { authorization: `Bearer ${snuKey}` })).status, target).toBe(400);
    }
    for (const target of ["*"]) {
      const r = await rawRequest(port, "GET", target, { authorization: `Bearer ${snuKey}` });
      expect(r.status, target).toBe(400);
      expect(JSON.parse(r.body), target).toMatchObject({ error: { code: "INVALID_REQUEST_TARGET" } });
    }
    // CONNECT (authority-form) has no handler: Node closes the connection without serving anything.
    const connectAttempt = await rawRequest(port, "CONNECT", `127.0.0.1:${port}`, { authorization: `Bearer ${snuKey}` });
    expect(connectAttempt.status === 0 || connectAttempt.status >= 400).toBe(true);
  });
});

describe("access control by route declaration", () => {
  const key = generateApiKey();

  it("refuses to register an agency route that names no agency", async () => {
    const app = Fastify({ logger: false });
    installAccessControl(app, { keys: [{ tenant: "snu", keyHash: hashApiKey(key) }] });
    expect(() => app.get("/admin", { config: { access: "agency" } }, async () => "secret")).toThrow(/no :issuer parameter/);
    await app.close();
  });

  it("protects a tenant route that forgot to declare its access", async () => {
    const app = Fastify({ logger: false, routerOptions: { ignoreDuplicateSlashes: true } });
    installErrorHandling(app);
    installAccessControl(app, { keys: [{ tenant: "snu", keyHash: hashApiKey(key) }] });
    app.get("/issuers/:issuer/secret", async () => "secret");
    await app.ready();
    expect((await app.inject({ method: "GET", url: "/issuers/snu/secret" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/issuers/snu/secret", headers: { authorization: `Bearer ${key}` } })).body).toBe("secret");
    await app.close();
  });

  it("never redirects to another host, whatever the request target says", async () => {
    const root = mkdtempSync(join(tmpdir(), "mid-web-"));
    mkdirSync(join(root, "wallet"));
    writeFileSync(join(root, "wallet", "index.html"), "<!doctype html><title>wallet</title>");
    const app = Fastify({ logger: false, routerOptions: { ignoreDuplicateSlashes: true } });
    try {
      installErrorHandling(app);
      installAccessControl(app, { keys: [] });
      registerWebRoutes(app, { root });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const webPort = (app.server.address() as { port: number }).port;
      const cases: [string, number, string | undefined][] = [
        ["/app/wallet", 301, "/app/wallet/"],
        ["//app//wallet", 301, "/app/wallet/"],
        [`http://127.0.0.1:${webPort}/app/wallet`, 301, "/app/wallet/"],
        ["http://evil.example/app/wallet", 421, undefined],
        ["//evil.example/app/wallet", 404, undefined],
      ];
      for (const [target, status, location] of cases) {
        const r = await rawRequest(webPort, "GET", target, {});
        expect(r.status, target).toBe(status);
        expect(/^location: (.*)$/im.exec(r.headers)?.[1], target).toBe(location);
      }
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
