/**
 * The last status the wallet established for each card, so that offline (or with the services down) a card still
 * says what it last was, when that was checked, and who issued it, instead of a bare "unknown". Only definitive
 * answers are remembered; an answer that could not be had (offline) falls back to the remembered one, marked
 * `stale`.
 *
 * This file holds the pure rule; the statuses are kept sealed in the device vault (`sdjwt/sealedStatus.ts`),
 * readable only while the wallet is unlocked. Earlier versions kept them in `localStorage` in clear under
 * {@link LAST_STATUS_KEY}, which revealed which cards a person holds to anyone with the device: the first unlock
 * moves such entries into the vault and erases them.
 */
import type { CardStatus } from "./status.ts";

/** The part of `Storage` used (injected in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Where earlier versions kept the statuses in clear (migrated, then erased). */
export const LAST_STATUS_KEY = "mobile-id.wallet.last-status";

/**
 * Whether a check's answer is "could not be had" (offline, services down) rather than a verdict: an "unknown" with no
 * reason code. That holds even when part of the check succeeded (the issuer's facts from a cache, then the status
 * lists unreachable: the answer names a block, yet says nothing about the card). An unknown with a code (the status
 * entry is malformed, the lists are not the issuer's) is a verdict.
 */
export function couldNotCheck(fresh: CardStatus): boolean {
  return fresh.state === "unknown" && fresh.code === undefined;
}

/**
 * Combines a fresh check with what was last known: a definitive answer is stamped with `now` (seconds) and is to
 * be remembered; an answer that could not be had ({@link couldNotCheck}) yields the remembered status marked `stale`,
 * if any.
 * Pure.
 *
 * @example
 * ```ts
 * combineWithLastKnown(last, { state: "unknown" }, now)
 * // { status: { state: "valid", issuerName: "서울대학교", checkedAt: 1796660000, stale: true }, remember: false }
 * ```
 */
export function combineWithLastKnown(last: CardStatus | undefined, fresh: CardStatus, now: number): { readonly status: CardStatus; readonly remember: boolean } {
  if (couldNotCheck(fresh)) {
    return { status: last === undefined ? fresh : { ...last, stale: true }, remember: false };
  }
  return { status: { ...fresh, checkedAt: now, stale: false }, remember: true };
}
