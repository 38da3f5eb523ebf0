import { describe, expect, it } from "vitest";
import { formatIssuerRoute, parseIssuerRoute, personName } from "./app.ts";

describe("the issuer console's state", () => {
  it("has the find screen in the URL fragment", () => {
    expect(parseIssuerRoute("/find")).toEqual({ name: "find" });
    expect(formatIssuerRoute({ name: "find" })).toBe("/find");
    expect(parseIssuerRoute("/records")).toEqual({ name: "records" });
    expect(parseIssuerRoute("/whatever")).toEqual({ name: "issue" });
  });

  it("writes Korean names family name first, unspaced, and others given name first", () => {
    expect(personName("김", "민준")).toBe("김민준");
    expect(personName("Kim", "Minjun")).toBe("Minjun Kim");
    expect(personName("Kim", "")).toBe("Kim");
  });
});
