/** @internal Not exported from the package. */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValidateFunction } from "ajv";
import { findCredentialType, loadSdJwtVcSchema } from "@mobile-id/core";
import type { SdJwtVcTypeProfile } from "@mobile-id/core/sd-jwt-vc";

// ajv-formats is CommonJS; under NodeNext its default import is the module object on some toolchains.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020, formats: string[]) => void;
const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: true, validateSchema: false });
addFormats(ajv, ["date", "date-time", "uri"]);
const compiled = new Map<string, ValidateFunction>();

/** The SD-JWT VC JSON Schema of a profile (`@mobile-id/core/schemas/<type>.sd-jwt-vc.v1.json`). */
function schemaOf(profile: SdJwtVcTypeProfile): Readonly<Record<string, unknown>> {
  const type = findCredentialType(profile.typeName, profile.version);
  const schema = type === undefined ? undefined : loadSdJwtVcSchema(type);
  if (schema === undefined) throw new Error(`no SD-JWT VC schema for ${profile.vct}`);
  return schema;
}

/**
 * Validates an SD-JWT VC payload with every claim disclosed against the profile's schema (2020-12). The schema is
 * compiled once per profile.
 */
export function validateSdJwtVcPayload(
  profile: SdJwtVcTypeProfile,
  payload: unknown,
): { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] } {
  let validate = compiled.get(profile.schemaUri);
  if (validate === undefined) {
    validate = ajv.compile(schemaOf(profile));
    compiled.set(profile.schemaUri, validate);
  }
  if (validate(payload)) return { ok: true };
  return { ok: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`) };
}
