import { type EthrDid, parseEthrDid } from "../../did.ts";
import { VerificationCode } from "../../verification.ts";
import {
  CLOCK_SKEW_SECONDS,
  ISSUER_ALGORITHMS,
  KB_JWT_TYP,
  KEY_BINDING_ALGORITHMS,
  KEY_BINDING_MAX_AGE_SECONDS,
  SD_JWT_VC_FORMAT,
} from "./constants.ts";
import { type Es256Verifier, type P256PublicJwk, type Sha256, nobleEs256Verify, nobleEs256kVerify, nobleSha256, parseP256PublicJwk } from "./crypto.ts";
import { type SdJwtVcCheck as Check, type SdJwtVcFailure, type SdJwtVcLimits, SdJwtVcCheck, parseSdJwtVc } from "./parseSdJwtVc.ts";
import type { ClaimPath } from "./presentSdJwtVc.ts";
import { findSdJwtVcProfile } from "./profiles.ts";
import type { StatusListReference } from "./issueSdJwtVc.ts";

/** What the issuer's signature covers and who the token says signed it (not verified until the callback says so). */
export interface SdJwtVcIssuerEnvelope {
  readonly alg: string;
  /** The DID URL of the issuer key (`kid`), already checked to be a key of `issuer`. */
  readonly kid: string;
  readonly issuer: EthrDid;
  /** ASCII `BASE64URL(header) "." BASE64URL(payload)`. */
  readonly signingInput: string;
  /** 64 bytes r || s. */
  readonly signature: Uint8Array;
}

/** What the holder must have bound when answering a request. */
export interface KeyBindingExpectation {
  /** The verifier (KB-JWT `aud` must equal it). */
  readonly audience: string;
  /** The request's challenge (KB-JWT `nonce` must equal it; single use is the caller's nonce store's job). */
  readonly nonce: string;
  /** Default {@link KEY_BINDING_MAX_AGE_SECONDS}. */
  readonly maxAgeSeconds?: number;
}

/** Parameters of {@link verifySdJwtVc}. */
export interface VerifySdJwtVcParameters {
  readonly token: unknown;
  /** Seconds since the epoch. */
  readonly now: number;
  /** Only issuers of this chain are accepted. */
  readonly chainId: bigint;
  /**
   * Verifies the issuer's signature with the key the ledger says `kid` names (the verifier's resolver; or
   * {@link es256kPublicKeyVerifier} for a known key). Should not throw; a throw counts as invalid.
   */
  readonly verifyIssuerSignature: (envelope: SdJwtVcIssuerEnvelope) => boolean | Promise<boolean>;
  /**
   * Required when a request is answered: then a KB-JWT must be present and bind `aud`, `nonce`, a fresh `iat`
   * and `sd_hash`. When omitted (a wallet checking a credential it received), a KB-JWT is refused.
   */
  readonly keyBinding?: KeyBindingExpectation | undefined;
  /** The claims the request asked for: those not disclosed are reported in `withheld`. */
  readonly requestedClaims?: readonly ClaimPath[];
  readonly limits?: SdJwtVcLimits;
  /** Issuer JWT algorithms accepted (default `["ES256K"]`). */
  readonly issuerAlgorithms?: readonly string[];
  readonly sha256?: Sha256;
  /** Default {@link nobleEs256Verify}; Node callers pass `nodeEs256Verify` (node:crypto, ~10× faster). */
  readonly es256Verify?: Es256Verifier;
}

/** An SD-JWT VC that passed every check of this module. */
export interface VerifiedSdJwtVc {
  readonly format: typeof SD_JWT_VC_FORMAT;
  readonly vct: string;
  /** The registered type name and version `vct` names. */
  readonly typeName: string;
  readonly typeVersion: number;
  readonly issuer: EthrDid;
  readonly kid: string;
  readonly issuedAt: number;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly status: StatusListReference;
  readonly holderKey: P256PublicJwk;
  /** The disclosed personal claims only (no registered claims, nothing undisclosed). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Requested claim paths that were not disclosed. */
  readonly withheld: readonly (readonly string[])[];
  /** Whether a key binding JWT was verified (always when `keyBinding` was given). */
  readonly keyBound: boolean;
  readonly byteLength: number;
}

export type VerifySdJwtVcReturnType = { readonly ok: true; readonly value: VerifiedSdJwtVc } | SdJwtVcFailure;

/** Claims of the issuer-signed payload that are not personal claims (never in `claims`). */
const REGISTERED = new Set(["iss", "iat", "nbf", "exp", "vct", "vct#integrity", "cnf", "status"]);
/** Top-level members the issuer may sign in the clear; anything else must be a disclosure. */
const CLEAR_ALLOWED = new Set([...REGISTERED, "_sd", "_sd_alg", "age_equal_or_over"]);
const ISSUER_HEADER = new Set(["alg", "typ", "kid"]);
const KB_HEADER = new Set(["alg", "typ"]);
const encoder = new TextEncoder();

// Issuers are few and parsing a public-key did:ethr costs ~0.3 ms (point decompression, keccak): cache, bounded.
const issuerDids = new Map<string, EthrDid | undefined>();
function parseIssuerDid(did: string): EthrDid | undefined {
  if (issuerDids.has(did)) return issuerDids.get(did);
  const parsed = parseEthrDid(did);
  if (issuerDids.size >= 1024) issuerDids.clear();
  issuerDids.set(did, parsed);
  return parsed;
}

const fail = (code: VerificationCode, check: Check, message: string): SdJwtVcFailure => ({ ok: false, code, check, message });
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function parseStatus(value: unknown): StatusListReference | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const list = (value as Record<string, unknown>).status_list;
  if (list === null || typeof list !== "object") return undefined;
  const { idx, uri } = list as Record<string, unknown>;
  if (!Number.isSafeInteger(idx) || (idx as number) < 0 || typeof uri !== "string" || !/^https?:\/\/[^\s]+$/.test(uri)) return undefined;
  return { idx: idx as number, uri };
}

function hasPath(obj: unknown, path: readonly string[]): boolean {
  let node = obj;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Verifies an SD-JWT VC (a presentation, or a credential as issued) as far as the token itself can tell:
 * {@link parseSdJwtVc}'s structural rules; the issuer header (`typ: dc+sd-jwt`, `alg` on the issuer allow-list,
 * only `alg`/`typ`/`kid`, `kid` a DID URL of `iss`); `iss` a did:ethr of this chain; `vct` a registered type;
 * `status.status_list`; `cnf.jwk` a P-256 public key; times; every personal claim signed as a disclosure; the
 * issuer signature (injected check); and, when answering a request, the KB-JWT: `typ: kb+jwt`, ES256 by
 * `cnf.jwk`, `sd_hash` over exactly what was presented, `nonce`, `aud`, fresh `iat`. Ledger checks
 * (accreditation, status bits, schema) stay with the verifier. Never throws; returns the first failed rule.
 *
 * @example
 * ```ts
 * const r = await verifySdJwtVc({
 *   token, now, chainId: 31337n, verifyIssuerSignature: es256kPublicKeyVerifier(issuerPublicKey),
 *   keyBinding: { audience: "shop.example", nonce: challenge }, requestedClaims: [["age_equal_or_over", "19"]],
 * });
 * if (r.ok) r.value.claims // { age_equal_or_over: { "19": true } }
 * ```
 */
export async function verifySdJwtVc(params: VerifySdJwtVcParameters): Promise<VerifySdJwtVcReturnType> {
  try {
    return await verifyOrFail(params);
  } catch {
    // Only an injected callback can throw here: fail closed.
    return fail(VerificationCode.SIGNATURE_INVALID, SdJwtVcCheck.Signature, "signature check failed");
  }
}

async function verifyOrFail(params: VerifySdJwtVcParameters): Promise<VerifySdJwtVcReturnType> {
  const sha256 = params.sha256 ?? nobleSha256;
  const parsed = parseSdJwtVc(params.token, params.limits, sha256);
  if (!parsed.ok) return parsed;
  const { issuerJwt, processed, keyBinding } = parsed.value;
  const { header, payload } = issuerJwt;

  if (header.typ !== SD_JWT_VC_FORMAT) return fail(VerificationCode.MALFORMED, SdJwtVcCheck.Header, "typ must be dc+sd-jwt");
  const algs = params.issuerAlgorithms ?? ISSUER_ALGORITHMS;
  if (typeof header.alg !== "string" || !algs.includes(header.alg))
    return fail(VerificationCode.UNSUPPORTED_ALGORITHM, SdJwtVcCheck.Header, "issuer alg not allowed");
  if (Object.keys(header).some((k) => !ISSUER_HEADER.has(k)))
    return fail(VerificationCode.UNSUPPORTED_ALGORITHM, SdJwtVcCheck.Header, "issuer header carries parameters outside the allow-list");

  const issuer = typeof payload.iss === "string" ? parseIssuerDid(payload.iss) : undefined;
  if (issuer === undefined || issuer.chainId !== params.chainId) return fail(VerificationCode.DID_INVALID, SdJwtVcCheck.Issuer, "iss is not a did:ethr of this chain");
  const kid = header.kid;
  if (typeof kid !== "string" || !kid.startsWith(`${payload.iss as string}#`) || kid.length === (payload.iss as string).length + 1)
    return fail(VerificationCode.MALFORMED, SdJwtVcCheck.Issuer, "kid must be a DID URL of iss");

  const profile = typeof payload.vct === "string" ? findSdJwtVcProfile(payload.vct) : undefined;
  if (profile === undefined) return fail(VerificationCode.TYPE_NOT_ACCEPTED, SdJwtVcCheck.Type, "vct names no registered type");

  const status = parseStatus(payload.status);
  if (status === undefined) return fail(VerificationCode.STATUS_INVALID, SdJwtVcCheck.Status, "status.status_list missing or malformed");

  const expected = params.keyBinding;
  const cnf = payload.cnf;
  const holderKey =
    cnf !== null && typeof cnf === "object" && Object.keys(cnf).length === 1
      ? // The curve check is the KB signature's (both ES256 verifiers refuse an off-curve key); without a KB-JWT
        // the key is not used, and a wallet compares it with its own.
        parseP256PublicJwk((cnf as Record<string, unknown>).jwk, { checkPoint: expected === undefined })
      : undefined;
  if (holderKey === undefined) return fail(VerificationCode.MALFORMED, SdJwtVcCheck.HolderKey, "cnf.jwk must be a P-256 public key");

  // Personal claims are disclosures, never clear: an issuer that signs a name in the clear breaks the privacy promise.
  for (const [k, v] of Object.entries(payload)) {
    if (!CLEAR_ALLOWED.has(k)) return fail(VerificationCode.MALFORMED, SdJwtVcCheck.Disclosures, `claim '${k}' is not selectively disclosable`);
    if (k === "age_equal_or_over" && (v === null || typeof v !== "object" || Object.keys(v).some((x) => x !== "_sd")))
      return fail(VerificationCode.MALFORMED, SdJwtVcCheck.Disclosures, "age_equal_or_over thresholds must be disclosures");
  }

  const { now } = params;
  if (!isTime(payload.iat) || !isTime(payload.exp) || (payload.nbf !== undefined && !isTime(payload.nbf)))
    return fail(VerificationCode.MALFORMED, SdJwtVcCheck.Time, "iat and exp must be integer times");
  const validFrom = (payload.nbf as number | undefined) ?? payload.iat;
  if (payload.iat > now + CLOCK_SKEW_SECONDS || validFrom > now + CLOCK_SKEW_SECONDS)
    return fail(VerificationCode.NOT_YET_VALID, SdJwtVcCheck.Time, "credential not yet valid");
  if (payload.exp <= now) return fail(VerificationCode.EXPIRED, SdJwtVcCheck.Time, "credential expired");

  const envelope: SdJwtVcIssuerEnvelope = { alg: header.alg, kid, issuer, signingInput: issuerJwt.signingInput, signature: issuerJwt.signature };
  if ((await params.verifyIssuerSignature(envelope)) !== true)
    return fail(VerificationCode.SIGNATURE_INVALID, SdJwtVcCheck.Signature, "issuer signature does not verify");

  if (expected === undefined && keyBinding !== undefined)
    return fail(VerificationCode.MALFORMED, SdJwtVcCheck.KeyBinding, "key binding JWT present but no request to bind to");
  if (expected !== undefined) {
    if (keyBinding === undefined) return fail(VerificationCode.HOLDER_MISMATCH, SdJwtVcCheck.KeyBinding, "key binding JWT required");
    const kh = keyBinding.header;
    const kp = keyBinding.payload;
    if (kh.typ !== KB_JWT_TYP) return fail(VerificationCode.MALFORMED, SdJwtVcCheck.KeyBinding, "typ must be kb+jwt");
    if (typeof kh.alg !== "string" || !(KEY_BINDING_ALGORITHMS as readonly string[]).includes(kh.alg) || Object.keys(kh).some((k) => !KB_HEADER.has(k)))
      return fail(VerificationCode.UNSUPPORTED_ALGORITHM, SdJwtVcCheck.KeyBinding, "key binding alg or header not allowed");
    if (!isTime(kp.iat) || typeof kp.aud !== "string" || typeof kp.nonce !== "string" || typeof kp.sd_hash !== "string")
      return fail(VerificationCode.MALFORMED, SdJwtVcCheck.KeyBinding, "key binding JWT needs iat, aud (one string), nonce, sd_hash");
    const es256 = params.es256Verify ?? nobleEs256Verify;
    if ((await es256(encoder.encode(keyBinding.signingInput), keyBinding.signature, holderKey)) !== true)
      return fail(VerificationCode.SIGNATURE_INVALID, SdJwtVcCheck.KeyBindingSignature, "key binding JWT not signed by cnf.jwk");
    if (kp.sd_hash !== parsed.value.sdHash)
      return fail(VerificationCode.HOLDER_MISMATCH, SdJwtVcCheck.KeyBindingHash, "sd_hash does not cover what was presented");
    if (kp.nonce !== expected.nonce) return fail(VerificationCode.CHALLENGE_MISMATCH, SdJwtVcCheck.KeyBindingChallenge, "nonce is not the challenge");
    if (kp.aud !== expected.audience) return fail(VerificationCode.DOMAIN_MISMATCH, SdJwtVcCheck.KeyBindingAudience, "aud is not this verifier");
    if (kp.iat > now + CLOCK_SKEW_SECONDS) return fail(VerificationCode.NOT_YET_VALID, SdJwtVcCheck.KeyBindingTime, "key binding iat in the future");
    if (kp.iat < now - (expected.maxAgeSeconds ?? KEY_BINDING_MAX_AGE_SECONDS))
      return fail(VerificationCode.EXPIRED, SdJwtVcCheck.KeyBindingTime, "key binding JWT is stale");
  }

  const claims: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(processed)) {
    if (REGISTERED.has(k)) continue;
    // An age container with no disclosed threshold says nothing: leave it out.
    if (k === "age_equal_or_over" && v !== null && typeof v === "object" && Object.keys(v).length === 0) continue;
    claims[k] = v;
  }
  const withheld = (params.requestedClaims ?? [])
    .map((p) => (typeof p === "string" ? [p] : [...p]))
    .filter((p) => !hasPath(claims, p));
  return {
    ok: true,
    value: {
      format: SD_JWT_VC_FORMAT,
      vct: profile.vct,
      typeName: profile.typeName,
      typeVersion: profile.version,
      issuer,
      kid,
      issuedAt: payload.iat,
      validFrom,
      validUntil: payload.exp,
      status,
      holderKey,
      claims,
      withheld,
      keyBound: keyBinding !== undefined,
      byteLength: parsed.value.byteLength,
    },
  };
}

/**
 * An issuer-signature check against one known secp256k1 public key (33 or 65 bytes), ES256K only, low-s, in
 * JavaScript (browser-safe). The verifier passes its own resolver-backed check instead.
 *
 * @example
 * ```ts
 * verifySdJwtVc({ ..., verifyIssuerSignature: es256kPublicKeyVerifier(issuerPublicKey) })
 * ```
 */
export function es256kPublicKeyVerifier(publicKey: Uint8Array): (envelope: SdJwtVcIssuerEnvelope) => boolean {
  return (envelope) => envelope.alg === "ES256K" && nobleEs256kVerify(encoder.encode(envelope.signingInput), envelope.signature, publicKey);
}
