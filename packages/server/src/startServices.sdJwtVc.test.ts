import { randomBytes } from "node:crypto";
import { inflateSync } from "node:zlib";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_TYPES, MOBILE_ID_CONTEXT_DOCUMENT, MOBILE_ID_CONTEXT_V1 } from "@mobile-id/core";
import { presentSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeEs256Verify, nodeEs256kPublicKeyVerifier, nodeP256Signer, nodeSha256 } from "@mobile-id/core/sd-jwt-vc/node";
import { type TestServices, startTestServices } from "./testing.ts";

interface Batch {
  readonly id: string;
  readonly copies: string[];
  readonly statusListUri: string;
}

interface Payload {
  readonly cnf: { readonly jwk: { readonly x: string } };
  readonly status: { readonly status_list: { readonly idx: number; readonly uri: string } };
  readonly sub: string;
  readonly iat: number;
  readonly exp: number;
  readonly ttl: number;
  readonly status_list: { readonly bits: number; readonly lst: string };
}
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()) as Payload;
const REQUEST = { audience: "shop.example", nonce: "n-0123456789abcdef" } as const;

describe("SD-JWT VC on the services: batch issuance, Token Status List, schemas (anvil)", () => {
  let services: TestServices;
  const holders = new Map<string, ReturnType<typeof nodeP256Signer>>();
  const auth = () => ({ "content-type": "application/json", authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` });
  const issue = (body: unknown, headers: Record<string, string> = auth()) =>
    fetch(`${services.url}/issuers/snu/sd-jwt-vc`, { method: "POST", headers, body: JSON.stringify(body) });
  const claims = {
    familyName: "김",
    givenName: "민준",
    birthDate: "2005-03-14",
    studentNumber: "2026-12345",
    institution: "서울대학교",
    enrollmentStatus: "enrolled",
  };
  const newKeys = (n: number) =>
    Array.from({ length: n }, () => {
      const h = nodeP256Signer(randomBytes(32));
      holders.set(h.publicJwk.x, h);
      return h.publicJwk;
    });
  const issueBatch = async (n: number): Promise<Batch> => {
    const r = await issue({ type: "StudentIDCredential", claims, holderKeys: newKeys(n) });
    expect(r.status).toBe(201);
    return (await r.json()) as Batch;
  };
  const present = (copy: string) => {
    const holder = holders.get(payloadOf(copy.split("~")[0] as string).cnf.jwk.x) as ReturnType<typeof nodeP256Signer>;
    return presentSdJwtVc({ credential: copy, claims: ["institution"], ...REQUEST, issuedAt: Math.floor(Date.now() / 1000), holderSigner: holder });
  };
  /** A stock @sd-jwt 0.19.0 SD-JWT VC verifier that fetches the Status List Token itself, from the copy's uri. */
  const stockStatus = async (copy: string): Promise<number> => {
    const snu = services.roster.issuers.find((i) => i.slug === "snu")!;
    const issuerCheck = nodeEs256kPublicKeyVerifier(Buffer.from((snu.signer as unknown as { signingKey: { compressedPublicKey: string } }).signingKey.compressedPublicKey.slice(2), "hex"));
    let seen = -1;
    const stock = new SDJwtVcInstance({
      hasher: (data) => nodeSha256(typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data)),
      verifier: (data, sig) =>
        issuerCheck({ alg: "ES256K", kid: "", issuer: { did: "", chainId: 0n, address: "" }, signingInput: data, signature: Buffer.from(sig, "base64url") } as never),
      kbVerifier: (data, sig, payload) => nodeEs256Verify(new TextEncoder().encode(data), Buffer.from(sig, "base64url"), (payload.cnf as { jwk: never }).jwk),
      statusValidator: async (status) => {
        seen = status;
        if (status !== 0) throw new Error(`status ${status}`);
      },
    });
    const r = await stock.verify(await present(copy), { keyBindingNonce: REQUEST.nonce }).catch((e: Error) => e);
    if (r instanceof Error && seen === -1) throw r;
    return seen;
  };
  const changeStatus = async (action: string, id: string) => {
    const r = await fetch(`${services.url}/issuers/snu/credentials/status`, { method: "POST", headers: auth(), body: JSON.stringify({ action, ids: [id], reason: "DEVICE_LOST" }) });
    expect(r.status).toBe(200);
    return (await r.json()) as { changed: string[]; transactions: unknown[] };
  };
  /** Waits (up to 10 s) until the served token shows `expected` for the copy: the token follows the chain within seconds. */
  const untilStatus = async (copy: string, expected: number): Promise<number> => {
    let status = -1;
    for (let i = 0; i < 100 && status !== expected; i++) {
      status = await stockStatus(copy);
      if (status !== expected) await new Promise((r) => setTimeout(r, 100));
    }
    return status;
  };

  beforeAll(async () => {
    services = await startTestServices();
  }, 120_000);
  afterAll(() => services?.close());

  it("issues N copies over HTTP (agency key), and a stock verifier fetching our Status List Token sees revoked as invalid, suspended as suspended", async () => {
    const revoked = await issueBatch(3);
    const suspended = await issueBatch(2);
    const bystander = await issueBatch(1);
    expect(revoked.copies).toHaveLength(3);
    const uri = revoked.statusListUri;
    expect(uri).toMatch(new RegExp(`^${services.url}/status-lists/[0-9]+/[0-9]+$`));
    for (const c of revoked.copies) expect(payloadOf(c.split("~")[0] as string).status.status_list.uri).toBe(uri);

    // The token as served: typ, signed claims, 2-bit list.
    const served = await fetch(uri);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toContain("application/statuslist+jwt");
    const token = await served.text();
    expect(JSON.parse(Buffer.from(token.split(".")[0] as string, "base64url").toString())).toMatchObject({ typ: "statuslist+jwt", alg: "ES256K" });
    const p = payloadOf(token);
    expect(p.sub).toBe(uri);
    expect(p.exp).toBeGreaterThan(p.iat);
    expect(p.ttl).toBeGreaterThan(0);
    expect(p.status_list.bits).toBe(2);
    expect(inflateSync(Buffer.from(p.status_list.lst, "base64url")).every((b) => b === 0)).toBe(true);

    for (const c of [...revoked.copies, ...suspended.copies]) expect(await stockStatus(c)).toBe(0);

    const r = await changeStatus("revoke", revoked.id);
    expect(r.changed).toHaveLength(3);
    expect(r.transactions).toHaveLength(1);
    expect((await changeStatus("suspend", suspended.id)).transactions).toHaveLength(1);
    for (const c of revoked.copies) expect(await untilStatus(c, 1)).toBe(1);
    for (const c of suspended.copies) expect(await untilStatus(c, 2)).toBe(2);
    expect(await stockStatus(bystander.copies[0] as string)).toBe(0);

    await changeStatus("reinstate", suspended.id);
    for (const c of suspended.copies) expect(await untilStatus(c, 0)).toBe(0);
    expect(await stockStatus(revoked.copies[0] as string)).toBe(1);
  }, 120_000);

  it("checks input strictly with stable codes, and needs the agency's key", async () => {
    const [k] = newKeys(1);
    const ok = { type: "StudentIDCredential", claims, holderKeys: [k] };
    expect((await issue(ok, { "content-type": "application/json" })).status).toBe(401);
    const code = async (body: unknown) => {
      const r = await issue(body);
      return [r.status, ((await r.json()) as { error: { code: string } }).error.code];
    };
    expect(await code({ ...ok, holderKeys: [{ ...k, d: "x" }] })).toEqual([400, "INVALID_REQUEST"]);
    expect(await code({ ...ok, holderKeys: [] })).toEqual([400, "INVALID_REQUEST"]);
    expect(await code({ ...ok, holderKeys: [k, k] })).toEqual([422, "HOLDER_KEY_INVALID"]);
    expect(await code({ ...ok, holderKeys: [{ ...k, x: k!.y }] })).toEqual([422, "HOLDER_KEY_INVALID"]);
    expect(await code({ ...ok, claims: { ...claims, enrollmentStatus: "partying" } })).toEqual([422, "CLAIMS_INVALID"]);
    expect(await code({ ...ok, claims: { ...claims, givenName: "민준\u202e" } })).toEqual([400, "INVALID_TEXT"]);
    expect(await code({ ...ok, type: "LibraryCard" })).toEqual([400, "INVALID_REQUEST"]);
    expect((await fetch(`${services.url}/status-lists/999/998`)).status).toBe(404);
    // Refresh: more copies under the same id.
    const first = await issueBatch(1);
    const more = await issue({ type: "StudentIDCredential", claims, holderKeys: newKeys(2), refresh: first.id });
    expect(more.status).toBe(201);
    expect(((await more.json()) as Batch).id).toBe(first.id);
    expect(await code({ ...ok, refresh: "urn:uuid:unknown" })).toEqual([404, "CREDENTIAL_NOT_FOUND"]);
  });

  it("serves the JWT-VC and SD-JWT VC schemas at /schemas/<file>", async () => {
    const r = await fetch(`${services.url}/schemas/student-id.sd-jwt-vc.v1.json`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { $id: string }).$id).toBe("https://mobile-id.example/schemas/student-id.sd-jwt-vc.v1.json");
    expect((await fetch(`${services.url}/schemas/resident-id.v1.json`)).status).toBe(200);
    expect((await fetch(`${services.url}/schemas/nothing.v1.json`)).status).toBe(404);
    expect((await fetch(`${services.url}/schemas/..%2Fpackage.json`)).status).toBe(400);
  });

  it("resolves every JWT-VC schema $id and the JSON-LD context by their path on the services", async () => {
    for (const type of CREDENTIAL_TYPES) {
      const r = await fetch(`${services.url}${new URL(type.schemaUri).pathname}`);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { $id: string }).$id).toBe(type.schemaUri);
    }
    const c = await fetch(`${services.url}${new URL(MOBILE_ID_CONTEXT_V1).pathname}`);
    expect(c.status).toBe(200);
    expect(c.headers.get("content-type")).toContain("application/ld+json");
    expect(await c.json()).toEqual(MOBILE_ID_CONTEXT_DOCUMENT);
  });

  it("documents the routes in the OpenAPI document: issuance needs the agency key, tokens and schemas are public", async () => {
    const doc = (await (await fetch(`${services.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown }>> };
    expect(doc.paths["/issuers/{issuer}/sd-jwt-vc"]?.["post"]?.security).toEqual([{ agencyKey: [] }]);
    expect(doc.paths["/status-lists/{revocationListId}/{suspensionListId}"]?.["get"]?.security).toBeUndefined();
    expect(doc.paths["/schemas/{file}"]?.["get"]).toBeDefined();
  });
});
