/**
 * The HTTP edge with real sockets: slow and trickling clients, framing errors, strict bodies, the per-IP cap on
 * creating requests. Limits are set low here so that each behaviour shows within a second or two.
 */
import { type Socket, connect } from "node:net";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetworkDescriptor } from "@mobile-id/core";
import { createServer } from "./createServer.ts";
import { openDatabase } from "./stores/database.ts";
import { createRequestStore } from "./stores/requestStore.ts";
import { stubVerifier } from "./testing.ts";

const MAX_CONNECTIONS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("HTTP edge", () => {
  let app: FastifyInstance;
  let port: number;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    app = await createServer({
      descriptor: {} as NetworkDescriptor,
      ledgerStatus: () => ({ ok: true }),
      logger: false,
      verifier: { verifier: stubVerifier(now), requests: createRequestStore(openDatabase(":memory:")), publicBaseUrl: "http://127.0.0.1", domain: "verifier.test" },
      httpLimits: { headersTimeoutMs: 500, requestTimeoutMs: 1_000, checkIntervalMs: 100, maxConnections: MAX_CONNECTIONS },
      createRateLimit: { max: 5, windowMs: 60_000 },
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  /** A raw connection that collects what the server sends and notes when the server closes it. */
  const open = () => {
    const socket = connect({ host: "127.0.0.1", port });
    const state = { data: "", closed: false, socket };
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (state.data += d));
    socket.on("close", () => (state.closed = true));
    socket.on("error", () => undefined);
    return state;
  };
  const trickle = async (s: { closed: boolean; socket: Socket }, bytes: string, everyMs: number, forMs: number) => {
    const until = Date.now() + forMs;
    for (let i = 0; !s.closed && Date.now() < until; i++) {
      s.socket.write(bytes);
      await sleep(everyMs);
    }
  };
  // Each call from its own address, so that the per-IP creation cap (tested on its own) stays out of the way.
  let client = 0;
  const post = (url: string, body: string) =>
    app.inject({ method: "POST", url, remoteAddress: `10.0.${Math.floor(++client / 250)}.${client % 250}`, headers: { "content-type": "application/json" }, payload: body });

  it("cuts a client that trickles its body, with a JSON 408", async () => {
    const s = open();
    s.socket.write("POST /verifier/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{");
    // 200 bytes at one per 100 ms would take 20 s; the request timeout is 1 s.
    await trickle(s, " ", 100, 8_000);
    expect(s.closed).toBe(true);
    expect(s.data).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.parse(s.data.slice(s.data.indexOf("\r\n\r\n") + 4))).toEqual({ error: { code: "REQUEST_TIMEOUT", message: expect.any(String) } });
  }, 15_000);

  it("holds at most maxConnections sockets however many clients trickle", async () => {
    const clients = Array.from({ length: 10 * MAX_CONNECTIONS }, () => open());
    await sleep(200);
    for (const c of clients) c.socket.write("GET /health HTTP/1.1\r\nX-Slow: ");
    await sleep(300);
    const held = await new Promise<number>((resolve, reject) => app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    expect(held).toBeLessThanOrEqual(MAX_CONNECTIONS);
    // The ones over the cap were closed at accept (waiting for their close to reach us on a busy machine).
    for (let i = 0; i < 100 && clients.filter((c) => c.closed).length < clients.length - MAX_CONNECTIONS; i++) await sleep(50);
    expect(clients.filter((c) => c.closed).length).toBeGreaterThanOrEqual(clients.length - MAX_CONNECTIONS);
    // The ones that were let in are cut by the headers timeout.
    await Promise.all(clients.map((c) => trickle(c, "a", 100, 5_000)));
    expect(clients.every((c) => c.closed)).toBe(true);
  }, 15_000);

  it("answers a request it cannot parse with a JSON error body", async () => {
    const s = open();
    s.socket.write("NOT HTTP AT ALL\r\n\r\n");
    for (let i = 0; i < 50 && !s.closed; i++) await sleep(20);
    expect(s.data).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(s.data.slice(s.data.indexOf("\r\n\r\n") + 4)).error.code).toBe("BAD_HTTP_REQUEST");
  });

  it("answers oversized headers with a JSON 431", async () => {
    const s = open();
    s.socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    for (let i = 0; i < 50 && !s.closed; i++) await sleep(20);
    expect(s.data).toMatch(/^HTTP\/1\.1 431/);
    expect(JSON.parse(s.data.slice(s.data.indexOf("\r\n\r\n") + 4)).error.code).toBe("HEADERS_TOO_LARGE");
  });

  it("answers an unknown route with a JSON 404, and an undecodable URL with a JSON 400", async () => {
    const r = await app.inject({ method: "GET", url: "/no/such/route" });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe("NOT_FOUND");
    const bad = await app.inject({ method: "GET", url: "/verifier/requests/%E0%A4%A" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("INVALID_URL");
  });

  it("refuses duplicate JSON keys and coerces no type", async () => {
    const dup = await post("/verifier/requests", '{"credentialTypes":["StudentIDCredential"],"ttlSeconds":60,"ttlSeconds":3600}');
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.code).toBe("DUPLICATE_JSON_KEY");
    for (const body of [
      { credentialTypes: ["StudentIDCredential"], ttlSeconds: "60" },
      { credentialTypes: "StudentIDCredential" },
      { credentialTypes: ["StudentIDCredential"], ttlSeconds: true },
    ]) {
      const r = await post("/verifier/requests", JSON.stringify(body));
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe("INVALID_REQUEST");
    }
  });

  it("refuses a domain that is not a host name", async () => {
    for (const domain of ["a..b", "-x.com", "1.2.3.4", "xn--zz.com"]) {
      const r = await post("/verifier/requests", JSON.stringify({ credentialTypes: ["StudentIDCredential"], domain }));
      expect(r.statusCode, domain).toBe(400);
      expect(r.json().error.code, domain).toBe("INVALID_DOMAIN");
    }
  });

  it("caps unauthenticated request creation per client address: 429 RATE_LIMITED with Retry-After", async () => {
    const create = (ip: string) =>
      app.inject({ method: "POST", url: "/verifier/requests", remoteAddress: ip, payload: { credentialTypes: ["StudentIDCredential"] } });
    for (let i = 0; i < 5; i++) expect((await create("198.51.100.7")).statusCode).toBe(201);
    const over = await create("198.51.100.7");
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe("RATE_LIMITED");
    expect(Number(over.headers["retry-after"])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await create("198.51.100.8")).statusCode).toBe(201);
  });

  it("lists the new error answers in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths["/verifier/requests"]?.["post"]?.responses ?? {})).toContain("429");
    expect(Object.keys(doc.paths["/verifier/requests/{id}/presentation"]?.["post"]?.responses ?? {})).toContain("409");
  });
});
