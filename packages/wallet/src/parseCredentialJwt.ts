import { MAX_CREDENTIAL_BYTES, VerificationCode, findCredentialType, parseCompactJws } from "@mobile-id/core/browser";

/**
 * Credentials larger than this are refused before parsing: the cap every actor shares (core `protocol.ts`; it was
 * 32 KiB here, more than any verifier accepts). Re-exported for the wallet's public API.
 */
export { MAX_CREDENTIAL_BYTES };

/** The fields of a VC JWT that the wallet shows and selects on. */
export interface ParsedCredential {
  readonly issuer: string;
  readonly subject: string;
  /** The registered type name, e.g. `StudentIDCredential`. */
  readonly type: string;
  readonly validFrom: number | undefined;
  readonly validUntil: number;
  readonly jti: string | undefined;
  /** `credentialSubject` without `id`. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly credentialStatus: Readonly<Record<string, unknown>> | undefined;
  readonly schema: string | undefined;
}

export type ParseCredentialJwtResult =
  | { readonly ok: true; readonly credential: ParsedCredential }
  | { readonly ok: false; readonly code: VerificationCode; readonly message: string };

const fail = (code: VerificationCode, message: string): ParseCredentialJwtResult => ({ ok: false, code, message });
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isSeconds = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * Checks a VC JWT's shape against the normative wire format (core README) and extracts what the wallet needs.
 * Signatures, issuer accreditation and status are not checked here: that is the injected verifier's job.
 * Pure: never throws for bad input.
 *
 * @example
 * ```ts
 * const r = parseCredentialJwt(jwt);
 * if (r.ok) console.log(r.credential.type, r.credential.validUntil);
 * ```
 */
export function parseCredentialJwt(jwt: unknown): ParseCredentialJwtResult {
  const parsed = parseCompactJws(jwt, { maxBytes: MAX_CREDENTIAL_BYTES });
  if (!parsed.ok) return fail(parsed.code, parsed.message);
  const p = parsed.jws.payload;
  const { iss, sub, nbf, exp, iat, jti, vc } = p;
  if (typeof iss !== "string" || iss.length === 0) return fail(VerificationCode.MALFORMED, "iss must be a string");
  if (typeof sub !== "string" || sub.length === 0) return fail(VerificationCode.MALFORMED, "sub must be a string");
  if (!isSeconds(exp)) return fail(VerificationCode.MALFORMED, "exp must be an integer NumericDate");
  if (nbf !== undefined && !isSeconds(nbf)) return fail(VerificationCode.MALFORMED, "nbf must be an integer NumericDate");
  if (iat !== undefined && !isSeconds(iat)) return fail(VerificationCode.MALFORMED, "iat must be an integer NumericDate");
  if (jti !== undefined && typeof jti !== "string") return fail(VerificationCode.MALFORMED, "jti must be a string");
  if (!isObject(vc)) return fail(VerificationCode.MALFORMED, "vc must be an object");
  const type = vc["type"];
  if (!Array.isArray(type) || type.length !== 2 || type[0] !== "VerifiableCredential" || typeof type[1] !== "string") {
    return fail(VerificationCode.MALFORMED, 'vc.type must be ["VerifiableCredential", <type>]');
  }
  if (findCredentialType(type[1]) === undefined) return fail(VerificationCode.TYPE_NOT_ACCEPTED, `unknown credential type ${type[1]}`);
  const subject = vc["credentialSubject"];
  if (!isObject(subject)) return fail(VerificationCode.MALFORMED, "vc.credentialSubject must be an object");
  if (subject["id"] !== undefined && subject["id"] !== sub) {
    return fail(VerificationCode.HOLDER_MISMATCH, "credentialSubject.id differs from sub");
  }
  const issuer = vc["issuer"];
  if (issuer !== undefined && issuer !== iss && !(isObject(issuer) && issuer["id"] === iss)) {
    return fail(VerificationCode.MALFORMED, "vc.issuer differs from iss");
  }
  const status = vc["credentialStatus"];
  if (status !== undefined && !isObject(status)) return fail(VerificationCode.STATUS_INVALID, "vc.credentialStatus must be an object");
  const schema = vc["credentialSchema"];
  const { id: _id, ...claims } = subject;
  return {
    ok: true,
    credential: {
      issuer: iss,
      subject: sub,
      type: type[1],
      validFrom: nbf,
      validUntil: exp,
      jti,
      claims,
      credentialStatus: status,
      schema: isObject(schema) && typeof schema["id"] === "string" ? schema["id"] : undefined,
    },
  };
}
