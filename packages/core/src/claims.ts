import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValidateFunction } from "ajv";
import type { CredentialTypeDefinition } from "./credentialTypes.ts";
import { loadSchema } from "./schemaFiles.ts";

// ajv-formats is CommonJS; under NodeNext its default import is the module object on some toolchains.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
  formats: string[],
) => void;

// validateSchema: false: checking our own schema files against the 2020-12 meta-schema compiled the meta-schema
// first, which took 3/4 of the first validation's time in every `mid` process (schemaFiles.test.ts checks the
// files against the meta-schema instead). strict mode still refuses unknown keywords when a schema is compiled.
const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: true, validateSchema: false });
addFormats(ajv, ["date", "date-time", "uri"]);
const compiled = new Map<string, ValidateFunction>();

export type ValidateClaimsResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Validates a `credentialSubject` (including its `id`) against the type's JSON Schema. The schema is compiled
 * once per type and reused. Pure apart from that cache.
 *
 * @example
 * ```ts
 * const r = validateClaims(findCredentialType("StudentIDCredential")!, subject);
 * if (!r.ok) console.log(r.errors);
 * ```
 */
export function validateClaims(type: CredentialTypeDefinition, subject: unknown): ValidateClaimsResult {
  let validate = compiled.get(type.schemaUri);
  if (validate === undefined) {
    validate = ajv.compile(loadSchema(type));
    compiled.set(type.schemaUri, validate);
  }
  if (validate(subject)) return { ok: true };
  return {
    ok: false,
    errors: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`),
  };
}
