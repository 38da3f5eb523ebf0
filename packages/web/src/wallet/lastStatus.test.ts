import { describe, expect, it } from "vitest";
import { type KeyValueStorage, forgetStatus, withLastKnown } from "./lastStatus.ts";

const memory = (): KeyValueStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

describe("last known card status", () => {
  it("remembers a definitive answer and shows it, stale, when the next check cannot reach the ledger", () => {
    const s = memory();
    const fresh = withLastKnown(s, "c1", { state: "valid", issuerName: "서울대학교", block: 7, blockTime: 100 }, 1000);
    expect(fresh).toMatchObject({ state: "valid", checkedAt: 1000, stale: false });
    const offline = withLastKnown(s, "c1", { state: "unknown" }, 2000);
    expect(offline).toMatchObject({ state: "valid", issuerName: "서울대학교", checkedAt: 1000, stale: true });
  });

  it("a later definitive answer replaces the remembered one; other cards are kept apart", () => {
    const s = memory();
    withLastKnown(s, "c1", { state: "valid", block: 1 }, 1000);
    withLastKnown(s, "c1", { state: "revoked", block: 2 }, 1500);
    withLastKnown(s, "c2", { state: "suspended", block: 2 }, 1500);
    expect(withLastKnown(s, "c1", { state: "unknown" }, 3000)).toMatchObject({ state: "revoked", checkedAt: 1500, stale: true });
    expect(withLastKnown(s, "c2", { state: "unknown" }, 3000)).toMatchObject({ state: "suspended", stale: true });
  });

  it("without anything remembered (or after forgetting), offline stays unknown; damaged storage is ignored", () => {
    const s = memory();
    expect(withLastKnown(s, "c1", { state: "unknown" }, 1)).toEqual({ state: "unknown" });
    withLastKnown(s, "c1", { state: "valid", block: 1 }, 1000);
    forgetStatus(s, "c1");
    expect(withLastKnown(s, "c1", { state: "unknown" }, 2)).toEqual({ state: "unknown" });
    s.data.set("mobile-id.wallet.last-status", "{not json");
    expect(withLastKnown(s, "c1", { state: "unknown" }, 2)).toEqual({ state: "unknown" });
  });
});
