import { SigningKey, Wallet, computeAddress, getBytes, sha256, toUtf8Bytes } from "ethers";
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
const issuerKey = new SigningKey(Wallet.createRandom().privateKey);
const ISSUER_ADDRESS = computeAddress(issuerKey.publicKey);
const DID = `did:ethr:0x7a69:${ISSUER_ADDRESS.toLowerCase()}`;
const b64url = (data: Uint8Array | string) => Buffer.from(typeof data === "string" ? data : Buffer.from(data)).toString("base64url");

/** `signed_metadata` as an issuer writes it: the metadata signed ES256K by `key` as `iss`, for `sub`. */
function signMetadata(metadata: Record<string, unknown>, o: { key?: SigningKey; iss?: string; sub?: string; exp?: number } = {}): string {
  const iat = Math.floor(Date.now() / 1000);
  const input = `${b64url(JSON.stringify({ alg: "ES256K", typ: "openidvci-issuer-metadata+jwt", kid: `${o.iss ?? DID}#controller` }))}.${b64url(JSON.stringify({ ...metadata, iss: o.iss ?? DID, sub: o.sub ?? ISSUER, iat, exp: o.exp ?? iat + 3600 }))}`;
  const sig = (o.key ?? issuerKey).sign(sha256(toUtf8Bytes(input)));
  return `${input}.${b64url(Uint8Array.from([...getBytes(sig.r), ...getBytes(sig.s)]))}`;
}
const OFFER_URL = `${ISSUER}/openid4vci/offers/AbCdEfGhIjKlMnOpQrStUv`;
const LINK = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(OFFER_URL)}`;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const party = (inForce: boolean): PartyFacts =>
  ({ name: "서울대학교 Seoul National University", keys: { owner: ISSUER_ADDRESS, deactivated: false, delegates: [] }, standings: [{ type: "StudentIDCredential", inForce }] }) as unknown as PartyFacts;

describe("openCredentialOffer", () => {
  let requests: string[];
  let metadataDid: string | undefined;
  /** What the issuer serves as signed_metadata: signed properly by default; a test may replace it or drop it. */
  let signed: ((m: Record<string, unknown>) => string | undefined) | undefined;
  beforeEach(() => {
    requests = [];
    metadataDid = DID;
    signed = undefined;
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
      if (url.pathname === "/.well-known/openid-credential-issuer/issuers/snu") {
        const metadata: Record<string, unknown> = {
          credential_issuer: ISSUER,
          credential_endpoint: `${ISSUER}/credential`,
          nonce_endpoint: `${ISSUER}/nonce`,
          ...(metadataDid === undefined ? {} : { issuer_did: metadataDid }),
          batch_credential_issuance: { batch_size: 10 },
          credential_configurations_supported: {
            "StudentIDCredential.dc+sd-jwt": { format: "dc+sd-jwt", vct: "urn:mobile-id:vct:StudentIDCredential:1", proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["ES256"] } } },
          },
        };
        const jwt = signed === undefined ? signMetadata(metadata) : signed(metadata);
        return json(jwt === undefined ? metadata : { ...metadata, signed_metadata: jwt });
      }
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
    expect(asked.map((a) => a.toLowerCase())).toEqual([ISSUER_ADDRESS.toLowerCase()]);
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

  it("refuses metadata the named issuer did not sign for this URL, before the code: none, another key, another URL, expired", async () => {
    const other = new SigningKey(Wallet.createRandom().privateKey);
    const cases: [string, (m: Record<string, unknown>) => string | undefined][] = [
      ["unsigned", () => undefined],
      ["another key", (m) => signMetadata(m, { key: other })],
      ["a copy made for another URL", (m) => signMetadata(m, { sub: "https://id.example:8443/issuers/other" })],
      ["expired", (m) => signMetadata(m, { exp: Math.floor(Date.now() / 1000) - 1 })],
      ["another credential endpoint signed", (m) => signMetadata({ ...m, credential_endpoint: "https://evil.example/credential" })],
    ];
    for (const [name, make] of cases) {
      signed = make;
      requests = [];
      const e = await openCredentialOffer({ link: LINK, db, party: async () => party(true) }).catch((x: unknown) => x);
      expect((e as CredentialOfferError).ui?.key, name).toBe("vciIssuerUnproven");
      expect(requests.some((r) => r.startsWith("POST")), name).toBe(false);
    }
  });

  it("takes the issuer from the signature, not the metadata's word: another issuer_did, or a signer that is no did:ethr, is refused", async () => {
    metadataDid = undefined; // issuer_did is optional: the signed iss names the issuer
    expect(await openCredentialOffer({ link: LINK, db, party: async () => party(true) })).toMatchObject({ issuerDid: DID });
    metadataDid = "did:ethr:0x7a69:0x0000000000000000000000000000000000000001";
    const differs = await openCredentialOffer({ link: LINK, db, party: async () => party(true) }).catch((x: unknown) => x);
    expect((differs as CredentialOfferError).ui.key).toBe("vciIssuerUnproven");
    metadataDid = undefined;
    signed = (m) => signMetadata(m, { iss: "did:web:id.example" });
    const web = await openCredentialOffer({ link: LINK, db, party: async () => party(true) }).catch((x: unknown) => x);
    expect((web as CredentialOfferError).ui.key).toBe("vciIssuerUnproven");
  });

  it("says a used, expired or locked offer is gone (the issuer answers 400 invalid_request)", async () => {
    vi.stubGlobal("fetch", async () => json({ error: "invalid_request", error_description: "no redeemable offer" }, 400));
    const e = await openCredentialOffer({ link: LINK, db, party: async () => party(true) }).catch((x: unknown) => x);
    expect((e as CredentialOfferError).ui.key).toBe("vciOfferGone");
  });
});
