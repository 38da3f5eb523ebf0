/** @internal Not exported from the package. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValidateFunction } from "ajv";
import type { SdJwtVcTypeProfile } from "@mobile-id/core/sd-jwt-vc";

// ajv-formats is CommonJS; under NodeNext its default import is the module object on some toolchains.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020, formats: string[]) => void;
const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: true, validateSchema: false });
addFormats(ajv, ["date", "date-time", "uri"]);
const compiled = new Map<string, ValidateFunction>();
const require = createRequire(import.meta.url);

/** The SD-JWT VC JSON Schema of a profile (`@mobile-id/core/schemas/<type>.sd-jwt-vc.v1.json`). */
export function loadSdJwtVcSchema(profile: SdJwtVcTypeProfile): Record<string, unknown> {
  return JSON.parse(readFileSync(require.resolve(`@mobile-id/core/schemas/${profile.schemaFile}`), "utf8")) as Record<string, unknown>;
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
    validate = ajv.compile(loadSdJwtVcSchema(profile));
    compiled.set(profile.schemaUri, validate);
  }
  if (validate(payload)) return { ok: true };
  return { ok: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`) };
}
