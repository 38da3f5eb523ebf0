import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeBase64url } from "@mobile-id/core";
import { parsePresentationRequest } from "./parsePresentationRequest.ts";
import { T0, presentationRequest } from "./testing.ts";

const parse = (request: unknown, now = T0) => parsePresentationRequest({ request, now });

describe("parsePresentationRequest", () => {
  it("accepts the core README's example shape, as an object or as JSON text", () => {
    const req = presentationRequest({ credentialTypes: ["StudentIDCredential", "DriversLicenseCredential"] });
    const r = parse(req);
    expect(r).toEqual({ ok: true, request: req });
    expect(parse(JSON.stringify(req))).toEqual(r);
    expect(parse(presentationRequest({ domain: "localhost:8443" })).ok).toBe(true);
  });

  it("refuses an expired request with REQUEST_EXPIRED", () => {
    expect(parse(presentationRequest({ expiresAt: T0 }))).toMatchObject({ ok: false, code: "REQUEST_EXPIRED" });
    expect(parse(presentationRequest({ expiresAt: T0 - 1 }))).toMatchObject({ ok: false, code: "REQUEST_EXPIRED" });
  });

  it.each([
    ["wrong type", { type: "PresentationRequest" }],
    ["short challenge", { challenge: encodeBase64url(new Uint8Array(16)) }],
    ["padded challenge", { challenge: encodeBase64url(new Uint8Array(32)) + "=" }],
    ["non-string challenge", { challenge: 42 }],
    ["domain with scheme", { domain: "https://library.snu.ac.kr" }],
    ["domain with path", { domain: "library.snu.ac.kr/login" }],
    ["upper-case domain", { domain: "Library.snu.ac.kr" }],
    ["empty domain", { domain: "" }],
    ["no types", { credentialTypes: [] }],
    ["unknown type", { credentialTypes: ["PassportCredential"] }],
    ["repeated type", { credentialTypes: ["StudentIDCredential", "StudentIDCredential"] }],
    ["types not an array", { credentialTypes: "StudentIDCredential" }],
    ["fractional expiresAt", { expiresAt: T0 + 0.5 }],
    ["string expiresAt", { expiresAt: String(T0 + 600) }],
    ["unknown field", { callbackUrl: "https://evil.example" }],
  ])("refuses %s with REQUEST_INVALID", (_name, over) => {
    expect(parse(presentationRequest(over))).toMatchObject({ ok: false, code: "REQUEST_INVALID" });
  });

  it("refuses JSON text with a duplicated key (two readers could disagree on the domain)", () => {
    const req = presentationRequest();
    const text = JSON.stringify(req).replace('"domain":', '"domain":"evil.example","domain":');
    expect(parse(text)).toMatchObject({ ok: false, code: "REQUEST_INVALID" });
  });

  it("refuses missing fields", () => {
    for (const k of ["type", "challenge", "domain", "credentialTypes", "expiresAt"]) {
      const req = Object.fromEntries(Object.entries(presentationRequest()).filter(([key]) => key !== k));
      expect(parse(req), k).toMatchObject({ ok: false, code: "REQUEST_INVALID" });
    }
  });

  it("never throws, and accepts nothing but well-formed requests, for arbitrary input", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.anything()), (input) => {
        const r = parse(input);
        if (r.ok) expect(r.request.type).toBe("MobileIdPresentationRequest");
      }),
      { numRuns: 1000 },
    );
    // One field at a time replaced by arbitrary JSON: either still valid (same value class) or refused.
    fc.assert(
      fc.property(fc.constantFrom("type", "challenge", "domain", "credentialTypes", "expiresAt"), fc.jsonValue(), (field, value) => {
        const req = { ...presentationRequest(), [field]: value };
        const r = parse(req);
        if (r.ok) expect(r.request).toEqual(req);
      }),
      { numRuns: 1000 },
    );
  });
});
