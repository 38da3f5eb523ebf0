import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fromWordMasks, toWordMasks } from "./toWordMasks.ts";

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
