import { CREDENTIAL_TYPES, type PresentationRequest, decodeBase64url, findCredentialType, parseJsonObject } from "@mobile-id/core/browser";

export type { PresentationRequest };

export type ParsePresentationRequestResult =
  | { readonly ok: true; readonly request: PresentationRequest }
  | { readonly ok: false; readonly code: "REQUEST_INVALID" | "REQUEST_EXPIRED"; readonly message: string };

export interface ParsePresentationRequestParameters {
  /** The request as received: a parsed object, or its JSON text. */
  readonly request: unknown;
  /** Seconds since the epoch. */
  readonly now: number;
}

const FIELDS = ["type", "challenge", "domain", "credentialTypes", "expiresAt", "claims"];
/** A requested claim path: dotted names (`age_equal_or_over.19`), at most 6 deep. */
const CLAIM_PATH = /^[A-Za-z0-9_]{1,64}(?:\.[A-Za-z0-9_]{1,64}){0,5}$/;
/** A lower-case DNS host name (IDNs in their xn-- form), with an optional port. No scheme, path or user info. */
const DOMAIN = /^(?=.{1,253}(?::\d{1,5})?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;
export const CHALLENGE_BYTES = 32;

const invalid = (message: string): ParsePresentationRequestResult => ({ ok: false, code: "REQUEST_INVALID", message });

/**
 * Checks a presentation request strictly (unknown fields, duplicate JSON keys, a challenge that is not
 * canonical base64url of exactly 32 bytes, a domain that is not a bare lower-case host name, unknown or
 * repeated credential types: all refused) and that it has not expired. Pure; never throws for bad input.
 *
 * @example
 * ```ts
 * const r = parsePresentationRequest({ request: JSON.parse(qrText), now: systemClock() });
 * if (!r.ok) showError(r.code);
 * ```
 */
export function parsePresentationRequest(params: ParsePresentationRequestParameters): ParsePresentationRequestResult {
  let input = params.request;
  if (typeof input === "string") {
    if (input.length > 8192) return invalid("request is too large");
    input = parseJsonObject(new TextEncoder().encode(input));
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) return invalid("request is not a JSON object (or has duplicate keys)");
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FIELDS.includes(k)) return invalid(`unknown field ${k}`);
  const { type, challenge, domain, credentialTypes, expiresAt } = o;
  if (type !== "MobileIdPresentationRequest") return invalid("type must be MobileIdPresentationRequest");
  if (typeof challenge !== "string" || challenge.length > 128) return invalid("challenge must be a string");
  if (decodeBase64url(challenge)?.length !== CHALLENGE_BYTES) return invalid(`challenge must be canonical base64url of ${CHALLENGE_BYTES} bytes`);
  if (typeof domain !== "string" || !DOMAIN.test(domain)) return invalid("domain must be a lower-case host name");
  if (!Array.isArray(credentialTypes) || credentialTypes.length === 0 || credentialTypes.length > CREDENTIAL_TYPES.length) {
    return invalid("credentialTypes must be a non-empty array of known types");
  }
  const types: string[] = [];
  for (const t of credentialTypes as unknown[]) {
    if (typeof t !== "string" || findCredentialType(t) === undefined) return invalid(`unknown credential type ${JSON.stringify(t)}`);
    if (types.includes(t)) return invalid(`credential type ${t} is repeated`);
    types.push(t);
  }
  if (typeof expiresAt !== "number" || !Number.isSafeInteger(expiresAt) || expiresAt <= 0) return invalid("expiresAt must be an integer NumericDate");
  if (expiresAt <= params.now) return { ok: false, code: "REQUEST_EXPIRED", message: "the request has expired" };
  if (o.claims === undefined) return { ok: true, request: { type, challenge, domain, credentialTypes: types, expiresAt } };
  if (!Array.isArray(o.claims) || o.claims.length > 64) return invalid("claims must be an array of at most 64 claims");
  const claims: { path: string; required?: boolean }[] = [];
  for (const c of o.claims as unknown[]) {
    if (c === null || typeof c !== "object" || Array.isArray(c)) return invalid("each claim must be an object");
    const { path, required, ...rest } = c as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return invalid("a claim has only path and required");
    if (typeof path !== "string" || !CLAIM_PATH.test(path)) return invalid("a claim path must be dotted claim names");
    if (required !== undefined && typeof required !== "boolean") return invalid("a claim's required must be a boolean");
    if (claims.some((x) => x.path === path)) return invalid(`claim ${path} is repeated`);
    claims.push(required === undefined ? { path } : { path, required });
  }
  return { ok: true, request: { type, challenge, domain, credentialTypes: types, expiresAt, claims } };
}
