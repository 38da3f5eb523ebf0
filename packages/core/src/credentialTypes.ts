import canonicalize from "canonicalize";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";
import { MobileIdError } from "./errors.ts";
import { mobileIdSchemaUri } from "./formats/mobileIdContext.ts";

/** Which of the article's authorities governs a type (resolved to an identity by the network roster). */
export type GoverningAuthority = "education" | "personnel" | "police" | "interior";

/** A credential type as this software knows it; the ledger's record must agree with it (id and schema hash). */
export interface CredentialTypeDefinition {
  /** The Verifiable Credential `type` entry, e.g. `StudentIDCredential`. */
  readonly name: string;
  readonly version: number;
  /** The schema's `$id`, as registered on the ledger: an https name whose path is where `pnpm start` serves it. */
  readonly schemaUri: string;
  /** File name under `@mobile-id/core/schemas/`. */
  readonly schemaFile: string;
  readonly governedBy: GoverningAuthority;
  readonly title: { readonly en: string; readonly ko: string };
}

/** The four types of the mobile ID programme. */
export const CREDENTIAL_TYPES: readonly CredentialTypeDefinition[] = [
  {
    name: "StudentIDCredential",
    version: 1,
    schemaUri: mobileIdSchemaUri("student-id.v1.json"),
    schemaFile: "student-id.v1.json",
    governedBy: "education",
    title: { en: "Student ID", ko: "학생증" },
  },
  {
    name: "CivilServantIDCredential",
    version: 1,
    schemaUri: mobileIdSchemaUri("civil-servant-id.v1.json"),
    schemaFile: "civil-servant-id.v1.json",
    governedBy: "personnel",
    title: { en: "Civil-servant ID", ko: "공무원증" },
  },
  {
    name: "DriversLicenseCredential",
    version: 1,
    schemaUri: mobileIdSchemaUri("drivers-license.v1.json"),
    schemaFile: "drivers-license.v1.json",
    governedBy: "police",
    title: { en: "Driver's licence", ko: "운전면허증" },
  },
  {
    name: "ResidentIDCredential",
    version: 1,
    schemaUri: mobileIdSchemaUri("resident-id.v1.json"),
    schemaFile: "resident-id.v1.json",
    governedBy: "interior",
    title: { en: "Resident ID", ko: "주민등록증" },
  },
];

/**
 * The ledger id of a credential type: `keccak256(abi.encode(name, version))`, as the contract computes it.
 *
 * @example
 * ```ts
 * credentialTypeId("StudentIDCredential", 1) // "0x…" (32 bytes)
 * ```
 */
export function credentialTypeId(name: string, version: number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["string", "uint32"], [name, version]));
}

/**
 * The schema hash registered on the ledger: keccak-256 of the schema's RFC 8785 (JCS) canonical JSON, so
 * that formatting changes to the file do not change the hash, and any change of meaning does.
 *
 * @example
 * ```ts
 * schemaHash(loadSchema(CREDENTIAL_TYPES[0])) // loadSchema: Node only (schemaFiles.ts)
 * ```
 */
export function schemaHash(schema: unknown): string {
  const canonical = canonicalize(schema);
  if (canonical === undefined) throw new MobileIdError("INVALID_ARGUMENT", "schema is not JSON");
  return keccak256(toUtf8Bytes(canonical));
}


/**
 * The definition of `name` at `version` (latest version when omitted), or `undefined`.
 *
 * @example
 * ```ts
 * findCredentialType("DriversLicenseCredential")?.title.ko // "운전면허증"
 * ```
 */
export function findCredentialType(name: string, version?: number): CredentialTypeDefinition | undefined {
  let best: CredentialTypeDefinition | undefined;
  for (const t of CREDENTIAL_TYPES) {
    if (t.name !== name) continue;
    if (version !== undefined ? t.version === version : best === undefined || t.version > best.version) best = t;
  }
  return best;
}
