import { createHash, randomUUID } from "node:crypto";
import { ethrKeyId, findCredentialType, isMobileIdError } from "@mobile-id/core";
import {
  type JoseSigner,
  type P256PublicJwk,
  SD_JWT_VC_FORMAT,
  computeAgeClaims,
  issueSdJwtVc,
  parseP256PublicJwk,
  sdJwtVcProfileOf,
} from "@mobile-id/core/sd-jwt-vc";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import { indexHolder } from "./holders/indexHolder.ts";
import type { IssuerContext } from "./issuerContext.ts";
import type { PairRow } from "./store/createIssuanceStore.ts";
import type { IssuanceRow } from "./store/types.ts";
import { validateSdJwtVcPayload } from "./validateSdJwtVcPayload.ts";


/** SD-JWT VC copies carry `iat` rounded down to this (an hour), so copies issued in the same hour look alike. */
const DATE_GRANULARITY_SECONDS = 3600;
/** Copies per batch when the caller does not say (the issue's default). */
export const DEFAULT_SD_JWT_VC_COPIES = 10;
/** Most copies one batch issuance may ask for. */
export const MAX_SD_JWT_VC_COPIES = 50;

export interface IssueSdJwtVcBatchParameters {
  /** A registered credential type name with an SD-JWT VC profile, e.g. `StudentIDCredential`. */
  readonly type: string;
  /** The personal claims (each becomes its own disclosure); `age_*` claims are derived from `birthDate`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** One P-256 public JWK per copy (`cnf.jwk`), all distinct; 1 to {@link MAX_SD_JWT_VC_COPIES}. */
  readonly holderKeys: readonly unknown[];
  /** `exp`, seconds; now + the issuer's default validity when omitted. */
  readonly expiresAt?: number;
  /**
   * Where the services serve Status List Tokens (`pnpm start`: its public base URL). Each copy's
   * `status.status_list.uri` is `<base>/status-lists/<revocationListId>/<suspensionListId>`.
   */
  readonly statusListBaseUrl: string;
  /**
   * Refresh: more copies of the credential with this id (one issued here by `issueSdJwtVc`, active, not expired,
   * of the same `type`), added to the same record, with entries in the same list pair (so one status change
   * still changes every copy in one transaction per list) and the credential's `exp`. `claims` must be given
   * again (the issuer keeps none by default); `expiresAt` must then be omitted.
   */
  readonly refresh?: string;
}

export interface IssuedSdJwtVcBatch {
  /** The credential's id (`urn:uuid:…`): what revocation, suspension and reinstatement take (all copies at once). */
  readonly id: string;
  readonly format: typeof SD_JWT_VC_FORMAT;
  readonly type: string;
  readonly vct: string;
  /** Compact SD-JWT VCs with every disclosure, in the order of `holderKeys`. The issuer keeps none. */
  readonly copies: readonly string[];
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** The Status List Token URL all copies point at (each copy has its own random `idx` in it). */
  readonly statusListUri: string;
}

/** The Status List Token URL of a list pair under `base` (no trailing slash needed). */
export function statusListUriOf(base: string, pair: Pick<PairRow, "revocationListId" | "suspensionListId">): string {
  return `${base.replace(/\/+$/, "")}/status-lists/${pair.revocationListId}/${pair.suspensionListId}`;
}

/** RFC 9278 JWK thumbprint URI (RFC 7638, SHA-256) of a holder key: what the issuance record keeps as holder. */
export function jwkThumbprintUri(jwk: P256PublicJwk): string {
  const canonical = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${createHash("sha256").update(canonical).digest("base64url")}`;
}

/** @internal The issuer's JWT key as a {@link JoseSigner}: ES256K, `kid` = the DID URL the standing check authorized. */
export function issuerJoseSigner(ctx: IssuerContext): JoseSigner {
  const kid = ethrKeyId(
    ctx.issuerDid,
    ctx.guard.signerKind() === "delegate" ? { kind: "delegate", address: ctx.jwtSignerAddress } : { kind: "controller" },
  );
  return { alg: ctx.jwtSigner.alg, kid, sign: ctx.jwtSigner.sign };
}

/**
 * Issues one credential as N unlinkable SD-JWT VC copies (`dc+sd-jwt`, IETF SD-JWT VC): the type's schema and
 * the issuer's standing are checked as for a JWT-VC, then N distinct random entries are drawn from ONE status
 * list pair (so revoking the credential is one batched ledger write per list), each copy is bound to its own
 * holder key and signed with the issuer's key (ES256K, `kid` = DID URL), and one issuance record grouping the
 * copies (no claim values unless `storeClaims`) is committed before the copies are returned.
 *
 * Throws `UNKNOWN_CREDENTIAL_TYPE`, `HOLDER_KEY_INVALID`, `CLAIMS_INVALID`, `INVALID_ARGUMENT`,
 * `ISSUER_NOT_IN_FORCE`, `SIGNER_NOT_AUTHORIZED`, `STATUS_LISTS_EXHAUSTED`; with `refresh` also
 * `CREDENTIAL_NOT_FOUND`, `CREDENTIAL_REVOKED`, `CREDENTIAL_NOT_ACTIVE`, `STATUS_CHANGE_PENDING`.
 *
 * @example
 * ```ts
 * const batch = await issuer.issueSdJwtVc({
 *   type: "StudentIDCredential", claims, holderKeys, // 10 P-256 public JWKs from the wallet
 *   statusListBaseUrl: "https://services.example",
 * });
 * await issuer.revoke({ ids: batch.id, reason: ReasonCode.DEVICE_LOST }); // every copy, one transaction
 * ```
 */
export async function issueSdJwtVcBatch(ctx: IssuerContext, params: IssueSdJwtVcBatchParameters): Promise<IssuedSdJwtVcBatch> {
  const profile = sdJwtVcProfileOf(params.type);
  const type = findCredentialType(params.type);
  if (profile === undefined || type === undefined) {
    throw issuerError("UNKNOWN_CREDENTIAL_TYPE", "unknown credential type", {
      details: { type: params.type },
      hint: "one of StudentIDCredential, CivilServantIDCredential, DriversLicenseCredential, ResidentIDCredential",
    });
  }
  const keys = holderKeysOf(params.holderKeys);
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(params.statusListBaseUrl)) {
    throw issuerError("INVALID_ARGUMENT", "statusListBaseUrl must be an http(s) URL without query or fragment");
  }
  const input: unknown = params.claims;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw issuerError(IssuerErrorCode.CLAIMS_INVALID, "claims must be a JSON object", { details: { errors: ["/ must be object"] } });
  }
  const claims = input as Record<string, unknown>;
  const now = ctx.clock();
  const group = params.refresh === undefined ? undefined : refreshTarget(ctx, params, type.name, now);
  const expiresAt = group?.expiresAt ?? params.expiresAt ?? now + ctx.settings.defaultValiditySeconds;
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) {
    throw issuerError("INVALID_ARGUMENT", "expiresAt must be an integer time after now", { details: { expiresAt, now } });
  }
  // The whole payload as a verifier sees it with every claim disclosed, checked against the type's SD-JWT VC schema
  // before any entry is drawn or anything signed.
  const reserved = Object.keys(claims).filter((k) => !profile.claims.includes(k) || k.startsWith("age_"));
  const age = typeof claims.birthDate === "string" ? computeAgeClaims(claims.birthDate, now, profile.ageThresholds) : undefined;
  const check = validateSdJwtVcPayload(profile, {
    iss: ctx.issuerDid,
    iat: now - (now % DATE_GRANULARITY_SECONDS),
    exp: expiresAt,
    vct: profile.vct,
    cnf: { jwk: keys[0] },
    status: { status_list: { idx: 0, uri: statusListUriOf(params.statusListBaseUrl, { revocationListId: "0", suspensionListId: "0" }) } },
    ...claims,
    ...(age === undefined ? {} : age),
  });
  const errors = [...reserved.map((k) => `/${k} is not a claim the issuer may set for ${type.name}`), ...(check.ok ? [] : check.errors)];
  if (errors.length > 0) {
    throw issuerError(IssuerErrorCode.CLAIMS_INVALID, `claims do not satisfy the ${type.name} SD-JWT VC schema`, {
      details: { type: type.name, errors },
      hint: `see the schema ${profile.schemaUri}`,
    });
  }

  await ctx.guard.assertMayIssue(type, now);
  // Copies are dated to the hour (a timestamp must not single a holder out), but a verifier judges the issuer's
  // standing at `iat`: in the first hour of an accreditation, the hour's start precedes it, so date exactly.
  const hour = now - (now % DATE_GRANULARITY_SECONDS);
  const granularity = (await ctx.guard.wasInForceAt(type, hour)) ? DATE_GRANULARITY_SECONDS : 1;
  const entries = group === undefined ? ctx.allocator.allocateMany(keys.length) : ctx.allocator.allocateManyIn(group.pairId, keys.length);
  if (entries === undefined) {
    throw issuerError(IssuerErrorCode.STATUS_LISTS_EXHAUSTED, "no status list pair has room for this batch", {
      details: { copies: keys.length, pairs: ctx.allocator.usage() },
      hint: "provision lists with the owner key: ensureStatusLists (mid issuer lists ensure)",
    });
  }
  try {
    const pairId = (entries[0] as { pairId: number }).pairId;
    const pair = ctx.pairs.get(pairId);
    if (pair === undefined) throw new Error(`pair ${pairId} is not loaded`);
    const uri = statusListUriOf(params.statusListBaseUrl, pair);
    let copies: readonly string[];
    try {
      ({ copies } = await issueSdJwtVc({
        issuer: ctx.issuerDid,
        signer: issuerJoseSigner(ctx),
        typeName: type.name,
        claims,
        copies: keys.map((holderKey, i) => ({ holderKey, status: { idx: (entries[i] as { index: number }).index, uri } })),
        issuedAt: now,
        timeGranularitySeconds: granularity,
        validUntil: expiresAt,
        // OpenSSL's SHA-256 (the same as `@mobile-id/core/sd-jwt-vc/node`'s, which the CLI bundle cannot take in).
        sha256: (data) => createHash("sha256").update(data).digest(),
      }));
    } catch (e) {
      if (isMobileIdError(e, "INVALID_ARGUMENT")) {
        throw issuerError(IssuerErrorCode.CLAIMS_INVALID, e.message, { cause: e, details: { type: type.name, errors: [e.message], ...e.details } });
      }
      throw e;
    }
    const id = group?.id ?? `urn:uuid:${randomUUID()}`;
    const first = group?.copies ?? 0;
    const stored = ctx.settings.storeClaims ? JSON.stringify(claims) : null;
    const rows: IssuanceRow[] = keys.map((k, i) => ({
      jti: `${id}.${first + i}`,
      type: type.name,
      typeVersion: type.version,
      holder: jwkThumbprintUri(k),
      pairId,
      index: (entries[i] as { index: number }).index,
      issuedAt: now,
      validFrom: now,
      expiresAt,
      claims: stored,
    }));
    // A refresh adds copies to a credential the index already names.
    if (group === undefined) indexHolder(ctx, { type: type.name, claims, credentialIds: [id], format: SD_JWT_VC_FORMAT, issuedAt: now, expiresAt });
    ctx.records.recordCopyGroupNow(id, SD_JWT_VC_FORMAT, rows, first);
    return { id, format: SD_JWT_VC_FORMAT, type: type.name, vct: profile.vct, copies, issuedAt: now, expiresAt, statusListUri: uri };
  } catch (e) {
    for (const entry of entries) ctx.allocator.release(entry);
    throw e;
  }
}

/** The credential a refresh adds copies to, after checking it may get more. */
function refreshTarget(
  ctx: IssuerContext,
  params: IssueSdJwtVcBatchParameters,
  type: string,
  now: number,
): { id: string; pairId: number; expiresAt: number; copies: number } {
  const id = params.refresh as string;
  const rows = ctx.records.credentialsByJti(ctx.records.copiesOfGroup(id));
  const first = rows[0];
  if (first === undefined) {
    throw issuerError(IssuerErrorCode.CREDENTIAL_NOT_FOUND, "no SD-JWT VC credential with this id was issued here", { details: { id } });
  }
  if (params.expiresAt !== undefined) throw issuerError("INVALID_ARGUMENT", "a refresh keeps the credential's expiry: omit expiresAt");
  if (first.type !== type) throw issuerError("INVALID_ARGUMENT", "a refresh keeps the credential's type", { details: { id, type: first.type } });
  if (rows.some((r) => r.status === "revoked")) {
    throw issuerError(IssuerErrorCode.CREDENTIAL_REVOKED, "a revoked credential gets no new copies", { details: { id }, hint: "issue a new credential instead" });
  }
  if (rows.some((r) => r.pendingOp !== null)) {
    throw issuerError(IssuerErrorCode.STATUS_CHANGE_PENDING, "a status change of this credential is not settled yet", { details: { id } });
  }
  if (rows.some((r) => r.status !== "active")) {
    throw issuerError(IssuerErrorCode.CREDENTIAL_NOT_ACTIVE, "a suspended credential gets no new copies until it is reinstated", { details: { id } });
  }
  if (first.expiresAt <= now) throw issuerError(IssuerErrorCode.CREDENTIAL_NOT_ACTIVE, "the credential has expired", { details: { id } });
  return { id, pairId: first.pairId, expiresAt: first.expiresAt, copies: rows.length };
}

function holderKeysOf(value: readonly unknown[]): P256PublicJwk[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_SD_JWT_VC_COPIES) {
    throw issuerError(IssuerErrorCode.HOLDER_KEY_INVALID, `holderKeys must hold 1 to ${MAX_SD_JWT_VC_COPIES} P-256 public JWKs`, {
      details: { count: Array.isArray(value) ? value.length : undefined, default: DEFAULT_SD_JWT_VC_COPIES },
    });
  }
  const seen = new Set<string>();
  return value.map((v, position) => {
    const jwk = parseP256PublicJwk(v);
    if (jwk === undefined) {
      throw issuerError(IssuerErrorCode.HOLDER_KEY_INVALID, "a holder key is not exactly a P-256 public JWK {kty, crv, x, y} on the curve", {
        details: { position },
      });
    }
    const k = `${jwk.x}.${jwk.y}`;
    if (seen.has(k)) throw issuerError(IssuerErrorCode.HOLDER_KEY_INVALID, "every copy needs its own holder key", { details: { position } });
    seen.add(k);
    return jwk;
  });
}
