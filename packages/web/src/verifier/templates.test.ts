import { describe, expect, it } from "vitest";
import { DEFAULT_CLEAR_SECONDS, TEMPLATES, clearSeconds, isNineteenOrOlder, requestBody, setClearSeconds, shownClaims } from "./templates.ts";

describe("the counter's request templates", () => {
  it("map a clerk's words onto accepted types (any one of them answers)", () => {
    expect(requestBody("age19", ["StudentIDCredential"])).toEqual({ credentialTypes: ["ResidentIDCredential", "DriversLicenseCredential"] });
    expect(requestBody("student", [])).toEqual({ credentialTypes: ["StudentIDCredential"] });
    expect(requestBody("identity", [])).toEqual({ credentialTypes: ["ResidentIDCredential", "DriversLicenseCredential"] });
    expect(requestBody("custom", ["CivilServantIDCredential", "StudentIDCredential"])).toEqual({ credentialTypes: ["CivilServantIDCredential", "StudentIDCredential"] });
    expect(TEMPLATES.map((x) => x.id)).toEqual(["age19", "student", "identity", "custom"]);
  });

  it("19 or older counts the year of birth, in Korean time", () => {
    const jan1Seoul = Date.UTC(2025, 11, 31, 15, 0, 1); // 2026-01-01 00:00:01 in Seoul
    expect(isNineteenOrOlder("2007-12-31", jan1Seoul)).toBe(true);
    expect(isNineteenOrOlder("2007-12-31", jan1Seoul - 2000)).toBe(false); // still 2025 in Seoul
    expect(isNineteenOrOlder("2008-01-01", Date.UTC(2026, 11, 30))).toBe(false);
    expect(isNineteenOrOlder("1990-02-30", Date.UTC(2026, 0, 1))).toBeUndefined();
    expect(isNineteenOrOlder(undefined, Date.UTC(2026, 0, 1))).toBeUndefined();
  });

  it("a template's result shows only what it is about (the age check never shows the birth date)", () => {
    const claims = { id: "did:x", familyName: "김", givenName: "민준", birthDate: "2000-01-01", address: "서울" };
    expect(shownClaims("age19", claims).map(([k]) => k)).toEqual(["familyName", "givenName"]);
    expect(shownClaims("identity", claims).map(([k]) => k)).toEqual(["familyName", "givenName", "birthDate", "address"]);
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
