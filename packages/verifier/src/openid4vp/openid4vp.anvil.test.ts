import { randomBytes, randomInt } from "node:crypto";
import { type HDNodeWallet, type JsonRpcProvider, Wallet, getBytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setGlobalConfig } from "@openid4vc/oauth2";
import { changeRelyingPartyStanding, createRelyingPartyReader, registerRelyingParty, setRelyingPartyClaims, type RelyingPartyLedger } from "@mobile-id/chain";
import { ReasonCode, VerificationCode, createNodeEs256kSigner, credentialTypeId, isMobileIdError, toEthrDid } from "@mobile-id/core";
import { createSecp256k1Signer, issueSdJwtVc, presentSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeP256Signer } from "@mobile-id/core/sd-jwt-vc/node";
import { createMemoryNonceStore } from "../nonceStore.ts";
import { startAnvilTestKit } from "../testing/anvilKit.ts";
import { createLibraryHolder } from "../testing/openid4vpHolder.ts";
import { SAMPLE_CLAIMS, type TestIssuer, type TestKit } from "../testing/testKit.ts";
import { type AuthorizationRequest, createAuthorizationRequest } from "./createAuthorizationRequest.ts";
import { createResponseEncryptionKey, encryptResponseJwe } from "./responseEncryption.ts";
import { type Openid4vpVerifier, type VerifyAuthorizationResponseReturnType, createOpenid4vpVerifier, verifyAuthorizationResponse } from "./verifyAuthorizationResponse.ts";

const DL_VCT = "urn:mobile-id:vct:DriversLicenseCredential:1";
const RID_VCT = "urn:mobile-id:vct:ResidentIDCredential:1";
const over19 = (id = "dl", vct = DL_VCT, more: string[][] = []) => ({
  id,
  format: "dc+sd-jwt",
  meta: { vct_values: [vct] },
  claims: [{ path: ["age_equal_or_over", "19"] }, ...more.map((path) => ({ path }))],
});
/** "A driver's licence OR a resident ID", only `age_equal_or_over.19`. */
const LICENCE_OR_RESIDENT = { credentials: [over19("dl"), over19("rid", RID_VCT)], credential_sets: [{ options: [["dl"], ["rid"]] }] };

const DL_CLAIMS = { ...SAMPLE_CLAIMS["DriversLicenseCredential"], aptitudeTestUntil: "2030-04-01" };
const RID_CLAIMS = { ...SAMPLE_CLAIMS["ResidentIDCredential"], residentRegistrationNumber: "000115-4234567", address: "1 Sejong-daero, Jongno-gu, Seoul" };

interface Copy {
  readonly copy: string;
  readonly holder: ReturnType<typeof nodeP256Signer>;
}

/**
 * Issue 11, presentation over OpenID4VP 1.0 with DCQL, against a real node (anvil): a holder built on
 * `@openid4vc/openid4vp` (`Openid4vpClient`) resolves our signed request object and answers it through the library;
 * every refusal asserts its stable code.
 */
describe("OpenID4VP verifier (anvil, library holder)", () => {
  let kit: TestKit;
  let provider: JsonRpcProvider;
  let ledger: RelyingPartyLedger;
  let vp: Openid4vpVerifier;
  const shop = Wallet.createRandom();
  const bar = Wallet.createRandom();
  const served = new Map<string, { request: AuthorizationRequest; outcome?: VerifyAuthorizationResponseReturnType }>();
  // The verifier's endpoints, in memory: the library's own fetch calls reach them.
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const id = url.pathname.split("/").at(-1) as string;
    const entry = served.get(id);
    if (entry === undefined) return new Response("{}", { status: 404 });
    if (url.pathname.startsWith("/requests/")) {
      return new Response(entry.request.requestObject, { headers: { "content-type": "application/oauth-authz-req+jwt" } });
    }
    const form = Object.fromEntries(new URLSearchParams(String(init?.body)));
    entry.outcome = await verifyAuthorizationResponse({ verifier: vp, request: entry.request, response: form });
    return Response.json({});
  };
  const holder = createLibraryHolder({ fetch });
  let licence: TestIssuer;
  let resident: TestIssuer;
  const used = new Set<number>();

  const ledgerTime = async () => (await provider.getBlock("latest"))!.timestamp;
  async function create(dcqlQuery: unknown, party: HDNodeWallet = shop, responseMode: "direct_post" | "direct_post.jwt" = "direct_post"): Promise<{ request: AuthorizationRequest; link: string; id: string }> {
    const id = randomBytes(12).toString("base64url");
    const request = await createAuthorizationRequest({
      relyingParty: { did: toEthrDid(31337, party.address), signer: createNodeEs256kSigner(party.privateKey) },
      ledger,
      dcqlQuery,
      responseUri: `https://verifier.test/responses/${id}`,
      responseMode,
      clock: kit.clock,
      registrationTime: await ledgerTime(),
    });
    served.set(id, { request });
    const link = `openid4vp://?client_id=${encodeURIComponent(request.clientId)}&request_uri=${encodeURIComponent(`https://verifier.test/requests/${id}`)}`;
    return { request, link, id };
  }
  async function issue(issuer: TestIssuer, typeName: string, claims: Record<string, unknown>): Promise<Copy> {
    const h = nodeP256Signer(randomBytes(32));
    let idx: number;
    do idx = randomInt(0, 1 << 17);
    while (used.has(idx));
    used.add(idx);
    const { copies } = await issueSdJwtVc({
      issuer: issuer.did,
      signer: createSecp256k1Signer(getBytes(issuer.wallet.privateKey), `${issuer.did}#controller`),
      typeName,
      claims,
      copies: [{ holderKey: h.publicJwk, status: { idx, uri: `http://127.0.0.1:8080/status-lists/${issuer.revocationListId}/${issuer.suspensionListId}` } }],
      issuedAt: kit.now(),
      validUntil: kit.now() + 365 * 86400,
      timeGranularitySeconds: 1,
    });
    return { copy: copies[0] as string, holder: h };
  }
  const present = (c: Copy, r: AuthorizationRequest, claims: string[][], o: { aud?: string; nonce?: string } = {}) =>
    presentSdJwtVc({ credential: c.copy, claims, audience: o.aud ?? r.clientId, nonce: o.nonce ?? r.nonce, issuedAt: kit.now(), holderSigner: c.holder });
  /** Resolves through the library and answers; returns what the verifier decided. */
  async function answer(link: string, id: string, vpToken: (r: AuthorizationRequest) => Promise<Record<string, string[]>>) {
    const resolved = await holder.resolve(link);
    const entry = served.get(id)!;
    await holder.answer(resolved, await vpToken(entry.request));
    return entry.outcome!;
  }
  const refusedWith = (o: VerifyAuthorizationResponseReturnType, code: string) => {
    expect({ verified: o.verified, code: o.code }).toEqual({ verified: false, code });
  };
  async function creationRefused(run: Promise<unknown>, code: string): Promise<void> {
    const e = await run.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isMobileIdError(e) ? e.code : e).toBe(code);
  }

  beforeAll(async () => {
    setGlobalConfig({ allowInsecureUrls: true });
    kit = await startAnvilTestKit("openid4vp");
    provider = kit.net.chain.provider as JsonRpcProvider;
    const { descriptor, roster } = kit.net;
    ledger = createRelyingPartyReader({ descriptor, provider });
    vp = createOpenid4vpVerifier({ descriptor, ledger: kit.mirror, nonceStore: createMemoryNonceStore({ clock: kit.clock }), clock: kit.clock });
    licence = kit.issuerFor("DriversLicenseCredential");
    resident = kit.issuerFor("ResidentIDCredential");
    for (const party of [shop, bar]) {
      await registerRelyingParty({
        descriptor,
        signer: roster.accreditors.police.signer,
        relyingParty: party.address,
        name: party === shop ? "서울마트 Seoul Mart" : "Bar",
        purpose: "주류 판매 연령 확인 Age check for alcohol sales",
        types: [{ credentialTypeId: credentialTypeId("DriversLicenseCredential", 1), claims: [["age_equal_or_over", "19"], "givenName", "familyName"] }],
      });
    }
    await setRelyingPartyClaims({
      descriptor,
      signer: roster.accreditors.interior.signer,
      relyingParty: shop.address,
      credentialTypeId: credentialTypeId("ResidentIDCredential", 1),
      claims: [["age_equal_or_over", "19"]],
    });
    await kit.sync();
  }, 120_000);
  afterAll(async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    await kit?.close();
  });

  it("dc+sd-jwt: the library resolves our signed request and its answer verifies, with only the asked claim", async () => {
    const { link, id } = await create({ credentials: [over19()] });
    const resolved = await holder.resolve(link);
    expect(resolved.client.prefix).toBe("decentralized_identifier");
    expect(resolved.client.identifier).toBe(toEthrDid(31337, shop.address));
    expect(resolved.dcql?.query).toMatchObject({ credentials: [{ id: "dl", format: "dc+sd-jwt" }] });
    const c = await issue(licence, "DriversLicenseCredential", DL_CLAIMS);
    const request = served.get(id)!.request;
    await holder.answer(resolved, { dl: [await present(c, request, [["age_equal_or_over", "19"]])] });
    const outcome = served.get(id)!.outcome!;
    expect(outcome.code).toBeUndefined();
    expect(outcome.verified).toBe(true);
    expect(outcome.declined ? [] : outcome.credentials.map((x) => [x.credentialQueryId, x.type, x.claims])).toEqual([
      ["dl", "DriversLicenseCredential", { age_equal_or_over: { "19": true } }],
    ]);
    expect(outcome.declined ? undefined : outcome.ledgerAsOf?.blockNumber).toBeGreaterThan(0);
  });

  it("jwt_vc_json: a VP JWT with aud = client_id verifies, and only the asked claims are kept", async () => {
    const query = { credentials: [{ id: "dl", format: "jwt_vc_json", meta: { type_values: [["VerifiableCredential", "DriversLicenseCredential"]] }, claims: [{ path: ["credentialSubject", "givenName"] }] }] };
    const { link, id } = await create(query);
    const h = kit.newHolder();
    const { jwt } = kit.issue({ issuer: licence, holder: h });
    const outcome = await answer(link, id, async (r) => ({
      dl: [kit.present({ holder: h, credentials: [jwt], request: { ...kit.request(), domain: r.clientId, challenge: r.nonce, expiresAt: r.expiresAt } })],
    }));
    expect(outcome.code).toBeUndefined();
    expect(outcome.declined ? [] : outcome.credentials.map((x) => x.claims)).toEqual([{ givenName: SAMPLE_CLAIMS["DriversLicenseCredential"]!["givenName"] }]);
  });

  it("credential sets: a resident ID answers 'licence OR resident ID'; both at once is an unrequested credential", async () => {
    const rid = await issue(resident, "ResidentIDCredential", RID_CLAIMS);
    const dl = await issue(licence, "DriversLicenseCredential", DL_CLAIMS);
    const one = await create(LICENCE_OR_RESIDENT);
    const ok = await answer(one.link, one.id, async (r) => ({ rid: [await present(rid, r, [["age_equal_or_over", "19"]])] }));
    expect({ verified: ok.verified, code: ok.code }).toEqual({ verified: true, code: undefined });
    const both = await create(LICENCE_OR_RESIDENT);
    refusedWith(
      await answer(both.link, both.id, async (r) => ({
        dl: [await present(dl, r, [["age_equal_or_over", "19"]])],
        rid: [await present(rid, r, [["age_equal_or_over", "19"]])],
      })),
      VerificationCode.UNREQUESTED_CREDENTIAL,
    );
  });

  it("refuses a presentation filed under another credential query (DCQL_MISMATCH)", async () => {
    const rid = await issue(resident, "ResidentIDCredential", RID_CLAIMS);
    const { link, id } = await create(LICENCE_OR_RESIDENT);
    refusedWith(await answer(link, id, async (r) => ({ dl: [await present(rid, r, [["age_equal_or_over", "19"]])] })), VerificationCode.DCQL_MISMATCH);
  });

  it("refuses a credential for a query the request does not have (UNREQUESTED_CREDENTIAL)", async () => {
    const dl = await issue(licence, "DriversLicenseCredential", DL_CLAIMS);
    const { request } = await create({ credentials: [over19()] });
    const p = await present(dl, request, [["age_equal_or_over", "19"]]);
    const o = await verifyAuthorizationResponse({ verifier: vp, request, response: { state: request.state, vp_token: JSON.stringify({ dl: [p], extra: [p] }) } });
    refusedWith(o, VerificationCode.UNREQUESTED_CREDENTIAL);
  });

  it("refuses a wrong nonce (CHALLENGE_MISMATCH) and a KB-JWT for another verifier (DOMAIN_MISMATCH)", async () => {
    const dl = await issue(licence, "DriversLicenseCredential", DL_CLAIMS);
    const a = await create({ credentials: [over19()] });
    refusedWith(await answer(a.link, a.id, async (r) => ({ dl: [await present(dl, r, [["age_equal_or_over", "19"]], { nonce: "n".repeat(43) })] })), VerificationCode.CHALLENGE_MISMATCH);
    const b = await create({ credentials: [over19()] });
    const other = `decentralized_identifier:${toEthrDid(31337, bar.address)}`;
    refusedWith(await answer(b.link, b.id, async (r) => ({ dl: [await present(dl, r, [["age_equal_or_over", "19"]], { aud: other })] })), VerificationCode.DOMAIN_MISMATCH);
  });

  it("refuses a withheld required claim (CLAIM_WITHHELD) and a claim not asked for (UNREQUESTED_CLAIM)", async () => {
    const dl = await issue(licence, "DriversLicenseCredential", DL_CLAIMS);
    const a = await create({ credentials: [over19("dl", DL_VCT, [["givenName"]])] });
    refusedWith(await answer(a.link, a.id, async (r) => ({ dl: [await present(dl, r, [["age_equal_or_over", "19"]])] })), VerificationCode.CLAIM_WITHHELD);
    const b = await create({ credentials: [over19()] });
    refusedWith(
      await answer(b.link, b.id, async (r) => ({ dl: [await present(dl, r, [["age_equal_or_over", "19"], ["givenName"]])] })),
      VerificationCode.UNREQUESTED_CLAIM,
    );
  });

  it("accepts a response once (REPLAYED), refuses another state (STATE_MISMATCH) and records a decline", async () => {
    const dl = await issue(licence, "DriversLicenseCredential", DL_CLAIMS);
    const { request, link, id } = await create({ credentials: [over19()] });
    const response = { state: request.state, vp_token: JSON.stringify({ dl: [await present(dl, request, [["age_equal_or_over", "19"]])] }) };
    refusedWith(await verifyAuthorizationResponse({ verifier: vp, request, response: { ...response, state: "other" } }), VerificationCode.STATE_MISMATCH);
    expect((await verifyAuthorizationResponse({ verifier: vp, request, response })).verified).toBe(true);
    refusedWith(await verifyAuthorizationResponse({ verifier: vp, request, response }), VerificationCode.REPLAYED);
    await holder.decline(await holder.resolve(link));
    expect(served.get(id)!.outcome).toMatchObject({ declined: true, error: "access_denied" });
  });

  it("direct_post.jwt: the library encrypts the answer to the request's key (ECDH-ES); a clear or misaddressed answer is refused", async () => {
    const dl = await issue(licence, "DriversLicenseCredential", DL_CLAIMS);
    const { link, id, request } = await create({ credentials: [over19()] }, shop, "direct_post.jwt");
    const jwks = (request.payload["client_metadata"] as { jwks: { keys: { alg: string; use: string; d?: string }[] } }).jwks;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ alg: "ECDH-ES", use: "enc" });
    expect(jwks.keys[0]?.d).toBeUndefined();
    const outcome = await answer(link, id, async (r) => ({ dl: [await present(dl, r, [["age_equal_or_over", "19"]])] }));
    expect({ verified: outcome.verified, code: outcome.code }).toEqual({ verified: true, code: undefined });

    const second = await create({ credentials: [over19()] }, shop, "direct_post.jwt");
    const fields = { state: second.request.state, vp_token: JSON.stringify({ dl: [await present(dl, second.request, [["age_equal_or_over", "19"]])] }) };
    refusedWith(await verifyAuthorizationResponse({ verifier: vp, request: second.request, response: fields }), VerificationCode.MALFORMED);
    const elsewhere = encryptResponseJwe({ recipient: createResponseEncryptionKey().publicJwk, plaintext: JSON.stringify(fields) });
    refusedWith(await verifyAuthorizationResponse({ verifier: vp, request: second.request, response: { response: elsewhere } }), VerificationCode.MALFORMED);
    const proper = encryptResponseJwe({ recipient: second.request.responseEncryptionKey!, plaintext: JSON.stringify(fields), enc: "A256GCM" });
    expect((await verifyAuthorizationResponse({ verifier: vp, request: second.request, response: { response: proper } })).verified).toBe(true);
  });

  it("refuses to create a request for an unregistered party, a claim outside the registration, a suspended party, an oversized query", async () => {
    await creationRefused(create({ credentials: [over19()] }, Wallet.createRandom()), "RELYING_PARTY_UNREGISTERED");
    await creationRefused(create({ credentials: [over19("dl", DL_VCT, [["licenseNumber"]])] }), "CLAIM_NOT_PERMITTED");
    // The bar is registered for the licence only: a resident ID is outside its registration.
    await creationRefused(create(LICENCE_OR_RESIDENT, bar), "CLAIM_NOT_PERMITTED");
    const nine = { credentials: Array.from({ length: 9 }, (_, i) => over19(`q${i}`)) };
    await creationRefused(create(nine), "DCQL_TOO_LARGE");
    await creationRefused(create({ credentials: [{ ...over19(), claims: [{ path: ["age_equal_or_over", "x".repeat(9000)] }] }] }), "DCQL_TOO_LARGE");
    await creationRefused(create({ credentials: [{ id: "dl", format: "dc+sd-jwt" }], credential_sets: [{ options: [["nope"]] }] }), "DCQL_INVALID");
    await changeRelyingPartyStanding({ descriptor: kit.net.descriptor, signer: kit.net.roster.accreditors.police.signer, relyingParty: bar.address, action: "suspend", reason: ReasonCode.MISCONDUCT });
    await creationRefused(create({ credentials: [over19()] }, bar), "RELYING_PARTY_SUSPENDED");
  });
});
