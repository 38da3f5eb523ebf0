import { describe, expect, it } from "vitest";
import { parseWalletLink, walletLinkFor } from "./walletLinks.ts";

const origin = "http://127.0.0.1:8080";
const offer = `${origin}/offers/AbCdEfGhIjKlMnOpQrStUv`;
const request = `${origin}/verifier/requests/AbCdEf0123456789`;

describe("parseWalletLink", () => {
  it("accepts offer and request URLs on this origin, bare or wrapped in a wallet link", () => {
    expect(parseWalletLink(offer, origin)).toEqual({ kind: "offer", url: offer });
    expect(parseWalletLink(` ${request}\n`, origin)).toEqual({ kind: "request", url: request });
    expect(parseWalletLink(walletLinkFor("offer", offer, origin), origin)).toEqual({ kind: "offer", url: offer });
    expect(parseWalletLink(walletLinkFor("request", request, origin), origin)).toEqual({ kind: "request", url: request });
  });

  it("refuses other origins, schemes, shapes and extra parts", () => {
    expect(parseWalletLink(offer.replace("8080", "8081"), origin)).toBeUndefined();
    expect(parseWalletLink(walletLinkFor("request", request.replace("127.0.0.1", "evil.example"), origin), origin)).toBeUndefined();
    expect(parseWalletLink(`javascript:alert(1)`, origin)).toBeUndefined();
    expect(parseWalletLink(`${offer}?x=1`, origin)).toBeUndefined();
    expect(parseWalletLink(`${origin}/offers/short`, origin)).toBeUndefined();
    expect(parseWalletLink(`${origin}/verifier/requests/AbCdEf0123456789/presentation`, origin)).toBeUndefined();
    expect(parseWalletLink("not a url", origin)).toBeUndefined();
    expect(parseWalletLink(`${origin}/app/wallet/#offer=${encodeURIComponent(request)}`, origin)).toBeUndefined();
  });
});

describe("OpenID4VP links", () => {
  const did = "did:ethr:0x7a69:0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
  const requestUri = `${origin}/verifier/openid4vp/requests/AbCdEf0123456789`;
  const link = (clientId: string, uri: string, extra = "") => `openid4vp://?client_id=${encodeURIComponent(clientId)}&request_uri=${encodeURIComponent(uri)}${extra}`;

  it("accepts a decentralized_identifier client id with a request_uri on this origin, bare or in a wallet link", () => {
    const bare = link(`decentralized_identifier:${did}`, requestUri);
    expect(parseWalletLink(bare, origin)).toEqual({ kind: "openid4vp", url: bare, clientId: `decentralized_identifier:${did}`, did, requestUri });
    expect(parseWalletLink(walletLinkFor("request", bare, origin), origin)).toMatchObject({ kind: "openid4vp", requestUri });
  });

  it("accepts any verifier's own https request_uri, whatever its path and query (the ledger decides who may ask)", () => {
    for (const uri of ["https://counter.bank.example/vp/req?id=42", "https://verifier.example:8443/verifier/openid4vp/requests/AbCdEf0123456789", `http://localhost:9000/r/1`]) {
      expect(parseWalletLink(link(`decentralized_identifier:${did}`, uri), origin), uri).toMatchObject({ kind: "openid4vp", requestUri: new URL(uri).href });
    }
  });

  it("refuses plain http off this machine, credentials in the URL, a fragment, another client id scheme, a request by value and extra parameters", () => {
    const ok = `decentralized_identifier:${did}`;
    expect(parseWalletLink(link(ok, requestUri.replace("127.0.0.1", "evil.example")), origin)).toBeUndefined();
    expect(parseWalletLink(link(ok, "http://192.168.0.7:8080/verifier/openid4vp/requests/AbCdEf0123456789"), origin)).toBeUndefined();
    expect(parseWalletLink(link(ok, "http://[::1]:9000/r/1"), origin)).toBeUndefined(); // not listable in the page's CSP
    // A wallet served over https (--lan, a phone): its loopback is the phone itself, never reached over http.
    expect(parseWalletLink(link(ok, "http://127.0.0.1:8080/verifier/openid4vp/requests/AbCdEf0123456789"), "https://192.168.0.23:8444")).toBeUndefined();
    expect(parseWalletLink(link(ok, "https://192.168.0.23:8443/verifier/openid4vp/requests/AbCdEf0123456789"), "https://192.168.0.23:8444")).toMatchObject({ kind: "openid4vp" });
    expect(parseWalletLink(link(ok, "https://user:pw@verifier.example/r/1"), origin)).toBeUndefined();
    expect(parseWalletLink(link(ok, "https://verifier.example/r/1#frag"), origin)).toBeUndefined();
    expect(parseWalletLink(link(ok, "javascript:alert(1)"), origin)).toBeUndefined();
    expect(parseWalletLink(link(ok, `https://verifier.example/${"a".repeat(2100)}`), origin)).toBeUndefined();
    expect(parseWalletLink(link(`redirect_uri:${origin}/cb`, requestUri), origin)).toBeUndefined();
    expect(parseWalletLink(link("decentralized_identifier:did:web:example.com", requestUri), origin)).toBeUndefined();
    expect(parseWalletLink(link(ok, requestUri, "&request=eyJ"), origin)).toBeUndefined();
    expect(parseWalletLink(`openid4vp://?request_uri=${encodeURIComponent(requestUri)}`, origin)).toBeUndefined();
  });
});

describe("parseWalletLink: OpenID4VCI credential offers", () => {
  it("takes an openid-credential-offer:// link by reference or by value, whatever its issuer's origin (checked when fetched)", () => {
    const byReference = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent("http://127.0.0.1:8080/issuers/snu/openid4vci/offers/AbCdEfGhIjKlMnOpQrStUv")}`;
    expect(parseWalletLink(` ${byReference}\n`, origin)).toEqual({ kind: "credential-offer", url: byReference });
    const byValue = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify({ credential_issuer: "https://id.example/issuers/snu" }))}`;
    expect(parseWalletLink(byValue, origin)).toEqual({ kind: "credential-offer", url: byValue });
  });

  it("refuses other schemes, a link without an offer, and an oversized one", () => {
    expect(parseWalletLink("openid-credential-offer://?foo=bar", origin)).toBeUndefined();
    expect(parseWalletLink("openid-credential-offer://", origin)).toBeUndefined();
    expect(parseWalletLink("openid4vp://?credential_offer_uri=x", origin)).toBeUndefined();
    expect(parseWalletLink(`openid-credential-offer://?credential_offer_uri=${"a".repeat(5000)}`, origin)).toBeUndefined();
  });
});
