import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatusListBook, fromWordMasks, popcount, toWordMasks, wordsToBytes } from "./statusBits.ts";
import { StatusPurpose } from "./types.ts";

const SIZE = 1n << 17n;
const ISSUER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

/** A write as the contract's single and batch functions perform it. */
const op = fc.oneof(
  fc.record({ kind: fc.constant("entry" as const), index: fc.bigInt({ min: 0n, max: SIZE - 1n }), value: fc.boolean() }),
  fc.record({
    kind: fc.constant("words" as const),
    words: fc.uniqueArray(fc.bigInt({ min: 0n, max: SIZE / 256n - 1n }), { minLength: 1, maxLength: 6 }),
    masks: fc.array(fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }), { minLength: 6, maxLength: 6 }),
    value: fc.boolean(),
  }),
);

describe("StatusListBook", () => {
  it("agrees with a set-of-entries model after any sequence of entry and word writes", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(fc.bigInt({ min: 0n, max: SIZE - 1n }), { maxLength: 20 }), (ops, probes) => {
        const book = new StatusListBook();
        book.create(1n, ISSUER, StatusPurpose.Suspension, SIZE);
        const model = new Set<bigint>();
        for (const o of ops) {
          if (o.kind === "entry") {
            book.setEntry(1n, o.index, o.value);
            if (o.value) model.add(o.index);
            else model.delete(o.index);
          } else {
            const words = [...o.words].sort((a, b) => (a < b ? -1 : 1));
            const masks = o.masks.slice(0, words.length);
            book.setWords(1n, words, masks, o.value);
            words.forEach((w, k) => {
              for (let b = 0n; b < 256n; b++) {
                if (((masks[k]! >> b) & 1n) === 0n) continue;
                if (o.value) model.add(w * 256n + b);
                else model.delete(w * 256n + b);
              }
            });
          }
        }
        for (const i of [...probes, ...model]) expect(book.get(1n, i)).toBe(model.has(i));
      }),
      { numRuns: 100 },
    );
  });

  it("answers undefined for an unknown list or an index out of range, and refuses writes there", () => {
    const book = new StatusListBook();
    book.create(1n, ISSUER, StatusPurpose.Revocation, SIZE);
    expect(book.get(2n, 0n)).toBeUndefined();
    expect(book.get(1n, SIZE)).toBeUndefined();
    expect(book.get(1n, SIZE - 1n)).toBe(false);
    expect(() => book.setEntry(2n, 0n, true)).toThrow(RangeError);
    expect(() => book.setEntry(1n, SIZE, true)).toThrow(RangeError);
    expect(() => book.create(1n, ISSUER, StatusPurpose.Revocation, SIZE)).toThrow(RangeError);
  });
});

describe("popcount", () => {
  const word256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
  it("counts the set bits of any 256-bit word", () => {
    fc.assert(
      fc.property(word256, (w) => {
        expect(popcount(w)).toBe([...w.toString(2)].filter((c) => c === "1").length);
      }),
    );
    expect([popcount(0n), popcount((1n << 256n) - 1n), popcount(0b101011n)]).toEqual([0, 256, 4]);
    expect(() => popcount(-1n)).toThrow(RangeError);
  });
});

describe("StatusListBook write effects and words", () => {
  // Model: the set of entries whose bit is set, over the first 4 words (1,024 entries).
  const word256 = fc.bigInt({ min: 1n, max: (1n << 256n) - 1n });
  const write = fc.oneof(
    fc.record({ kind: fc.constant("single" as const), set: fc.boolean(), index: fc.integer({ min: 0, max: 1023 }) }),
    fc.record({
      kind: fc.constant("batch" as const),
      set: fc.boolean(),
      words: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }).map((ws) => ws.sort((a, b) => a - b)),
      masks: fc.array(word256, { minLength: 4, maxLength: 4 }),
    }),
  );

  it("matches a per-entry model: words, entries named, and entries left unchanged", () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 40 }), (ops) => {
        const book = new StatusListBook();
        book.create(1n, ISSUER, StatusPurpose.Suspension, SIZE);
        const model = new Set<number>();
        for (const o of ops) {
          let named: number[];
          let effect;
          if (o.kind === "single") {
            named = [o.index];
            effect = book.setEntry(1n, BigInt(o.index), o.set);
          } else {
            const masks = o.words.map((_, i) => o.masks[i] ?? 1n);
            named = o.words.flatMap((w, i) => [...Array(256).keys()].filter((b) => ((masks[i]! >> BigInt(b)) & 1n) === 1n).map((b) => w * 256 + b));
            effect = book.setWords(1n, o.words.map(BigInt), masks, o.set);
          }
          const unchanged = named.filter((i) => model.has(i) === o.set).length;
          for (const i of named) {
            if (o.set) model.add(i);
            else model.delete(i);
          }
          expect(effect).toEqual({ entries: named.length, unchanged });
        }
        for (let w = 0n; w < 4n; w++) {
          let expected = 0n;
          for (const i of model) if (BigInt(i) >> 8n === w) expected |= 1n << (BigInt(i) & 0xffn);
          expect(book.word(1n, w)).toBe(expected);
        }
        expect([book.word(1n, SIZE / 256n), book.word(2n, 0n)]).toEqual([undefined, undefined]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("toWordMasks (pure)", () => {
  it("round-trips any set of entries into strictly increasing words with non-empty masks, chunked", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 2 ** 24 - 1 }), { maxLength: 400 }),
        fc.integer({ min: 1, max: 40 }),
        (indexes, maxWords) => {
          const chunks = toWordMasks(indexes, maxWords);
          const all: number[] = [];
          let lastWord = -1n;
          for (const chunk of chunks) {
            expect(chunk.wordIndexes.length).toBeGreaterThan(0);
            expect(chunk.wordIndexes.length).toBeLessThanOrEqual(maxWords);
            expect(chunk.masks.length).toBe(chunk.wordIndexes.length);
            chunk.wordIndexes.forEach((w, k) => {
              expect(w).toBeGreaterThan(lastWord); // strictly increasing, across chunks too
              lastWord = w;
              const mask = chunk.masks[k]!;
              expect(mask > 0n && mask < 1n << 256n).toBe(true);
            });
            all.push(...fromWordMasks(chunk));
          }
          expect(all).toStrictEqual([...new Set(indexes)].sort((a, b) => a - b));
          // Only as many chunks as needed.
          const words = new Set(indexes.map((i) => Math.floor(i / 256))).size;
          expect(chunks.length).toBe(Math.ceil(words / maxWords));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("matches the contract's layout: entry i is bit i % 256 of word i / 256", () => {
    expect(toWordMasks([0, 255, 256, 1000])).toStrictEqual([
      { wordIndexes: [0n, 1n, 3n], masks: [1n | (1n << 255n), 1n, 1n << 232n] },
    ]);
    expect(() => toWordMasks([-1])).toThrow(RangeError);
    expect(() => toWordMasks([1.5])).toThrow(RangeError);
  });
});

describe("status list bytes for wallets", () => {
  it("puts entry i (bit i mod 256 of word i / 256) at bit i mod 8 of byte i / 8", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 4 * 256 - 1 }), { maxLength: 40 }), (entries) => {
        const words = [0n, 0n, 0n, 0n];
        for (const i of entries) words[Math.floor(i / 256)]! |= 1n << BigInt(i % 256);
        const out = new Uint8Array(4 * 32);
        wordsToBytes(words, 0, out);
        for (let i = 0; i < 4 * 256; i++) expect(((out[i >> 3]! >> (i & 7)) & 1) === 1).toBe(entries.includes(i));
      }),
    );
  });

  it("writes a later chunk at its own offset", () => {
    const out = new Uint8Array(3 * 32);
    wordsToBytes([1n << 255n], 2, out);
    expect(out[3 * 32 - 1]).toBe(0x80);
    expect(out.slice(0, 3 * 32 - 1).every((b) => b === 0)).toBe(true);
  });
});

describe("StatusListBook.bitsOf (what a Token Status List is built from)", () => {
  it("copies a list's bits in wordsToBytes' layout, zeros for an untouched list, undefined for an unknown one", () => {
    const book = new StatusListBook();
    book.create(1n, ISSUER, StatusPurpose.Revocation, 512n);
    expect(book.bitsOf(2n)).toBeUndefined();
    expect(book.bitsOf(1n)).toEqual(new Uint8Array(64));
    for (const i of [0n, 9n, 265n, 511n]) book.setEntry(1n, i, true);
    const expected = new Uint8Array(64);
    wordsToBytes([book.word(1n, 0n) ?? 0n, book.word(1n, 1n) ?? 0n], 0, expected);
    const bits = book.bitsOf(1n);
    expect(bits).toEqual(expected);
    expect(bits?.[33]).toBe(0b10);
    // A copy: changing it does not change the book.
    bits?.fill(0);
    expect(book.get(1n, 265n)).toBe(true);
  });
});
