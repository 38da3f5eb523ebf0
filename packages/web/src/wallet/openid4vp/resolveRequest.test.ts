import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { createEs256kSigner, encodeBase64url } from "@mobile-id/core/browser";
import type { Openid4vpLink } from "../../lib/openid4vpLink.ts";
import type { SdJwtCard } from "../sdjwt/copies.ts";
import { type RelyingPartyFacts, type ResolveVpRequestParameters, resolveVpRequest, withChosenCards } from "./resolveRequest.ts";

const origin = "http://127.0.0.1:8081";
const rp = new Wallet("0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"); // dev account 9
const other = new Wallet("0x" + "11".repeat(32));
const did = `did:ethr:0x7a69:${rp.address}`;
const clientId = `decentralized_identifier:${did}`;
const requestUri = `${origin}/verifier/openid4vp/requests/AbCdEf0123456789`;
const link: Openid4vpLink = { kind: "openid4vp", url: "openid4vp://?…", clientId, did, requestUri };
const now = 1_800_000_000;
const vct = (t: string) => `urn:mobile-id:vct:${t}:1`;

const age19 = {
  credentials: [
    { id: "licence", format: "dc+sd-jwt", meta: { vct_values: [vct("DriversLicenseCredential")] }, claims: [{ path: ["age_equal_or_over", "19"] }] },
    { id: "resident", format: "dc+sd-jwt", meta: { vct_values: [vct("ResidentIDCredential")] }, claims: [{ path: ["age_equal_or_over", "19"] }] },
  ],
  credential_sets: [{ options: [["licence"], ["resident"]] }],
};

const licence: SdJwtCard = {
  batch: "batch-licence",
  type: "DriversLicenseCredential",
  vct: vct("DriversLicenseCredential"),
  issuer: "did:ethr:0x7a69:0x0000000000000000000000000000000000000005",
  validFrom: now - 100,
  validUntil: now + 10_000,
  status: { idx: 1, uri: "x" },
  copies: 10,
  remaining: 9,
  shownTo: [],
  claims: { familyName: "이", givenName: "서연", birthDate: "2001-03-15", age_equal_or_over: { "14": true, "19": true, "65": false }, licenseNumber: "11-26-123456-01" },
};

async function requestObject(payload: Record<string, unknown>, header: Record<string, unknown> = {}, key: Wallet = rp): Promise<string> {
  const h = encodeBase64url(JSON.stringify({ alg: "ES256K", typ: "oauth-authz-req+jwt", kid: `${did}#controller`, ...header }));
  const p = encodeBase64url(JSON.stringify(payload));
  const sig = await createEs256kSigner(key.privateKey).sign(new TextEncoder().encode(`${h}.${p}`));
  return `${h}.${p}.${encodeBase64url(sig)}`;
}

const basePayload = (over: Record<string, unknown> = {}) => ({
  aud: "https://self-issued.me/v2",
  iat: now - 5,
  exp: now + 300,
  client_id: clientId,
  response_type: "vp_token",
  response_mode: "direct_post",
  response_uri: `${origin}/verifier/openid4vp/responses/AbCdEf0123456789`,
  nonce: "n".repeat(43),
  state: "s".repeat(22),
  dcql_query: age19,
  ...over,
});

const facts = (decision?: RelyingPartyFacts["decision"]): RelyingPartyFacts => ({
  did,
  name: "개발용 확인 창구",
  purpose: "신원 확인",
  status: "Active",
  keys: { owner: rp.address, deactivated: false, delegates: [] },
  ...(decision === undefined ? {} : { decision }),
});

function params(jwt: string, over: Partial<ResolveVpRequestParameters> = {}): ResolveVpRequestParameters {
  return {
    link,
    cards: [licence],
    now,
    fetchRequestObject: async (uri) => {
      expect(uri).toBe(requestUri);
      return { status: 200, contentType: "application/oauth-authz-req+jwt", body: jwt };
    },
    relyingParty: async (_address, type) => facts(type === undefined ? undefined : { permitted: true, notPermitted: [] }),
    ...over,
  };
}

describe("resolveVpRequest (the web wallet reads an OpenID4VP request)", () => {
  it("plans a '19 or older' answer that discloses age_equal_or_over.19 of the licence and nothing else", async () => {
    const asked: string[] = [];
    const plan = await resolveVpRequest(
      params(await requestObject(basePayload()), {
        relyingParty: async (_a, type, claims) => {
          if (type !== undefined) asked.push(`${type}:${(claims ?? []).join(",")}`);
          return facts(type === undefined ? undefined : { permitted: true, notPermitted: [] });
        },
      }),
    );
    expect(asked).toEqual(["DriversLicenseCredential:age_equal_or_over.19", "ResidentIDCredential:age_equal_or_over.19"]);
    expect(plan.party).toEqual({ did, name: "개발용 확인 창구", purpose: "신원 확인" });
    expect(plan.missing).toEqual([]);
    expect(plan.cards).toEqual([{ queryId: "licence", batch: "batch-licence", type: "DriversLicenseCredential", issuer: licence.issuer, paths: [["age_equal_or_over", "19"]], values: [true], copiesLeftAfter: 8 }]);
    expect(plan.nonce).toBe("n".repeat(43));
  });

  it("refuses a party the ledger does not allow to ask, with its code, name and the claims outside its registration", async () => {
    const jwt = await requestObject(basePayload());
    const refused = resolveVpRequest(
      params(jwt, { relyingParty: async (_a, type) => facts(type === undefined ? undefined : { permitted: false, code: "CLAIM_NOT_PERMITTED", message: "not registered for it", notPermitted: ["age_equal_or_over.19"] }) }),
    );
    await expect(refused).rejects.toMatchObject({ code: "CLAIM_NOT_PERMITTED", party: "개발용 확인 창구", notPermitted: ["age_equal_or_over.19"] });
    const suspended = resolveVpRequest(params(jwt, { relyingParty: async (_a, type) => facts(type === undefined ? undefined : { permitted: false, code: "RELYING_PARTY_SUSPENDED", message: "suspended", notPermitted: [] }) }));
    await expect(suspended).rejects.toMatchObject({ code: "RELYING_PARTY_SUSPENDED" });
  });

  it("refuses a request object not signed by the client DID's ledger key, or naming another client", async () => {
    await expect(resolveVpRequest(params(await requestObject(basePayload(), {}, other)))).rejects.toMatchObject({ code: "REQUEST_SIGNATURE_INVALID" });
    // The ledger moved the DID to another owner key: the old key no longer speaks for it.
    const moved = params(await requestObject(basePayload()), { relyingParty: async () => ({ ...facts(), keys: { owner: other.address, deactivated: false, delegates: [] } }) });
    await expect(resolveVpRequest(moved)).rejects.toMatchObject({ code: "REQUEST_SIGNATURE_INVALID" });
    await expect(resolveVpRequest(params(await requestObject(basePayload(), { kid: `did:ethr:0x7a69:${other.address}#controller` })))).rejects.toMatchObject({ code: "REQUEST_SIGNATURE_INVALID" });
    await expect(resolveVpRequest(params(await requestObject(basePayload({ client_id: `decentralized_identifier:did:ethr:0x7a69:${other.address}` }))))).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(resolveVpRequest(params(await requestObject(basePayload(), { typ: "JWT" })))).rejects.toMatchObject({ code: "REQUEST_INVALID" });
  });

  it("accepts a request object signed by a valid veriKey/sigAuth public-key attribute of the client DID, as the verifier would", async () => {
    const jwt = await requestObject(basePayload(), {}, other);
    const withAttribute = (validTo: number) =>
      params(jwt, {
        relyingParty: async (_a, type) => ({
          ...facts(type === undefined ? undefined : { permitted: true, notPermitted: [] }),
          keys: { owner: rp.address, deactivated: false, delegates: [], attributes: [{ name: "did/pub/Secp256k1/sigAuth/hex", value: other.signingKey.compressedPublicKey, validTo: String(validTo) }] },
        }),
      });
    await expect(resolveVpRequest(withAttribute(4_000_000_000))).resolves.toBeDefined();
    await expect(resolveVpRequest(withAttribute(0))).rejects.toMatchObject({ code: "REQUEST_SIGNATURE_INVALID" });
  });

  it("refuses an answer address elsewhere, an expired request, an unencrypted-only mode mismatch and a non-DCQL query", async () => {
    await expect(resolveVpRequest(params(await requestObject(basePayload({ response_uri: "https://evil.example/collect" }))))).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(resolveVpRequest(params(await requestObject(basePayload({ exp: now - 1 }))))).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
    await expect(resolveVpRequest(params(await requestObject(basePayload({ response_mode: "fragment" }))))).rejects.toMatchObject({ code: "REQUEST_UNSUPPORTED" });
    await expect(resolveVpRequest(params(await requestObject(basePayload({ dcql_query: { credentials: [] } }))))).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    const gone = params("", { fetchRequestObject: async () => ({ status: 400, contentType: "application/json", body: "{}" }) });
    await expect(resolveVpRequest(gone)).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
  });

  it("uses again the copy this verifier already saw (none spent), even with no unused copy left", async () => {
    const plan = await resolveVpRequest(params(await requestObject(basePayload()), { cards: [{ ...licence, remaining: 0, shownTo: [clientId] }] }));
    expect(plan.cards.map((c) => [c.batch, c.copiesLeftAfter])).toEqual([["batch-licence", 0]]);
    const seen = await resolveVpRequest(params(await requestObject(basePayload()), { cards: [{ ...licence, shownTo: [clientId] }] }));
    expect(seen.cards[0]!.copiesLeftAfter).toBe(9);
  });

  it("direct_post.jwt: takes the request's P-256 ECDH-ES key and enc; without one, refuses rather than answer in the clear", async () => {
    const key = { kty: "EC", crv: "P-256", x: "x".repeat(43), y: "y".repeat(43), kid: "k1", use: "enc", alg: "ECDH-ES" };
    const plan = await resolveVpRequest(params(await requestObject(basePayload({ response_mode: "direct_post.jwt", client_metadata: { jwks: { keys: [key] }, encrypted_response_enc_values_supported: ["A128GCM", "A256GCM"] } }))));
    expect(plan.encryption).toEqual({ key: { x: key.x, y: key.y, kid: "k1" }, enc: "A128GCM" });
    expect((await resolveVpRequest(params(await requestObject(basePayload())))).encryption).toBeUndefined();
    await expect(resolveVpRequest(params(await requestObject(basePayload({ response_mode: "direct_post.jwt", client_metadata: {} }))))).rejects.toMatchObject({ code: "REQUEST_UNSUPPORTED" });
    const rsa = { jwks: { keys: [{ kty: "RSA", n: "x", e: "AQAB" }] } };
    await expect(resolveVpRequest(params(await requestObject(basePayload({ response_mode: "direct_post.jwt", client_metadata: rsa }))))).rejects.toMatchObject({ code: "REQUEST_UNSUPPORTED" });
  });

  it("'any one of': with a licence and a resident ID held, the plan offers both (licence preselected) and takes the holder's pick", async () => {
    const resident: SdJwtCard = {
      ...licence,
      batch: "batch-resident",
      type: "ResidentIDCredential",
      vct: vct("ResidentIDCredential"),
      issuer: "did:ethr:0x7a69:0x0000000000000000000000000000000000000006",
      remaining: 4,
      claims: { familyName: "이", givenName: "서연", age_equal_or_over: { "19": true } },
    };
    const plan = await resolveVpRequest(params(await requestObject(basePayload()), { cards: [resident, licence] }));
    expect(plan.missing).toEqual([]);
    expect(plan.cards.map((c) => c.batch)).toEqual(["batch-licence"]);
    expect(plan.choices?.map((slot) => slot.map((c) => [c.queryId, c.batch, c.type, c.issuer, c.copiesLeftAfter]))).toEqual([
      [
        ["licence", "batch-licence", "DriversLicenseCredential", licence.issuer, 8],
        ["resident", "batch-resident", "ResidentIDCredential", resident.issuer, 3],
      ],
    ]);
    const picked = withChosenCards(plan, [1]);
    expect(picked.cards).toEqual([{ queryId: "resident", batch: "batch-resident", type: "ResidentIDCredential", issuer: resident.issuer, paths: [["age_equal_or_over", "19"]], values: [true], copiesLeftAfter: 3 }]);
    expect(withChosenCards(plan, []).cards).toEqual(plan.cards);
    expect(() => withChosenCards(plan, [2])).toThrow(RangeError);
    // One card held: one candidate, nothing to choose.
    const one = await resolveVpRequest(params(await requestObject(basePayload()), { cards: [resident] }));
    expect(one.choices?.map((slot) => slot.map((c) => c.batch))).toEqual([["batch-resident"]]);
  });

  it("says what is missing when no card answers (an expired card, or no copies left, does not count)", async () => {
    const jwt = await requestObject(basePayload());
    for (const cards of [[], [{ ...licence, validUntil: now - 1 }], [{ ...licence, remaining: 0 }]]) {
      const plan = await resolveVpRequest(params(jwt, { cards }));
      expect(plan.cards).toEqual([]);
      expect(plan.missing).toEqual(["licence | resident"]);
      expect(plan.askedTypes).toEqual(["DriversLicenseCredential", "ResidentIDCredential"]);
    }
  });
});
