import { describe, expect, it } from "vitest";
import { createStore } from "./store.ts";

describe("createStore", () => {
  it("merges patches into a new frozen state and tells subscribers once per change", () => {
    const store = createStore({ count: 0, name: "a" as string | undefined });
    const seen: number[] = [];
    const stop = store.subscribe((s) => seen.push(s.count));
    const before = store.get();
    store.set({ count: 1 });
    store.set((s) => ({ count: s.count + 1, name: undefined }));
    expect(store.get()).toEqual({ count: 2, name: undefined });
    expect(before).toEqual({ count: 0, name: "a" }); // the old state is never changed
    expect(Object.isFrozen(store.get())).toBe(true);
    expect(seen).toEqual([1, 2]);
    stop();
    store.set({ count: 3 });
    expect(seen).toEqual([1, 2]);
  });

  it("drops a patch that changes nothing (no redraw)", () => {
    const store = createStore({ count: 0, list: [] as number[] });
    let calls = 0;
    store.subscribe(() => calls++);
    store.set({ count: 0 });
    store.set({ list: store.get().list });
    expect(calls).toBe(0);
    store.set({ list: [1] });
    expect(calls).toBe(1);
  });
});
