import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "./api.ts";
import { setLang } from "./i18n.ts";
import { errorOf, errorText, uiError } from "./uiError.ts";

describe("errors kept as codes and drawn in the language on screen", () => {
  afterEach(() => setLang("ko"));

  it("the same stored error reads in Korean, then in English after a switch", () => {
    const stored = errorOf(new ApiError(400, "HOLDER_DID_INVALID", "holder must be a did:ethr"));
    setLang("ko");
    const ko = errorText(stored);
    expect(ko).toContain("소지자 DID");
    setLang("en");
    expect(errorText(stored)).toContain("holder DID is not right");
    expect(stored.field).toBe("holder");
  });

  it("names the field a service error is about: expiry, a claim by schema path or by text path", () => {
    expect(errorOf(new ApiError(400, "INVALID_ARGUMENT", "expiresAt must be after validFrom", undefined, { validFrom: 2, expiresAt: 1 })).field).toBe("expiresAt");
    expect(errorOf(new ApiError(400, "CLAIMS_INVALID", "…", undefined, { errors: ["/studentNumber must match pattern"] })).field).toBe("claim:studentNumber");
    expect(errorOf(new ApiError(400, "INVALID_TEXT", "…", undefined, { path: "/claims/givenName", problem: "bidi" })).field).toBe("claim:givenName");
    expect(errorOf(new ApiError(0, "NETWORK_ERROR", "fetch failed")).field).toBeUndefined();
  });

  it("an unknown code still gets a sentence in each language; the service's English text only in English", () => {
    const stored = errorOf(new ApiError(500, "SOMETHING_NEW", "disk on fire"));
    setLang("ko");
    expect(errorText(stored)).toBe("처리하지 못했습니다 (코드 SOMETHING_NEW).");
    setLang("en");
    expect(errorText(stored)).toBe("It could not be done (code SOMETHING_NEW): disk on fire");
  });

  it("interface errors and verification reasons are words at draw time", () => {
    const e = { ...uiError("offerRejected"), reasonCode: "CREDENTIAL_REVOKED" };
    setLang("ko");
    expect(errorText(e)).toContain("폐지");
    setLang("en");
    expect(errorText(e)).toContain("revoked");
  });
});
