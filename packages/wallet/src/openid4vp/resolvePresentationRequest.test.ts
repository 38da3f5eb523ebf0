import { Wallet as EthersWallet, getBytes } from "ethers";
import { describe, expect, it } from "vitest";
import { RelyingPartyCode, createEs256kSigner, encodeBase64url, settableClock, toEthrDid } from "@mobile-id/core/browser";
import { createWallet } from "../createWallet.ts";
import { listPresentationHistory } from "../history/presentationHistory.ts";
import { importCredential } from "../importCredential.ts";
import { openWallet } from "../openWallet.ts";
import { memoryWalletStorage } from "../storage.ts";
import { CHAIN_ID, PASSPHRASE, T0, TEST_KDF_COST, TEST_KDF_FLOOR, acceptingVerifier, issueCredential } from "../testing.ts";
import { answerPresentationRequest } from "./answerPresentationRequest.ts";
import { type RelyingPartyCheck, resolvePresentationRequest } from "./resolvePresentationRequest.ts";
import type { DidDocumentLike } from "./verifyRequestObject.ts";

const enc = new TextEncoder();
const b64 = (o: unknown) => encodeBase64url(enc.encode(JSON.stringify(o)));
const rp = new EthersWallet(`0x${"42".repeat(32)}`);
const RP_DID = toEthrDid(CHAIN_ID, rp.address);
const CLIENT_ID = `decentralized_identifier:${RP_DID}`;
const ORIGIN = "https://rp.example.kr";
const STUDENT_QUERY = {
  credentials: [{ id: "student", format: "jwt_vc_json", meta: { type_values: [["VerifiableCredential", "StudentIDCredential"]] }, claims: [{ path: ["credentialSubject", "enrollmentStatus"] }] }],
};

function didDocument(over: Partial<DidDocumentLike> = {}): DidDocumentLike {
  return {
    id: RP_DID,
    verificationMethod: [{ id: `${RP_DID}#controller`, blockchainAccountId: `eip155:${CHAIN_ID}:${rp.address}` }],
    assertionMethod: [`${RP_DID}#controller`],
    authentication: [`${RP_DID}#controller`],
    ...over,
  };
}

async function requestObject(payload: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key = rp): Promise<string> {
  const input = `${b64({ alg: "ES256K", typ: "oauth-authz-req+jwt", kid: `${RP_DID}#controller`, ...header })}.${b64({
    client_id: CLIENT_ID,
    response_type: "vp_token",
    response_mode: "direct_post",
    response_uri: `${ORIGIN}/verifier/openid4vp/responses/1`,
    nonce: "n-0123456789abcdef",
    state: "s1",
    dcql_query: STUDENT_QUERY,
    aud: "https://self-issued.me/v2",
    iat: T0,
    exp: T0 + 300,
    ...payload,
  })}`;
  return `${input}.${encodeBase64url(await createEs256kSigner(getBytes(key.privateKey)).sign(enc.encode(input)))}`;
}

const link = (requestUri = `${ORIGIN}/verifier/openid4vp/requests/1`, clientId = CLIENT_ID) =>
  `openid4vp://?client_id=${encodeURIComponent(clientId)}&request_uri=${encodeURIComponent(requestUri)}`;

const permitAll: RelyingPartyCheck = async () => ({ permitted: true, registration: { name: "학생증 확인 창구", purpose: "재학 확인" } });

async function setUp(options: { jwt?: string; doc?: DidDocumentLike | null | undefined; check?: RelyingPartyCheck } = {}) {
  const storage = memoryWalletStorage();
  const clock = settableClock(T0);
  const wallet = await createWallet({ storage, passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock });
  await importCredential({ wallet, jwt: await issueCredential({ subject: wallet.did }), verifyCredential: acceptingVerifier() });
  const posts: Record<string, string>[] = [];
  const jwt = options.jwt ?? (await requestObject());
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    if (init?.method === "POST") {
      posts.push(Object.fromEntries(new URLSearchParams(String(init.body))));
      return new Response("{}", { status: 200 });
    }
    return url.startsWith(`${ORIGIN}/verifier/openid4vp/requests/`) ? new Response(jwt) : new Response("", { status: 404 });
  };
  const resolveDid = async () => ({ didDocument: options.doc === undefined ? didDocument() : options.doc });
  const resolve = (uri = link()) => resolvePresentationRequest({ wallet, uri, fetch, resolveDid, checkRelyingParty: options.check ?? permitAll });
  return { wallet, storage, clock, posts, fetch, resolve };
}

describe("resolvePresentationRequest (request object, relying party, DCQL plan)", () => {
  it("plans the JWT-VC answer, listing every claim the card reveals, with the registered name and purpose", async () => {
    const { resolve } = await setUp();
    const plan = await resolve();
    expect(plan.relyingParty).toEqual({ did: RP_DID, clientId: CLIENT_ID, name: "학생증 확인 창구", purpose: "재학 확인" });
    expect(plan.canAnswer).toBe(true);
    expect(plan.credentials[0]?.claims.map((c) => c.id).sort()).toEqual(["enrollmentStatus", "familyName", "givenName", "institution", "studentNumber"]);
    expect([...(plan.credentials[0]?.beyondRequest ?? [])].sort()).toEqual(["familyName", "givenName", "institution", "studentNumber"]);
  });

  it.each([
    ["a by-value request (unsigned)", `openid4vp://?client_id=${encodeURIComponent(CLIENT_ID)}&request=x&request_uri=${encodeURIComponent(`${ORIGIN}/r`)}`, "REQUEST_INVALID"],
    ["a client_id that is not a decentralized identifier", link(undefined, "x509_san_dns:rp.example.kr"), "REQUEST_INVALID"],
    ["a plain-http request_uri off loopback", link("http://rp.example.kr/verifier/openid4vp/requests/1"), "REQUEST_INVALID"],
    ["a link that is not openid4vp", "mailto:someone@example.kr", "REQUEST_INVALID"],
  ])("refuses %s before fetching anything", async (_name, uri, code) => {
    const { resolve, posts } = await setUp();
    await expect(resolve(uri)).rejects.toMatchObject({ code });
    expect(posts).toEqual([]);
  });

  it.each([
    ["signed by another key", async () => requestObject({}, {}, EthersWallet.createRandom() as unknown as EthersWallet), undefined, "REQUEST_SIGNATURE_INVALID"],
    ["with the wrong typ", async () => requestObject({}, { typ: "JWT" }), undefined, "REQUEST_SIGNATURE_INVALID"],
    ["whose kid's key may not sign (not an assertion method)", async () => requestObject(), didDocument({ assertionMethod: [], authentication: [] }), "REQUEST_SIGNATURE_INVALID"],
    ["of a deactivated DID (no document)", async () => requestObject(), null, "REQUEST_SIGNATURE_INVALID"],
    ["with another client_id inside", async () => requestObject({ client_id: `decentralized_identifier:${toEthrDid(CHAIN_ID, EthersWallet.createRandom().address)}` }), undefined, "REQUEST_INVALID"],
    ["asking for an encrypted response", async () => requestObject({ response_mode: "direct_post.jwt" }), undefined, "REQUEST_INVALID"],
    ["expired", async () => requestObject({ exp: T0 - 1 }), undefined, "REQUEST_EXPIRED"],
    ["answering elsewhere than its request_uri's origin", async () => requestObject({ response_uri: "https://collector.example.net/r" }), undefined, "REQUEST_URI_MISMATCH"],
    ["from an origin its DID document does not list", async () => requestObject(), didDocument({ service: [{ type: "LinkedDomains", serviceEndpoint: "https://other.example.kr" }] }), "REQUEST_URI_MISMATCH"],
    ["with an oversized DCQL query", async () => requestObject({ dcql_query: { credentials: Array.from({ length: 9 }, (_, i) => ({ ...STUDENT_QUERY.credentials[0], id: `q${i}` })) } }), undefined, "REQUEST_INVALID"],
    ["with a DCQL query that is not one", async () => requestObject({ dcql_query: { credentials: [] } }), undefined, "REQUEST_INVALID"],
  ] as const)("refuses a request object %s and posts nothing", async (_name, make, doc, code) => {
    const { resolve, posts } = await setUp({ jwt: await make(), doc: doc as DidDocumentLike | null | undefined });
    await expect(resolve()).rejects.toMatchObject({ code });
    expect(posts).toEqual([]);
  });

  it("accepts a request whose DID document lists its origin as a service", async () => {
    const { resolve } = await setUp({ doc: didDocument({ service: [{ type: "LinkedDomains", serviceEndpoint: `${ORIGIN}/` }] }) });
    expect((await resolve()).canAnswer).toBe(true);
  });

  it("refuses what the ledger refuses, with the registered name and reason, remembers it as refused, and sends nothing", async () => {
    const check: RelyingPartyCheck = async (q) => ({
      permitted: false,
      code: RelyingPartyCode.CLAIM_NOT_PERMITTED,
      message: `학생증 확인 창구 is not registered to ask for ${q.claims.join(", ")}`,
      registration: { name: "학생증 확인 창구", purpose: "재학 확인" },
      notPermitted: q.claims,
    });
    const { resolve, posts, wallet, storage } = await setUp({ check });
    await expect(resolve()).rejects.toMatchObject({ code: "CLAIM_NOT_PERMITTED", details: { name: "학생증 확인 창구", notPermitted: ["enrollmentStatus"], credentialType: "StudentIDCredential" } });
    expect(posts).toEqual([]);
    const [record] = await listPresentationHistory({ wallet });
    expect(record).toMatchObject({ outcome: "refused", code: "CLAIM_NOT_PERMITTED", relyingParty: { did: RP_DID, name: "학생증 확인 창구" }, credentials: [{ claims: ["enrollmentStatus"] }] });
    // Encrypted like the rest: the name is not in the file in clear, and the record survives reopening.
    expect(new TextDecoder("latin1").decode((await storage.read()) as Uint8Array)).not.toContain("CLAIM_NOT_PERMITTED");
    const reopened = await openWallet({ storage, passphrase: PASSPHRASE, unsafeKdfFloor: TEST_KDF_FLOOR });
    expect((await listPresentationHistory({ wallet: reopened }))[0]?.id).toBe(record?.id);
  });

  it("answers once; a plan not made by the wallet, or answered already, is refused", async () => {
    const { resolve, fetch, posts } = await setUp();
    const plan = await resolve();
    await answerPresentationRequest({ plan, consent: true, fetch });
    expect(posts).toHaveLength(1);
    await expect(answerPresentationRequest({ plan, consent: true, fetch })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(answerPresentationRequest({ plan: { ...plan }, consent: true, fetch })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(posts).toHaveLength(1);
  });

  it("sends nothing and spends nothing when the request expired before the holder consented (REQUEST_EXPIRED, recorded as failed)", async () => {
    const { resolve, fetch, posts, clock, wallet } = await setUp();
    const plan = await resolve();
    clock.set(plan.expiresAt);
    await expect(answerPresentationRequest({ plan, consent: true, fetch })).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
    expect(posts).toEqual([]);
    expect((await listPresentationHistory({ wallet }))[0]).toMatchObject({ outcome: "failed", code: "REQUEST_EXPIRED" });
  });

  it("reports a verifier that refuses the answer (RESPONSE_REJECTED with its error), recorded as failed", async () => {
    const { resolve, wallet } = await setUp();
    const plan = await resolve();
    const refusing = async (input: string | URL | Request, init?: RequestInit) =>
      init?.method === "POST" ? new Response(JSON.stringify({ error: "invalid_request" }), { status: 400 }) : fetch(input, init);
    await expect(answerPresentationRequest({ plan, consent: true, fetch: refusing })).rejects.toMatchObject({ code: "RESPONSE_REJECTED", details: { status: 400, error: "invalid_request" } });
    expect((await listPresentationHistory({ wallet }))[0]).toMatchObject({ outcome: "failed", code: "RESPONSE_REJECTED", credentials: [{ queryId: "student" }] });
  });

  it("posts access_denied when the wallet holds nothing that answers, and reports NO_MATCHING_CREDENTIAL", async () => {
    const none = await setUp({
      jwt: await requestObject({ dcql_query: { credentials: [{ id: "licence", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:DriversLicenseCredential:1"] }, claims: [{ path: ["givenName"] }] }] } }),
    });
    const empty = await none.resolve();
    expect(empty).toMatchObject({ canAnswer: false, missing: ["licence"] });
    await expect(answerPresentationRequest({ plan: empty, consent: true, fetch: none.fetch })).rejects.toMatchObject({ code: "NO_MATCHING_CREDENTIAL" });
    expect(none.posts).toEqual([{ error: "access_denied", error_description: "the wallet holds no credential that answers the query", state: "s1" }]);
  });
});
