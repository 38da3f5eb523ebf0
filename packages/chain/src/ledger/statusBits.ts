import { STATUS_BATCH_WORDS } from "@mobile-id/core";
import type { StatusListInfo, StatusPurpose } from "./types.ts";

/**
 * The status-bit module: how entries map to the contract's 256-bit words (entry `i` is bit `i % 256` of word
 * `i / 256`), to masks for batch writes, to bytes in entry order, and a replayable copy of every list. The
 * issuer, the verifier's mirror, the auditor and the services all count and place bits here.
 */

/** Set bits of each byte value. */
const BYTE_BITS = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x !== 0; x &= x - 1) n++;
  return n;
});

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
  let n = 0;
  for (let x = value; x !== 0n; x >>= 8n) n += BYTE_BITS[Number(x & 0xffn)] ?? 0;
  return n;
}

/** What one status write did to a list. */
export interface StatusWriteEffect {
  /** Entries the write names (1 for a single write, the popcount of every mask for a batch). */
  readonly entries: number;
  /** Of those, entries that already had the written value (re-revoking a revoked entry changes nothing). */
  readonly unchanged: number;
}

/**
 * Local copies of status lists, kept from `StatusListCreated`, `StatusEntrySet/Cleared` and
 * `StatusWordsSet/Cleared` alone (the contract emits an event for every bit it writes). Pure.
 *
 * Entry `i` is bit `i % 256` of word `i / 256` on chain; here it is bit `i % 8` of byte `i / 8`, the same bit
 * order. A list's bytes are allocated on its first set bit: a list nobody wrote costs nothing.
 */
export class StatusListBook {
  readonly #lists = new Map<bigint, { info: StatusListInfo; bits: Uint8Array | undefined }>();

  create(listId: bigint, issuer: string, purpose: StatusPurpose, size: bigint): void {
    if (this.#lists.has(listId)) throw new RangeError(`status list ${listId} created twice`);
    // The contract caps lists at 2^24 entries: 2 MiB at most.
    if (size <= 0n || size > 1n << 24n || size % 256n !== 0n) throw new RangeError(`status list ${listId} has size ${size}`);
    this.#lists.set(listId, { info: Object.freeze({ listId, issuer, purpose, size }), bits: undefined });
  }

  info(listId: bigint): StatusListInfo | undefined {
    return this.#lists.get(listId)?.info;
  }

  /** A copy of a list's bits (entry i at byte `i >>> 3`, bit `i & 7`); all zero if none was ever set; `undefined` for an unknown list. */
  bitsOf(listId: bigint): Uint8Array | undefined {
    const list = this.#lists.get(listId);
    if (list === undefined) return undefined;
    return list.bits === undefined ? new Uint8Array(Number(list.info.size / 8n)) : list.bits.slice();
  }

  /** The entry's bit, or `undefined` for an unknown list or an index out of range. */
  get(listId: bigint, index: bigint): boolean | undefined {
    const list = this.#lists.get(listId);
    if (list === undefined || index < 0n || index >= list.info.size) return undefined;
    if (list.bits === undefined) return false;
    const i = Number(index);
    return (((list.bits[i >>> 3] ?? 0) >>> (i & 7)) & 1) === 1;
  }

  /**
   * Word `wordIndex` of the list as the contract's `words()` returns it (entry `w * 256 + b` is bit `b`), or
   * `undefined` for an unknown list or a word out of range.
   */
  word(listId: bigint, wordIndex: bigint): bigint | undefined {
    const list = this.#lists.get(listId);
    if (list === undefined || wordIndex < 0n || wordIndex >= list.info.size / 256n) return undefined;
    if (list.bits === undefined) return 0n;
    let word = 0n;
    const base = Number(wordIndex) * 32;
    for (let b = 31; b >= 0; b--) word = (word << 8n) | BigInt(list.bits[base + b] ?? 0);
    return word;
  }

  setEntry(listId: bigint, index: bigint, value: boolean): StatusWriteEffect {
    const list = this.#require(listId);
    if (index < 0n || index >= list.info.size) throw new RangeError(`entry ${index} outside list ${listId}`);
    const i = Number(index);
    const byte = i >>> 3;
    const bit = 1 << (i & 7);
    const before = ((list.bits?.[byte] ?? 0) & bit) !== 0;
    if (value) {
      list.bits ??= new Uint8Array(Number(list.info.size / 8n));
      list.bits[byte] = (list.bits[byte] ?? 0) | bit;
    } else if (list.bits !== undefined) {
      list.bits[byte] = (list.bits[byte] ?? 0) & ~bit;
    }
    return { entries: 1, unchanged: before === value ? 1 : 0 };
  }

  /** Applies 256-bit masks to words, as the batch functions do. */
  setWords(listId: bigint, wordIndexes: readonly bigint[], masks: readonly bigint[], value: boolean): StatusWriteEffect {
    const list = this.#require(listId);
    if (wordIndexes.length !== masks.length) throw new RangeError("word and mask counts differ");
    const words = list.info.size / 256n;
    if (value) list.bits ??= new Uint8Array(Number(list.info.size / 8n));
    let entries = 0;
    let unchanged = 0;
    for (const [k, w] of wordIndexes.entries()) {
      let mask = masks[k] ?? 0n;
      if (w < 0n || w >= words) throw new RangeError(`word ${w} outside list ${listId}`);
      const base = Number(w) * 32;
      for (let b = 0; b < 32 && mask !== 0n; b++, mask >>= 8n) {
        const m = Number(mask & 0xffn);
        if (m === 0) continue;
        const n = BYTE_BITS[m] ?? 0;
        entries += n;
        // Clearing a list with no set bit changes nothing.
        if (list.bits === undefined) {
          unchanged += n;
          continue;
        }
        const at = base + b;
        const before = list.bits[at] ?? 0;
        unchanged += BYTE_BITS[(value ? before : ~before) & m] ?? 0;
        list.bits[at] = value ? before | m : before & ~m;
      }
    }
    return { entries, unchanged };
  }

  /** Every list with its bytes (`undefined` while no bit was ever set), in creation order: what a snapshot saves. */
  *lists(): IterableIterator<{ readonly info: StatusListInfo; readonly bits: Uint8Array | undefined }> {
    yield* this.#lists.values();
  }

  /** Puts saved bytes back into a created list (a snapshot's restore): exactly `size / 8` bytes. */
  restoreBits(listId: bigint, bits: Uint8Array): void {
    const list = this.#require(listId);
    if (BigInt(bits.length) * 8n !== list.info.size) throw new RangeError(`list ${listId}: ${bits.length} bytes for ${list.info.size} entries`);
    list.bits = bits;
  }

  #require(listId: bigint): { info: StatusListInfo; bits: Uint8Array | undefined } {
    const list = this.#lists.get(listId);
    if (list === undefined) throw new RangeError(`status list ${listId} written before it was created`);
    return list;
  }
}

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

/**
 * Status words (as the contract returns them: entry `i` is bit `i mod 256` of word `floor(i / 256)`) written into
 * `out` from word `firstWord` on, in entry order: entry `i` becomes bit `i mod 8` of byte `floor(i / 8)`.
 *
 * @example
 * ```ts
 * const out = new Uint8Array(64);
 * wordsToBytes([0n, 1n << 9n], 0, out); // entry 265 set: out[33] === 0b10
 * ```
 */
export function wordsToBytes(words: readonly bigint[], firstWord: number, out: Uint8Array): void {
  words.forEach((word, k) => {
    if (word === 0n) return;
    const base = (firstWord + k) * 32;
    for (let b = 0; b < 32; b++) out[base + b] = Number((word >> BigInt(8 * b)) & 0xffn);
  });
}
