import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "../base64url.ts";
import { VerificationCode } from "../verification.ts";
import { parseJwtVp } from "./nodeFormats.ts";

const ctx = { chainId: 31337n, maxBytes: 65_536, maxCredentials: 2 };
const HOLDER = "did:ethr:0x7a69:0x02b4632d08485ff1df2db55b9dafd23347d1c47a457072a1e87be26896549a8737";

function payload(): Record<string, unknown> {
  return {
    iss: HOLDER,
    aud: "library.snu.ac.kr",
    nonce: "challenge-0123456789",
    nbf: 1_767_225_600,
    exp: 1_767_225_900,
    vp: {
      "@context": ["https://www.w3.org/2018/credentials/v1"],
      type: ["VerifiablePresentation"],
      verifiableCredential: ["a.b.c"],
    },
  };
}

function token(p: Record<string, unknown>): string {
  return `${encodeBase64url('{"alg":"ES256K","typ":"JWT"}')}.${encodeBase64url(JSON.stringify(p))}.${encodeBase64url(randomBytes(64))}`;
}

function edit(fn: (p: Record<string, unknown>, vp: Record<string, unknown>) => void): string {
  const p = payload();
  fn(p, p["vp"] as Record<string, unknown>);
  return token(p);
}

describe("parseJwtVp (core README, Verifiable Presentation)", () => {
  it("normalizes the README's presentation", () => {
    const r = parseJwtVp(token(payload()), ctx);
    expect(r).toMatchObject({ ok: true, value: { audience: "library.snu.ac.kr", nonce: "challenge-0123456789", credentials: ["a.b.c"] } });
  });

  it("accepts exactly one audience: a string, or did-jwt-vc's one-element array", () => {
    expect(parseJwtVp(edit((p) => (p["aud"] = ["library.snu.ac.kr"])), ctx)).toMatchObject({ ok: true, value: { audience: "library.snu.ac.kr" } });
    expect(parseJwtVp(edit((p) => (p["aud"] = ["library.snu.ac.kr", "evil.example"])), ctx)).toMatchObject({ code: VerificationCode.MALFORMED });
    expect(parseJwtVp(edit((p) => (p["aud"] = [])), ctx)).toMatchObject({ code: VerificationCode.MALFORMED });
  });

  it.each<[string, (p: Record<string, unknown>, vp: Record<string, unknown>) => void, VerificationCode]>([
    ["no exp", (p) => delete p["exp"], VerificationCode.MALFORMED],
    ["a fractional exp", (p) => (p["exp"] = 1.5), VerificationCode.MALFORMED],
    ["a nonce array", (p) => (p["nonce"] = ["challenge-0123456789"]), VerificationCode.MALFORMED],
    ["an unknown claim", (p) => (p["sub"] = HOLDER), VerificationCode.MALFORMED],
    ["vp.holder disagreeing with iss", (_, vp) => (vp["holder"] = "did:ethr:0x7a69:0x0000000000000000000000000000000000000001"), VerificationCode.HOLDER_MISMATCH],
    ["vp.type with extras", (_, vp) => (vp["type"] = ["VerifiablePresentation", "X"]), VerificationCode.MALFORMED],
    ["vp.verifiableCredential as a string", (_, vp) => (vp["verifiableCredential"] = "a.b.c"), VerificationCode.MALFORMED],
    ["no credential", (_, vp) => (vp["verifiableCredential"] = []), VerificationCode.MALFORMED],
    ["more credentials than the cap", (_, vp) => (vp["verifiableCredential"] = ["a", "b", "c"]), VerificationCode.TOO_LARGE],
    ["an unknown vp member", (_, vp) => (vp["proof"] = {}), VerificationCode.MALFORMED],
    ["iss of another chain", (p) => (p["iss"] = HOLDER.replace("0x7a69", "0x89")), VerificationCode.DID_INVALID],
  ])("refuses %s", (_, fn, code) => {
    const r = parseJwtVp(edit(fn), ctx);
    expect(r.ok ? undefined : r.code).toBe(code);
  });

  it("accepts vp.holder equal to iss", () => {
    expect(parseJwtVp(edit((_, vp) => (vp["holder"] = HOLDER)), ctx).ok).toBe(true);
  });

  it("never throws and never accepts random input", () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(parseJwtVp(x, ctx).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
