import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StatusEntryEvent, StatusWordsEvent } from "./events.ts";
import { applyStatusEvent, popcount } from "./applyStatusEvent.ts";

const at = { blockNumber: 1, logIndex: 0, transactionHash: "0x" };
const word256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });

describe("popcount", () => {
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

describe("applyStatusEvent", () => {
  // Model: the set of entries whose bit is set, over the first 4 words (1,024 entries).
  const op = fc.oneof(
    fc.record({ kind: fc.constant("single" as const), set: fc.boolean(), index: fc.integer({ min: 0, max: 1023 }) }),
    fc.record({
      kind: fc.constant("batch" as const),
      set: fc.boolean(),
      words: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }).map((ws) => ws.sort((a, b) => a - b)),
      masks: fc.array(word256.filter((m) => m !== 0n), { minLength: 4, maxLength: 4 }),
    }),
  );

  it("matches a per-entry model: words, entries named, and entries left unchanged", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const model = new Set<number>();
        const words = new Map<bigint, bigint>();
        for (const o of ops) {
          let event: StatusEntryEvent | StatusWordsEvent;
          let named: number[];
          if (o.kind === "single") {
            event = { ...at, name: o.set ? "StatusEntrySet" : "StatusEntryCleared", listId: 1n, index: BigInt(o.index), reason: 1 };
            named = [o.index];
          } else {
            const masks = o.words.map((_, i) => o.masks[i] ?? 1n);
            event = { ...at, name: o.set ? "StatusWordsSet" : "StatusWordsCleared", listId: 1n, reason: 1, wordIndexes: o.words.map(BigInt), masks };
            named = o.words.flatMap((w, i) => [...Array(256).keys()].filter((b) => ((masks[i]! >> BigInt(b)) & 1n) === 1n).map((b) => w * 256 + b));
          }
          const unchanged = named.filter((i) => model.has(i) === o.set).length;
          for (const i of named) {
            if (o.set) model.add(i);
            else model.delete(i);
          }
          expect(applyStatusEvent(words, event)).toEqual({ entries: named.length, unchanged });
        }
        for (let w = 0n; w < 4n; w++) {
          let expected = 0n;
          for (const i of model) if (BigInt(i) >> 8n === w) expected |= 1n << (BigInt(i) & 0xffn);
          expect(words.get(w) ?? 0n).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
