import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wordsToBytes } from "./holder.ts";

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
