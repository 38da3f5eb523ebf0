import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installAccessControl } from "../access.ts";
import { generateApiKey, hashApiKey } from "../auth.ts";
import { installErrorHandling } from "../errors.ts";
import { type IssuerTenant, registerIssuerRoutes } from "./issuer.ts";

describe("issuer routes: claim text and query parameters", () => {
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false, coerceTypes: false } } });
  const key = generateApiKey();
  const issued: unknown[] = [];
  const listed: unknown[] = [];
  const tenant = {
    id: "snu",
    name: "서울대학교",
    issuer: {
      did: "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
      issue: async (p: unknown) => {
        issued.push(p);
        return { jwt: "x" };
      },
      listCredentials: async (p: unknown) => {
        listed.push(p);
        return { items: [] };
      },
    },
  } as unknown as IssuerTenant;
  const issue = (claims: object) =>
    app.inject({
      method: "POST",
      url: "/issuers/snu/credentials",
      headers: { authorization: `Bearer ${key}` },
      payload: { type: "StudentIDCredential", holder: "did:ethr:0x7a69:0x02aa", claims },
    });

  beforeAll(async () => {
    installErrorHandling(app);
    installAccessControl(app, { keys: [{ tenant: "snu", keyHash: hashApiKey(key) }] });
    registerIssuerRoutes(app, [tenant]);
    await app.ready();
  });
  afterAll(() => app.close());

  it("refuses claims with a bidi override, a control character, a lone surrogate or only invisible characters", async () => {
    for (const givenName of ["민준\u202e", "a\u0007", "\ud800", "\u3164\u3164"]) {
      const r = await issue({ familyName: "김", givenName });
      expect(r.statusCode, JSON.stringify(givenName)).toBe(400);
      expect(r.json().error).toMatchObject({ code: "INVALID_TEXT", details: { path: "/claims/givenName" } });
    }
    expect(issued).toEqual([]);
    expect((await issue({ familyName: "김", givenName: "민준" })).statusCode).toBe(201);
    expect(issued).toHaveLength(1);
  });

  it("reads an integer query parameter from its digits only", async () => {
    const list = (q: string) => app.inject({ method: "GET", url: `/issuers/snu/credentials?${q}`, headers: { authorization: `Bearer ${key}` } });
    expect((await list("limit=50")).statusCode).toBe(200);
    expect(listed.at(-1)).toEqual({ limit: 50 });
    for (const q of ["limit=0x10", "limit=1e2", "limit=5.0", "limit=0", "limit=1001", "limit="]) expect((await list(q)).statusCode, q).toBe(400);
  });
});
