import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PartyFacts } from "../lib/api.ts";
import type { DeviceDb } from "./idb.ts";
import { CredentialOfferError, openCredentialOffer } from "./credentialOffer.ts";

/*
 * The wallet checks the issuer on the ledger BEFORE it asks for the code: an offer from an issuer that is not in
 * force for the type (or unknown, or naming no DID) is refused and nothing is sent to the token endpoint. The issuer
 * is on another origin than the wallet, as any issuer is. The services are a fake `fetch` here (the browser test
 * drives the real ones).
 */
const MAIN = "https://id.example:8443";
const ISSUER = `${MAIN}/issuers/snu`;
const DID = "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";
const OFFER_URL = `${ISSUER}/openid4vci/offers/AbCdEfGhIjKlMnOpQrStUv`;
const LINK = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(OFFER_URL)}`;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const party = (inForce: boolean): PartyFacts =>
  ({ name: "서울대학교 Seoul National University", standings: [{ type: "StudentIDCredential", inForce }] }) as unknown as PartyFacts;

describe("openCredentialOffer", () => {
  let requests: string[];
  let metadataDid: string | undefined;
  beforeEach(() => {
    requests = [];
    metadataDid = DID;
    vi.stubGlobal("location", new URL("https://id.example:8444/app/wallet/"));
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), "https://id.example:8444");
      requests.push(`${init?.method ?? "GET"} ${url.href}`);
      if (url.pathname === "/issuers/snu/openid4vci/offers/AbCdEfGhIjKlMnOpQrStUv")
        return json({
          credential_issuer: ISSUER,
          credential_configuration_ids: ["StudentIDCredential.dc+sd-jwt"],
          grants: { "urn:ietf:params:oauth:grant-type:pre-authorized_code": { "pre-authorized_code": "code", tx_code: { input_mode: "numeric", length: 6 } } },
        });
      if (url.pathname === "/.well-known/openid-credential-issuer/issuers/snu")
        return json({
          credential_issuer: ISSUER,
          credential_endpoint: `${ISSUER}/credential`,
          nonce_endpoint: `${ISSUER}/nonce`,
          ...(metadataDid === undefined ? {} : { issuer_did: metadataDid }),
          batch_credential_issuance: { batch_size: 10 },
          credential_configurations_supported: {
            "StudentIDCredential.dc+sd-jwt": { format: "dc+sd-jwt", vct: "urn:mobile-id:vct:StudentIDCredential:1", proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["ES256"] } } },
          },
        });
      if (url.pathname === "/.well-known/oauth-authorization-server/issuers/snu") return json({ issuer: ISSUER, token_endpoint: `${ISSUER}/token` });
      return json({ error: "not_found" }, 404);
    });
  });
  afterEach(() => vi.unstubAllGlobals());
  const db = {} as DeviceDb;

  it("reads the offer and the metadata at the issuer's own URLs, without cookies, and names the issuer as the ledger has it", async () => {
    const asked: string[] = [];
    const opened = await openCredentialOffer({
      link: LINK,
      db,
      party: async (address) => {
        asked.push(address);
        return party(true);
      },
    });
    expect(opened).toMatchObject({ type: "StudentIDCredential", issuerDid: DID, issuerName: "서울대학교 Seoul National University", txCodeLength: 6 });
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.includes(`${MAIN}/`))).toBe(true);
    expect(asked.map((a) => a.toLowerCase())).toEqual(["0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc"]);
  });

  it("sends no cookies and follows no redirect to the issuer", async () => {
    const inits: (RequestInit | undefined)[] = [];
    const inner = fetch;
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
      inits.push(init);
      return inner(input, init);
    });
    await openCredentialOffer({ link: LINK, db, party: async () => party(true) });
    expect(inits.length).toBeGreaterThan(0);
    expect(inits.every((i) => i?.credentials === "omit" && i.redirect === "error")).toBe(true);
  });

  it("refuses an issuer not in force for the type before the code is asked for: no token request", async () => {
    const e = await openCredentialOffer({ link: LINK, db, party: async () => party(false) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CredentialOfferError);
    expect((e as CredentialOfferError).ui.key).toBe("vciIssuerNotInForce");
    expect(requests.some((r) => r.includes("/token"))).toBe(false);
  });

  it("refuses metadata naming no did:ethr: nothing to check on the ledger", async () => {
    metadataDid = undefined;
    const none = await openCredentialOffer({ link: LINK, db, party: async () => party(true) }).catch((x: unknown) => x);
    expect((none as CredentialOfferError).ui.key).toBe("vciIssuerUnknown");
    metadataDid = "did:web:id.example";
    const e = await openCredentialOffer({ link: LINK, db, party: async () => party(true) }).catch((x: unknown) => x);
    expect((e as CredentialOfferError).ui.key).toBe("vciIssuerUnknown");
  });

  it("says a used, expired or locked offer is gone (the issuer answers 400 invalid_request)", async () => {
    vi.stubGlobal("fetch", async () => json({ error: "invalid_request", error_description: "no redeemable offer" }, 400));
    const e = await openCredentialOffer({ link: LINK, db, party: async () => party(true) }).catch((x: unknown) => x);
    expect((e as CredentialOfferError).ui.key).toBe("vciOfferGone");
  });
});
