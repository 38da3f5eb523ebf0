import type { StatusListInfo, StatusPurpose } from "./types.ts";

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

  setEntry(listId: bigint, index: bigint, value: boolean): void {
    const list = this.#require(listId);
    if (index < 0n || index >= list.info.size) throw new RangeError(`entry ${index} outside list ${listId}`);
    const i = Number(index);
    const byte = i >>> 3;
    if (value) {
      list.bits ??= new Uint8Array(Number(list.info.size / 8n));
      list.bits[byte] = (list.bits[byte] ?? 0) | (1 << (i & 7));
    } else if (list.bits !== undefined) {
      list.bits[byte] = (list.bits[byte] ?? 0) & ~(1 << (i & 7));
    }
  }

  /** Applies 256-bit masks to words, as the batch functions do. */
  setWords(listId: bigint, wordIndexes: readonly bigint[], masks: readonly bigint[], value: boolean): void {
    const list = this.#require(listId);
    if (wordIndexes.length !== masks.length) throw new RangeError("word and mask counts differ");
    const words = list.info.size / 256n;
    if (value) list.bits ??= new Uint8Array(Number(list.info.size / 8n));
    if (list.bits === undefined) return; // clearing a list with no set bit changes nothing
    for (const [k, w] of wordIndexes.entries()) {
      let mask = masks[k] ?? 0n;
      if (w < 0n || w >= words) throw new RangeError(`word ${w} outside list ${listId}`);
      const base = Number(w) * 32;
      for (let b = 0; b < 32 && mask !== 0n; b++, mask >>= 8n) {
        const m = Number(mask & 0xffn);
        if (m === 0) continue;
        const at = base + b;
        list.bits[at] = value ? (list.bits[at] ?? 0) | m : (list.bits[at] ?? 0) & ~m;
      }
    }
  }

  #require(listId: bigint): { info: StatusListInfo; bits: Uint8Array | undefined } {
    const list = this.#lists.get(listId);
    if (list === undefined) throw new RangeError(`status list ${listId} written before it was created`);
    return list;
  }
}
