import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAgeClaims } from "./ageClaims.ts";

const at = (iso: string): number => Date.parse(`${iso}T12:00:00Z`) / 1000;

describe("computeAgeClaims", () => {
  it("turns 19 on the 19th birthday, not the day before", () => {
    expect(computeAgeClaims("2007-12-08", at("2026-12-07"), [14, 19, 65])).toEqual({
      age_equal_or_over: { "14": true, "19": false, "65": false },
      age_in_years: 18,
      age_birth_year: 2007,
    });
    expect(computeAgeClaims("2007-12-08", at("2026-12-08"), [19])?.age_equal_or_over).toEqual({ "19": true });
  });

  it("a 29 February birthday comes of age on 1 March in a common year", () => {
    expect(computeAgeClaims("2008-02-29", at("2027-02-28"), [19])?.age_in_years).toBe(18);
    expect(computeAgeClaims("2008-02-29", at("2027-03-01"), [19])?.age_in_years).toBe(19);
  });

  it("refuses impossible and future dates", () => {
    for (const d of ["2001-02-30", "2001-13-01", "20010101", "2001-1-1", "2030-01-01"]) expect(computeAgeClaims(d, at("2026-12-07"), [19])).toBeUndefined();
  });

  it("age_equal_or_over agrees with age_in_years for any date and threshold", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1900-01-01"), max: new Date("2026-12-07"), noInvalidDate: true }), fc.integer({ min: 1, max: 120 }), (d, t) => {
        const r = computeAgeClaims(d.toISOString().slice(0, 10), at("2026-12-07"), [t]);
        expect(r?.age_equal_or_over[String(t)]).toBe((r?.age_in_years ?? -1) >= t);
      }),
    );
  });
});
