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

describe("party route input", () => {
  it("answers an address with a wrong mixed-case checksum with 400 INVALID_ADDRESS, not 500", async () => {
    const { default: Fastify } = await import("fastify");
    const { installErrorHandling } = await import("../errors.ts");
    const { registerHolderRoutes } = await import("./holder.ts");
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    // The address is refused before any ledger read: the ledger and contracts are never touched.
    registerHolderRoutes(app, { chainId: 31337, ledger: {} as never, contracts: {} as never });
    // 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc with its last letter's case flipped.
    const r = await app.inject({ method: "GET", url: "/parties/0x9965507D1a55bcC2695C58ba16FB37d819B0A4dC" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe("INVALID_ADDRESS");
    await app.close();
  });
});
