import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import { findDuplicateKey, parseStrictJson } from "./strictJson.ts";

const codeOf = (text: string): string | undefined => {
  try {
    parseStrictJson(text);
    return undefined;
  } catch (e) {
    return isMobileIdError(e) ? e.code : "NOT_A_MOBILE_ID_ERROR";
  }
};

describe("strict JSON bodies", () => {
  it("refuses a key given twice in one object, at any depth, also when escaped differently", () => {
    expect(codeOf('{"presentation":"a","presentation":"b"}')).toBe("DUPLICATE_JSON_KEY");
    expect(codeOf('{"a":{"b":1,"b":2}}')).toBe("DUPLICATE_JSON_KEY");
    expect(codeOf('[{"x":1},{"y":[{"k":1,"k":1}]}]')).toBe("DUPLICATE_JSON_KEY");
    expect(findDuplicateKey('{"a":1,"\\u0061":2}')).toBe("a");
  });

  it("accepts the same key in different objects, and keys that look alike inside string values", () => {
    expect(parseStrictJson('{"a":{"a":1},"b":[{"a":2},{"a":3}]}')).toEqual({ a: { a: 1 }, b: [{ a: 2 }, { a: 3 }] });
    expect(parseStrictJson('{"a":"\\",\\"a\\":1","b":"{\\"a\\":2}"}')).toEqual({ a: '","a":1', b: '{"a":2}' });
  });

  it("refuses prototype poisoning, bad syntax and an empty body", () => {
    expect(codeOf('{"__proto__":{"admin":true}}')).toBe("INVALID_JSON");
    expect(codeOf('{"constructor":{"prototype":{"admin":true}}}')).toBe("INVALID_JSON");
    expect(codeOf('{"a":1,}')).toBe("INVALID_JSON");
    expect(codeOf("  ")).toBe("INVALID_JSON");
  });

  it("finds a duplicate exactly when an object has one (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value);
        // JSON.stringify never writes a key twice.
        expect(findDuplicateKey(text)).toBeUndefined();
        if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
          const [key] = Object.keys(value);
          const doubled = `${text.slice(0, -1)},${JSON.stringify(key)}:0}`;
          expect(findDuplicateKey(doubled)).toBe(key);
        }
      }),
    );
  });
});
