import type { StatusEntryEvent, StatusWordsEvent } from "./events.ts";

const WORD_MASK = (1n << 256n) - 1n;

/**
 * Number of set bits of a non-negative bigint (a 256-bit status mask): the entries a batch mask names.
 *
 * @example
 * ```ts
 * popcount(0b101011n) // 4
 * ```
 */
export function popcount(value: bigint): number {
  if (value < 0n) throw new RangeError("popcount of a negative number");
  let x = value;
  let n = 0;
  while (x !== 0n) {
    x &= x - 1n; // clears the lowest set bit
    n++;
  }
  return n;
}

/** What one status event did to a list's words. */
export interface StatusWriteEffect {
  /** Entries the event names (1 for a single write, the popcount of every mask for a batch). */
  readonly entries: number;
  /** Of those, entries that already had the written value (re-revoking a revoked entry changes nothing). */
  readonly unchanged: number;
}

/**
 * Applies a status event to `words` (word index → 256-bit word, absent = 0) in place, as the contract does:
 * entry `i` is bit `i % 256` of word `i / 256`; a set ORs the mask in, a clear ANDs it out. Every word written
 * gets an entry, even when it ends up zero, so that the keys are exactly the words that events touched.
 *
 * @example
 * ```ts
 * const words = new Map<bigint, bigint>();
 * applyStatusEvent(words, event); // { entries: 6, unchanged: 1 }
 * ```
 */
export function applyStatusEvent(words: Map<bigint, bigint>, e: StatusEntryEvent | StatusWordsEvent): StatusWriteEffect {
  const set = e.name === "StatusEntrySet" || e.name === "StatusWordsSet";
  const writes: [bigint, bigint][] =
    "index" in e
      ? [[e.index >> 8n, 1n << (e.index & 0xffn)]]
      : e.wordIndexes.map((w, i) => [w, (e.masks[i] ?? 0n) & WORD_MASK]);
  let entries = 0;
  let unchanged = 0;
  for (const [w, mask] of writes) {
    const before = words.get(w) ?? 0n;
    const after = set ? before | mask : before & ~mask;
    entries += popcount(mask);
    // Entries whose bit already had the written value.
    unchanged += popcount(set ? before & mask : ~before & mask & WORD_MASK);
    words.set(w, after);
  }
  return { entries, unchanged };
}
