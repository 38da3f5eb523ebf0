import { describe, expect, it } from "vitest";
import { settableClock } from "@mobile-id/core";
import { createMemoryNonceStore } from "./nonceStore.ts";

describe("createMemoryNonceStore", () => {
  it("accepts a challenge once until it expires", async () => {
    const clock = settableClock(100);
    const store = createMemoryNonceStore({ clock });
    expect(await store.consume("c1", 200)).toBe(true);
    expect(await store.consume("c1", 200)).toBe(false);
    clock.set(200);
    expect(await store.consume("c1", 300)).toBe(false);
    clock.set(201);
    expect(await store.consume("c1", 300)).toBe(true);
  });

  it("drops expired challenges when full, and refuses to forget live ones (NONCE_STORE_FULL)", async () => {
    const clock = settableClock(100);
    const store = createMemoryNonceStore({ maxEntries: 2, clock });
    expect(await store.consume("a", 150)).toBe(true);
    expect(await store.consume("b", 300)).toBe(true);
    expect(() => store.consume("c", 300)).toThrow(expect.objectContaining({ code: "NONCE_STORE_FULL" }));
    clock.set(151);
    expect(await store.consume("c", 300)).toBe(true);
    expect(await store.consume("b", 300)).toBe(false);
  });

  it("refuses a bad size", () => {
    expect(() => createMemoryNonceStore({ maxEntries: 0 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
