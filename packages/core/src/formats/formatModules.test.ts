import { generateKeyPairSync, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SigningKey, computeAddress } from "ethers";
import { toEthrDid, toPublicKeyEthrDid } from "../did.ts";
import { parseCompactJws } from "../jws.ts";
import { VerificationCode } from "../verification.ts";
import * as browser from "./browserFormats.ts";
import { JWT_VC_FORMAT } from "./jwtVc.ts";
import { JWT_VP_FORMAT } from "./jwtVp.ts";
import * as node from "./nodeFormats.ts";
import { createNodeEs256Signer, createNodeEs256kSigner } from "./nodeSigners.ts";
import { createFormatRegistry } from "./registry.ts";
import { createMobileIdStatusEntry } from "./statusEntry.ts";
import type { CredentialDraft, CredentialFormat, PresentationDraft } from "./types.ts";

const CHAIN = 31337n;
const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const issuerKey = `0x${"11".repeat(32)}`;
const ISSUER = toEthrDid(CHAIN, computeAddress(new SigningKey(issuerKey).publicKey));
const holderKey = `0x${"22".repeat(32)}`;
const HOLDER = toPublicKeyEthrDid(CHAIN, new SigningKey(holderKey).publicKey);
const ctx = { chainId: CHAIN, maxBytes: 16_384 };

function draft(over: Partial<CredentialDraft> = {}): CredentialDraft {
  return {
    issuer: ISSUER,
    holder: { kind: "did", did: HOLDER },
    type: { name: "StudentIDCredential", schemaUri: "urn:mobile-id:schema:StudentIDCredential:1" },
    claims: { familyName: "김", givenName: "민준" },
    id: "urn:uuid:2f1c0000-0000-4000-8000-000000000000",
    validFrom: 1_767_225_600,
    validUntil: 1_924_992_000,
    status: { registry: REGISTRY, revocationListId: 7n, suspensionListId: 8n, index: 104_729n },
    chainId: CHAIN,
    ...over,
  };
}

const issuerSigner = { ...createNodeEs256kSigner(issuerKey), kid: `${ISSUER}#controller` };
const holderSigner = { ...createNodeEs256kSigner(holderKey), kid: `${HOLDER}#controller` };

describe("the JWT-VC format module: build, sign, parse", () => {
  it("parses back what it built and signed, for any claims and times, in both entries' builds alike", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== "id" && k !== "__proto__"), fc.jsonValue(), { maxKeys: 6 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.bigInt({ min: 0n, max: (1n << 24n) - 1n }),
        async (claims, nbf, life, index) => {
          const d = draft({ claims, validFrom: nbf, validUntil: nbf + life, status: { ...draft().status, index } });
          const jwt = await node.jwtVcFormat.sign(node.jwtVcFormat.build(d), issuerSigner);
          const r = node.jwtVcFormat.parse(jwt, ctx);
          if (!r.ok) throw new Error(r.message);
          expect(r.value).toMatchObject({
            format: JWT_VC_FORMAT,
            id: d.id,
            typeName: "StudentIDCredential",
            schemaUri: d.type.schemaUri,
            validFrom: nbf,
            validUntil: nbf + life,
            issuedAt: undefined,
            status: { ok: true, entry: { ...d.status, registry: REGISTRY } },
            holderBinding: { kind: "did", did: HOLDER },
            proof: { alg: "ES256K", kid: issuerSigner.kid },
          });
          expect(r.value.issuer.did).toBe(ISSUER);
          expect(r.value.subject.did).toBe(HOLDER);
          expect(JSON.stringify(r.value.claims)).toBe(JSON.stringify(JSON.parse(JSON.stringify(claims))));
          expect(browser.jwtVcFormat.parse(jwt, ctx)).toEqual(r);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("writes the core README's claims in did-jwt-vc's order, iat only when the draft has one", async () => {
    const p = node.jwtVcFormat.build(draft());
    expect(Object.keys(p)).toEqual(["exp", "vc", "sub", "nbf", "jti", "iss"]);
    expect(p.vc.credentialStatus).toEqual(createMobileIdStatusEntry(CHAIN, draft().status));
    expect(Object.keys(node.jwtVcFormat.build(draft({ issuedAt: 5 })))[0]).toBe("iat");
    const jws = parseCompactJws(await node.jwtVcFormat.sign(p, issuerSigner), { maxBytes: 16_384 });
    expect(jws.ok && jws.jws.header).toEqual({ alg: "ES256K", kid: issuerSigner.kid, typ: "JWT" });
  });

  it("refuses to build what a JWT-VC cannot say: a key-bound holder, claims with an id", () => {
    const jwk = { kty: "EC", crv: "P-256", x: "x", y: "y" } as const;
    expect(() => node.jwtVcFormat.build(draft({ holder: { kind: "jwk", jwk } }))).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => node.jwtVcFormat.build(draft({ claims: { id: HOLDER } }))).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("parses an ES256 credential only where ES256 is allowed (algorithm-agile, ES256K by default)", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwt = await node.jwtVcFormat.sign(node.jwtVcFormat.build(draft()), { ...createNodeEs256Signer(privateKey), kid: `${ISSUER}#p256` });
    expect(node.jwtVcFormat.parse(jwt, ctx)).toMatchObject({ ok: false, code: VerificationCode.UNSUPPORTED_ALGORITHM });
    const r = node.jwtVcFormat.parse(jwt, { ...ctx, algorithms: ["ES256K", "ES256"] });
    expect(r.ok && r.value.proof.alg).toBe("ES256");
    const es256kOnly = await node.jwtVcFormat.sign(node.jwtVcFormat.build(draft()), issuerSigner);
    expect(node.jwtVcFormat.parse(es256kOnly, { ...ctx, algorithms: ["ES256"] })).toMatchObject({ ok: false, code: VerificationCode.UNSUPPORTED_ALGORITHM });
  });
});

describe("the JWT-VP format module: build, sign, parse", () => {
  const vpDraft = (over: Partial<PresentationDraft> = {}): PresentationDraft => ({
    holder: { kind: "did", did: HOLDER },
    audience: "library.snu.ac.kr",
    nonce: "n0nce",
    id: "urn:uuid:3f1c0000-0000-4000-8000-000000000000",
    validFrom: 1_767_225_600,
    validUntil: 1_767_225_900,
    credentials: ["a.b.c"],
    ...over,
  });

  it("parses back what it built and signed, in did-jwt-vc's claim order, in both entries' builds alike", async () => {
    const vc = await node.jwtVcFormat.sign(node.jwtVcFormat.build(draft()), issuerSigner);
    const payload = node.jwtVpFormat.build(vpDraft({ credentials: [vc] }));
    expect(Object.keys(payload)).toEqual(["exp", "vp", "aud", "nbf", "jti", "nonce", "iss"]);
    const jwt = await node.jwtVpFormat.sign(payload, holderSigner);
    const pctx = { chainId: CHAIN, maxBytes: 65_536, maxCredentials: 8 };
    const r = node.jwtVpFormat.parse(jwt, pctx);
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({
      format: JWT_VP_FORMAT,
      audience: "library.snu.ac.kr",
      nonce: "n0nce",
      validFrom: 1_767_225_600,
      validUntil: 1_767_225_900,
      credentials: [vc],
      proof: { alg: "ES256K", kid: holderSigner.kid },
    });
    expect(r.value.holder.did).toBe(HOLDER);
    expect(browser.jwtVpFormat.parse(jwt, pctx)).toEqual(r);
  });

  it("refuses to build a presentation without a credential or without a holder DID", () => {
    expect(() => node.jwtVpFormat.build(vpDraft({ credentials: [] }))).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    const jwk = { kty: "EC", crv: "P-256", x: "x", y: "y" } as const;
    expect(() => node.jwtVpFormat.build(vpDraft({ holder: { kind: "jwk", jwk } }))).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("createFormatRegistry", () => {
  it("finds a format by name and by what it accepts; adding one is one entry", () => {
    const other: CredentialFormat = {
      format: "test-other",
      accepts: (raw) => typeof raw === "string" && raw.includes("~"),
      parse: () => ({ ok: false, code: VerificationCode.MALFORMED, message: "test" }),
      build: () => ({}),
      sign: () => Promise.resolve("x~"),
    };
    const formats = createFormatRegistry({ credentialFormats: [node.jwtVcFormat, other], presentationFormats: [node.jwtVpFormat] });
    expect(formats.credential("jwt-vc")).toBe(node.jwtVcFormat);
    expect(formats.credential("test-other")).toBe(other);
    expect(formats.presentation("jwt-vp")).toBe(node.jwtVpFormat);
    expect(formats.credentialFor("h.p.s")).toBe(node.jwtVcFormat);
    expect(formats.credentialFor("h.p.s~disclosure~")).toBe(other);
    expect(formats.credentialFor(42)).toBeUndefined();
    expect(formats.presentationFor("h.p.s")).toBe(node.jwtVpFormat);
    expect(() => formats.credential("sd-jwt")).toThrow(expect.objectContaining({ code: "FORMAT_UNKNOWN" }));
    expect(() => formats.presentation("jwt-vc")).toThrow(expect.objectContaining({ code: "FORMAT_UNKNOWN" }));
  });

  it("refuses two formats of one name", () => {
    expect(() => createFormatRegistry({ credentialFormats: [node.jwtVcFormat, browser.jwtVcFormat], presentationFormats: [] })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });

  it("each entry's default registry holds today's formats (JWT-VC, SD-JWT VC, JWT-VP)", () => {
    expect(node.defaultFormats.credentialFormats.map((f) => f.format)).toEqual(["jwt-vc", "dc+sd-jwt"]);
    expect(node.defaultFormats.presentationFormats.map((f) => f.format)).toEqual(["jwt-vp"]);
    expect(browser.defaultFormats.credentialFormats.map((f) => f.format)).toEqual(["jwt-vc", "dc+sd-jwt"]);
    expect(node.defaultFormats.credential("jwt-vc")).toBe(node.jwtVcFormat);
    expect(browser.defaultFormats.credential("jwt-vc")).toBe(browser.jwtVcFormat);
  });
});

describe("the one status-entry writer", () => {
  it("refuses a registry that is not an address, a bad checksum and negative numbers", () => {
    const e = draft().status;
    expect(() => createMobileIdStatusEntry(CHAIN, { ...e, registry: "0x1234" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => createMobileIdStatusEntry(CHAIN, { ...e, registry: REGISTRY.replace("F", "f") })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => createMobileIdStatusEntry(CHAIN, { ...e, index: -1n })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    // Lower- and upper-case addresses carry no checksum: accepted and written checksummed.
    expect(createMobileIdStatusEntry(CHAIN, { ...e, registry: REGISTRY.toLowerCase() }).statusRegistry).toBe(REGISTRY);
    expect(createMobileIdStatusEntry(31337, e)).toEqual(createMobileIdStatusEntry(CHAIN, e));
  });
});

describe("browser-safe builds", () => {
  it("parse like the Node builds on arbitrary tokens (same answers, different DID parsers)", () => {
    fc.assert(
      fc.property(fc.constantFrom(HOLDER, ISSUER, `did:ethr:0x7a69:0x02${randomBytes(32).toString("hex")}`, "did:ethr:0x1:0x00"), fc.string(), (sub, s) => {
        const payload = { ...node.jwtVcFormat.build(draft()), sub, jti: s };
        const jwt = `${Buffer.from('{"alg":"ES256K","typ":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${randomBytes(64).toString("base64url")}`;
        expect(browser.jwtVcFormat.parse(jwt, ctx)).toEqual(node.jwtVcFormat.parse(jwt, ctx));
      }),
      { numRuns: 200 },
    );
  });
});
