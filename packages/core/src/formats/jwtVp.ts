import { MobileIdError } from "../errors.ts";
import { parseCompactJws } from "../jws.ts";
import { VerificationCode } from "../verification.ts";
import {
  type DidParser,
  VC_CONTEXT_V1,
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
import { signCompactJwt } from "./signJws.ts";
import type { FormatResult, JwsSigner, NormalizedPresentation, PresentationDraft, PresentationFormat, PresentationFormatContext } from "./types.ts";

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
function parseJwtVpWith(raw: unknown, context: PresentationFormatContext, parseDid: DidParser): FormatResult<NormalizedPresentation> {
  const parsed = parseCompactJws(raw, { maxBytes: context.maxBytes, algorithms: context.algorithms });
  if (!parsed.ok) return bad(parsed.code, parsed.message);
  const { alg, header, payload, signingInput, signature, byteLength } = parsed.jws;

  const extra = unexpectedKey(payload, PAYLOAD_KEYS);
  if (extra !== undefined) return bad(VerificationCode.MALFORMED, `unexpected claim ${JSON.stringify(extra)}`);
  const holder = ethrDidField(payload["iss"], "iss", context.chainId, parseDid);
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
      proof: { alg, signingInput, signature, kid: kid.value },
      byteLength,
    },
  };
}

/** The JWT claims of a mobile-id VP, in the order they are signed (the order did-jwt-vc wrote them). */
export interface JwtVpPayload {
  readonly iat?: number;
  readonly exp: number;
  readonly vp: {
    readonly "@context": readonly string[];
    readonly type: readonly ["VerifiablePresentation"];
    readonly verifiableCredential: readonly string[];
  };
  /** One audience, as a string (the core README; did-jwt-vc's `domain` would make it an array). */
  readonly aud: string;
  readonly nbf: number;
  readonly jti: string;
  readonly nonce: string;
  readonly iss: string;
}

/**
 * The payload of a JWT-VP for a draft, in the core README's wire format and byte order. The holder must be a DID
 * (it signs as `iss`). Pure.
 *
 * @example
 * ```ts
 * buildJwtVpPayload({ holder: { kind: "did", did }, audience: "shop.example", nonce, id, validFrom, validUntil, credentials: [jwt] })
 * ```
 */
export function buildJwtVpPayload(draft: PresentationDraft): JwtVpPayload {
  if (draft.holder.kind !== "did") throw new MobileIdError("INVALID_ARGUMENT", "a JWT-VP is signed by the holder's DID (iss)");
  if (draft.credentials.length === 0) throw new MobileIdError("INVALID_ARGUMENT", "a presentation carries at least one credential");
  const rest = {
    exp: draft.validUntil,
    vp: { "@context": [VC_CONTEXT_V1], type: ["VerifiablePresentation"] as const, verifiableCredential: [...draft.credentials] },
    aud: draft.audience,
    nbf: draft.validFrom,
    jti: draft.id,
    nonce: draft.nonce,
    iss: draft.holder.did,
  };
  return draft.issuedAt === undefined ? rest : { iat: draft.issuedAt, ...rest };
}

/** The JWT-VP format module: parse (see `parseJwtVp`), build and sign. */
export interface JwtVpFormat extends PresentationFormat<JwtVpPayload> {
  readonly format: typeof JWT_VP_FORMAT;
}

/**
 * The `jwt-vp` format module for a `did:ethr` parser (see createJwtVcFormat's note: use the `jwtVpFormat`
 * of `@mobile-id/core` or `@mobile-id/core/browser`).
 *
 * @example
 * ```ts
 * const jwt = await jwtVpFormat.sign(jwtVpFormat.build(draft), { ...createEs256kSigner(key), kid: `${did}#controller` });
 * ```
 */
export function createJwtVpFormat(options: { readonly parseDid: DidParser }): JwtVpFormat {
  const { parseDid } = options;
  return {
    format: JWT_VP_FORMAT,
    accepts: (raw) => typeof raw === "string" && !raw.includes("~"),
    parse: (raw, context) => parseJwtVpWith(raw, context, parseDid),
    build: buildJwtVpPayload,
    sign: (payload: JwtVpPayload, signer: JwsSigner) => signCompactJwt(payload as unknown as Record<string, unknown>, signer),
  };
}
