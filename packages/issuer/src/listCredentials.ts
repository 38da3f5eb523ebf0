import { type MobileIdStatusEntry, createMobileIdStatusEntry } from "@mobile-id/core";
import { issuerError } from "./errors.ts";
import type { IssuerContext } from "./issuerContext.ts";
import type { CredentialRow, CredentialStatus, StatusHistoryRow } from "./store/createIssuanceStore.ts";

/** What the issuer keeps about a credential it issued. */
export interface CredentialRecord {
  readonly id: string;
  readonly type: string;
  readonly typeVersion: number;
  readonly holder: string;
  /** Status as last confirmed on the ledger. */
  readonly status: CredentialStatus;
  /** `exp` is at or before now. */
  readonly expired: boolean;
  /** A status change was sent and is not settled yet (see `reconcile`). */
  readonly pendingChange: boolean;
  readonly issuedAt: number;
  readonly validFrom: number;
  readonly expiresAt: number;
  readonly credentialStatus: MobileIdStatusEntry;
  /** The claims, only when the issuer was configured with `storeClaims`. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** A credential with its status history. */
export interface CredentialDetails extends CredentialRecord {
  readonly history: readonly StatusHistoryRow[];
}

export interface ListCredentialsParameters {
  readonly type?: string;
  readonly status?: CredentialStatus;
  readonly holder?: string;
  readonly expired?: boolean;
  /** Page size, 1 to 1,000. Default 100. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface CredentialPage {
  readonly items: readonly CredentialRecord[];
  /** Present when more items may follow. */
  readonly nextCursor?: string;
}

const STATUSES = new Set<string>(["active", "suspended", "revoked"]);

/**
 * Lists issued credentials in issuance order, filtered by type, status, holder and expiry, a page at a time
 * (keyset pagination: stable while new credentials are being issued).
 *
 * @example
 * ```ts
 * let page = listCredentials(ctx, { type: "StudentIDCredential", status: "active" });
 * while (page.nextCursor) page = listCredentials(ctx, { status: "active", cursor: page.nextCursor });
 * ```
 */
export function listCredentials(ctx: IssuerContext, params: ListCredentialsParameters = {}): CredentialPage {
  const limit = params.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw issuerError("INVALID_ARGUMENT", "limit must be an integer from 1 to 1000", { details: { limit } });
  }
  if (params.status !== undefined && !STATUSES.has(params.status)) {
    throw issuerError("INVALID_ARGUMENT", "status must be active, suspended or revoked", { details: { status: params.status } });
  }
  let afterSeq = 0;
  if (params.cursor !== undefined) {
    if (!/^[0-9]{1,15}$/.test(params.cursor)) {
      throw issuerError("INVALID_ARGUMENT", "not a cursor returned by listCredentials", { details: { cursor: params.cursor } });
    }
    afterSeq = Number(params.cursor);
  }
  const now = ctx.clock();
  const rows = ctx.records.listCredentials({
    ...(params.type === undefined ? {} : { type: params.type }),
    ...(params.status === undefined ? {} : { status: params.status }),
    ...(params.holder === undefined ? {} : { holder: params.holder }),
    ...(params.expired === undefined ? {} : { expired: params.expired }),
    now,
    afterSeq,
    limit,
  });
  const items = rows.map((r) => toRecord(ctx, r, now));
  const last = rows[rows.length - 1];
  return rows.length === limit && last !== undefined ? { items, nextCursor: String(last.seq) } : { items };
}

/**
 * One issued credential with its status history, or `undefined` for an id this issuer did not issue.
 *
 * @example
 * ```ts
 * getCredential(ctx, "urn:uuid:…")?.history
 * ```
 */
export function getCredential(ctx: IssuerContext, id: string): CredentialDetails | undefined {
  const row = ctx.records.credentialsByJti([id])[0];
  if (row === undefined) return undefined;
  return { ...toRecord(ctx, row, ctx.clock()), history: ctx.records.history(row.seq) };
}

function toRecord(ctx: IssuerContext, r: CredentialRow, now: number): CredentialRecord {
  const record: CredentialRecord = {
    id: r.jti,
    type: r.type,
    typeVersion: r.typeVersion,
    holder: r.holder,
    status: r.status,
    expired: r.expiresAt <= now,
    pendingChange: r.pendingOp !== null,
    issuedAt: r.issuedAt,
    validFrom: r.validFrom,
    expiresAt: r.expiresAt,
    credentialStatus: createMobileIdStatusEntry(ctx.chainId, {
      registry: ctx.statusRegistryAddress,
      revocationListId: BigInt(r.revocationListId),
      suspensionListId: BigInt(r.suspensionListId),
      index: BigInt(r.index),
    }),
  };
  return r.claims === null ? record : { ...record, claims: JSON.parse(r.claims) as Record<string, unknown> };
}
