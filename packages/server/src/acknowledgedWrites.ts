import type { ChangeStatusResult, Issuer } from "@mobile-id/issuer";

/**
 * The newest ledger block in which this process acknowledged a status change (revocation, suspension,
 * reinstatement) to an agency. The offline policy uses it: a replica that has not reached that block would
 * answer without a change this very service already confirmed, so it must not serve through an outage.
 *
 * @example
 * ```ts
 * const acked = createAcknowledgedWrites();
 * const issuer = acked.track(await createIssuer({ ... }));
 * await issuer.revoke({ ids, reason });
 * acked.throughBlock(); // the block of that revocation
 * ```
 */
export function createAcknowledgedWrites() {
  let newest: number | undefined;
  const note = (r: ChangeStatusResult): ChangeStatusResult => {
    for (const t of r.transactions) if (newest === undefined || t.blockNumber > newest) newest = t.blockNumber;
    return r;
  };
  const tracked = new Set<PropertyKey>(["revoke", "suspend", "reinstate"]);
  return {
    /** The newest block of an acknowledged status change, if any. */
    throughBlock: (): number | undefined => newest,
    /** The issuer, its status changes noted before their result is returned. */
    track: (issuer: Issuer): Issuer =>
      new Proxy(issuer, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (!tracked.has(prop) || typeof value !== "function") return value;
          return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<ChangeStatusResult>).apply(target, args).then(note);
        },
      }),
  };
}
