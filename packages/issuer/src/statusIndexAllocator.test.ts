import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type AllocatedEntry, createStatusIndexAllocator, cryptoUint32Source } from "./statusIndexAllocator.ts";

/** A seeded 32-bit source (mulberry32), so that fast-check can shrink failures. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

describe("status index allocator (pure)", () => {
  it("never hands out an entry twice, stays in range, and refuses exactly when every pair is at its limit", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.integer({ min: 8, max: 12 }), { minLength: 1, maxLength: 3 }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        fc.array(fc.oneof(fc.constant("allocate" as const), fc.nat({ max: 1_000 })), { maxLength: 600 }),
        (seed, sizes, fillThreshold, ops) => {
          const a = createStatusIndexAllocator({ fillThreshold, random: seeded(seed) });
          sizes.forEach((sizeLog2, k) => a.addPair({ pairId: k + 1, sizeLog2 }, []));
          const limits = a.usage().map((u) => u.limit);
          const live: AllocatedEntry[] = [];
          const key = (e: AllocatedEntry) => `${e.pairId}:${e.index}`;
          const liveKeys = new Set<string>();
          for (const op of ops) {
            if (op === "allocate") {
              const e = a.allocate();
              const full = a.usage().every((u, k) => u.used >= limits[k]!);
              if (e === undefined) {
                expect(full).toBe(true);
                continue;
              }
              expect(liveKeys.has(key(e))).toBe(false);
              expect(e.index).toBeGreaterThanOrEqual(0);
              expect(e.index).toBeLessThan(2 ** sizes[e.pairId - 1]!);
              live.push(e);
              liveKeys.add(key(e));
            } else if (live.length > 0) {
              const [e] = live.splice(op % live.length, 1);
              a.release(e!);
              liveKeys.delete(key(e!));
              expect(a.isUsed(e!)).toBe(false);
            }
            // Bookkeeping agrees with what is live, and no pair exceeds its limit.
            const usage = a.usage();
            expect(usage.reduce((s, u) => s + u.used, 0)).toBe(live.length);
            usage.forEach((u) => expect(u.used).toBeLessThanOrEqual(u.limit));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("fills pairs in order: the next pair only once the current one is at its limit", () => {
    const a = createStatusIndexAllocator({ fillThreshold: 0.25, random: cryptoUint32Source() });
    a.addPair({ pairId: 2, sizeLog2: 8 }, []);
    a.addPair({ pairId: 1, sizeLog2: 8 }, [0, 1, 2]);
    const got = Array.from({ length: 128 }, () => a.allocate());
    expect(got.slice(0, 61).every((e) => e?.pairId === 1)).toBe(true);
    expect(got.slice(61, 125).every((e) => e?.pairId === 2)).toBe(true);
    expect(got.slice(125)).toStrictEqual([undefined, undefined, undefined]);
    // A released entry in the first pair is reused first.
    a.release(got[10]!);
    expect(a.allocate()?.pairId).toBe(1);
  });

  it("rejects inconsistent input: duplicates, out-of-range entries, bad thresholds, unknown releases", () => {
    expect(() => createStatusIndexAllocator({ fillThreshold: 0.95, random: cryptoUint32Source() })).toThrow(RangeError);
    expect(() => createStatusIndexAllocator({ fillThreshold: 0, random: cryptoUint32Source() })).toThrow(RangeError);
    const a = createStatusIndexAllocator({ fillThreshold: 0.5, random: cryptoUint32Source() });
    expect(() => a.addPair({ pairId: 1, sizeLog2: 8 }, [3, 3])).toThrow(RangeError);
    expect(() => a.addPair({ pairId: 2, sizeLog2: 8 }, [256])).toThrow(RangeError);
    a.addPair({ pairId: 3, sizeLog2: 8 }, [7]);
    expect(() => a.addPair({ pairId: 3, sizeLog2: 8 }, [])).toThrow(RangeError);
    expect(() => a.release({ pairId: 3, index: 8 })).toThrow(RangeError);
    expect(a.isUsed({ pairId: 3, index: 7 })).toBe(true);
  });

  it("draws uniformly from the whole list with the crypto source (chi-squared over 64 buckets)", () => {
    const a = createStatusIndexAllocator({ fillThreshold: 0.5, random: cryptoUint32Source() });
    a.addPair({ pairId: 1, sizeLog2: 17 }, []);
    const n = 32_768;
    const buckets = new Array<number>(64).fill(0);
    let ascending = 0;
    let previous = -1;
    for (let k = 0; k < n; k++) {
      const { index } = a.allocate()!;
      buckets[index >> 11]!++;
      if (index > previous) ascending++;
      previous = index;
    }
    const expected = n / 64;
    const chi2 = buckets.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    // 63 degrees of freedom: P(chi2 > 120) < 1e-5. Sequential allocation would give chi2 ≈ 32,768.
    expect(chi2).toBeLessThan(120);
    // Successive draws go up about half the time (sequential: always).
    expect(ascending / n).toBeGreaterThan(0.45);
    expect(ascending / n).toBeLessThan(0.55);
  });
});
