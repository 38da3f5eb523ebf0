import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "../base64url.ts";
import { VerificationCode } from "../verification.ts";
import { parseJwtVc } from "./nodeFormats.ts";
import { createMobileIdStatusEntry } from "./statusEntry.ts";

const CHAIN = 31337n;
const ctx = { chainId: CHAIN, maxBytes: 16_384 };
const ISSUER = "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";
const HOLDER = "did:ethr:0x7a69:0x02b4632d08485ff1df2db55b9dafd23347d1c47a457072a1e87be26896549a8737";
const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

function payload(): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: HOLDER,
    nbf: 1_767_225_600,
    exp: 1_924_992_000,
    jti: "urn:uuid:2f1c0000-0000-4000-8000-000000000000",
    vc: {
      "@context": ["https://www.w3.org/2018/credentials/v1", "https://mobile-id.example/contexts/mobile-id-v1.jsonld"],
      type: ["VerifiableCredential", "StudentIDCredential"],
      credentialSchema: { id: "https://mobile-id.example/schemas/student-id.v1.json", type: "JsonSchema" },
      credentialSubject: { familyName: "김", givenName: "민준" },
      credentialStatus: createMobileIdStatusEntry(CHAIN, { registry: REGISTRY, revocationListId: 7n, suspensionListId: 8n, index: 104_729n }),
    },
  };
}

/** A token with an arbitrary (unverified) signature: the format layer never checks signatures. */
function token(p: Record<string, unknown>, header: Record<string, unknown> = { alg: "ES256K", typ: "JWT" }): string {
  return `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(p))}.${encodeBase64url(randomBytes(64))}`;
}

function edit(fn: (p: Record<string, unknown>, vc: Record<string, unknown>) => void): string {
  const p = payload();
  fn(p, p["vc"] as Record<string, unknown>);
  return token(p);
}

describe("parseJwtVc (core README, Verifiable Credential)", () => {
  it("normalizes the README's credential", () => {
    const r = parseJwtVc(token(payload()), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.issuer.did).toBe(ISSUER);
    expect(r.value.subject.publicKey).toBeDefined();
    expect(r.value.typeName).toBe("StudentIDCredential");
    expect(r.value.claims).toEqual({ familyName: "김", givenName: "민준" });
    expect(r.value.status).toEqual({
      ok: true,
      entry: { registry: REGISTRY, revocationListId: 7n, suspensionListId: 8n, index: 104_729n },
    });
    expect(r.value.proof.signature).toHaveLength(64);
  });

  it.each<[string, (p: Record<string, unknown>, vc: Record<string, unknown>) => void, VerificationCode]>([
    ["an unknown claim", (p) => (p["aud"] = "x"), VerificationCode.MALFORMED],
    ["a fractional nbf", (p) => (p["nbf"] = 1_767_225_600.5), VerificationCode.MALFORMED],
    ["a string exp", (p) => (p["exp"] = "1924992000"), VerificationCode.MALFORMED],
    ["no exp", (p) => delete p["exp"], VerificationCode.MALFORMED],
    ["no nbf", (p) => delete p["nbf"], VerificationCode.MALFORMED],
    ["a negative iat", (p) => (p["iat"] = -1), VerificationCode.MALFORMED],
    ["iss as an array", (p) => (p["iss"] = [ISSUER]), VerificationCode.MALFORMED],
    ["iss not a did:ethr", (p) => (p["iss"] = "did:web:example.com"), VerificationCode.DID_INVALID],
    ["iss of another chain", (p) => (p["iss"] = ISSUER.replace("0x7a69", "0x1")), VerificationCode.DID_INVALID],
    ["iss without chain id (mainnet)", (p) => (p["iss"] = ISSUER.replace("0x7a69:", "")), VerificationCode.DID_INVALID],
    ["sub missing", (p) => delete p["sub"], VerificationCode.MALFORMED],
    ["vc.type with a third entry", (_, vc) => (vc["type"] = ["VerifiableCredential", "StudentIDCredential", "X"]), VerificationCode.MALFORMED],
    ["vc.type as a string", (_, vc) => (vc["type"] = "StudentIDCredential"), VerificationCode.MALFORMED],
    ["vc.type in the wrong order", (_, vc) => (vc["type"] = ["StudentIDCredential", "VerifiableCredential"]), VerificationCode.MALFORMED],
    ["vc.id (a second jti)", (_, vc) => (vc["id"] = "urn:uuid:other"), VerificationCode.MALFORMED],
    ["vc.issuanceDate (a second nbf)", (_, vc) => (vc["issuanceDate"] = "2020-01-01T00:00:00Z"), VerificationCode.MALFORMED],
    ["vc.issuer disagreeing with iss", (_, vc) => (vc["issuer"] = ISSUER.replace("0x99", "0x98")), VerificationCode.HOLDER_MISMATCH],
    ["vc.issuer object disagreeing", (_, vc) => (vc["issuer"] = { id: "did:ethr:0x7a69:0x0000000000000000000000000000000000000001" }), VerificationCode.HOLDER_MISMATCH],
    ["vc.issuer object with extra members", (_, vc) => (vc["issuer"] = { id: ISSUER, name: "x" }), VerificationCode.MALFORMED],
    ["credentialSubject.id disagreeing with sub", (_, vc) => ((vc["credentialSubject"] as Record<string, unknown>)["id"] = ISSUER), VerificationCode.HOLDER_MISMATCH],
    ["credentialSubject as an array", (_, vc) => (vc["credentialSubject"] = [{ a: 1 }]), VerificationCode.MALFORMED],
    ["no credentialSchema", (_, vc) => delete vc["credentialSchema"], VerificationCode.MALFORMED],
    ["credentialSchema of another type", (_, vc) => (vc["credentialSchema"] = { id: "x", type: "JsonSchemaValidator2018" }), VerificationCode.MALFORMED],
    ["@context not starting with v1", (_, vc) => (vc["@context"] = ["https://example.com"]), VerificationCode.MALFORMED],
    ["@context as a string", (_, vc) => (vc["@context"] = "https://www.w3.org/2018/credentials/v1"), VerificationCode.MALFORMED],
    ["@context without the mobile-id context", (_, vc) => (vc["@context"] = ["https://www.w3.org/2018/credentials/v1"]), VerificationCode.MALFORMED],
    ["@context with a third entry", (_, vc) => (vc["@context"] as string[]).push("https://example.com/ctx"), VerificationCode.MALFORMED],
    ["@context with another second entry", (_, vc) => ((vc["@context"] as string[])[1] = "https://example.com/ctx"), VerificationCode.MALFORMED],
  ])("refuses %s", (_, fn, code) => {
    const r = parseJwtVc(edit(fn), ctx);
    expect(r.ok ? undefined : r.code).toBe(code);
  });

  it("accepts agreeing identity duplicates (vc.issuer, credentialSubject.id)", () => {
    const r = parseJwtVc(
      edit((_, vc) => {
        vc["issuer"] = { id: ISSUER };
        (vc["credentialSubject"] as Record<string, unknown>)["id"] = HOLDER;
      }),
      ctx,
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.claims).not.toHaveProperty("id");
  });

  it("refuses duplicate JSON keys, other algorithms and header parameters", () => {
    const p = JSON.stringify(payload());
    const dup = `${p.slice(0, -1)},"iss":"${ISSUER}"}`;
    const t = `${encodeBase64url('{"alg":"ES256K"}')}.${encodeBase64url(dup)}.${encodeBase64url(randomBytes(64))}`;
    expect(parseJwtVc(t, ctx)).toMatchObject({ ok: false, code: VerificationCode.MALFORMED });
    expect(parseJwtVc(token(payload(), { alg: "ES256K-R" }), ctx)).toMatchObject({ code: VerificationCode.UNSUPPORTED_ALGORITHM });
    expect(parseJwtVc(token(payload(), { alg: "none" }), ctx)).toMatchObject({ code: VerificationCode.UNSUPPORTED_ALGORITHM });
    expect(parseJwtVc(token(payload(), { alg: "ES256K", jwk: {} }), ctx)).toMatchObject({ code: VerificationCode.UNSUPPORTED_ALGORITHM });
  });

  it("requires a kid, if any, to name a key of the issuer", () => {
    expect(parseJwtVc(token(payload(), { alg: "ES256K", kid: `${ISSUER}#controller` }), ctx).ok).toBe(true);
    expect(parseJwtVc(token(payload(), { alg: "ES256K", kid: `${HOLDER}#controller` }), ctx)).toMatchObject({
      code: VerificationCode.HOLDER_MISMATCH,
    });
  });

  it("caps the size before decoding", () => {
    expect(parseJwtVc(token(payload()), { chainId: CHAIN, maxBytes: 100 })).toMatchObject({ code: VerificationCode.TOO_LARGE });
  });

  it("carries status problems instead of failing the parse (reported later as STATUS_INVALID)", () => {
    const r = parseJwtVc(edit((_, vc) => delete vc["credentialStatus"]), ctx);
    expect(r.ok && !r.value.status.ok).toBe(true);
  });

  it("never throws and never accepts random input", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.stringMatching(/^[A-Za-z0-9_.-]{0,300}$/)), (x) => {
        const r = parseJwtVc(x, ctx);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws for random JSON payloads in a well-formed JWS", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.constantFrom("iss", "sub", "nbf", "exp", "iat", "jti", "vc"), fc.jsonValue()), (a, b) => {
        parseJwtVc(token({ ...b, x: a }), ctx);
        parseJwtVc(token(b), ctx);
      }),
      { numRuns: 1000 },
    );
  });
});
