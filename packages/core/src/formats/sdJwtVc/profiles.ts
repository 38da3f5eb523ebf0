import { mobileIdSchemaUri } from "../mobileIdContext.ts";
import { DEFAULT_AGE_THRESHOLDS } from "./constants.ts";

/**
 * What the SD-JWT VC form of one registered credential type carries: its `vct`, the schema describing the whole
 * payload after disclosure, the personal claims (each its own disclosure) and the age predicates the issuer
 * derives from the birth date.
 */
export interface SdJwtVcTypeProfile {
  /** The registered type name on the ledger, e.g. `StudentIDCredential`. */
  readonly typeName: string;
  readonly version: number;
  /** The SD-JWT VC `vct`: names the ledger's registered type and version. */
  readonly vct: string;
  /** The JSON Schema's `$id` (2020-12; the whole payload after disclosure): its https name, served at `/schemas/<file>`. */
  readonly schemaUri: string;
  /** File name under `@mobile-id/core/schemas/`. */
  readonly schemaFile: string;
  /** Personal claims the type may carry; every one is selectively disclosable. */
  readonly claims: readonly string[];
  /** Personal claims every issued credential must carry. */
  readonly requiredClaims: readonly string[];
  /** `age_equal_or_over` thresholds computed at issuance (each its own disclosure); empty for none. */
  readonly ageThresholds: readonly number[];
}

const VCT_PREFIX = "urn:mobile-id:vct:";

/**
 * The `vct` of a registered type: `urn:mobile-id:vct:<name>:<version>`.
 *
 * @example
 * ```ts
 * vctOf("StudentIDCredential", 1) // "urn:mobile-id:vct:StudentIDCredential:1"
 * ```
 */
export function vctOf(typeName: string, version: number): string {
  return `${VCT_PREFIX}${typeName}:${version}`;
}

const PERSON = ["familyName", "givenName", "birthDate", "portrait"] as const;
const AGE = ["age_equal_or_over", "age_in_years", "age_birth_year"] as const;

function profile(
  typeName: string,
  file: string,
  claims: readonly string[],
  requiredClaims: readonly string[],
  ageThresholds: readonly number[] = DEFAULT_AGE_THRESHOLDS,
): SdJwtVcTypeProfile {
  return {
    typeName,
    version: 1,
    vct: vctOf(typeName, 1),
    schemaUri: mobileIdSchemaUri(`${file}.sd-jwt-vc.v1.json`),
    schemaFile: `${file}.sd-jwt-vc.v1.json`,
    claims: [...PERSON, ...claims, ...AGE],
    requiredClaims,
    ageThresholds,
  };
}

/** The SD-JWT VC profiles of the four card types of the mobile ID programme. */
export const SD_JWT_VC_PROFILES: readonly SdJwtVcTypeProfile[] = [
  profile(
    "ResidentIDCredential",
    "resident-id",
    ["residentRegistrationNumber", "address", "issueDate"],
    ["familyName", "givenName", "birthDate", "residentRegistrationNumber", "address"],
  ),
  profile(
    "DriversLicenseCredential",
    "drivers-license",
    ["licenseNumber", "licenseClasses", "address", "aptitudeTestFrom", "aptitudeTestUntil", "renewalDate", "conditions"],
    ["familyName", "givenName", "birthDate", "licenseNumber", "licenseClasses", "aptitudeTestUntil"],
  ),
  profile(
    "StudentIDCredential",
    "student-id",
    ["englishName", "studentNumber", "institution", "department", "degreeLevel", "enrollmentStatus"],
    ["familyName", "givenName", "studentNumber", "institution", "enrollmentStatus"],
  ),
  profile(
    "CivilServantIDCredential",
    "civil-servant-id",
    ["employeeNumber", "agency", "position", "rankTrack", "grade", "rankTitle"],
    ["familyName", "givenName", "employeeNumber", "agency", "rankTrack"],
  ),
];

/**
 * The profile whose `vct` is `vct`, or `undefined`.
 *
 * @example
 * ```ts
 * findSdJwtVcProfile("urn:mobile-id:vct:StudentIDCredential:1")?.typeName // "StudentIDCredential"
 * ```
 */
export function findSdJwtVcProfile(vct: string): SdJwtVcTypeProfile | undefined {
  return SD_JWT_VC_PROFILES.find((p) => p.vct === vct);
}

/**
 * The profile of a registered type name (latest version), or `undefined`.
 *
 * @example
 * ```ts
 * sdJwtVcProfileOf("DriversLicenseCredential")?.vct
 * ```
 */
export function sdJwtVcProfileOf(typeName: string): SdJwtVcTypeProfile | undefined {
  let best: SdJwtVcTypeProfile | undefined;
  for (const p of SD_JWT_VC_PROFILES) if (p.typeName === typeName && (best === undefined || p.version > best.version)) best = p;
  return best;
}
