import { randomUUID } from "node:crypto";
import {
  type CredentialTypeDefinition,
  type MobileIdStatusEntry,
  ethrKeyId,
  findCredentialType,
  isPublicKeyEthrDid,
  jwtVcFormat,
  validateClaims,
} from "@mobile-id/core";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import { indexHolder } from "./holders/indexHolder.ts";
import type { IssuerContext } from "./issuerContext.ts";
import type { AllocatedEntry } from "./statusIndexAllocator.ts";
import type { IssuanceRow } from "./store/createIssuanceStore.ts";

export interface IssueCredentialParameters {
  /** A registered credential type name, e.g. `StudentIDCredential`. */
  readonly type: string;
  /** The type's version; the latest this software knows when omitted. */
  readonly typeVersion?: number;
  /** The holder's public-key `did:ethr` on this network (`did:ethr:0x7a69:0x02…`). */
  readonly holder: string;
  /** The `credentialSubject` claims, without `id` (or with `id` equal to `holder`). Not modified. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** `nbf`, seconds; now when omitted. Backdating is refused. */
  readonly validFrom?: number;
  /** `exp`, seconds; `validFrom` + the issuer's default validity when omitted. */
  readonly expiresAt?: number;
}

export interface IssuedCredential {
  /** The VC JWT, to hand to the holder's wallet. The issuer keeps no copy. */
  readonly jwt: string;
  /** The credential id (`jti`, `urn:uuid:…`): what revocation and suspension take. */
  readonly id: string;
  readonly type: string;
  readonly holder: string;
  readonly issuedAt: number;
  readonly validFrom: number;
  readonly expiresAt: number;
  readonly credentialStatus: MobileIdStatusEntry;
}

interface Prepared {
  readonly type: CredentialTypeDefinition;
  readonly holder: string;
  readonly claims: Record<string, unknown>;
  readonly issuedAt: number;
  readonly validFrom: number;
  readonly expiresAt: number;
}

/**
 * Issues one credential: schema check, standing check, a random unused status entry, an ES256K VC JWT in the
 * core README's format, and an issuance record that is durable before the JWT is returned. Concurrent calls
 * share database commits (group commit), so throughput grows with the number of requests in flight while each
 * caller still gets its JWT only after its own record is on stable storage.
 */
export async function issueCredential(ctx: IssuerContext, params: IssueCredentialParameters): Promise<IssuedCredential> {
  const p = prepare(ctx, params);
  await ctx.guard.assertMayIssue(p.type, p.issuedAt);
  const entry = allocate(ctx);
  try {
    const { issued, row } = await sign(ctx, p, entry);
    indexHolder(ctx, { type: p.type.name, claims: p.claims, credentialIds: [issued.id], format: "jwt_vc_json", issuedAt: p.issuedAt, expiresAt: p.expiresAt });
    await ctx.records.recordIssuance(row);
    return issued;
  } catch (e) {
    ctx.allocator.release(entry);
    throw e;
  }
}

/**
 * Issues several credentials, all or nothing: every request is checked before any is signed, and all records
 * are committed in one transaction before any JWT is returned. A refused request throws with its
 * `details.position`.
 */
export async function issueCredentials(
  ctx: IssuerContext,
  requests: readonly IssueCredentialParameters[],
): Promise<IssuedCredential[]> {
  const prepared = requests.map((r, position) => {
    try {
      return prepare(ctx, r);
    } catch (e) {
      throw withPosition(e, position);
    }
  });
  for (const [position, p] of prepared.entries()) {
    try {
      await ctx.guard.assertMayIssue(p.type, p.issuedAt);
    } catch (e) {
      throw withPosition(e, position);
    }
  }
  const entries: AllocatedEntry[] = [];
  try {
    for (let i = 0; i < prepared.length; i++) entries.push(allocate(ctx));
    const signed = [];
    for (const [i, p] of prepared.entries()) signed.push(await sign(ctx, p, entries[i] as AllocatedEntry));
    for (const [i, s] of signed.entries()) {
      const p = prepared[i] as Prepared;
      indexHolder(ctx, { type: p.type.name, claims: p.claims, credentialIds: [s.issued.id], format: "jwt_vc_json", issuedAt: p.issuedAt, expiresAt: p.expiresAt });
    }
    ctx.records.recordIssuancesNow(signed.map((s) => s.row));
    return signed.map((s) => s.issued);
  } catch (e) {
    for (const entry of entries) ctx.allocator.release(entry);
    throw e;
  }
}

function withPosition(e: unknown, position: number): unknown {
  if (e instanceof Error && "code" in e && typeof e.code === "string") {
    const details = "details" in e && typeof e.details === "object" ? e.details : {};
    return issuerError(e.code as IssuerErrorCode, e.message, {
      cause: e,
      details: { ...details, position },
      ...("hint" in e && typeof e.hint === "string" ? { hint: e.hint } : {}),
    });
  }
  return e;
}

function prepare(ctx: IssuerContext, params: IssueCredentialParameters): Prepared {
  const type = findCredentialType(params.type, params.typeVersion);
  if (type === undefined) {
    throw issuerError("UNKNOWN_CREDENTIAL_TYPE", "unknown credential type", {
      details: { type: params.type, version: params.typeVersion },
      hint: "one of StudentIDCredential, CivilServantIDCredential, DriversLicenseCredential, ResidentIDCredential",
    });
  }
  if (!isPublicKeyEthrDid(params.holder, ctx.chainId)) {
    throw issuerError(IssuerErrorCode.HOLDER_DID_INVALID, "the holder must be a public-key did:ethr of this network", {
      details: { holder: params.holder, chainId: ctx.chainId },
      hint: `expected did:ethr:0x${ctx.chainId.toString(16)}:0x02… (or 0x03…), as the holder's wallet shows it`,
    });
  }
  const input: unknown = params.claims;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw issuerError(IssuerErrorCode.CLAIMS_INVALID, "claims must be a JSON object", { details: { errors: ["/ must be object"] } });
  }
  const { id, ...claims } = input as Record<string, unknown>;
  if (id !== undefined && id !== params.holder) {
    throw issuerError(IssuerErrorCode.CLAIMS_INVALID, "claims.id differs from the holder", {
      details: { errors: ["/id must equal the holder DID"] },
    });
  }
  const result = validateClaims(type, { id: params.holder, ...claims });
  if (!result.ok) {
    throw issuerError(IssuerErrorCode.CLAIMS_INVALID, `claims do not satisfy the ${type.name} schema`, {
      details: { type: type.name, errors: result.errors },
      hint: `see the schema ${type.schemaUri}`,
    });
  }
  const now = ctx.clock();
  const validFrom = params.validFrom ?? now;
  const expiresAt = params.expiresAt ?? validFrom + ctx.settings.defaultValiditySeconds;
  if (!Number.isSafeInteger(validFrom) || validFrom < now) {
    throw issuerError("INVALID_ARGUMENT", "validFrom must be an integer time, not before now", {
      details: { validFrom, now },
    });
  }
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= validFrom) {
    throw issuerError("INVALID_ARGUMENT", "expiresAt must be an integer time after validFrom", {
      details: { validFrom, expiresAt },
    });
  }
  return { type, holder: params.holder, claims, issuedAt: now, validFrom, expiresAt };
}

function allocate(ctx: IssuerContext): AllocatedEntry {
  const entry = ctx.allocator.allocate();
  if (entry === undefined) {
    throw issuerError(IssuerErrorCode.STATUS_LISTS_EXHAUSTED, "no status list pair has room for new credentials", {
      details: { pairs: ctx.allocator.usage() },
      hint: "provision lists with the owner key: ensureStatusLists (mid issuer lists ensure)",
    });
  }
  return entry;
}

async function sign(
  ctx: IssuerContext,
  p: Prepared,
  entry: AllocatedEntry,
): Promise<{ issued: IssuedCredential; row: IssuanceRow }> {
  const pair = ctx.pairs.get(entry.pairId);
  if (pair === undefined) throw new Error(`pair ${entry.pairId} is not loaded`);
  const jti = `urn:uuid:${randomUUID()}`;
  // The JWT-VC format module builds the payload (no `iat`: mobile-id VCs carry `nbf`) and signs it.
  const payload = jwtVcFormat.build({
    issuer: ctx.issuerDid,
    holder: { kind: "did", did: p.holder },
    type: p.type,
    claims: p.claims,
    id: jti,
    validFrom: p.validFrom,
    validUntil: p.expiresAt,
    status: {
      registry: ctx.statusRegistryAddress,
      revocationListId: BigInt(pair.revocationListId),
      suspensionListId: BigInt(pair.suspensionListId),
      index: BigInt(entry.index),
    },
    chainId: BigInt(ctx.chainId),
  });
  // The kid names the signing key as the registry authorized it at the standing check just passed, so a verifier
  // tries exactly that key however many delegates the issuer's DID has.
  const kid = ethrKeyId(
    ctx.issuerDid,
    ctx.guard.signerKind() === "delegate" ? { kind: "delegate", address: ctx.jwtSignerAddress } : { kind: "controller" },
  );
  const jwt = await jwtVcFormat.sign(payload, { alg: ctx.jwtSigner.alg, kid, sign: ctx.jwtSigner.sign });
  const credentialStatus = payload.vc.credentialStatus;
  return {
    issued: {
      jwt,
      id: jti,
      type: p.type.name,
      holder: p.holder,
      issuedAt: p.issuedAt,
      validFrom: p.validFrom,
      expiresAt: p.expiresAt,
      credentialStatus,
    },
    row: {
      jti,
      type: p.type.name,
      typeVersion: p.type.version,
      holder: p.holder,
      pairId: entry.pairId,
      index: entry.index,
      issuedAt: p.issuedAt,
      validFrom: p.validFrom,
      expiresAt: p.expiresAt,
      claims: ctx.settings.storeClaims ? JSON.stringify(p.claims) : null,
    },
  };
}
