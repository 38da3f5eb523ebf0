import { concat, encodeBytes32String, getBytes, keccak256 } from "ethers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimIdentifier, claimsDigest, decodeClaimIdentifiers, encodeClaimIdentifiers } from "./claimIdentifiers.ts";

describe("claim identifiers", () => {
  it("joins DCQL paths with '.', writes null as '*', and refuses ambiguous or oversized paths", () => {
    expect(claimIdentifier(["age_equal_or_over", "19"])).toBe("age_equal_or_over.19");
    expect(claimIdentifier(["licenseClasses", null, "code"])).toBe("licenseClasses.*.code");
    expect(claimIdentifier("familyName")).toBe("familyName");
    for (const bad of [[], ["a.b"], [""], ["x".repeat(32)]]) {
      expect(() => claimIdentifier(bad)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    }
    // 31 bytes of UTF-8 fit, 32 do not (a Hangul syllable is 3 bytes).
    expect(claimIdentifier("가".repeat(10))).toBe("가".repeat(10));
    expect(() => claimIdentifier("가".repeat(11))).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("encodes any set canonically: strictly ascending as 256-bit numbers, duplicates dropped, round-tripping", () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 32 }), (paths) => {
        const ids = encodeClaimIdentifiers(paths);
        for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]!) > BigInt(ids[i - 1]!)).toBe(true);
        expect(new Set(decodeClaimIdentifiers(ids))).toEqual(new Set(paths));
        expect(encodeClaimIdentifiers([...paths].reverse())).toEqual(ids);
      }),
    );
  });

  it("commits to a list as the contract does: the first 20 bytes of keccak256 over the identifiers", () => {
    const ids = encodeClaimIdentifiers(["familyName", "birthDate"]);
    expect(ids).toEqual([encodeBytes32String("birthDate").toLowerCase(), encodeBytes32String("familyName").toLowerCase()]);
    expect(claimsDigest(ids)).toBe(keccak256(concat(ids.map((id) => getBytes(id)))).slice(0, 42));
    expect(claimsDigest([])).toBe(`0x${"00".repeat(20)}`);
    expect(() => encodeClaimIdentifiers(Array.from({ length: 33 }, (_, i) => `c${i}`))).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });
});
