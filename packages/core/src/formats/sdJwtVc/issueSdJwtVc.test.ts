import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { decodeBase64url } from "../../base64url.ts";
import { DEFAULT_BATCH_SIZE, NON_DISCLOSABLE_CLAIMS } from "./constants.ts";
import { issueSdJwtVc } from "./issueSdJwtVc.ts";
import { parseSdJwtVc } from "./parseSdJwtVc.ts";
import { SD_JWT_VC_PROFILES, sdJwtVcProfileOf } from "./profiles.ts";
import { createSyntheticPortrait, portraitDataUri } from "./syntheticPortrait.ts";
import { ISSUER_DID, NOW, PORTRAIT, SAMPLE_CLAIMS, STATUS_URI, holderSigners, issueSample, issuerSigner } from "./testing.ts";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020, formats: string[]) => void;
const json = (b64: string): Record<string, unknown> => JSON.parse(new TextDecoder().decode(decodeBase64url(b64))) as Record<string, unknown>;
const schemaOf = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../schemas/${file}`, import.meta.url), "utf8")) as Record<string, unknown>;

function parsed(token: string) {
  const r = parseSdJwtVc(token);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe("issueSdJwtVc", () => {
  it("yields one unlinkable copy per entry: fresh salts and digests, own cnf key, own status entry, one header form", async () => {
    const { copies, holders } = await issueSample("StudentIDCredential", DEFAULT_BATCH_SIZE);
    expect(copies).toHaveLength(10);
    const seen = new Set<string>();
    for (const [i, copy] of copies.entries()) {
      const p = parsed(copy);
      expect(p.issuerJwt.header).toEqual({ typ: "dc+sd-jwt", alg: "ES256K", kid: `${ISSUER_DID}#controller` });
      expect(p.issuerJwt.payload.cnf).toEqual({ jwk: holders[i]?.publicJwk });
      expect(p.issuerJwt.payload.status).toEqual({ status_list: { idx: 7 + i * 13, uri: STATUS_URI } });
      // No disclosure, salt or digest is shared between copies.
      const sd = p.issuerJwt.payload._sd as string[];
      for (const d of [...p.disclosures.map((x) => x.encoded), ...p.disclosures.map((x) => json(x.encoded)[0] as string), ...sd]) {
        expect(seen.has(d)).toBe(false);
        seen.add(d);
      }
    }
  });

  it("makes every personal claim a disclosure and keeps iss, vct, iat, exp, cnf, status in the clear", async () => {
    for (const typeName of Object.keys(SAMPLE_CLAIMS)) {
      const { copies } = await issueSample(typeName);
      const p = parsed(copies[0] as string);
      expect(Object.keys(p.issuerJwt.payload).sort()).toEqual(["_sd", "_sd_alg", "age_equal_or_over", "cnf", "exp", "iat", "iss", "status", "vct"]);
      const names = p.disclosures.map((d) => d.name);
      for (const claim of Object.keys(SAMPLE_CLAIMS[typeName] ?? {})) expect(names).toContain(claim);
      for (const name of names) expect(NON_DISCLOSABLE_CLAIMS.has(name as string)).toBe(false);
      // The top-level digest count is the same for every credential of the type (decoys pad it).
      expect((p.issuerJwt.payload._sd as string[]).length).toBe((sdJwtVcProfileOf(typeName)?.claims.length ?? 0) - 1);
    }
  });

  it("computes each age threshold as its own nested disclosure, per-type thresholds overridable", async () => {
    const { copies } = await issueSample("CivilServantIDCredential");
    const p = parsed(copies[0] as string);
    const ages = p.disclosures.filter((d) => ["14", "19", "65"].includes(d.name as string));
    expect(ages.map((d) => [d.name, d.value])).toEqual(expect.arrayContaining([["14", true], ["19", true], ["65", true]]));
    expect(p.processed.age_in_years).toBe(65);
    expect(p.processed.age_birth_year).toBe(1961);
    expect(p.processed.age_equal_or_over).toEqual({ "14": true, "19": true, "65": true });

    const holder = holderSigners(1)[0];
    const { copies: custom } = await issueSdJwtVc({
      issuer: ISSUER_DID,
      signer: issuerSigner,
      typeName: "StudentIDCredential",
      claims: SAMPLE_CLAIMS.StudentIDCredential ?? {},
      copies: [{ holderKey: holder?.publicJwk as never, status: { idx: 1, uri: STATUS_URI } }],
      issuedAt: NOW,
      validUntil: NOW + 1000,
      ageThresholds: [18, 21],
    });
    expect(parsed(custom[0] as string).processed.age_equal_or_over).toEqual({ "18": true, "21": true });
  });

  it("rounds iat down to the hour so copies do not carry an identifying timestamp", async () => {
    const { copies } = await issueSample("StudentIDCredential");
    expect(parsed(copies[0] as string).issuerJwt.payload.iat).toBe(NOW - (NOW % 3600));
  });

  it("refuses misuse with INVALID_ARGUMENT", async () => {
    const [a, b] = holderSigners(2);
    const base = {
      issuer: ISSUER_DID,
      signer: issuerSigner,
      typeName: "StudentIDCredential",
      claims: SAMPLE_CLAIMS.StudentIDCredential ?? {},
      copies: [{ holderKey: a?.publicJwk as never, status: { idx: 1, uri: STATUS_URI } }],
      issuedAt: NOW,
      validUntil: NOW + 1000,
    };
    const bigPortrait = portraitDataUri(new Uint8Array(25 * 1024).fill(1));
    const cases = [
      { typeName: "NoSuchCredential" },
      { claims: { ...base.claims, iss: "x" } },
      { claims: { ...base.claims, age_in_years: 30 } },
      { claims: { ...base.claims, residentRegistrationNumber: "900101-1234567" } },
      { claims: { ...base.claims, studentNumber: undefined } },
      { claims: { ...base.claims, portrait: bigPortrait } },
      { claims: { ...base.claims, portrait: "data:image/png;base64,AAAA" } },
      { claims: { ...base.claims, birthDate: "2030-01-01" } },
      { copies: [] },
      { copies: [base.copies[0], { holderKey: a?.publicJwk, status: { idx: 2, uri: STATUS_URI } }] },
      { copies: [base.copies[0], { holderKey: b?.publicJwk, status: { idx: 1, uri: STATUS_URI } }] },
      { copies: [{ holderKey: { ...a?.publicJwk, d: "x" }, status: { idx: 1, uri: STATUS_URI } }] },
      { signer: { ...issuerSigner, kid: "did:ethr:0x7a69:0x" + "99".repeat(20) + "#controller" } },
      { signer: { ...issuerSigner, alg: "ES256" as const } },
      { validUntil: NOW },
    ];
    for (const c of cases) await expect(issueSdJwtVc({ ...base, ...c } as never)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("the synthetic portrait fits and a 24 KB cap is enforced by size, not by name", async () => {
    const portrait = createSyntheticPortrait({ seed: 1 });
    expect(PORTRAIT).toBe(portraitDataUri(createSyntheticPortrait({ seed: 42 })));
    expect(portrait.length).toBeLessThanOrEqual(24 * 1024);
  });
});

describe("SD-JWT VC JSON Schemas (2020-12)", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: true });
  addFormats(ajv, ["date", "uri"]);

  it("every fully disclosed sample credential validates, and each schema names its vct", async () => {
    for (const profile of SD_JWT_VC_PROFILES) {
      const schema = schemaOf(profile.schemaFile);
      expect(schema.$id).toBe(profile.schemaUri);
      expect((schema.properties as Record<string, { const?: string }>).vct?.const).toBe(profile.vct);
      const validate = ajv.getSchema(profile.schemaUri) ?? ajv.compile(schema);
      const { copies } = await issueSample(profile.typeName);
      const payload = parsed(copies[0] as string).processed;
      expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
      // The schema lists exactly the profile's claims beside the registered ones.
      expect(Object.keys(schema.properties as object).sort()).toEqual(
        ["cnf", "exp", "iat", "iss", "nbf", "status", "vct", ...profile.claims].sort(),
      );
    }
  });

  it("any disclosed subset validates; wrong formats and unknown claims do not", async () => {
    const profile = sdJwtVcProfileOf("DriversLicenseCredential");
    if (profile === undefined) throw new Error("unreachable");
    const validate = ajv.getSchema(profile.schemaUri) ?? ajv.compile(schemaOf(profile.schemaFile));
    const { copies } = await issueSample("DriversLicenseCredential");
    const full = parsed(copies[0] as string).processed;
    const { familyName: _f, portrait: _p, licenseClasses: _l, ...subset } = full;
    expect(validate({ ...subset, age_equal_or_over: {} })).toBe(true);
    for (const bad of [
      { birthDate: "2001-02-30x" },
      { birthDate: "01/02/2001" },
      { licenseClasses: ["3-truck"] },
      { licenseNumber: "1234" },
      { status: { status_list: { idx: 1, uri: "ftp://x" } } },
      { cnf: { jwk: { kty: "EC", crv: "P-384", x: "a", y: "b" } } },
      { vct: "urn:mobile-id:vct:StudentIDCredential:1" },
      { nickname: "M" },
      { portrait: "data:image/png;base64,AAAA" },
    ])
      expect(validate({ ...full, ...bad }), JSON.stringify(bad)).toBe(false);
  });

  it("student status and civil-service rank tracks", () => {
    const student = ajv.getSchema("https://mobile-id.example/schemas/student-id.sd-jwt-vc.v1.json") ?? ajv.compile(schemaOf("student-id.sd-jwt-vc.v1.json"));
    const civil = ajv.getSchema("https://mobile-id.example/schemas/civil-servant-id.sd-jwt-vc.v1.json") ?? ajv.compile(schemaOf("civil-servant-id.sd-jwt-vc.v1.json"));
    const base = {
      iss: ISSUER_DID,
      iat: 1,
      exp: 2,
      cnf: { jwk: { kty: "EC", crv: "P-256", x: "A".repeat(43), y: "B".repeat(43) } },
      status: { status_list: { idx: 0, uri: STATUS_URI } },
    };
    const s = { ...base, vct: "urn:mobile-id:vct:StudentIDCredential:1" };
    for (const st of ["enrolled", "on_leave", "graduated"]) expect(student({ ...s, enrollmentStatus: st })).toBe(true);
    expect(student({ ...s, enrollmentStatus: "leaveOfAbsence" })).toBe(false);
    const c = { ...base, vct: "urn:mobile-id:vct:CivilServantIDCredential:1" };
    expect(civil({ ...c, rankTrack: "general", grade: 5 })).toBe(true);
    expect(civil({ ...c, rankTrack: "senior-executive", rankTitle: "고위공무원 가급" })).toBe(true);
    expect(civil({ ...c, rankTrack: "senior-executive", grade: 3 })).toBe(false);
    expect(civil({ ...c, rankTrack: "general", grade: 10 })).toBe(false);
  });
});
