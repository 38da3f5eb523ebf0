/**
 * Node-only: the credential types' JSON Schemas read from the files shipped in this package. Kept apart from
 * `credentialTypes.ts` so that the type list stays browser-safe (`@mobile-id/core/browser`); a browser fetches the
 * schemas from the services' `GET /credential-types` instead.
 */
import { readFileSync } from "node:fs";
import type { CredentialTypeDefinition } from "./credentialTypes.ts";
import { MobileIdError } from "./errors.ts";

const schemaCache = new Map<string, Readonly<Record<string, unknown>>>();

/**
 * The JSON Schema of a credential type, read from the files shipped in this package.
 *
 * @example
 * ```ts
 * const schema = loadSchema(findCredentialType("StudentIDCredential", 1));
 * ```
 */
export function loadSchema(type: CredentialTypeDefinition): Readonly<Record<string, unknown>> {
  let schema = schemaCache.get(type.schemaFile);
  if (schema === undefined) {
    const url = new URL(`../schemas/${type.schemaFile}`, import.meta.url);
    schema = JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
    if (schema["$id"] !== type.schemaUri) {
      throw new MobileIdError("UNKNOWN_CREDENTIAL_TYPE", "schema file does not carry the expected $id", {
        details: { file: type.schemaFile, expected: type.schemaUri, found: schema["$id"] },
      });
    }
    schemaCache.set(type.schemaFile, schema);
  }
  return schema;
}
