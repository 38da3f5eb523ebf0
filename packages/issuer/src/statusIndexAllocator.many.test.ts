import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createStatusIndexAllocator, cryptoUint32Source } from "./statusIndexAllocator.ts";

describe("status index allocator: allocateMany (pure)", () => {
  it("hands out N distinct fresh entries of ONE pair, skipping a pair without room for all of them", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 25 }), (n, already) => {
        // 2^8 entries at 0.125: 32 per pair.
        const a = createStatusIndexAllocator({ fillThreshold: 0.125, random: cryptoUint32Source() });
        a.addPair({ pairId: 1, sizeLog2: 8 }, []);
        a.addPair({ pairId: 2, sizeLog2: 8 }, []);
        const before = Array.from({ length: already }, () => a.allocate());
        const got = a.allocateMany(n);
        if (n > 32) {
          expect(got).toBeUndefined();
          return;
        }
        expect(got).toHaveLength(n);
        const pairs = new Set(got!.map((e) => e.pairId));
        expect(pairs.size).toBe(1);
        expect([...pairs][0]).toBe(already + n <= 32 ? 1 : 2);
        const keys = new Set([...before, ...got!].map((e) => `${e!.pairId}:${e!.index}`));
        expect(keys.size).toBe(already + n);
        for (const e of got!) expect(a.isUsed(e)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses when no pair has room for the whole batch, and release gives the entries back", () => {
    const a = createStatusIndexAllocator({ fillThreshold: 0.125, random: cryptoUint32Source() });
    a.addPair({ pairId: 1, sizeLog2: 8 }, []);
    const got = a.allocateMany(30);
    expect(a.allocateMany(3)).toBeUndefined();
    expect(a.usage()[0]?.used).toBe(30);
    for (const e of got!) a.release(e);
    expect(a.usage()[0]?.used).toBe(0);
    expect(() => a.allocateMany(0)).toThrow(RangeError);
  });

  it("allocateManyIn draws from the named pair only, past its fill threshold up to 90% full", () => {
    const a = createStatusIndexAllocator({ fillThreshold: 0.125, random: cryptoUint32Source() });
    a.addPair({ pairId: 1, sizeLog2: 8 }, []);
    a.addPair({ pairId: 2, sizeLog2: 8 }, []);
    a.allocateMany(32); // pair 1 at its threshold: new credentials go to pair 2
    expect(a.allocateMany(1)?.[0]?.pairId).toBe(2);
    const more = a.allocateManyIn(1, 198); // 32 + 198 = 230 = floor(256 * 0.9)
    expect(more?.every((e) => e.pairId === 1)).toBe(true);
    expect(new Set(more?.map((e) => e.index)).size).toBe(198);
    expect(a.allocateManyIn(1, 1)).toBeUndefined();
    expect(a.usage()[0]?.used).toBe(230);
  });
});
