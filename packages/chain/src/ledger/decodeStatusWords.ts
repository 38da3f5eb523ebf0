/**
 * The data of `StatusWordsSet` / `StatusWordsCleared(uint256 indexed listId, uint32 reason, uint256[] wordIndexes,
 * uint256[] masks)`, decoded in one linear pass. ethers' ABI reader copies the whole data for every value it
 * reads (an eagerly built error argument), so a 1,000-word batch event costs 1,000 copies of 64 kB: decoding a
 * ledger of a million batched revocations took minutes. Only the canonical encoding (what the contract emits)
 * is read here; anything else returns undefined and the caller falls back to the general decoder.
 */
export interface StatusWordsData {
  readonly reason: number;
  readonly wordIndexes: readonly bigint[];
  readonly masks: readonly bigint[];
}

const WORD = 64; // hex characters per 32-byte word

/**
 * @example
 * ```ts
 * const d = decodeStatusWordsData(log.data); // { reason, wordIndexes, masks } or undefined
 * ```
 */
export function decodeStatusWordsData(data: string): StatusWordsData | undefined {
  if (!/^0x[0-9a-fA-F]*$/.test(data) || (data.length - 2) % WORD !== 0) return undefined;
  const hex = data.slice(2);
  const words = hex.length / WORD;
  const word = (i: number) => BigInt(`0x${hex.slice(i * WORD, (i + 1) * WORD)}`);
  if (words < 5) return undefined;
  const reason = word(0);
  if (reason > 0xffffffffn) return undefined;
  // Canonical layout: head (reason, offset of wordIndexes = 0x60, offset of masks), then each array as its
  // length followed by its elements.
  if (word(1) !== 0x60n) return undefined;
  const n = word(3);
  if (n > BigInt(words)) return undefined;
  const count = Number(n);
  if (word(2) !== BigInt(0x60 + 32 * (1 + count))) return undefined;
  const masksAt = 4 + count;
  if (masksAt >= words || word(masksAt) !== n || words !== masksAt + 1 + count) return undefined;
  const wordIndexes = new Array<bigint>(count);
  const masks = new Array<bigint>(count);
  for (let i = 0; i < count; i++) {
    wordIndexes[i] = word(4 + i);
    masks[i] = word(masksAt + 1 + i);
  }
  return { reason: Number(reason), wordIndexes, masks };
}
