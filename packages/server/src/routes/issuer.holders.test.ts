import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { type HolderIndex, createHolderIndex } from "@mobile-id/issuer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installAccessControl } from "../access.ts";
import { generateApiKey, hashApiKey } from "../auth.ts";
import { installErrorHandling } from "../errors.ts";
import { type IssuerTenant, registerIssuerRoutes } from "./issuer.ts";

describe("GET /issuers/:issuer/holders", () => {
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
  const key = generateApiKey();
  const otherKey = generateApiKey();
  const dir = mkdtempSync(join(tmpdir(), "holders-route-"));
  let index: HolderIndex;
  const tenant = (id: string) =>
    ({
      id,
      name: id,
      issuer: {
        did: "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
        // The route's contract with the issuer: the index rows, each credential with its status.
        findHolders: (p: Parameters<HolderIndex["findHolders"]>[0]) =>
          index.findHolders(p).map(({ credentialIds, ...rest }) => ({ ...rest, credentials: credentialIds.map((id) => ({ id, status: "active", expired: false, pendingChange: false })) })),
      },
    }) as unknown as IssuerTenant;
  const get = (q: string, bearer: string | null = key) =>
    app.inject({ method: "GET", url: `/issuers/snu/holders?${q}`, headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` } });

  beforeAll(async () => {
    index = createHolderIndex({ path: join(dir, "h.sqlite"), keyPath: join(dir, "h.key") });
    const now = Math.floor(Date.now() / 1000);
    index.recordHolder({ reference: "2026-12345", familyName: "김", givenName: "민준", credentialIds: ["urn:uuid:1"], type: "StudentIDCredential", format: "jwt_vc_json", issuedAt: now, expiresAt: now + 86_400 });
    index.recordHolder({ reference: "2026-54321", familyName: "Lee", givenName: "Seoyeon", credentialIds: ["urn:uuid:2"], type: "StudentIDCredential", format: "dc+sd-jwt", issuedAt: now, expiresAt: now + 86_400 });
    installErrorHandling(app);
    installAccessControl(app, { keys: [{ tenant: "snu", keyHash: hashApiKey(key) }, { tenant: "kpa", keyHash: hashApiKey(otherKey) }] });
    registerIssuerRoutes(app, [tenant("snu"), tenant("kpa")]);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 401 without the agency's key and 403 with another agency's, before any look-up", async () => {
    expect((await get("reference=2026-12345", null)).statusCode).toBe(401);
    expect((await get("reference=2026-12345", "not-a-key-of-anyone-0123")).statusCode).toBe(401);
    expect((await get("reference=2026-12345", otherKey)).statusCode).toBe(403);
  });

  it("finds by reference and by name, uncached, and refuses an empty query with a stable code", async () => {
    const byRef = await get("reference=2026-12345");
    expect(byRef.statusCode).toBe(200);
    expect(byRef.headers["cache-control"]).toBe("no-store");
    expect(byRef.json().items).toMatchObject([{ reference: "2026-12345", familyName: "김", givenName: "민준", credentials: [{ id: "urn:uuid:1" }] }]);
    expect((await get(`name=${encodeURIComponent("seoyeon LEE")}`)).json().items.map((i: { reference: string }) => i.reference)).toEqual(["2026-54321"]);
    expect((await get("credential=urn:uuid:2")).json().items).toHaveLength(1);
    expect((await get("reference=nobody")).json().items).toEqual([]);
    const empty = await get("");
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe("INVALID_ARGUMENT");
    expect((await get("unknown=1")).statusCode).toBe(400);
  });
});
