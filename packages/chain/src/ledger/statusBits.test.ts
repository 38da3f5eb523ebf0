import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatusListBook } from "./statusBits.ts";
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
