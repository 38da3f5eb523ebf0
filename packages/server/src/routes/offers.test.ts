import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeBase64url } from "@mobile-id/core";
import { installAccessControl } from "../access.ts";
import { generateApiKey, hashApiKey } from "../auth.ts";
import { installErrorHandling } from "../errors.ts";
import { openDatabase } from "../stores/database.ts";
import type { IssuerTenant } from "./issuer.ts";
import { createOfferStore } from "./offerStore.ts";
import { registerOfferRoutes } from "./offers.ts";

const SNU = "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";
const NOW = 1_800_000_000;
const jwtOf = (payload: object) =>
  `${encodeBase64url(JSON.stringify({ alg: "ES256K", typ: "JWT" }))}.${encodeBase64url(JSON.stringify(payload))}.${encodeBase64url(new Uint8Array(64))}`;
/** Credentials the (stand-in) verifier accepts; any other JWT fails its signature check. */
const signed = new Set<string>();
const signedJwtOf = (payload: object) => {
  const jwt = jwtOf(payload).replace(/\.[^.]*$/, `.${encodeBase64url(new Uint8Array(64).fill(7))}`);
  signed.add(jwt);
  return jwt;
};

describe("credential offer routes", () => {
  const app = Fastify({ logger: false });
  const snuKey = generateApiKey();
  const seoulKey = generateApiKey();
  const tenants = [
    { id: "snu", name: "서울대학교", issuer: { did: SNU } },
    { id: "seoul", name: "서울특별시", issuer: { did: "did:ethr:0x7a69:0x976ea74026e726554db657fa54763abd0c3a0aa9" } },
  ] as unknown as IssuerTenant[];
  const post = (issuer: string, key: string | undefined, body: object) =>
    app.inject({ method: "POST", url: `/issuers/${issuer}/offers`, headers: key === undefined ? {} : { authorization: `Bearer ${key}` }, payload: body });

  beforeAll(async () => {
    installErrorHandling(app);
    installAccessControl(app, {
      keys: [
        { tenant: "snu", keyHash: hashApiKey(snuKey) },
        { tenant: "seoul", keyHash: hashApiKey(seoulKey) },
      ],
    });
    registerOfferRoutes(app, {
      tenants,
      offers: createOfferStore(openDatabase(":memory:")),
      publicBaseUrl: "http://127.0.0.1:8080",
      verifyCredential: async (jwt) => (signed.has(jwt) ? { verified: true } : { verified: false, code: "SIGNATURE_INVALID" }),
      clock: () => NOW,
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it("needs the agency's own key: 401 without, 403 with another agency's", async () => {
    const body = { credential: jwtOf({ iss: SNU, exp: NOW + 100 }) };
    expect((await post("snu", undefined, body)).statusCode).toBe(401);
    expect((await post("snu", seoulKey, body)).statusCode).toBe(403);
  });

  it("refuses a credential another issuer signed, an expired one, and junk", async () => {
    const other = await post("seoul", seoulKey, { credential: jwtOf({ iss: SNU, exp: NOW + 100 }) });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe("OFFER_CREDENTIAL_INVALID");
    expect((await post("snu", snuKey, { credential: jwtOf({ iss: SNU, exp: NOW }) })).json().error.code).toBe("OFFER_CREDENTIAL_INVALID");
    expect((await post("snu", snuKey, { credential: "not a jwt" })).json().error.code).toBe("OFFER_CREDENTIAL_INVALID");
  });

  it("refuses a credential whose signature does not verify, and stores nothing", async () => {
    const forged = await post("snu", snuKey, { credential: jwtOf({ iss: SNU, exp: NOW + 10_000, vc: { credentialSubject: { name: "forged" } } }) });
    expect(forged.statusCode).toBe(422);
    expect(forged.json().error).toMatchObject({ code: "OFFER_CREDENTIAL_INVALID", details: { code: "SIGNATURE_INVALID" } });
  });

  it("hands the credential out once, through a wallet link that keeps the id in the fragment", async () => {
    const credential = signedJwtOf({ iss: SNU, exp: NOW + 10_000 });
    const created = await post("snu", snuKey, { credential, ttlSeconds: 600 });
    expect(created.statusCode).toBe(201);
    const offer = created.json() as { id: string; offerUri: string; walletUri: string; expiresAt: number };
    expect(offer.expiresAt).toBe(NOW + 600);
    expect(offer.walletUri).toBe(`http://127.0.0.1:8080/app/wallet/#offer=${encodeURIComponent(offer.offerUri)}`);
    const first = await app.inject({ method: "GET", url: `/offers/${offer.id}` });
    expect(first.statusCode).toBe(200);
    expect(first.headers["cache-control"]).toBe("no-store");
    expect(first.json()).toMatchObject({ credential, issuer: { id: "snu", name: "서울대학교", did: SNU } });
    const second = await app.inject({ method: "GET", url: `/offers/${offer.id}` });
    expect(second.statusCode).toBe(410);
    expect(second.json().error.code).toBe("OFFER_REDEEMED");
    expect((await app.inject({ method: "GET", url: "/offers/AAAAAAAAAAAAAAAAAAAAAA" })).json().error.code).toBe("OFFER_NOT_FOUND");
    expect((await app.inject({ method: "GET", url: "/offers/bad" })).statusCode).toBe(400);
  });
});
