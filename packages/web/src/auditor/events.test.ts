import { describe, expect, it } from "vitest";
import { eventQuery } from "./events.ts";

describe("the event list's filters", () => {
  it("become the service's query: only the filters set, days as local midnight to the day's last second", () => {
    expect(eventQuery({ category: "", actor: "", type: "", from: "", to: "" })).toBe("");
    const q = new URLSearchParams(eventQuery({ category: "status", actor: "0xAbC", type: "StudentIDCredential", from: "2026-12-01", to: "2026-12-02" }, "csv").slice(1));
    expect(Object.fromEntries(q)).toEqual({
      category: "status",
      actor: "0xAbC",
      type: "StudentIDCredential",
      from: String(new Date(2026, 11, 1).getTime() / 1000),
      to: String(new Date(2026, 11, 3).getTime() / 1000 - 1),
      format: "csv",
    });
  });
});
