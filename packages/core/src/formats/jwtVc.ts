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
import { MOBILE_ID_CONTEXT_V1 } from "./mobileIdContext.ts";
import { signCompactJwt } from "./signJws.ts";
import { type MobileIdStatusEntry, createMobileIdStatusEntry, parseMobileIdStatusEntry } from "./statusEntry.ts";
import type { CredentialDraft, CredentialFormat, FormatContext, FormatResult, JwsSigner, NormalizedCredential } from "./types.ts";

/** Format name of W3C VC Data Model 1.1 credentials in the JWT encoding, as did-jwt-vc writes them. */
export const JWT_VC_FORMAT = "jwt-vc";

/**
 * The `@context` of every mobile-id JWT-VC, exactly: the VC Data Model 1.1 context, then the mobile-id context
 * that defines the credential types and their claims ({@link MOBILE_ID_CONTEXT_V1}). Any other list is refused.
 */
export const JWT_VC_CONTEXTS: readonly [string, string] = Object.freeze([VC_CONTEXT_V1, MOBILE_ID_CONTEXT_V1]) as readonly [string, string];

/** Top-level claims of a VC JWT. Anything else is refused: a claim we do not read is a claim we cannot vouch for. */
const PAYLOAD_KEYS = new Set(["iss", "sub", "nbf", "exp", "iat", "jti", "vc"]);
/**
 * Members of `vc`. `id`, `issuanceDate` and `expirationDate` are refused rather than compared: did-jwt-vc moves
 * them to `jti`/`nbf`/`exp`, so a token carrying both says the same thing twice, possibly differently.
 */
const VC_KEYS = new Set(["@context", "type", "credentialSubject", "credentialSchema", "credentialStatus", "issuer"]);
const SCHEMA_KEYS = new Set(["id", "type"]);
const MAX_ID_LENGTH = 256;

/**
 * Parses and checks a VC JWT per the core README, strictly and without I/O: a compact JWS with an ES256K header
 * (only `alg`, `typ`, `kid`), no duplicate JSON keys, only the known claims, `iss`/`sub` as `did:ethr` of this
 * chain, integer NumericDates with `nbf` and `exp` required, `vc.type` exactly
 * `["VerifiableCredential", <type>]`, a `credentialSchema`, and identity fields that agree with `iss`/`sub`.
 * The status entry is read but its problems are carried, not raised: the verifier reports them as
 * `STATUS_INVALID` after the signature check. Never throws.
 *
 * @example
 * ```ts
 * const r = parseJwtVc(token, { chainId: 31337n, maxBytes: 16_384 });
 * if (r.ok) console.log(r.value.typeName, r.value.claims);
 * ```
 */
function parseJwtVcWith(raw: unknown, context: FormatContext, parseDid: DidParser): FormatResult<NormalizedCredential> {
  const parsed = parseCompactJws(raw, { maxBytes: context.maxBytes, algorithms: context.algorithms });
  if (!parsed.ok) return bad(parsed.code, parsed.message);
  const { alg, header, payload, signingInput, signature, byteLength } = parsed.jws;

  const extra = unexpectedKey(payload, PAYLOAD_KEYS);
  if (extra !== undefined) return bad(VerificationCode.MALFORMED, `unexpected claim ${JSON.stringify(extra)}`);
  const issuer = ethrDidField(payload["iss"], "iss", context.chainId, parseDid);
  if (!issuer.ok) return issuer;
  const subject = ethrDidField(payload["sub"], "sub", context.chainId, parseDid);
  if (!subject.ok) return subject;
  const nbf = requiredDate(payload, "nbf");
  if (!nbf.ok) return nbf;
  const exp = requiredDate(payload, "exp");
  if (!exp.ok) return exp;
  const iat = optionalDate(payload, "iat");
  if (!iat.ok) return iat;
  const jti = optionalString(payload, "jti", MAX_ID_LENGTH);
  if (!jti.ok) return jti;
  const kid = checkKid(header["kid"], issuer.value.did);
  if (!kid.ok) return kid;

  const vc = payload["vc"];
  if (!isPlainObject(vc)) return bad(VerificationCode.MALFORMED, "vc is not an object");
  const vcExtra = unexpectedKey(vc, VC_KEYS);
  if (vcExtra !== undefined) return bad(VerificationCode.MALFORMED, `unexpected vc member ${JSON.stringify(vcExtra)}`);
  const ctx = contextField(vc["@context"], "vc");
  if (!ctx.ok) return ctx;
  if (ctx.value.length !== JWT_VC_CONTEXTS.length || ctx.value.some((c, i) => c !== JWT_VC_CONTEXTS[i])) {
    return bad(VerificationCode.MALFORMED, `vc.@context is not exactly ${JSON.stringify(JWT_VC_CONTEXTS)}`);
  }

  const type = vc["type"];
  if (
    !Array.isArray(type) ||
    type.length !== 2 ||
    type[0] !== "VerifiableCredential" ||
    typeof type[1] !== "string" ||
    type[1].length === 0 ||
    type[1].length > 128 ||
    type[1] === "VerifiableCredential"
  ) {
    return bad(VerificationCode.MALFORMED, 'vc.type is not ["VerifiableCredential", <type>]');
  }
  const typeName = type[1];

  const vcIssuer = vc["issuer"];
  if (vcIssuer !== undefined) {
    const id = typeof vcIssuer === "string" ? vcIssuer : isPlainObject(vcIssuer) && Object.keys(vcIssuer).length === 1 ? vcIssuer["id"] : undefined;
    if (typeof id !== "string") return bad(VerificationCode.MALFORMED, 'vc.issuer is neither a string nor { "id": … }');
    if (id !== issuer.value.did) return bad(VerificationCode.HOLDER_MISMATCH, "vc.issuer does not agree with iss");
  }

  const subjectClaims = vc["credentialSubject"];
  if (!isPlainObject(subjectClaims)) return bad(VerificationCode.MALFORMED, "vc.credentialSubject is not an object");
  const claims: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(subjectClaims)) {
    if (k === "id") {
      if (v !== subject.value.did) return bad(VerificationCode.HOLDER_MISMATCH, "credentialSubject.id does not agree with sub");
    } else if (k !== "__proto__") {
      claims[k] = v;
    } else {
      // JSON.parse makes "__proto__" an own property; copying it by assignment would not. Refuse it outright.
      return bad(VerificationCode.MALFORMED, "credentialSubject has a __proto__ member");
    }
  }

  const schema = vc["credentialSchema"];
  if (!isPlainObject(schema) || unexpectedKey(schema, SCHEMA_KEYS) !== undefined) {
    return bad(VerificationCode.MALFORMED, 'vc.credentialSchema is not { "id", "type" }');
  }
  if (typeof schema["id"] !== "string" || schema["id"].length > MAX_ID_LENGTH || schema["type"] !== "JsonSchema") {
    return bad(VerificationCode.MALFORMED, "vc.credentialSchema must name a JsonSchema by id");
  }

  return {
    ok: true,
    value: {
      format: JWT_VC_FORMAT,
      id: jti.value,
      issuer: issuer.value,
      subject: subject.value,
      types: type as string[],
      typeName,
      schemaUri: schema["id"],
      claims,
      validFrom: nbf.value,
      validUntil: exp.value,
      issuedAt: iat.value,
      status: parseMobileIdStatusEntry(vc["credentialStatus"], context.chainId),
      proof: { alg, signingInput, signature, kid: kid.value },
      byteLength,
      holderBinding: { kind: "did", did: subject.value.did },
    },
  };
}

/** The JWT claims of a mobile-id VC, in the order they are signed (the order did-jwt-vc wrote them). */
export interface JwtVcPayload {
  readonly iat?: number;
  readonly exp: number;
  readonly vc: {
    readonly "@context": readonly string[];
    readonly type: readonly [string, string];
    readonly credentialSchema: { readonly id: string; readonly type: "JsonSchema" };
    readonly credentialSubject: Readonly<Record<string, unknown>>;
    readonly credentialStatus: MobileIdStatusEntry;
  };
  readonly sub: string;
  readonly nbf: number;
  readonly jti: string;
  readonly iss: string;
}

/**
 * The payload of a JWT-VC for a draft, exactly in the core README's wire format and byte order (`iat` only when the
 * draft has one; mobile-id issuers write none). The holder must be a DID. Pure; the claims are copied shallowly.
 *
 * @example
 * ```ts
 * const payload = buildJwtVcPayload({ issuer, holder: { kind: "did", did }, type, claims, id, validFrom, validUntil, status, chainId });
 * ```
 */
export function buildJwtVcPayload(draft: CredentialDraft): JwtVcPayload {
  if (draft.holder.kind !== "did") {
    throw new MobileIdError("INVALID_ARGUMENT", "a JWT-VC binds its holder by DID (sub); this draft binds a key");
  }
  if ("id" in draft.claims) throw new MobileIdError("INVALID_ARGUMENT", "claims carry no id: the holder goes to sub");
  const vc = {
    "@context": [...JWT_VC_CONTEXTS],
    type: ["VerifiableCredential", draft.type.name] as const,
    credentialSchema: { id: draft.type.schemaUri, type: "JsonSchema" as const },
    credentialSubject: { ...draft.claims },
    credentialStatus: createMobileIdStatusEntry(draft.chainId, draft.status),
  };
  const rest = { exp: draft.validUntil, vc, sub: draft.holder.did, nbf: draft.validFrom, jti: draft.id, iss: draft.issuer };
  return draft.issuedAt === undefined ? rest : { iat: draft.issuedAt, ...rest };
}

/** The JWT-VC format module: parse (see {@link createJwtVcFormat}), build and sign. */
export interface JwtVcFormat extends CredentialFormat<JwtVcPayload> {
  readonly format: typeof JWT_VC_FORMAT;
}

/**
 * The `jwt-vc` format module for a `did:ethr` parser: `build` ({@link buildJwtVcPayload}), `sign` (a compact JWS
 * through the injected signer: header `{"alg","kid","typ":"JWT"}`), `accepts` and `parse` (strict shape check,
 * see `parseJwtVc`). `@mobile-id/core` and `@mobile-id/core/browser` each export one built with their DID parser
 * as `jwtVcFormat`; use those.
 *
 * @example
 * ```ts
 * const format = createJwtVcFormat({ parseDid: parseEthrDid });
 * const jwt = await format.sign(format.build(draft), signer);
 * ```
 */
export function createJwtVcFormat(options: { readonly parseDid: DidParser }): JwtVcFormat {
  const { parseDid } = options;
  return {
    format: JWT_VC_FORMAT,
    // A compact JWS is a string; other encodings (SD-JWT's `~`-separated disclosures) are someone else's.
    accepts: (raw) => typeof raw === "string" && !raw.includes("~"),
    parse: (raw, context) => parseJwtVcWith(raw, context, parseDid),
    build: buildJwtVcPayload,
    sign: (payload: JwtVcPayload, signer: JwsSigner) => signCompactJwt(payload as unknown as Record<string, unknown>, signer),
  };
}
