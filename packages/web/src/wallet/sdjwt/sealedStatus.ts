/**
 * The last status the wallet established for each card, kept SEALED in the device vault (issue 12): which cards a
 * person holds, who issued them and their standing are readable only while the wallet is unlocked, never from the
 * phone's storage. Offline, an unlocked wallet still shows each card's last known status, when it was checked and
 * the issuer's name (the answer marked `stale`).
 *
 * Earlier versions kept these in `localStorage` in clear (`lastStatus.ts`); the first unlock moves them into the
 * vault and erases the clear entry.
 */
import { LAST_STATUS_KEY, type KeyValueStorage, combineWithLastKnown, couldNotCheck } from "../lastStatus.ts";
import type { CardStatus } from "../status.ts";
import { type Vault, readSealed, writeSealed } from "./vault.ts";

const RECORD = "last-status";

type Remembered = Record<string, CardStatus>;

/** One read-modify-write at a time (two checks finishing together must not drop each other's answers). */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** The clear entries of an earlier version (read once, then erased), or nothing. */
function takeClearEntries(storage: (KeyValueStorage & { removeItem(key: string): void }) | undefined): Remembered {
  if (storage === undefined) return {};
  let value: unknown = {};
  try {
    value = JSON.parse(storage.getItem(LAST_STATUS_KEY) ?? "{}");
  } catch {
    value = {};
  }
  try {
    storage.removeItem(LAST_STATUS_KEY);
  } catch {
    // nothing to erase
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Remembered) : {};
}

/**
 * Combines fresh checks with what was last known, for many cards in one sealed read and one sealed write: a
 * definitive answer is stamped with `now` (seconds) and remembered; an "unknown" without a ledger answer (offline)
 * yields the remembered status marked `stale`, if any. Clear entries of an earlier version are moved in and erased.
 *
 * @example
 * ```ts
 * const shown = await rememberStatuses({ vault, fresh: [[card.id, await checker.check(card)]], now, legacy: localStorage });
 * // offline: [[id, { state: "valid", issuerName: "서울대학교", checkedAt: 1796660000, stale: true }]]
 * ```
 */
export async function rememberStatuses(params: {
  readonly vault: Vault;
  readonly fresh: readonly (readonly [string, CardStatus])[];
  readonly now: number;
  /** Where an earlier version kept them in clear (`localStorage`). */
  readonly legacy?: KeyValueStorage & { removeItem(key: string): void };
}): Promise<[string, CardStatus][]> {
  return serial(async () => {
    const sealed = (await readSealed<Remembered>(params.vault, RECORD).catch(() => undefined)) ?? {};
    const migrated = takeClearEntries(params.legacy);
    const all: Remembered = { ...migrated, ...sealed };
    const shown = params.fresh.map(([id, fresh]): [string, CardStatus] => {
      const combined = combineWithLastKnown(all[id], fresh, params.now);
      if (combined.remember) all[id] = combined.status;
      return [id, combined.status];
    });
    const changed = Object.keys(migrated).length > 0 || params.fresh.some(([, f]) => !couldNotCheck(f));
    if (changed) await writeSealed(params.vault, RECORD, all).catch(() => undefined); // not remembered, still shown
    return shown;
  });
}

/** The last known status of every card (while unlocked). */
export async function lastKnownStatuses(vault: Vault): Promise<ReadonlyMap<string, CardStatus>> {
  const sealed = (await readSealed<Remembered>(vault, RECORD).catch(() => undefined)) ?? {};
  return new Map(Object.entries(sealed).map(([id, s]) => [id, { ...s, stale: true }]));
}

/** Forgets a card's remembered status (the card left the wallet). */
export function forgetSealedStatus(vault: Vault, id: string): Promise<void> {
  return serial(async () => {
    const sealed = (await readSealed<Remembered>(vault, RECORD).catch(() => undefined)) ?? {};
    if (!(id in sealed)) return;
    const { [id]: _gone, ...rest } = sealed;
    await writeSealed(vault, RECORD, rest);
  });
}
