import { type Clock, MobileIdError, systemClock } from "@mobile-id/core";

/**
 * Where a verifier remembers the challenges it has accepted, so that each is accepted once.
 *
 * A challenge is remembered until its request expires; the verifier refuses presentations for an expired
 * request before it asks the store, so forgetting a challenge after `expiresAt` never lets a replay through.
 * A persistent implementation (a database row with a unique key and an expiry column) fits this interface:
 * `consume` must be atomic, so that of two concurrent calls for the same challenge at most one returns `true`.
 */
export interface NonceStore {
  /**
   * Records `challenge` as used until `expiresAt` (seconds since the epoch). `true`: it was unused and is now
   * used (accept); `false`: it was used already (replay). Throws when it cannot decide (fail closed).
   */
  consume(challenge: string, expiresAt: number): boolean | Promise<boolean>;
}

export interface MemoryNonceStoreParameters {
  /** Most challenges remembered at once. Default 100,000. */
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

/**
 * An in-memory {@link NonceStore} of bounded size, for one verifier process. When full, expired challenges are
 * dropped; if every remembered challenge is still live, `consume` throws `NONCE_STORE_FULL` rather than
 * forgetting one early (which would let its presentation be replayed).
 *
 * @example
 * ```ts
 * const nonceStore = createMemoryNonceStore({ maxEntries: 50_000 });
 * ```
 */
export function createMemoryNonceStore(params: MemoryNonceStoreParameters = {}): NonceStore {
  const maxEntries = params.maxEntries ?? 100_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new MobileIdError("INVALID_ARGUMENT", "maxEntries must be a positive integer");
  }
  const clock = params.clock ?? systemClock;
  const used = new Map<string, number>();
  const purge = (now: number) => {
    for (const [challenge, expiresAt] of used) if (expiresAt < now) used.delete(challenge);
  };
  return {
    consume(challenge, expiresAt) {
      const now = clock();
      const known = used.get(challenge);
      if (known !== undefined && known >= now) return false;
      if (known === undefined && used.size >= maxEntries) {
        purge(now);
        if (used.size >= maxEntries) {
          throw new MobileIdError("NONCE_STORE_FULL", "every remembered challenge is still live", {
            details: { maxEntries },
            hint: "raise maxEntries, shorten request lifetimes, or use a persistent nonce store",
          });
        }
      }
      used.set(challenge, expiresAt);
      return true;
    },
  };
}
