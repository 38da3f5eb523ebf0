import { describe, expect, it } from "vitest";
import { createMemoryNonceStore } from "./nonceStore.ts";

describe("createMemoryNonceStore", () => {
  it("accepts a challenge once until it expires", async () => {
    let now = 100;
    const store = createMemoryNonceStore({ clock: () => now });
    expect(await store.consume("c1", 200)).toBe(true);
    expect(await store.consume("c1", 200)).toBe(false);
    now = 200;
    expect(await store.consume("c1", 300)).toBe(false);
    now = 201;
    expect(await store.consume("c1", 300)).toBe(true);
  });

  it("drops expired challenges when full, and refuses to forget live ones (NONCE_STORE_FULL)", async () => {
    let now = 100;
    const store = createMemoryNonceStore({ maxEntries: 2, clock: () => now });
    expect(await store.consume("a", 150)).toBe(true);
    expect(await store.consume("b", 300)).toBe(true);
    expect(() => store.consume("c", 300)).toThrow(expect.objectContaining({ code: "NONCE_STORE_FULL" }));
    now = 151;
    expect(await store.consume("c", 300)).toBe(true);
    expect(await store.consume("b", 300)).toBe(false);
  });

  it("refuses a bad size", () => {
    expect(() => createMemoryNonceStore({ maxEntries: 0 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
