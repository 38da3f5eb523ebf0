/**
 * Node-only (reads the schema files): the schema hash a credential type is registered with on the ledger. It
 * covers every format the type is issued in, so that the ledger's registration pins the SD-JWT VC schema too.
 */
import { readFileSync } from "node:fs";
import { type CredentialTypeDefinition, schemaHash } from "./credentialTypes.ts";
import { MobileIdError } from "./errors.ts";
import { sdJwtVcProfileOf } from "./formats/sdJwtVc/profiles.ts";
import { loadSchema } from "./schemaFiles.ts";

const sdJwtVcSchemas = new Map<string, Readonly<Record<string, unknown>>>();

/**
 * The SD-JWT VC JSON Schema of a type (the whole payload after disclosure, `<type>.sd-jwt-vc.v<n>.json`), or
 * `undefined` for a type without an SD-JWT VC profile.
 *
 * @example
 * ```ts
 * loadSdJwtVcSchema(findCredentialType("StudentIDCredential")!)?.["$id"] // "https://mobile-id.example/schemas/student-id.sd-jwt-vc.v1.json"
 * ```
 */
export function loadSdJwtVcSchema(type: CredentialTypeDefinition): Readonly<Record<string, unknown>> | undefined {
  const profile = sdJwtVcProfileOf(type.name);
  if (profile === undefined || profile.version !== type.version) return undefined;
  let schema = sdJwtVcSchemas.get(profile.schemaFile);
  if (schema === undefined) {
    schema = JSON.parse(readFileSync(new URL(`../schemas/${profile.schemaFile}`, import.meta.url), "utf8")) as Record<string, unknown>;
    if (schema["$id"] !== profile.schemaUri) {
      throw new MobileIdError("UNKNOWN_CREDENTIAL_TYPE", "schema file does not carry the expected $id", {
        details: { file: profile.schemaFile, expected: profile.schemaUri, found: schema["$id"] },
      });
    }
    sdJwtVcSchemas.set(profile.schemaFile, schema);
  }
  return schema;
}

/**
 * The schema hash registered on the ledger for a type (`registerCredentialType`), checked by the verifier:
 * for a type with an SD-JWT VC profile, {@link schemaHash} (keccak-256 of JCS) of
 * `{ "jwt_vc": <JWT-VC subject schema>, "dc+sd-jwt": <SD-JWT VC payload schema> }`, so a change of either
 * schema changes the registration; for any other type, `schemaHash` of its JWT-VC schema alone, as before.
 *
 * @example
 * ```ts
 * registeredSchemaHash(findCredentialType("StudentIDCredential")!) // "0x…"
 * ```
 */
export function registeredSchemaHash(type: CredentialTypeDefinition): string {
  const sd = loadSdJwtVcSchema(type);
  const jwt = loadSchema(type);
  return sd === undefined ? schemaHash(jwt) : schemaHash({ jwt_vc: jwt, "dc+sd-jwt": sd });
}
