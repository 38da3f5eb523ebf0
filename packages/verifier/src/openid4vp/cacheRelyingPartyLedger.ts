import type { RelyingPartyLedger } from "@mobile-id/chain";

export interface CacheRelyingPartyLedgerParameters {
  readonly ledger: RelyingPartyLedger;
  /**
   * The ledger block the answers hold for (e.g. the services' mirror head hash), `undefined` when unknown: the
   * cache keeps answers for one block only and is emptied when this changes; when unknown, nothing is cached.
   */
  readonly block: () => string | undefined;
  /** Most answers kept for one block. Default 1,000. */
  readonly maxEntries?: number;
}

/**
 * A {@link RelyingPartyLedger} that remembers answers while the ledger stays at the same block: the same question
 * (party, type, time) at the same block has the same answer, so a verifier creating many requests reads its
 * registration once per block instead of once per request. A suspension is seen as soon as `block()` moves past
 * the block that carried it. Errors are not cached (fail closed on the next call too).
 *
 * @example
 * ```ts
 * const registrations = cacheRelyingPartyLedger({ ledger: createRelyingPartyReader({ descriptor, provider }),
 *   block: () => mirror.freshness()?.head.blockHash });
 * ```
 */
export function cacheRelyingPartyLedger(params: CacheRelyingPartyLedgerParameters): RelyingPartyLedger {
  const max = params.maxEntries ?? 1_000;
  let cachedBlock: string | undefined;
  const answers = new Map<string, Promise<unknown>>();
  const remember = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const block = params.block();
    if (block === undefined) return read();
    if (block !== cachedBlock) {
      answers.clear();
      cachedBlock = block;
    }
    const k = `${key}`;
    const hit = answers.get(k) as Promise<T> | undefined;
    if (hit !== undefined) return hit;
    const p = read();
    if (answers.size >= max) answers.clear();
    answers.set(k, p);
    p.catch(() => {
      if (answers.get(k) === p) answers.delete(k);
    });
    return p;
  };
  return {
    relyingPartyAt: (party, at) => remember(`r|${party.toLowerCase()}|${at}`, () => params.ledger.relyingPartyAt(party, at)),
    permittedClaimsAt: (party, typeId, at) => remember(`c|${party.toLowerCase()}|${typeId.toLowerCase()}|${at}`, () => params.ledger.permittedClaimsAt(party, typeId, at)),
  };
}
