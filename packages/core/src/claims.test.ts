import { describe, expect, it } from "vitest";
import { validateClaims } from "./claims.ts";
import { findCredentialType } from "./credentialTypes.ts";

const student = findCredentialType("StudentIDCredential")!;
const holder = "did:ethr:0x7a69:0x02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71";
const valid = {
  id: holder,
  familyName: "김",
  givenName: "민준",
  studentNumber: "2026-12345",
  institution: "서울대학교",
  enrollmentStatus: "enrolled",
};

describe("validateClaims", () => {
  it("accepts a subject that conforms to the type's schema", () => {
    expect(validateClaims(student, valid)).toEqual({ ok: true });
  });

  it.each<[string, Record<string, unknown>]>([
    ["a missing required claim", { ...valid, studentNumber: undefined }],
    ["an unknown claim", { ...valid, residentNumber: "900101-1234567" }],
    ["a wrong enum value", { ...valid, enrollmentStatus: "graduated" }],
    ["a bad date", { ...valid, birthDate: "2026-02-30" }],
    ["a non-DID id", { ...valid, id: "mailto:someone@example.com" }],
    ["a number where a string is due", { ...valid, familyName: 7 }],
  ])("refuses %s", (_name, subject) => {
    const cleaned = JSON.parse(JSON.stringify(subject)) as unknown;
    const r = validateClaims(student, cleaned);
    expect(r.ok).toBe(false);
  });

  it("refuses non-objects", () => {
    for (const v of [null, "x", 1, [valid]]) expect(validateClaims(student, v).ok).toBe(false);
  });
});
