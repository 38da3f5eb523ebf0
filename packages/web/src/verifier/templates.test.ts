import { describe, expect, it } from "vitest";
import { DEFAULT_CLEAR_SECONDS, TEMPLATES, ageOver19, clearSeconds, dcqlQueryFor, setClearSeconds, shownClaims, templateTypes } from "./templates.ts";

describe("the counter's request templates", () => {
  it("\"19 or older\" asks only age_equal_or_over.19 of a driver's licence OR a resident ID", () => {
    expect(dcqlQueryFor("age19", ["StudentIDCredential"])).toEqual({
      credentials: [
        { id: "licence", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:DriversLicenseCredential:1"] }, claims: [{ path: ["age_equal_or_over", "19"] }] },
        { id: "resident", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:ResidentIDCredential:1"] }, claims: [{ path: ["age_equal_or_over", "19"] }] },
      ],
      credential_sets: [{ options: [["licence"], ["resident"]] }],
    });
  });

  it("student status asks name, portrait, institution and enrolment of a student ID; one type needs no credential set", () => {
    const q = dcqlQueryFor("student", []);
    expect(q.credential_sets).toBeUndefined();
    expect(q.credentials).toHaveLength(1);
    expect(q.credentials[0]!.meta.vct_values).toEqual(["urn:mobile-id:vct:StudentIDCredential:1"]);
    expect(q.credentials[0]!.claims.map((c) => c.path.join("."))).toEqual(["familyName", "givenName", "portrait", "institution", "enrollmentStatus"]);
  });

  it("full identity asks name, birth date and photo of either card; custom asks the ticked types", () => {
    const q = dcqlQueryFor("identity", []);
    expect(q.credentials.map((c) => c.id)).toEqual(["resident", "licence"]);
    expect(q.credentials[0]!.claims.map((c) => c.path.join("."))).toEqual(["familyName", "givenName", "birthDate", "portrait"]);
    expect(templateTypes("custom", ["CivilServantIDCredential", "StudentIDCredential"])).toEqual(["CivilServantIDCredential", "StudentIDCredential"]);
    expect(dcqlQueryFor("custom", ["CivilServantIDCredential", "StudentIDCredential"]).credential_sets).toEqual([{ options: [["civil"], ["student"]] }]);
    expect(dcqlQueryFor("custom", []).credentials).toEqual([]);
    expect(TEMPLATES.map((x) => x.id)).toEqual(["age19", "student", "identity", "custom"]);
  });

  it("the age answer is the issuer's age_equal_or_over.19, never computed from a birth date", () => {
    expect(ageOver19({ age_equal_or_over: { "19": true } })).toBe(true);
    expect(ageOver19({ age_equal_or_over: { "19": false } })).toBe(false);
    expect(ageOver19({ birthDate: "1990-01-01" })).toBeUndefined();
    expect(ageOver19({ age_equal_or_over: { "19": "yes" } })).toBeUndefined();
  });

  it("the result lists claims in words; the portrait and the age answer are drawn on their own", () => {
    const claims = { familyName: "김", givenName: "민준", portrait: "data:image/jpeg;base64,AA", age_equal_or_over: { "19": true }, enrollmentStatus: "enrolled" };
    expect(shownClaims(claims).map(([k]) => k)).toEqual(["familyName", "givenName", "enrollmentStatus"]);
  });

  it("the result time is 30 s unless the counter chose otherwise", () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    expect(clearSeconds(storage)).toBe(DEFAULT_CLEAR_SECONDS);
    expect(DEFAULT_CLEAR_SECONDS).toBe(30);
    setClearSeconds(storage, 60);
    expect(clearSeconds(storage)).toBe(60);
    expect(() => setClearSeconds(storage, 0)).toThrow(RangeError);
  });
});
