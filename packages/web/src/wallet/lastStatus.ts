/**
 * The last status the wallet established for each card, kept on the device so that offline (or with the
 * services down) a card still says what it last was, when that was checked, and who issued it, instead of a bare
 * "unknown". Only definitive answers are remembered; an answer that could not be had (offline) falls back to the
 * remembered one, marked `stale`.
 *
 * Kept in `localStorage` in clear (card id → state, issuer's name, times): it reveals which kinds of cards the
 * wallet holds to someone with the unlocked phone's storage, not the cards' contents (those stay in the encrypted
 * envelope).
 */
import type { CardStatus } from "./status.ts";

/** The part of `Storage` used (injected in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = "mobile-id.wallet.last-status";

type Remembered = Readonly<Record<string, CardStatus>>;

function read(storage: KeyValueStorage): Remembered {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? "{}") as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Remembered) : {};
  } catch {
    return {};
  }
}

/**
 * Combines a fresh check with what was last known: a definitive answer is stamped with `checkedAt` (seconds) and
 * remembered; an "unknown" without a ledger answer (offline) yields the remembered status marked `stale`, if any.
 *
 * @example
 * ```ts
 * const shown = withLastKnown(localStorage, card.id, await checker.check(card), Math.floor(Date.now() / 1000));
 * // offline: { state: "valid", issuerName: "서울대학교 …", checkedAt: 1796660000, stale: true }
 * ```
 */
export function withLastKnown(storage: KeyValueStorage, id: string, fresh: CardStatus, now: number): CardStatus {
  const all = read(storage);
  if (fresh.state === "unknown" && fresh.block === undefined) {
    const last = all[id];
    return last === undefined ? fresh : { ...last, stale: true };
  }
  const stamped: CardStatus = { ...fresh, checkedAt: now, stale: false };
  try {
    storage.setItem(KEY, JSON.stringify({ ...all, [id]: stamped }));
  } catch {
    // storage full or refused: the status is still shown, just not remembered
  }
  return stamped;
}

/** Forgets a card's remembered status (the card left the wallet). */
export function forgetStatus(storage: KeyValueStorage, id: string): void {
  const { [id]: _gone, ...rest } = read(storage);
  try {
    storage.setItem(KEY, JSON.stringify(rest));
  } catch {
    // nothing to forget then
  }
}
