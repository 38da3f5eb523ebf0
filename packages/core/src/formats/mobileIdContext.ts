/**
 * The mobile-id JSON-LD context and the https names of the network's documents (issue 10).
 *
 * Names: every mobile-id document has a stable https identifier under {@link MOBILE_ID_DOCUMENT_BASE}, whose
 * path is exactly the path `pnpm start` serves it at (`/schemas/<file>`, `/contexts/mobile-id-v1.jsonld`). The
 * identifier does not depend on the deployment: it is hashed into the ledger's schema registration (a schema's
 * `$id`) and signed into every JWT-VC (`credentialSchema.id`, `@context`), so a per-deployment origin would give
 * every network its own schema hashes. To resolve one, a client replaces the origin with its network's service
 * URL (or uses the copy shipped in `@mobile-id/core`); the `.example` name (RFC 2606) never resolves to anyone else.
 */

/** Origin of the stable https names of mobile-id documents (schemas, JSON-LD context); paths = served paths. */
export const MOBILE_ID_DOCUMENT_BASE = "https://mobile-id.example";

/** The served path of the mobile-id JSON-LD context (`pnpm start`). */
export const MOBILE_ID_CONTEXT_V1_PATH = "/contexts/mobile-id-v1.jsonld";

/** The mobile-id JSON-LD context: the second `@context` entry of every mobile-id JWT-VC. */
export const MOBILE_ID_CONTEXT_V1 = `${MOBILE_ID_DOCUMENT_BASE}${MOBILE_ID_CONTEXT_V1_PATH}`;

/** The https name of a credential type's schema file (`student-id.v1.json` → `https://mobile-id.example/schemas/student-id.v1.json`). */
export function mobileIdSchemaUri(schemaFile: string): string {
  return `${MOBILE_ID_DOCUMENT_BASE}/schemas/${schemaFile}`;
}

const MID = `${MOBILE_ID_DOCUMENT_BASE}/vocab#`;
const SCHEMA_ORG = "https://schema.org/";
const XSD_DATE = "http://www.w3.org/2001/XMLSchema#date";
const XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer";

/**
 * The JSON-LD 1.1 context document served at {@link MOBILE_ID_CONTEXT_V1} (`@protected`): the four credential
 * types, `JsonSchema`, the status entry type with its members, and every `credentialSubject` term of the four
 * JWT-VC schemas (schema.org terms where one fits, the mobile-id vocabulary otherwise). Frozen.
 *
 * @example
 * ```ts
 * MOBILE_ID_CONTEXT_DOCUMENT["@context"]["licenseClasses"] // { "@id": "https://mobile-id.example/vocab#licenseClasses", "@container": "@set" }
 * ```
 */
export const MOBILE_ID_CONTEXT_DOCUMENT = deepFreeze({
  "@context": {
    "@version": 1.1,
    "@protected": true,
    StudentIDCredential: `${MID}StudentIDCredential`,
    CivilServantIDCredential: `${MID}CivilServantIDCredential`,
    DriversLicenseCredential: `${MID}DriversLicenseCredential`,
    ResidentIDCredential: `${MID}ResidentIDCredential`,
    JsonSchema: "https://www.w3.org/2018/credentials#JsonSchema",
    MobileIdStatusListEntry: {
      "@id": `${MID}MobileIdStatusListEntry`,
      "@context": {
        "@protected": true,
        statusRegistry: `${MID}statusRegistry`,
        revocationListId: `${MID}revocationListId`,
        suspensionListId: `${MID}suspensionListId`,
        statusListIndex: `${MID}statusListIndex`,
      },
    },
    familyName: `${SCHEMA_ORG}familyName`,
    givenName: `${SCHEMA_ORG}givenName`,
    birthDate: { "@id": `${SCHEMA_ORG}birthDate`, "@type": XSD_DATE },
    address: `${SCHEMA_ORG}address`,
    photoDigest: `${MID}photoDigest`,
    studentNumber: `${MID}studentNumber`,
    institution: `${MID}institution`,
    department: `${MID}department`,
    degreeLevel: `${MID}degreeLevel`,
    enrollmentStatus: `${MID}enrollmentStatus`,
    employeeNumber: `${MID}employeeNumber`,
    agency: `${MID}agency`,
    position: `${MID}position`,
    grade: { "@id": `${MID}grade`, "@type": XSD_INTEGER },
    licenseNumber: `${MID}licenseNumber`,
    licenseClasses: { "@id": `${MID}licenseClasses`, "@container": "@set" },
    conditions: { "@id": `${MID}conditions`, "@container": "@set" },
  },
} as const);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
