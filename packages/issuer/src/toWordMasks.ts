import { STATUS_BATCH_WORDS } from "@mobile-id/core";

/** Entries of one list grouped the way `revokeBatch`/`suspendBatch`/`reinstateBatch` take them. */
export interface WordMasks {
  /** Strictly increasing word indexes (entry `i` is bit `i % 256` of word `i / 256`). */
  readonly wordIndexes: readonly bigint[];
  /** For each word, the entries selected (never zero). */
  readonly masks: readonly bigint[];
}

/** Most words one batch transaction may touch (`StatusRegistry.MAX_BATCH_WORDS`). */
export const MAX_BATCH_WORDS = STATUS_BATCH_WORDS;

/**
 * Groups entry indexes of one list into sorted `(wordIndex, mask)` pairs, split into chunks of at most
 * `maxWords` words (one transaction each). Duplicates are merged. Pure.
 *
 * @example
 * ```ts
 * toWordMasks([3, 700, 1]) // [{ wordIndexes: [0n, 2n], masks: [0b1010n, 1n << 188n] }]
 * ```
 */
export function toWordMasks(indexes: Iterable<number>, maxWords: number = MAX_BATCH_WORDS): WordMasks[] {
  if (!Number.isInteger(maxWords) || maxWords < 1) throw new RangeError("maxWords must be a positive integer");
  const byWord = new Map<number, bigint>();
  for (const i of indexes) {
    if (!Number.isSafeInteger(i) || i < 0) throw new RangeError(`not an entry index: ${i}`);
    const word = Math.floor(i / 256);
    byWord.set(word, (byWord.get(word) ?? 0n) | (1n << BigInt(i % 256)));
  }
  const words = [...byWord.keys()].sort((a, b) => a - b);
  const chunks: WordMasks[] = [];
  for (let from = 0; from < words.length; from += maxWords) {
    const slice = words.slice(from, from + maxWords);
    chunks.push({ wordIndexes: slice.map((w) => BigInt(w)), masks: slice.map((w) => byWord.get(w) as bigint) });
  }
  return chunks;
}

/**
 * The entry indexes selected by `(wordIndexes, masks)`, ascending: the inverse of {@link toWordMasks}. Pure.
 *
 * @example
 * ```ts
 * fromWordMasks({ wordIndexes: [0n], masks: [0b101n] }) // [0, 2]
 * ```
 */
export function fromWordMasks(batch: WordMasks): number[] {
  const out: number[] = [];
  batch.wordIndexes.forEach((word, k) => {
    const mask = batch.masks[k] ?? 0n;
    for (let bit = 0; bit < 256; bit++) {
      if ((mask >> BigInt(bit)) & 1n) out.push(Number(word) * 256 + bit);
    }
  });
  return out;
}
