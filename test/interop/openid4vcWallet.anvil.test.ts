/**
 * Issue 11, interoperability of OUR WALLET with code we did not write, on a real ledger node (anvil):
 * - an OpenID4VCI issuer built only with `@openid4vc/openid4vci`'s `Openid4vciIssuer` and `@openid4vc/oauth2`'s
 *   `Oauth2AuthorizationServer` (pre-authorized code + tx_code, nonce endpoint, `proofs.jwt`, batch), behind a fetch shim;
 * - an OpenID4VP verifier built only with `@openid4vc/openid4vp`'s `Openid4vpVerifier` (signed request object by
 *   `request_uri`, DCQL, `direct_post`), whose relying-party identity is registered (or not) on the ledger.
 * And the refusals: unregistered key, request_uri elsewhere, claims outside the registration, suspended party.
 */
import { Wallet as EthersWallet, type HDNodeWallet, type JsonRpcProvider, getBytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RpcLedgerReader,
  bootstrapRelyingParties,
  changeRelyingPartyStanding,
  createEthrDidResolver,
  createRelyingPartyReader,
  registerRelyingParty,
  setRelyingPartyClaims,
} from "@mobile-id/chain";
import { credentialTypeId, settableClock, toEthrDid } from "@mobile-id/core";
import { es256kPublicKeyVerifier, verifySdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { assertRelyingPartyMayRequest } from "@mobile-id/verifier";
import { type TestIssuer, type TestKit, startAnvilTestKit } from "@mobile-id/verifier/testing";
import { readWallet } from "../../packages/wallet/src/session.ts";
import { type LibraryIssuerKit, libraryIssuer } from "../support/libraryOpenid4vciIssuer.ts";
import { libraryVerifier } from "../support/libraryOpenid4vpVerifier.ts";

/** The library issuer's clock and JWT-VC signer from the verifier's test kit. */
const issuerKit = (kit: TestKit): LibraryIssuerKit => ({
  now: () => kit.now(),
  issueJwtVc: (issuer, holderDid) => kit.issue({ issuer: issuer as TestIssuer, holder: { did: holderDid, address: "", privateKey: new Uint8Array(32) } }).jwt,
});
import {
  type IssuerCheck,
  type RelyingPartyCheck,
  type Wallet,
  type WalletFetch,
  answerPresentationRequest,
  createWallet,
  deletePresentationHistory,
  exportPresentationHistory,
  listPresentationHistory,
  LOW_COPIES,
  type SdJwtVcBatchSummary,
  listSdJwtVcs,
  memoryWalletStorage,
  refreshSdJwtVcCopies,
  webCryptoHolderKeyStore,
  receiveCredentialOffer,
  resolvePresentationRequest,
} from "@mobile-id/wallet";

const TEST_KDF = { kdf: { log2N: 10, r: 8, p: 1 }, unsafeKdfFloor: { minLog2N: 10, minR: 8, minP: 1, minSaltBytes: 16 } } as const;

interface Logged {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

/** A fetch that routes by origin to in-test handlers and logs every request. */
function fetchShim(routes: Map<string, (req: Request) => Promise<Response>>, log: Logged[]): WalletFetch {
  return async (input, init) => {
    const req = new Request(input as string, init);
    const body = req.method === "GET" ? "" : await req.clone().text();
    log.push({ method: req.method, url: req.url, body });
    const handler = routes.get(new URL(req.url).origin);
    if (handler === undefined) throw new TypeError(`fetch failed: no route to ${req.url}`);
    return handler(req);
  };
}


const AGE_QUERY = {
  credentials: [
    { id: "licence", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:DriversLicenseCredential:1"] }, claims: [{ path: ["age_equal_or_over", "19"] }] },
    { id: "resident", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:ResidentIDCredential:1"] }, claims: [{ path: ["age_equal_or_over", "19"] }] },
  ],
  credential_sets: [{ options: [["licence"], ["resident"]] }],
};

describe("our wallet against the @openid4vc libraries' issuer and verifier (anvil)", () => {
  let kit: TestKit;
  let resident: TestIssuer;
  let wallet: Wallet;
  let clock: ReturnType<typeof settableClock>;
  let checkIssuer: IssuerCheck;
  let checkRelyingParty: RelyingPartyCheck;
  let resolveDid: (did: string) => Promise<never>;
  const log: Logged[] = [];
  const routes = new Map<string, (req: Request) => Promise<Response>>();
  const fetch = fetchShim(routes, log);
  let counter: HDNodeWallet;
  const shop = EthersWallet.createRandom();
  const pub = EthersWallet.createRandom();
  const suspended = EthersWallet.createRandom();
  const stranger = EthersWallet.createRandom();
  const verifyCredential = async (credential: string) => {
    const r = await kit.verifier().verifyCredential({ credential });
    return { verified: r.verified, code: r.code };
  };

  beforeAll(async () => {
    kit = await startAnvilTestKit("oid4vc-wallet");
    resident = kit.issuerFor("ResidentIDCredential");
    const { descriptor, roster } = kit.net;
    const provider = kit.net.chain.provider;
    await bootstrapRelyingParties({ descriptor, accreditors: roster.accreditors, relyingParties: roster.relyingParties });
    counter = roster.relyingParties[0]?.signer as HDNodeWallet;
    const police = roster.accreditors.police.signer;
    const licence = credentialTypeId("DriversLicenseCredential", 1);
    await registerRelyingParty({ descriptor, signer: police, relyingParty: shop.address, name: "서울마트 Seoul Mart", purpose: "주류 판매 연령 확인", types: [{ credentialTypeId: licence, claims: [["age_equal_or_over", "19"]] }] });
    // The dev counter's "all" is the schemas' properties, which do not include SD-JWT VC age claims: a corner shop
    // is registered for exactly "19 or older" of the licence (police) and the resident ID (interior).
    await registerRelyingParty({ descriptor, signer: police, relyingParty: pub.address, name: "동네 편의점 Corner Shop", purpose: "주류 판매 연령 확인 Age check", types: [{ credentialTypeId: licence, claims: [["age_equal_or_over", "19"]] }] });
    await setRelyingPartyClaims({ descriptor, signer: roster.accreditors.interior.signer, relyingParty: pub.address, credentialTypeId: credentialTypeId("ResidentIDCredential", 1), claims: [["age_equal_or_over", "19"]] });
    await registerRelyingParty({ descriptor, signer: police, relyingParty: suspended.address, name: "정지된 가게", purpose: "연령 확인", types: [{ credentialTypeId: licence, claims: [["age_equal_or_over", "19"]] }] });
    await changeRelyingPartyStanding({ descriptor, signer: police, relyingParty: suspended.address, action: "suspend", reason: 1 });
    const ledger = createRelyingPartyReader({ descriptor, provider });
    const head = async () => (await provider.getBlock("latest"))?.timestamp ?? 0;
    checkRelyingParty = async (q) => assertRelyingPartyMayRequest({ ledger, ...q, at: Math.max(q.at, await head()) });
    const reader = new RpcLedgerReader({ rpc: provider as JsonRpcProvider, descriptor });
    checkIssuer = async ({ issuerDid, credentialType }) => {
      const address = issuerDid.split(":").at(-1) as string;
      const facts = await reader.read({ identities: [], standings: [{ party: address, credentialType: credentialTypeId(credentialType, 1), at: "current" }], statusEntries: [], credentialTypes: [], now: await head() });
      return facts.standings[0]?.inForce === true ? { accredited: true } : { accredited: false, code: "ISSUER_NOT_IN_FORCE", message: "not accredited for this type on the ledger" };
    };
    const resolver = createEthrDidResolver({ provider, descriptor });
    resolveDid = (did) => resolver.resolve(did) as never;
    await kit.sync();
    clock = settableClock(await head());
    wallet = await createWallet({ storage: memoryWalletStorage(), passphrase: "correct horse 배터리 staple", chainId: 31337, now: clock, ...TEST_KDF });
  });
  afterAll(async () => {
    await kit?.close();
  });

  describe("OpenID4VCI: an issuer made with Openid4vciIssuer + Oauth2AuthorizationServer", () => {
    it("receives a batch of SD-JWT VC copies with the transaction code, one holder key per copy, after the ledger check", async () => {
      const issuer = libraryIssuer(issuerKit(kit), resident, "https://resident.example.kr");
      routes.set(issuer.origin, issuer.handle);
      const { offerUri, txCode } = await issuer.createOffer();
      const asked: string[] = [];
      const r = await receiveCredentialOffer({
        wallet,
        offer: offerUri,
        fetch,
        checkIssuer,
        resolveDid,
        verifyCredential,
        copies: 4,
        txCode: async (preview) => {
          asked.push(`${preview.issuerName} ${preview.issuerDid} ${preview.txCode?.length}`);
          return txCode;
        },
      });
      expect(asked).toEqual([`행정안전부 주민등록 ${resident.did} 6`]);
      expect(r.received).toHaveLength(1);
      expect(r.received[0]?.batch).toMatchObject({ type: "ResidentIDCredential", issuer: resident.did, copies: 4, remaining: 4 });
      const credentialPost = log.find((l) => l.url.endsWith("/credential"));
      expect((JSON.parse(credentialPost?.body ?? "{}") as { proofs?: { jwt?: string[] } }).proofs?.jwt).toHaveLength(4);
    });

    it("keeps only the holder keys the issuer bound: an issuer answering fewer copies than proofs leaves no spare private key", async () => {
      const issuer = libraryIssuer(issuerKit(kit), resident, "https://resident-few.example.kr", { maxCopies: 2 });
      routes.set(issuer.origin, issuer.handle);
      const { offerUri, txCode } = await issuer.createOffer();
      const keysBefore = readWallet(wallet).state.holderKeys?.length ?? 0;
      const r = await receiveCredentialOffer({ wallet, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, copies: 5, txCode });
      expect(r.received[0]?.batch).toMatchObject({ copies: 2, remaining: 2 });
      const { state } = readWallet(wallet);
      expect((state.holderKeys?.length ?? 0) - keysBefore).toBe(2);
      const used = new Set((state.sdJwtVcs ?? []).map((c) => c.keyId));
      expect((state.holderKeys ?? []).every((k) => used.has(k.id))).toBe(true);
    });

    it("reports the issuer's OAuth error for a wrong transaction code and for a replayed pre-authorized code (invalid_grant)", async () => {
      const issuer = libraryIssuer(issuerKit(kit), resident, "https://resident.example.kr");
      routes.set(issuer.origin, issuer.handle);
      const { offerUri, txCode } = await issuer.createOffer();
      const wrong = txCode === "000000" ? "111111" : "000000";
      await expect(receiveCredentialOffer({ wallet, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, txCode: wrong })).rejects.toMatchObject({ code: "ISSUANCE_FAILED", details: { error: "invalid_grant" } });
      await receiveCredentialOffer({ wallet, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, txCode, copies: 1 });
      await expect(receiveCredentialOffer({ wallet, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, txCode })).rejects.toMatchObject({ code: "ISSUANCE_FAILED", details: { error: "invalid_grant" } });
    });

    it("receives a JWT-VC (jwt_vc_json) bound to the holder DID with an ES256K proof whose kid is the DID URL", async () => {
      const issuer = libraryIssuer(issuerKit(kit), kit.issuerFor("StudentIDCredential"), "https://snu.example.kr", { format: "jwt_vc_json" });
      routes.set(issuer.origin, issuer.handle);
      const { offerUri, txCode } = await issuer.createOffer();
      const r = await receiveCredentialOffer({ wallet, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, txCode });
      expect(r.received[0]).toMatchObject({ format: "jwt_vc_json", type: "StudentIDCredential", credential: { type: "StudentIDCredential" } });
      const proof = (JSON.parse(log.filter((l) => l.url === "https://snu.example.kr/issuers/resident/credential").at(-1)?.body ?? "{}") as { proofs: { jwt: string[] } }).proofs.jwt[0] as string;
      expect(JSON.parse(Buffer.from(proof.split(".")[0] as string, "base64url").toString())).toMatchObject({ alg: "ES256K", kid: `${wallet.did}#controller`, typ: "openid4vci-proof+jwt" });
    });

    it("refuses an issuer not accredited for the type before asking for the code: no token request is sent", async () => {
      // A DID of its own, with a key of its own: its metadata is signed, but the ledger does not accredit it.
      const impostor = libraryIssuer(issuerKit(kit), resident, "https://impostor.example.kr", { issuerDid: toEthrDid(31337, stranger.address), signedMetadata: { privateKey: stranger.privateKey } });
      routes.set(impostor.origin, impostor.handle);
      const { offerUri, txCode } = await impostor.createOffer();
      let asked = false;
      const before = log.length;
      await expect(
        receiveCredentialOffer({ wallet, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, txCode: async () => ((asked = true), txCode) }),
      ).rejects.toMatchObject({ code: "ISSUER_NOT_ACCREDITED" });
      expect(asked).toBe(false);
      expect(log.slice(before).filter((l) => l.method === "POST")).toEqual([]);
    });
  });

  describe("OpenID4VCI: which issuer a URL speaks for (signed_metadata)", () => {
    const tryOffer = async (issuer: ReturnType<typeof libraryIssuer>) => {
      routes.set(issuer.origin, issuer.handle);
      const { offerUri, txCode } = await issuer.createOffer();
      let asked = false;
      const before = log.length;
      const outcome = await receiveCredentialOffer({ wallet, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, txCode: async () => ((asked = true), txCode) }).catch((e: unknown) => e);
      return { outcome, asked, posts: log.slice(before).filter((l) => l.method === "POST") };
    };

    it("refuses a page naming an accredited issuer's DID without that issuer's signature for its URL, before the code: unsigned, signed by another key, or a copy of the real issuer's", async () => {
      const real = libraryIssuer(issuerKit(kit), resident, "https://resident-real.example.kr");
      const copied = (await real.signedMetadata()) as string;
      const variants = [
        libraryIssuer(issuerKit(kit), resident, "https://phish-1.example.kr", { signedMetadata: false }),
        libraryIssuer(issuerKit(kit), resident, "https://phish-2.example.kr", { signedMetadata: { privateKey: stranger.privateKey } }),
        libraryIssuer(issuerKit(kit), resident, "https://phish-3.example.kr", { signedMetadata: copied }),
      ];
      for (const phish of variants) {
        const r = await tryOffer(phish);
        expect(r.outcome, phish.origin).toMatchObject({ code: "ISSUER_METADATA_UNSIGNED" });
        expect(r.asked).toBe(false);
        expect(r.posts).toEqual([]);
      }
    });
  });

  describe("OpenID4VP: a verifier made with Openid4vpVerifier, DCQL, direct_post", () => {
    it("shows the registered name, purpose and the one claim, then answers with a copy bound to this client_id and nonce", async () => {
      const v = libraryVerifier(pub, "https://counter.example.kr");
      routes.set("https://counter.example.kr", (r) => v.handle(r));
      const { uri, nonce } = await v.request(AGE_QUERY);
      const plan = await resolvePresentationRequest({ wallet, uri, fetch, resolveDid, checkRelyingParty });
      expect(plan.relyingParty).toMatchObject({ did: v.did, clientId: v.clientId, name: "동네 편의점 Corner Shop", purpose: "주류 판매 연령 확인 Age check" });
      expect(plan.canAnswer).toBe(true);
      expect(plan.credentials.map((c) => ({ q: c.queryId, type: c.type, claims: c.claims.map((x) => [x.id, x.value]) }))).toEqual([
        { q: "resident", type: "ResidentIDCredential", claims: [["age_equal_or_over.19", true]] },
      ]);
      const before = (await listSdJwtVcs({ wallet }))[0]?.remaining as number;
      const r = await answerPresentationRequest({ plan, consent: true, fetch });
      expect(r).toMatchObject({ outcome: "shared", delivered: true, redirectUri: "https://counter.example.kr/done" });
      expect(r.copiesLeft[0]?.remaining).toBe(before - 1);
      const form = v.received.at(-1) as Record<string, string>;
      expect(form["state"]).toBe("state-0");
      const token = JSON.parse(form["vp_token"] as string) as Record<string, string[]>;
      expect(Object.keys(token)).toEqual(["resident"]);
      const seen = await verifySdJwtVc({
        token: token["resident"]?.[0] as string,
        now: clock(),
        chainId: 31337n,
        verifyIssuerSignature: es256kPublicKeyVerifier(getBytes(resident.wallet.signingKey.compressedPublicKey)),
        keyBinding: { audience: v.clientId, nonce },
      });
      expect(seen.ok && seen.value.claims).toEqual({ age_equal_or_over: { "19": true } });
      const [last] = await listPresentationHistory({ wallet });
      expect(last).toMatchObject({ outcome: "shared", relyingParty: { did: v.did, name: plan.relyingParty.name }, credentials: [{ queryId: "resident", claims: ["age_equal_or_over.19"] }] });
    });

    it("gets fresh copies with the same grant when a batch runs low; the grant moves to the new batch; refused once the issuer stops", async () => {
      const issuer = libraryIssuer(issuerKit(kit), resident, "https://refresh.example.kr");
      routes.set(issuer.origin, issuer.handle);
      const { offerUri, txCode } = await issuer.createOffer();
      const first = (await receiveCredentialOffer({ wallet, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, txCode, copies: 1 })).received[0]?.batch as SdJwtVcBatchSummary;
      expect(first.remaining).toBeLessThanOrEqual(LOW_COPIES);
      const fresh = await refreshSdJwtVcCopies({ wallet, batch: first.batch, fetch, checkIssuer, verifyCredential, copies: 3 });
      expect(fresh).toMatchObject({ type: "ResidentIDCredential", issuer: resident.did, copies: 3, remaining: 3 });
      expect(fresh.batch).not.toBe(first.batch);
      expect((await listSdJwtVcs({ wallet })).map((b) => b.batch)).toEqual(expect.arrayContaining([first.batch, fresh.batch]));
      await expect(refreshSdJwtVcCopies({ wallet, batch: first.batch, fetch, checkIssuer, verifyCredential })).rejects.toMatchObject({ code: "REFRESH_NOT_AVAILABLE" });
      issuer.refusing.value = true;
      await expect(refreshSdJwtVcCopies({ wallet, batch: fresh.batch, fetch, checkIssuer, verifyCredential })).rejects.toMatchObject({ code: "ISSUANCE_FAILED", details: { error: "invalid_grant" } });
    });

    it("keeps holder keys as non-extractable WebCrypto keys when given a key store: proofs and KB-JWTs are signed there, the state holds no private key", async () => {
      const storage = memoryWalletStorage();
      const phone = await createWallet({ storage, passphrase: "correct horse 배터리 staple", chainId: 31337, now: clock, ...TEST_KDF });
      const store = webCryptoHolderKeyStore();
      const issuer = libraryIssuer(issuerKit(kit), resident, "https://webcrypto.example.kr");
      routes.set(issuer.origin, issuer.handle);
      const { offerUri, txCode } = await issuer.createOffer();
      const r = await receiveCredentialOffer({ wallet: phone, offer: offerUri, fetch, checkIssuer, resolveDid, verifyCredential, txCode, copies: 2, holderKeyStore: store });
      expect(r.received[0]?.batch?.copies).toBe(2);
      expect(store.keys.size).toBe(2);
      for (const pair of store.keys.values()) expect(pair.privateKey.extractable).toBe(false);
      const v = libraryVerifier(pub, "https://webcrypto-shop.example.kr");
      routes.set("https://webcrypto-shop.example.kr", (req) => v.handle(req));
      const withoutStore = await resolvePresentationRequest({ wallet: phone, uri: (await v.request(AGE_QUERY)).uri, fetch, resolveDid, checkRelyingParty });
      await expect(answerPresentationRequest({ plan: withoutStore, consent: true, fetch })).rejects.toMatchObject({ code: "WALLET_KEY_UNAVAILABLE" });
      expect(v.received).toEqual([]);
      expect((await listSdJwtVcs({ wallet: phone }))[0]?.remaining).toBe(2);
      const { uri, nonce } = await v.request(AGE_QUERY);
      const plan = await resolvePresentationRequest({ wallet: phone, uri, fetch, resolveDid, checkRelyingParty });
      expect((await answerPresentationRequest({ plan, consent: true, fetch, holderKeyStore: store })).outcome).toBe("shared");
      const token = JSON.parse(v.received.at(-1)?.["vp_token"] as string) as Record<string, string[]>;
      const seen = await verifySdJwtVc({
        token: token["resident"]?.[0] as string,
        now: clock(),
        chainId: 31337n,
        verifyIssuerSignature: es256kPublicKeyVerifier(getBytes(resident.wallet.signingKey.compressedPublicKey)),
        keyBinding: { audience: v.clientId, nonce },
      });
      expect(seen.ok).toBe(true);
    });

    it("answers a jwt_vc_json query with a VP JWT for this client_id and nonce; the plan lists every claim the card reveals", async () => {
      const v = libraryVerifier(counter, "https://student.example.kr");
      routes.set("https://student.example.kr", (r) => v.handle(r));
      const { uri, nonce } = await v.request({
        credentials: [{ id: "student", format: "jwt_vc_json", meta: { type_values: [["VerifiableCredential", "StudentIDCredential"]] }, claims: [{ path: ["credentialSubject", "enrollmentStatus"] }] }],
      });
      const plan = await resolvePresentationRequest({ wallet, uri, fetch, resolveDid, checkRelyingParty });
      expect(plan.credentials[0]).toMatchObject({ queryId: "student", format: "jwt_vc_json", type: "StudentIDCredential" });
      expect(plan.credentials[0]?.claims.map((c) => c.id)).toEqual(expect.arrayContaining(["enrollmentStatus", "givenName", "studentNumber"]));
      const r = await answerPresentationRequest({ plan, consent: true, fetch });
      expect(r.outcome).toBe("shared");
      const vp = (JSON.parse(v.received.at(-1)?.["vp_token"] as string) as Record<string, string[]>)["student"]?.[0] as string;
      const payload = JSON.parse(Buffer.from(vp.split(".")[1] as string, "base64url").toString()) as { iss: string; aud: string; nonce: string; vp: { verifiableCredential: string[] } };
      expect(payload).toMatchObject({ iss: wallet.did, aud: v.clientId, nonce });
      expect(payload.vp.verifiableCredential).toHaveLength(1);
    });

    it("tells the verifier access_denied when the holder declines, and remembers it", async () => {
      const v = libraryVerifier(pub, "https://counter2.example.kr");
      routes.set("https://counter2.example.kr", (r) => v.handle(r));
      const plan = await resolvePresentationRequest({ wallet, uri: (await v.request(AGE_QUERY)).uri, fetch, resolveDid, checkRelyingParty });
      const r = await answerPresentationRequest({ plan, consent: false, fetch });
      expect(r).toMatchObject({ outcome: "declined", delivered: true });
      expect(v.received.at(-1)).toMatchObject({ error: "access_denied", state: "state-0" });
      expect(v.received.at(-1)?.["vp_token"]).toBeUndefined();
      expect((await listPresentationHistory({ wallet }))[0]?.outcome).toBe("declined");
    });

    const refusals: [string, () => { uri: Promise<string>; posted: () => number }, string][] = [];
    it.each([
      ["a request signed by a key that is not the client_id's (REQUEST_SIGNATURE_INVALID)", "sig"],
      ["an unregistered relying party (RELYING_PARTY_UNREGISTERED)", "unregistered"],
      ["request_uri on another origin than response_uri (REQUEST_URI_MISMATCH)", "elsewhere"],
      ["claims outside the registration (CLAIM_NOT_PERMITTED)", "claims"],
      ["a suspended relying party (RELYING_PARTY_SUSPENDED)", "suspended"],
    ])("refuses %s and sends nothing", async (_name, kind) => {
      const origin = `https://${kind}.example.kr`;
      const v =
        kind === "sig"
          ? libraryVerifier(counter, origin, { signer: stranger })
          : kind === "unregistered"
            ? libraryVerifier(stranger, origin)
            : kind === "elsewhere"
              ? libraryVerifier(counter, origin, { requestOrigin: "https://cdn.example.net" })
              : kind === "claims"
                ? libraryVerifier(shop, origin)
                : libraryVerifier(suspended, origin);
      routes.set(origin, (r) => v.handle(r));
      routes.set("https://cdn.example.net", (r) => v.handle(r));
      const query =
        kind === "claims"
          ? { credentials: [{ id: "licence", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:DriversLicenseCredential:1"] }, claims: [{ path: ["age_equal_or_over", "19"] }, { path: ["givenName"] }] }] }
          : AGE_QUERY;
      const { uri } = await v.request(query);
      const expected = { sig: "REQUEST_SIGNATURE_INVALID", unregistered: "RELYING_PARTY_UNREGISTERED", elsewhere: "REQUEST_URI_MISMATCH", claims: "CLAIM_NOT_PERMITTED", suspended: "RELYING_PARTY_SUSPENDED" }[kind as "sig"];
      const before = log.length;
      const error = await resolvePresentationRequest({ wallet, uri, fetch, resolveDid, checkRelyingParty }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: expected });
      if (kind === "claims") expect(error).toMatchObject({ details: { name: "서울마트 Seoul Mart", notPermitted: ["givenName"] } });
      expect(log.slice(before).filter((l) => l.method === "POST")).toEqual([]);
      expect(v.received).toEqual([]);
      if (kind === "claims" || kind === "suspended" || kind === "unregistered") {
        expect((await listPresentationHistory({ wallet }))[0]).toMatchObject({ outcome: "refused", code: expected, relyingParty: { did: v.did } });
      }
    });
    void refusals;

    it("exports the history as JSON and deletes one record or all", async () => {
      const all = await listPresentationHistory({ wallet });
      expect(all.length).toBeGreaterThanOrEqual(3);
      const exported = await exportPresentationHistory({ wallet });
      expect(exported).toMatchObject({ format: "mobile-id/presentation-history@1", holder: wallet.did });
      expect(JSON.stringify(exported)).not.toContain("1990-01-01");
      await deletePresentationHistory({ wallet, id: all[0]?.id as string });
      expect((await listPresentationHistory({ wallet })).map((r) => r.id)).toEqual(all.slice(1).map((r) => r.id));
      await expect(deletePresentationHistory({ wallet, id: all[0]?.id as string })).rejects.toMatchObject({ code: "HISTORY_RECORD_NOT_FOUND" });
      expect(await deletePresentationHistory({ wallet, all: true })).toEqual({ deleted: all.length - 1 });
      expect(await listPresentationHistory({ wallet })).toEqual([]);
    });
  });
});
