import { describe, expect, it } from "vitest";
import { checkHumanText, findBadText, normalizeDomain } from "./text.ts";

describe("human-readable text", () => {
  it("accepts ordinary names in any script", () => {
    for (const name of ["김민준", "서울대학교", "Ana María O'Neil-Smith", "محمد", "José 🙂", "李 小龍"]) expect(checkHumanText(name), name).toBeUndefined();
  });

  it("refuses lone surrogates, controls, bidi overrides and isolates, and text that shows nothing", () => {
    expect(checkHumanText("a\ud800b")).toBe("LONE_SURROGATE");
    expect(checkHumanText("\udc00")).toBe("LONE_SURROGATE");
    expect(checkHumanText("a\u0000")).toBe("CONTROL_CHARACTER");
    expect(checkHumanText("a\nb")).toBe("CONTROL_CHARACTER");
    expect(checkHumanText("a\u0085")).toBe("CONTROL_CHARACTER");
    expect(checkHumanText("abc\u202edcba")).toBe("BIDI_CONTROL");
    expect(checkHumanText("\u2066x\u2069")).toBe("BIDI_CONTROL");
    for (const blank of ["\u3164", "\u200b\u200d", " \u00a0", "\u115f\u1160", "\u2800", "\ufeff"]) {
      expect(checkHumanText(blank), JSON.stringify(blank)).toBe("INVISIBLE_ONLY");
    }
  });

  it("points at the first bad string inside claims, keys included", () => {
    expect(findBadText({ givenName: "민준", address: { lines: ["ok", "x\u202e"] } })).toEqual({ path: "/address/lines/1", problem: "BIDI_CONTROL" });
    expect(findBadText({ "a\u0000": "x" })).toEqual({ path: "/a\u0000", problem: "CONTROL_CHARACTER" });
    expect(findBadText({ a: 1, b: [true, null, "fine"] })).toBeUndefined();
  });
});

describe("domains", () => {
  it("folds case and converts internationalised names to punycode", () => {
    expect(normalizeDomain("Library.SNU.ac.kr")).toBe("library.snu.ac.kr");
    expect(normalizeDomain("서울대.kr")).toBe("xn--vk1bo1ydle.kr");
    expect(normalizeDomain("localhost")).toBe("localhost");
  });

  it("refuses what is not a host name", () => {
    for (const bad of ["", "a..b", ".a.com", "a.com.", "-a.com", "a-.com", "a_b.com", "1.2.3.4", "0x7f.1", "xn--zz.com", "a b.com", `${"a".repeat(64)}.com`, `${"a.".repeat(127)}com`, "a\u202e.com", "exa/mple.com"]) {
      expect(normalizeDomain(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
