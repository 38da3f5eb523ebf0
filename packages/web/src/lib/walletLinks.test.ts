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
