import { encodeBase64url } from "../../base64url.ts";
import { MobileIdError } from "../../errors.ts";
import { computeAgeClaims } from "./ageClaims.ts";
import { DEFAULT_BATCH_SIZE, MAX_PORTRAIT_BYTES, MAX_SD_JWT_VC_BYTES, NON_DISCLOSABLE_CLAIMS, SD_ALG, SD_JWT_VC_FORMAT } from "./constants.ts";
import { type JoseSigner, type P256PublicJwk, type Sha256, nobleSha256, parseP256PublicJwk, randomSalt } from "./crypto.ts";
import { type SdJwtVcTypeProfile, sdJwtVcProfileOf } from "./profiles.ts";

/** One IETF Token Status List reference (`status.status_list`): the entry's index in the list at `uri`. */
export interface StatusListReference {
  readonly idx: number;
  /** The Status List Token's URL (https, or http on a development network). */
  readonly uri: string;
}

/** What makes one copy of a batch distinct: the holder's key for it and its own status entry. */
export interface SdJwtVcCopySpec {
  /** The holder's P-256 public key for this copy only (`cnf.jwk`); the wallet keeps the private key. */
  readonly holderKey: P256PublicJwk;
  /** This copy's entry, allocated by the issuer (random, distinct per copy). */
  readonly status: StatusListReference;
}

/** Parameters of {@link issueSdJwtVc}. */
export interface IssueSdJwtVcParameters {
  /** The issuer's DID (`iss`). */
  readonly issuer: string;
  /** Signs the issuer JWT: ES256K with `kid` = the DID URL of the issuer's key. */
  readonly signer: JoseSigner;
  /** The registered type name, e.g. `DriversLicenseCredential`. */
  readonly typeName: string;
  /** The personal claims (each becomes its own disclosure); age claims are computed from `birthDate`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** One entry per copy (default batch size {@link DEFAULT_BATCH_SIZE}). */
  readonly copies: readonly SdJwtVcCopySpec[];
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  /** Seconds since the epoch (`exp`). */
  readonly validUntil: number;
  /** `age_equal_or_over` thresholds; the type's profile's when omitted. */
  readonly ageThresholds?: readonly number[];
  /**
   * `iat` is rounded down to a multiple of this (default 3600 s), so copies issued to different people in the
   * same hour carry the same `iat` and a timestamp does not single a holder out. 1 keeps the exact time.
   */
  readonly timeGranularitySeconds?: number;
  readonly sha256?: Sha256;
  readonly salt?: () => string;
}

/** What {@link issueSdJwtVc} returns. */
export interface IssueSdJwtVcReturnType {
  /** The copies, in the order of `copies`: compact SD-JWT VCs with every disclosure (`<jwt>~<d1>~…~<dn>~`). */
  readonly copies: readonly string[];
  readonly vct: string;
}

const encoder = new TextEncoder();
const MAX_COPIES = 100;

function invalid(message: string, details?: Record<string, unknown>): MobileIdError<"INVALID_ARGUMENT"> {
  return new MobileIdError("INVALID_ARGUMENT", message, details === undefined ? {} : { details });
}

/** The personal claims with the derived age claims, checked against the profile. Throws on misuse. */
function personalClaims(params: IssueSdJwtVcParameters, profile: SdJwtVcTypeProfile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params.claims)) {
    if (NON_DISCLOSABLE_CLAIMS.has(name) || name.startsWith("age_")) throw invalid("reserved claim name", { name });
    if (!profile.claims.includes(name)) throw invalid("claim not in the type's profile", { name, type: profile.typeName });
    if (value === undefined) continue;
    out[name] = value;
  }
  for (const name of profile.requiredClaims) if (out[name] === undefined) throw invalid("required claim missing", { name });
  const portrait = out.portrait;
  if (portrait !== undefined) {
    const m = typeof portrait === "string" ? /^data:image\/jpeg;base64,([A-Za-z0-9+/]+={0,2})$/.exec(portrait) : null;
    if (m === null) throw invalid("portrait must be a JPEG data URI");
    if (Math.floor(((m[1] as string).length * 3) / 4) > MAX_PORTRAIT_BYTES) throw invalid("portrait too large", { max: MAX_PORTRAIT_BYTES });
  }
  if (typeof out.birthDate === "string") {
    const age = computeAgeClaims(out.birthDate, params.issuedAt, params.ageThresholds ?? profile.ageThresholds);
    if (age === undefined) throw invalid("birthDate is not a past calendar date");
    if (Object.keys(age.age_equal_or_over).length > 0) out.age_equal_or_over = age.age_equal_or_over;
    out.age_in_years = age.age_in_years;
    out.age_birth_year = age.age_birth_year;
  }
  return out;
}

/**
 * Issues one credential as N unlinkable SD-JWT VC copies (`typ: dc+sd-jwt`): the same claims, each copy with
 * fresh salts, its own holder key (`cnf.jwk`) and its own status entry (`status.status_list`). Every personal
 * claim is its own disclosure, each `age_equal_or_over` threshold too (nested); `iss`, `vct`, `iat`, `exp`,
 * `cnf` and `status` are always in the clear. The top-level `_sd` is padded with decoy digests to the type's
 * claim count, so the number of digests does not tell which optional claims a holder has. Throws
 * `INVALID_ARGUMENT` on misuse (unknown type or claim, missing required claim, oversized portrait, bad copies).
 *
 * @example
 * ```ts
 * const { copies } = await issueSdJwtVc({
 *   issuer: issuerDid, signer: createSecp256k1Signer(key, `${issuerDid}#controller`),
 *   typeName: "StudentIDCredential", claims: { familyName: "Kim", givenName: "Minji", ... },
 *   copies: holderKeys.map((holderKey, i) => ({ holderKey, status: { idx: indices[i], uri: listUri } })),
 *   issuedAt: now, validUntil: now + 365 * 86400,
 * });
 * ```
 */
export async function issueSdJwtVc(params: IssueSdJwtVcParameters): Promise<IssueSdJwtVcReturnType> {
  const profile = sdJwtVcProfileOf(params.typeName);
  if (profile === undefined) throw invalid("unknown credential type", { type: params.typeName });
  if (params.signer.alg !== "ES256K" || params.signer.kid === undefined || !params.signer.kid.startsWith(`${params.issuer}#`))
    throw invalid("issuer signer must be ES256K with kid = a DID URL of the issuer");
  const n = params.copies.length;
  if (n < 1 || n > MAX_COPIES) throw invalid("copies must hold 1..100 entries", { copies: n, default: DEFAULT_BATCH_SIZE });
  const keys = new Set<string>();
  const entries = new Set<string>();
  for (const c of params.copies) {
    if (parseP256PublicJwk(c.holderKey) === undefined) throw invalid("holderKey is not a P-256 public JWK");
    if (!Number.isSafeInteger(c.status.idx) || c.status.idx < 0 || !/^https?:\/\/[^\s]+$/.test(c.status.uri)) throw invalid("bad status entry");
    keys.add(`${c.holderKey.x}.${c.holderKey.y}`);
    entries.add(`${c.status.uri} ${c.status.idx}`);
  }
  if (keys.size !== n || entries.size !== n) throw invalid("each copy needs its own holder key and status entry");
  const granularity = params.timeGranularitySeconds ?? 3600;
  if (!Number.isSafeInteger(granularity) || granularity < 1) throw invalid("timeGranularitySeconds must be a positive integer");
  const iat = params.issuedAt - (params.issuedAt % granularity);
  if (!(params.validUntil > params.issuedAt)) throw invalid("validUntil must be after issuedAt");

  const claims = personalClaims(params, profile);
  const sha256 = params.sha256 ?? nobleSha256;
  const salt = params.salt ?? randomSalt;
  const { signer } = params;
  const digest = (text: string): string => encodeBase64url(sha256(encoder.encode(text)));
  // Disclosures are built here rather than by @sd-jwt's `issue` (same encoding, RFC 9901 §4.2.1; the stock
  // verifier test checks it): its packing cost more than the issuer's signature per copy.
  const disclose = (name: string, value: unknown): [encoded: string, digest: string] => {
    const encoded = encodeBase64url(JSON.stringify([salt(), name, value]));
    return [encoded, digest(encoded)];
  };
  const ages = claims.age_equal_or_over as Readonly<Record<string, boolean>> | undefined;
  const topLevel = Object.entries(claims).filter(([k]) => k !== "age_equal_or_over");
  // Decoys pad `_sd` to a fixed count per type (age claims count as the three names they are).
  const decoys = Math.max(0, profile.claims.length - 1 - topLevel.length);
  const header = encodeBase64url(JSON.stringify({ typ: SD_JWT_VC_FORMAT, alg: signer.alg, kid: signer.kid }));

  const out: string[] = [];
  for (const copy of params.copies) {
    const disclosures: string[] = [];
    const sd: string[] = [];
    for (const [name, value] of topLevel) {
      const [encoded, d] = disclose(name, value);
      disclosures.push(encoded);
      sd.push(d);
    }
    for (let i = 0; i < decoys; i++) sd.push(digest(salt()));
    const ageSd: string[] = [];
    for (const [threshold, value] of Object.entries(ages ?? {})) {
      const [encoded, d] = disclose(threshold, value);
      disclosures.push(encoded);
      ageSd.push(d);
    }
    const payload: Record<string, unknown> = {
      iss: params.issuer,
      iat,
      exp: params.validUntil,
      vct: profile.vct,
      cnf: { jwk: { kty: "EC", crv: "P-256", x: copy.holderKey.x, y: copy.holderKey.y } },
      status: { status_list: { idx: copy.status.idx, uri: copy.status.uri } },
      // Sorted digests (RFC 9901 §4.2.4.1: shuffle or sort), so their order says nothing about the claims.
      ...(ages === undefined ? {} : { age_equal_or_over: { _sd: ageSd.sort() } }),
      _sd: sd.sort(),
      _sd_alg: SD_ALG,
    };
    const signingInput = `${header}.${encodeBase64url(JSON.stringify(payload))}`;
    const signature = encodeBase64url(await signer.sign(encoder.encode(signingInput)));
    const token = `${signingInput}.${signature}~${disclosures.map((d) => `${d}~`).join("")}`;
    if (token.length > MAX_SD_JWT_VC_BYTES) throw invalid("credential exceeds MAX_SD_JWT_VC_BYTES", { bytes: token.length });
    out.push(token);
  }
  return { copies: out, vct: profile.vct };
}
