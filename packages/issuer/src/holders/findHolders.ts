/** @internal The issuer's holder look-up: index rows with each credential's current status from the issuance records. */
import type { IssuerContext } from "../issuerContext.ts";
import type { FindHoldersParameters, HolderEntry, HolderIndex } from "./createHolderIndex.ts";

/** A credential of a holder row, with its status as the issuance records have it. */
export interface HolderCredential {
  readonly id: string;
  /** `unknown`: the issuance records hold no such id (its issuance failed after the index row was written). */
  readonly status: "active" | "suspended" | "revoked" | "unknown";
  readonly expired: boolean;
  readonly pendingChange: boolean;
}

/** A row of the holder index as the issuer's look-up returns it. */
export interface HolderMatch extends Omit<HolderEntry, "credentialIds"> {
  readonly credentials: readonly HolderCredential[];
}

/** The status of one id: a JWT-VC's `jti`, or an SD-JWT VC batch id (all its copies). */
function credentialOf(ctx: IssuerContext, id: string): HolderCredential {
  let rows = ctx.records.credentialsByJti([id]);
  if (rows.length === 0) rows = ctx.records.credentialsByJti(ctx.records.copiesOfGroup(id));
  if (rows.length === 0) return { id, status: "unknown", expired: false, pendingChange: false };
  const now = ctx.clock();
  const status = rows.some((r) => r.status === "revoked") ? "revoked" : rows.some((r) => r.status === "suspended") ? "suspended" : "active";
  return { id, status, expired: rows.every((r) => r.expiresAt <= now), pendingChange: rows.some((r) => r.pendingOp !== null) };
}

export function findHolderMatches(ctx: IssuerContext, index: HolderIndex, params: FindHoldersParameters): HolderMatch[] {
  let rows = index.findHolders(params);
  // An SD-JWT VC copy's id (`<batch id>.<n>`), as the records list shows it, finds its batch's row.
  const copy = params.credentialId === undefined ? null : /^(.+)\.\d+$/.exec(params.credentialId);
  if (rows.length === 0 && copy !== null) rows = index.findHolders({ ...params, credentialId: copy[1] as string });
  return rows.map(({ credentialIds, ...rest }) => ({ ...rest, credentials: credentialIds.map((id) => credentialOf(ctx, id)) }));
}
