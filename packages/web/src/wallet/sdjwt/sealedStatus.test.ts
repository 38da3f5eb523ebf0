import { describe, expect, it } from "vitest";
import type { DeviceDb } from "../idb.ts";
import { LAST_STATUS_KEY } from "../lastStatus.ts";
import { forgetSealedStatus, lastKnownStatuses, rememberStatuses } from "./sealedStatus.ts";
import { openVault } from "./vault.ts";

const memoryDb = (): DeviceDb & { data: Map<string, unknown> } => {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async <T>(store: string, key: string) => data.get(`${store}/${key}`) as T | undefined,
    put: async (store, key, value) => void data.set(`${store}/${key}`, value),
    delete: async (store, key) => void data.delete(`${store}/${key}`),
    keys: async (store) => [...data.keys()].filter((k) => k.startsWith(`${store}/`)).map((k) => k.slice(store.length + 1)),
  };
};
const memoryStorage = () => {
  const data = new Map<string, string>();
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
};

describe("last known statuses, sealed in the device vault", () => {
  it("remembered sealed (nothing readable at rest), shown stale offline, only with the vault key", async () => {
    const db = memoryDb();
    const vault = await openVault({ db, passphrase: "correct horse battery" });
    await rememberStatuses({ vault, fresh: [["card-1", { state: "valid", issuerName: "서울대학교", block: 5, blockTime: 9 }]], now: 1000 });
    const atRest = JSON.stringify([...db.data.values()]);
    expect(atRest).not.toContain("card-1");
    expect(atRest).not.toContain("서울대학교");
    expect(atRest).not.toContain("valid");
    const offline = await rememberStatuses({ vault, fresh: [["card-1", { state: "unknown" }], ["card-2", { state: "unknown" }]], now: 2000 });
    expect(offline).toEqual([
      ["card-1", { state: "valid", issuerName: "서울대학교", block: 5, blockTime: 9, checkedAt: 1000, stale: true }],
      ["card-2", { state: "unknown" }],
    ]);
    // Another vault key (another wallet's passphrase on a fresh device record) reads nothing.
    const other = await openVault({ db: memoryDb(), passphrase: "another passphrase" });
    expect((await lastKnownStatuses(other)).size).toBe(0);
    expect((await lastKnownStatuses(vault)).get("card-1")).toMatchObject({ state: "valid", stale: true });
    await forgetSealedStatus(vault, "card-1");
    expect((await lastKnownStatuses(vault)).size).toBe(0);
  });

  it("moves the clear entries of an earlier version into the vault and erases them", async () => {
    const vault = await openVault({ db: memoryDb(), passphrase: "correct horse battery" });
    const legacy = memoryStorage();
    legacy.setItem(LAST_STATUS_KEY, JSON.stringify({ old: { state: "suspended", issuerName: "경찰청", checkedAt: 500, stale: false } }));
    const shown = await rememberStatuses({ vault, fresh: [["old", { state: "unknown" }]], now: 3000, legacy });
    expect(shown[0]?.[1]).toMatchObject({ state: "suspended", issuerName: "경찰청", checkedAt: 500, stale: true });
    expect(legacy.data.size).toBe(0);
    expect((await lastKnownStatuses(vault)).get("old")).toMatchObject({ state: "suspended" });
  });
});
