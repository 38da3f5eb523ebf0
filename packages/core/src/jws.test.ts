import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64url, encodeBase64url } from "./base64url.ts";
import { hasDuplicateKeys, parseCompactJws } from "./jws.ts";

const b64 = (v: unknown) => encodeBase64url(JSON.stringify(v));
const sig = encodeBase64url(new Uint8Array(64).fill(7));
const token = (header: unknown, payload: unknown, signature = sig) => `${b64(header)}.${b64(payload)}.${signature}`;
const ok = token({ alg: "ES256K", typ: "JWT" }, { iss: "did:ethr:0x7a69:0x01", sub: "x" });

describe("parseCompactJws", () => {
  it("accepts a well-formed ES256K compact JWS and returns the exact signing input", () => {
    const r = parseCompactJws(ok, { maxBytes: 10_000 });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.jws.signingInput).toBe(ok.slice(0, ok.lastIndexOf(".")));
      expect(r.jws.signature).toHaveLength(64);
      expect(r.jws.payload["iss"]).toBe("did:ethr:0x7a69:0x01");
    }
  });

  it.each<[string, unknown, string]>([
    ["alg none", token({ alg: "none" }, {}), "UNSUPPORTED_ALGORITHM"],
    ["alg ES256", token({ alg: "ES256" }, {}), "UNSUPPORTED_ALGORITHM"],
    ["alg es256k (case)", token({ alg: "es256k" }, {}), "UNSUPPORTED_ALGORITHM"],
    ["alg ES256K-R", token({ alg: "ES256K-R" }, {}), "UNSUPPORTED_ALGORITHM"],
    ["alg as array", token({ alg: ["ES256K"] }, {}), "UNSUPPORTED_ALGORITHM"],
    ["embedded jwk", token({ alg: "ES256K", jwk: { kty: "EC" } }, {}), "UNSUPPORTED_ALGORITHM"],
    ["crit", token({ alg: "ES256K", crit: ["b64"], b64: false }, {}), "UNSUPPORTED_ALGORITHM"],
    ["jku", token({ alg: "ES256K", jku: "https://evil.example/keys" }, {}), "UNSUPPORTED_ALGORITHM"],
    ["typ other than JWT", token({ alg: "ES256K", typ: "vp+sd-jwt" }, {}), "MALFORMED"],
    ["numeric kid", token({ alg: "ES256K", kid: 1 }, {}), "MALFORMED"],
    ["payload array", token({ alg: "ES256K" }, [1, 2]), "MALFORMED"],
    ["payload string", token({ alg: "ES256K" }, "x"), "MALFORMED"],
    ["duplicate payload key", `${b64({ alg: "ES256K" })}.${encodeBase64url('{"sub":"a","sub":"b"}')}.${sig}`, "MALFORMED"],
    ["duplicate nested key", `${b64({ alg: "ES256K" })}.${encodeBase64url('{"vc":{"type":1,"type":2}}')}.${sig}`, "MALFORMED"],
    ["duplicate header key", `${encodeBase64url('{"alg":"none","alg":"ES256K"}')}.${b64({})}.${sig}`, "MALFORMED"],
    ["short signature", token({ alg: "ES256K" }, {}, encodeBase64url(new Uint8Array(65))), "MALFORMED"],
    ["padding", `${ok}=`, "MALFORMED"],
    ["standard base64 chars", ok.replace(/\./, "+."), "MALFORMED"],
    ["four parts", `${ok}.x`, "MALFORMED"],
    ["two parts", ok.slice(0, ok.lastIndexOf(".")), "MALFORMED"],
    ["empty signature", `${ok.slice(0, ok.lastIndexOf("."))}.`, "MALFORMED"],
    ["non-string", 42, "MALFORMED"],
    ["undefined", undefined, "MALFORMED"],
    ["object", { jwt: ok }, "MALFORMED"],
    ["too large", `${ok}${"A".repeat(100)}`, "TOO_LARGE"],
  ])("refuses %s", (_name, input, code) => {
    const r = parseCompactJws(input, { maxBytes: ok.length + 50 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it("never throws and never accepts random input (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.anything()), (input) => {
        const r = parseCompactJws(input, { maxBytes: 4096 });
        expect(r.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("never accepts a token whose header was mutated to another algorithm (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }).filter((a) => a !== "ES256K"), (alg) => {
        const r = parseCompactJws(token({ alg }, { a: 1 }), { maxBytes: 4096 });
        expect(r.ok ? "accepted" : r.code).toBe("UNSUPPORTED_ALGORITHM");
      }),
    );
  });
});

describe("base64url", () => {
  it("round-trips any bytes and refuses non-canonical text (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64url(bytes);
        expect(decodeBase64url(text)).toEqual(Buffer.from(bytes));
      }),
    );
    expect(decodeBase64url("QQ")).toEqual(Buffer.from("A"));
    expect(decodeBase64url("QR")).toBeUndefined(); // non-zero trailing bits: a second spelling of "A"
    expect(decodeBase64url("Q")).toBeUndefined();
    expect(decodeBase64url("QQ==")).toBeUndefined();
    expect(decodeBase64url("Q Q")).toBeUndefined();
  });
});

describe("hasDuplicateKeys", () => {
  it("finds no duplicates in generated JSON and finds every injected duplicate (property)", () => {
    fc.assert(
      fc.property(fc.json(), (json) => {
        // fc.json() never produces duplicate keys (it serialises objects).
        expect(hasDuplicateKeys(json)).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.json(), fc.string({ maxLength: 8 }), (value, key) => {
        const k = JSON.stringify(key);
        const dupText = `{${k}:${value},"other":1,${k}:${value}}`;
        expect(hasDuplicateKeys(dupText)).toBe(true);
        expect(hasDuplicateKeys(`[${dupText}]`)).toBe(true);
      }),
    );
  });

  it("treats escaped spellings of one name as the same key", () => {
    expect(hasDuplicateKeys('{"sub":1,"s\\u0075b":2}')).toBe(true);
    expect(hasDuplicateKeys('{"a":{"b":1},"b":{"a":1}}')).toBe(false);
    expect(hasDuplicateKeys('{"a":"x\\"y","b":"\\"a\\":"}')).toBe(false);
  });
});
