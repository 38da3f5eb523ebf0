import { ACCEPTED_ALGORITHM, parseCompactJws } from "../jws.ts";
import { VerificationCode } from "../verification.ts";
import {
  bad,
  checkKid,
  contextField,
  ethrDidField,
  isPlainObject,
  optionalDate,
  optionalString,
  requiredDate,
  unexpectedKey,
} from "./jwtFields.ts";
import type { FormatResult, NormalizedPresentation, PresentationFormatContext, PresentationFormatHandler } from "./types.ts";

/** Format name of W3C VC Data Model 1.1 presentations in the JWT encoding, as did-jwt-vc writes them. */
export const JWT_VP_FORMAT = "jwt-vp";

const PAYLOAD_KEYS = new Set(["iss", "aud", "nonce", "nbf", "exp", "iat", "jti", "vp"]);
const VP_KEYS = new Set(["@context", "type", "verifiableCredential", "holder"]);
const MAX_TEXT = 512;

/**
 * Parses and checks a VP JWT per the core README, strictly and without I/O: ES256K header, no duplicate keys,
 * only the known claims, `iss` a `did:ethr` of this chain, `exp` required, integer NumericDates, one audience,
 * `vp.type` exactly `["VerifiablePresentation"]`, `vp.holder` (if present) equal to `iss`, and between 1 and
 * `maxCredentials` embedded credentials (counted before any of them is decoded). Never throws.
 *
 * `aud`: RFC 7519 allows a string or an array; did-jwt-vc writes `[domain]`. Exactly one audience is accepted
 * (a string, or an array of one string); an array of several is refused as ambiguous.
 *
 * @example
 * ```ts
 * const r = parseJwtVp(token, { chainId: 31337n, maxBytes: 65_536, maxCredentials: 8 });
 * if (r.ok) console.log(r.value.holder.did, r.value.credentials.length);
 * ```
 */
export function parseJwtVp(raw: unknown, context: PresentationFormatContext): FormatResult<NormalizedPresentation> {
  const parsed = parseCompactJws(raw, { maxBytes: context.maxBytes });
  if (!parsed.ok) return bad(parsed.code, parsed.message);
  const { header, payload, signingInput, signature, byteLength } = parsed.jws;

  const extra = unexpectedKey(payload, PAYLOAD_KEYS);
  if (extra !== undefined) return bad(VerificationCode.MALFORMED, `unexpected claim ${JSON.stringify(extra)}`);
  const holder = ethrDidField(payload["iss"], "iss", context.chainId);
  if (!holder.ok) return holder;
  const kid = checkKid(header["kid"], holder.value.did);
  if (!kid.ok) return kid;

  let audience: string | undefined;
  const aud = payload["aud"];
  if (typeof aud === "string") audience = aud;
  else if (Array.isArray(aud) && aud.length === 1 && typeof aud[0] === "string") audience = aud[0];
  else if (aud !== undefined) return bad(VerificationCode.MALFORMED, "aud is not exactly one audience");
  if (audience !== undefined && audience.length > MAX_TEXT) return bad(VerificationCode.MALFORMED, "aud is too long");
  const nonce = optionalString(payload, "nonce", MAX_TEXT);
  if (!nonce.ok) return nonce;
  const exp = requiredDate(payload, "exp");
  if (!exp.ok) return exp;
  const nbf = optionalDate(payload, "nbf");
  if (!nbf.ok) return nbf;
  const iat = optionalDate(payload, "iat");
  if (!iat.ok) return iat;
  const jti = optionalString(payload, "jti", MAX_TEXT);
  if (!jti.ok) return jti;

  const vp = payload["vp"];
  if (!isPlainObject(vp)) return bad(VerificationCode.MALFORMED, "vp is not an object");
  const vpExtra = unexpectedKey(vp, VP_KEYS);
  if (vpExtra !== undefined) return bad(VerificationCode.MALFORMED, `unexpected vp member ${JSON.stringify(vpExtra)}`);
  const ctx = contextField(vp["@context"], "vp");
  if (!ctx.ok) return ctx;
  const type = vp["type"];
  if (!Array.isArray(type) || type.length !== 1 || type[0] !== "VerifiablePresentation") {
    return bad(VerificationCode.MALFORMED, 'vp.type is not ["VerifiablePresentation"]');
  }
  if (vp["holder"] !== undefined) {
    if (typeof vp["holder"] !== "string") return bad(VerificationCode.MALFORMED, "vp.holder is not a string");
    if (vp["holder"] !== holder.value.did) return bad(VerificationCode.HOLDER_MISMATCH, "vp.holder does not agree with iss");
  }
  const credentials = vp["verifiableCredential"];
  if (!Array.isArray(credentials)) return bad(VerificationCode.MALFORMED, "vp.verifiableCredential is not an array");
  if (credentials.length > context.maxCredentials) {
    return bad(
      VerificationCode.TOO_LARGE,
      `${credentials.length} credentials, over the cap of ${context.maxCredentials}`,
    );
  }
  if (credentials.length === 0) return bad(VerificationCode.MALFORMED, "the presentation carries no credential");

  return {
    ok: true,
    value: {
      format: JWT_VP_FORMAT,
      id: jti.value,
      holder: holder.value,
      audience,
      nonce: nonce.value,
      validFrom: nbf.value,
      validUntil: exp.value,
      issuedAt: iat.value,
      credentials,
      proof: { alg: ACCEPTED_ALGORITHM, signingInput, signature, kid: kid.value },
      byteLength,
    },
  };
}

/**
 * The `jwt-vp` presentation format handler (see {@link parseJwtVp}).
 *
 * @example
 * ```ts
 * createVerifier({ ..., presentationFormats: [jwtVpFormat] });
 * ```
 */
export const jwtVpFormat: PresentationFormatHandler = {
  format: JWT_VP_FORMAT,
  accepts: (raw) => typeof raw === "string" && !raw.includes("~"),
  parse: parseJwtVp,
};
