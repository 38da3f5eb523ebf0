import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../lib/api.ts";
import { handoverFormSchema, portraitLimit, sdJwtVcSchemaFile } from "./handover.ts";

const require = createRequire(import.meta.url);
const schema = (file: string) => JSON.parse(readFileSync(require.resolve(`@mobile-id/core/schemas/${file}`), "utf8")) as JsonSchema;

describe("the hand-over form's schema", () => {
  it("names the SD-JWT VC schema beside the JWT-VC one", () => {
    expect(sdJwtVcSchemaFile("https://mobile-id.example/schemas/student-id.v1.json")).toBe("student-id.sd-jwt-vc.v1.json");
    expect(sdJwtVcSchemaFile("https://mobile-id.example/schemas/drivers-license.v1.json")).toBe("drivers-license.sd-jwt-vc.v1.json");
    expect(sdJwtVcSchemaFile("https://mobile-id.example/other/x.json")).toBeUndefined();
  });

  it("asks for the personal items only: no protocol fields, no derived ages, the portrait apart; required as the type requires", () => {
    const form = handoverFormSchema(schema("student-id.sd-jwt-vc.v1.json"), schema("student-id.v1.json"));
    const names = Object.keys(form.properties ?? {});
    expect(names).toEqual(expect.arrayContaining(["familyName", "givenName", "birthDate", "englishName", "studentNumber", "institution", "enrollmentStatus"]));
    for (const hidden of ["iss", "iat", "exp", "vct", "cnf", "status", "portrait", "age_equal_or_over", "age_in_years", "age_birth_year", "id", "photoDigest"]) expect(names).not.toContain(hidden);
    expect(form.required).toEqual(["familyName", "givenName", "studentNumber", "institution", "enrollmentStatus"]);
    expect(portraitLimit(schema("student-id.sd-jwt-vc.v1.json"))).toBeGreaterThan(24 * 1024);
  });
});
