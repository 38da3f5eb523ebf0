import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMobileIdStatusEntry, parseMobileIdStatusEntry } from "./statusEntry.ts";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const entry = { registry: REGISTRY, revocationListId: 7n, suspensionListId: 8n, index: 104_729n };

describe("MobileIdStatusListEntry", () => {
  it("round-trips any entry", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 1n, max: 1n << 32n }), fc.bigInt({ min: 0n, max: (1n << 24n) - 1n }), (rev, delta, index) => {
        const e = { registry: REGISTRY, revocationListId: rev, suspensionListId: rev + delta, index };
        expect(parseMobileIdStatusEntry(createMobileIdStatusEntry(31337n, e), 31337n)).toEqual({ ok: true, entry: e });
      }),
    );
  });

  it.each<[string, (s: Record<string, unknown>) => void]>([
    ["a non-canonical decimal", (s) => (s["statusListIndex"] = "0104729")],
    ["a number instead of a string", (s) => (s["statusListIndex"] = 104729)],
    ["an id naming another index", (s) => (s["id"] = String(s["id"]).replace(/104729$/, "104728"))],
    ["an id of another chain", (s) => (s["id"] = String(s["id"]).replace(":31337:", ":1:"))],
    ["another type", (s) => (s["type"] = "StatusList2021Entry")],
    ["an extra member", (s) => (s["statusPurpose"] = "revocation")],
    ["list 0", (s) => {
      s["revocationListId"] = "0";
      s["id"] = String(s["id"]).replace(":7:", ":0:");
    }],
    ["the same list twice", (s) => {
      s["suspensionListId"] = "7";
      s["id"] = String(s["id"]).replace(":8:", ":7:");
    }],
    ["a registry that is not an address", (s) => (s["statusRegistry"] = "0x1234")],
  ])("refuses %s", (_, fn) => {
    const s: Record<string, unknown> = createMobileIdStatusEntry(31337n, entry);
    fn(s);
    expect(parseMobileIdStatusEntry(s, 31337n).ok).toBe(false);
  });

  it("refuses a missing entry or a non-object", () => {
    expect(parseMobileIdStatusEntry(undefined, 31337n).ok).toBe(false);
    expect(parseMobileIdStatusEntry([], 31337n).ok).toBe(false);
    expect(parseMobileIdStatusEntry("x", 31337n).ok).toBe(false);
  });

  it("compares the registry in the id case-insensitively (issuers may write it checksummed or not)", () => {
    const s = createMobileIdStatusEntry(31337n, entry);
    s["id"] = s["id"]!.toLowerCase();
    expect(parseMobileIdStatusEntry(s, 31337n).ok).toBe(true);
  });
});
