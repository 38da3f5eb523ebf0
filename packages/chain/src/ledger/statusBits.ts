import type { StatusListInfo, StatusPurpose } from "./types.ts";

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

  #require(listId: bigint): { info: StatusListInfo; bits: Uint8Array | undefined } {
    const list = this.#lists.get(listId);
    if (list === undefined) throw new RangeError(`status list ${listId} written before it was created`);
    return list;
  }
}
