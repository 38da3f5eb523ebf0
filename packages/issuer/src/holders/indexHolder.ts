/** @internal The one hook the issue paths call: a holder index row from the claims just signed (no-op without an index). */
import type { IssuerContext } from "../issuerContext.ts";
import { holderFactsOf } from "./holderFacts.ts";

export function indexHolder(
  ctx: IssuerContext,
  p: { readonly type: string; readonly claims: Readonly<Record<string, unknown>>; readonly credentialIds: readonly string[]; readonly format: string; readonly issuedAt: number; readonly expiresAt: number },
): void {
  if (ctx.holders === undefined) return;
  // Written before the issuance record, inside the issue path's try: if this fails, nothing is issued (a card the
  // clerk could not find again would be one the agency cannot manage by name).
  ctx.holders.recordHolder({ ...holderFactsOf(p.type, p.claims), credentialIds: p.credentialIds, type: p.type, format: p.format, issuedAt: p.issuedAt, expiresAt: p.expiresAt });
}
