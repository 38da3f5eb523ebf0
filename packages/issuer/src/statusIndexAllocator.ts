import { randomFillSync } from "node:crypto";

/** A source of uniformly distributed 32-bit unsigned integers. */
export type Uint32Source = () => number;

/**
 * Cryptographically random 32-bit integers, drawn from `crypto.randomFillSync` in blocks of 1,024 so that a
 * draw costs an array read rather than a system call.
 *
 * @example
 * ```ts
 * const next = cryptoUint32Source();
 * next(); // 0 ≤ n < 2^32
 * ```
 */
export function cryptoUint32Source(): Uint32Source {
  const block = new Uint32Array(1024);
  let at = block.length;
  return () => {
    if (at === block.length) {
      randomFillSync(block);
      at = 0;
    }
    // `at` is always inside the block here.
    return block[at++] as number;
  };
}

/** A list pair as the allocator sees it. */
export interface AllocatorPair {
  readonly pairId: number;
  /** log2 of the number of entries of each list of the pair (17..24). */
  readonly sizeLog2: number;
}

/** An entry handed out: pair and index. */
export interface AllocatedEntry {
  readonly pairId: number;
  readonly index: number;
}

export interface StatusIndexAllocatorParameters {
  /**
   * Fraction of a pair's entries that may be handed out before new credentials go to the next pair, in
   * `(0, 0.9]`. Random placement needs free room: at fill f a draw is rejected with probability f, so the
   * expected number of draws stays below `1 / (1 - f)` (≤ 10).
   */
  readonly fillThreshold: number;
  /** Uniform 32-bit integers; {@link cryptoUint32Source} in production, a seeded source in tests. */
  readonly random: Uint32Source;
}

export interface PairUsage {
  readonly pairId: number;
  readonly sizeLog2: number;
  readonly used: number;
  /** How many entries may be handed out in total before the pair stops accepting. */
  readonly limit: number;
}

/**
 * Hands out status-list entries at random, never twice. Pure bookkeeping (no I/O): the caller persists each
 * entry with its issuance record and loads the used entries back with {@link StatusIndexAllocator.addPair}.
 *
 * Entries are drawn uniformly from the whole list (rejection sampling on a bitmap of used entries), never
 * sequentially: an index then reveals nothing about when, or to whom next to whom, a credential was issued.
 * New credentials go to the accepting pair with the lowest id; a pair stops accepting once `fillThreshold` of
 * its entries are used, and the next provisioned pair takes over.
 */
export interface StatusIndexAllocator {
  /** Registers a pair with the entries already used in it (from the database). */
  addPair(pair: AllocatorPair, usedIndexes: Iterable<number>): void;
  /** A fresh random entry, or `undefined` when no pair accepts new credentials. */
  allocate(): AllocatedEntry | undefined;
  /**
   * `count` fresh random entries, all distinct and all of ONE pair (the first accepting pair with room for all
   * of them), so that one batched ledger write per list changes them together; `undefined` when no pair has room.
   */
  allocateMany(count: number): AllocatedEntry[] | undefined;
  /**
   * `count` fresh random entries of pair `pairId` only, as long as the pair stays at or below 90% full (beyond its
   * fill threshold: more copies of a credential whose copies already live there); `undefined` when it would not.
   */
  allocateManyIn(pairId: number, count: number): AllocatedEntry[] | undefined;
  /** Gives back an entry whose issuance did not complete (never one that was handed to a holder). */
  release(entry: AllocatedEntry): void;
  /** Usage of every pair, lowest id first. */
  usage(): readonly PairUsage[];
  /** Whether `index` of pair `pairId` is in use. */
  isUsed(entry: AllocatedEntry): boolean;
}

interface PairSlot {
  readonly pairId: number;
  readonly sizeLog2: number;
  readonly mask: number;
  readonly limit: number;
  readonly bitmap: Uint8Array;
  used: number;
}

/**
 * Creates a {@link StatusIndexAllocator}.
 *
 * @example
 * ```ts
 * const allocator = createStatusIndexAllocator({ fillThreshold: 0.5, random: cryptoUint32Source() });
 * allocator.addPair({ pairId: 1, sizeLog2: 20 }, []);
 * allocator.allocate(); // { pairId: 1, index: 734_201 }
 * ```
 */
export function createStatusIndexAllocator(params: StatusIndexAllocatorParameters): StatusIndexAllocator {
  const { fillThreshold, random } = params;
  if (!(fillThreshold > 0 && fillThreshold <= 0.9)) {
    throw new RangeError(`fillThreshold must be in (0, 0.9], got ${fillThreshold}`);
  }
  const slots: PairSlot[] = [];
  const byId = new Map<number, PairSlot>();
  // Index into `slots` of the first pair that may still accept; pairs before it are full (a release in an
  // earlier pair moves it back).
  let current = 0;

  const slotOf = (pairId: number): PairSlot => {
    const slot = byId.get(pairId);
    if (slot === undefined) throw new RangeError(`unknown pair ${pairId}`);
    return slot;
  };
  // `count` distinct free entries of one slot (the caller checked there is room: at most 90% full).
  const drawMany = (slot: PairSlot, count: number): AllocatedEntry[] => {
    const out: AllocatedEntry[] = [];
    for (let attempt = 0; out.length < count; attempt++) {
      const index = random() & slot.mask;
      const byte = index >>> 3;
      const bit = 1 << (index & 7);
      const value = slot.bitmap[byte] as number;
      if ((value & bit) === 0) {
        slot.bitmap[byte] = value | bit;
        slot.used++;
        out.push({ pairId: slot.pairId, index });
      } else if (attempt >= 2000 * count) {
        for (const e of out) slot.bitmap[e.index >>> 3] = (slot.bitmap[e.index >>> 3] as number) & ~(1 << (e.index & 7));
        slot.used -= out.length;
        throw new Error("random source keeps returning used entries");
      }
    }
    return out;
  };

  return {
    addPair(pair, usedIndexes) {
      if (byId.has(pair.pairId)) throw new RangeError(`pair ${pair.pairId} already added`);
      if (!Number.isInteger(pair.sizeLog2) || pair.sizeLog2 < 8 || pair.sizeLog2 > 30) {
        throw new RangeError(`unsupported list size 2^${pair.sizeLog2}`);
      }
      const size = 2 ** pair.sizeLog2;
      const slot: PairSlot = {
        pairId: pair.pairId,
        sizeLog2: pair.sizeLog2,
        mask: size - 1,
        limit: Math.max(1, Math.floor(size * fillThreshold)),
        bitmap: new Uint8Array(size >>> 3),
        used: 0,
      };
      for (const i of usedIndexes) {
        if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`index ${i} outside the list`);
        const byte = i >>> 3;
        const bit = 1 << (i & 7);
        if (((slot.bitmap[byte] as number) & bit) !== 0) throw new RangeError(`index ${i} listed twice`);
        slot.bitmap[byte] = (slot.bitmap[byte] as number) | bit;
        slot.used++;
      }
      slots.push(slot);
      slots.sort((a, b) => a.pairId - b.pairId);
      byId.set(slot.pairId, slot);
      current = 0;
    },

    allocate() {
      while (current < slots.length && (slots[current] as PairSlot).used >= (slots[current] as PairSlot).limit) {
        current++;
      }
      const slot = slots[current];
      if (slot === undefined) return undefined;
      // used < limit ≤ 0.9 · size: a draw hits a free entry with probability ≥ 0.1, so 2,000 draws all
      // failing has probability below 1e-91. The bound only guards against a broken random source.
      for (let attempt = 0; attempt < 2000; attempt++) {
        const index = random() & slot.mask;
        const byte = index >>> 3;
        const bit = 1 << (index & 7);
        const value = slot.bitmap[byte] as number;
        if ((value & bit) === 0) {
          slot.bitmap[byte] = value | bit;
          slot.used++;
          return { pairId: slot.pairId, index };
        }
      }
      throw new Error("random source keeps returning used entries");
    },

    allocateMany(count) {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
      while (current < slots.length && (slots[current] as PairSlot).used >= (slots[current] as PairSlot).limit) {
        current++;
      }
      const slot = slots.slice(current).find((s) => s.used + count <= s.limit);
      return slot === undefined ? undefined : drawMany(slot, count);
    },

    allocateManyIn(pairId, count) {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
      const slot = slotOf(pairId);
      if (slot.used + count > Math.floor((slot.mask + 1) * 0.9)) return undefined;
      return drawMany(slot, count);
    },

    release(entry) {
      const slot = slotOf(entry.pairId);
      const byte = entry.index >>> 3;
      const bit = 1 << (entry.index & 7);
      const value = slot.bitmap[byte];
      if (value === undefined || (value & bit) === 0) throw new RangeError(`entry ${entry.index} is not in use`);
      slot.bitmap[byte] = value & ~bit;
      slot.used--;
      const position = slots.indexOf(slot);
      if (position < current) current = position;
    },

    usage() {
      return slots.map((s) => ({ pairId: s.pairId, sizeLog2: s.sizeLog2, used: s.used, limit: s.limit }));
    },

    isUsed(entry) {
      const slot = slotOf(entry.pairId);
      return (((slot.bitmap[entry.index >>> 3] ?? 0) >> (entry.index & 7)) & 1) === 1;
    },
  };
}
