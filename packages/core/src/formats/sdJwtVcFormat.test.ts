import { describe, expect, it } from "vitest";
import { VerificationCode } from "../verification.ts";
import { createNodeEs256kSigner } from "./nodeSigners.ts";
import * as browser from "./browserFormats.ts";
import * as node from "./nodeFormats.ts";
import { createSdJwtVcFormat, sdJwtVcFormat } from "./sdJwtVcFormat.ts";
import { es256kPublicKeyVerifier, verifySdJwtVc } from "./sdJwtVc/verifySdJwtVc.ts";
import { ISSUER_DID, ISSUER_KEY, ISSUER_KID, ISSUER_PUBLIC_KEY, NOW, SAMPLE_CLAIMS, holderSigners } from "./sdJwtVc/testing.ts";
import type { CredentialDraft } from "./types.ts";

const holder = holderSigners(1)[0]!;
const draft: CredentialDraft = {
  issuer: ISSUER_DID,
  holder: { kind: "jwk", jwk: holder.publicJwk },
  type: { name: "ResidentIDCredential", schemaUri: "unused" },
  claims: SAMPLE_CLAIMS["ResidentIDCredential"]!,
  id: "urn:uuid:00000000-0000-4000-8000-000000000000",
  validFrom: NOW - 60,
  validUntil: NOW + 86_400,
  status: { registry: "0x" + "00".repeat(20), revocationListId: 3n, suspensionListId: 4n, index: 77n },
  chainId: 31337n,
};

describe("the SD-JWT VC format module in the registry", () => {
  it("is registered in both entries' default registries, found by name and by what it accepts", () => {
    for (const f of [node.defaultFormats, browser.defaultFormats]) {
      expect(f.credential("dc+sd-jwt")).toBe(sdJwtVcFormat);
      expect(f.credentialFor("a.b.c~d~")).toBe(sdJwtVcFormat);
      expect(f.credentialFor("a.b.c")?.format).toBe("jwt-vc");
    }
  });

  it("builds and signs one key-bound copy that the SD-JWT VC verifier accepts, status uri naming the list pair", async () => {
    const format = createSdJwtVcFormat({ statusListBaseUrl: "https://id.example.kr/" });
    const copy = await format.sign(format.build(draft), { ...createNodeEs256kSigner(ISSUER_KEY), kid: ISSUER_KID });
    const r = await verifySdJwtVc({ token: copy, now: NOW, chainId: 31337n, verifyIssuerSignature: es256kPublicKeyVerifier(ISSUER_PUBLIC_KEY) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.status).toEqual({ idx: 77, uri: "https://id.example.kr/status-lists/3/4" });
    expect(r.value.holderKey).toEqual(holder.publicJwk);
    expect(r.value.issuedAt).toBe(NOW - 60);
    expect(r.value.claims.givenName).toBe(SAMPLE_CLAIMS["ResidentIDCredential"]!["givenName"]);
  });

  it("refuses to build for a DID holder or without a status list base URL, and refuses a copy inside a VP (parse)", () => {
    const format = createSdJwtVcFormat({ statusListBaseUrl: "https://id.example.kr" });
    expect(() => format.build({ ...draft, holder: { kind: "did", did: "did:ethr:0x7a69:0x" + "11".repeat(20) } })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => sdJwtVcFormat.build(draft)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(sdJwtVcFormat.parse("a.b.c~", { chainId: 31337n, maxBytes: 65_536 })).toMatchObject({ ok: false, code: VerificationCode.MALFORMED });
  });
});
