import { deflateSync } from "node:zlib";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeBase64url } from "../../base64url.ts";
import { createP256Signer, createSecp256k1Signer } from "./crypto.ts";
import { MAX_SD_JWT_VC_BYTES } from "./constants.ts";
import { nodeEs256Verify, nodeEs256kPublicKeyVerifier, nodeSha256 } from "./node.ts";
import { presentSdJwtVc } from "./presentSdJwtVc.ts";
import {
  CHAIN_ID,
  ISSUER_DID,
  ISSUER_HEADER,
  ISSUER_PUBLIC_KEY,
  NOW,
  STATUS_URI,
  assemble,
  basePayload,
  digestOf,
  disclosure,
  holderSigners,
  issueSample,
  issuerSigner,
  signJws,
} from "./testing.ts";
import { type VerifySdJwtVcParameters, es256kPublicKeyVerifier, verifySdJwtVc } from "./verifySdJwtVc.ts";

const REQUEST = { audience: "shop.example", nonce: "challenge-1" } as const;

function verify(token: unknown, overrides: Partial<VerifySdJwtVcParameters> = {}) {
  return verifySdJwtVc({
    token,
    now: NOW,
    chainId: CHAIN_ID,
    verifyIssuerSignature: es256kPublicKeyVerifier(ISSUER_PUBLIC_KEY),
    keyBinding: REQUEST,
    ...overrides,
  });
}

async function expectRefused(token: unknown, code: string, overrides: Partial<VerifySdJwtVcParameters> = {}) {
  const r = await verify(token, overrides);
  expect(r.ok ? "verified" : r.code).toBe(code);
  return r;
}

/** A hand-built presentation: `familyName` disclosed, holder-bound, everything valid unless changed. */
async function forged(options: {
  readonly payload?: (p: Record<string, unknown>, digests: { family: string }) => Record<string, unknown>;
  readonly header?: Record<string, unknown>;
  readonly extraDisclosures?: readonly string[];
  readonly disclosures?: (family: string) => readonly string[];
  readonly kbHeader?: Record<string, unknown>;
  readonly kbPayload?: Record<string, unknown>;
  readonly noKb?: boolean;
  readonly issuer?: Parameters<typeof signJws>[2];
}) {
  const [holder] = holderSigners(1);
  if (holder === undefined) throw new Error("unreachable");
  const family = disclosure("familyName", "Kim");
  const base = basePayload(holder, { _sd: [family.digest] });
  const payload = options.payload?.(base, { family: family.digest }) ?? base;
  const jwt = await signJws(options.header ?? { ...ISSUER_HEADER }, payload, options.issuer ?? issuerSigner);
  const disclosures = [...(options.disclosures?.(family.encoded) ?? [family.encoded]), ...(options.extraDisclosures ?? [])];
  return assemble({
    jwt,
    disclosures,
    holder,
    ...(options.kbHeader === undefined ? {} : { kbHeader: options.kbHeader }),
    ...(options.kbPayload === undefined ? {} : { kbPayload: options.kbPayload }),
    ...(options.noKb === true ? { noKb: true } : {}),
  });
}

describe("verifySdJwtVc: what passes", () => {
  it("an age-only presentation yields `true` for 19 and nothing else, and reports withheld claims", async () => {
    const { copies, holders } = await issueSample("DriversLicenseCredential");
    const vp = await presentSdJwtVc({
      credential: copies[0] as string,
      claims: [["age_equal_or_over", "19"]],
      ...REQUEST,
      issuedAt: NOW,
      holderSigner: holders[0] as never,
    });
    const r = await verify(vp, { requestedClaims: [["age_equal_or_over", "19"], "familyName"] });
    if (!r.ok) throw new Error(r.message);
    // Born 2007-12-08: 18 on 2026-12-07.
    expect(r.value.claims).toEqual({ age_equal_or_over: { "19": false } });
    expect(r.value.withheld).toEqual([["familyName"]]);
    expect(r.value.typeName).toBe("DriversLicenseCredential");
    expect(r.value.issuer.did).toBe(ISSUER_DID);
    expect(r.value.keyBound).toBe(true);
  });

  it("a portrait presentation fits the caps; Node crypto gives the same answer as the browser-safe default", async () => {
    const { copies, holders } = await issueSample("StudentIDCredential");
    const vp = await presentSdJwtVc({
      credential: copies[0] as string,
      claims: ["familyName", "givenName", "enrollmentStatus", "portrait"],
      ...REQUEST,
      issuedAt: NOW,
      holderSigner: holders[0] as never,
    });
    const a = await verify(vp);
    const b = await verify(vp, { sha256: nodeSha256, es256Verify: nodeEs256Verify, verifyIssuerSignature: nodeEs256kPublicKeyVerifier(ISSUER_PUBLIC_KEY) });
    expect(a.ok && Object.keys(a.value.claims).sort()).toEqual(["enrollmentStatus", "familyName", "givenName", "portrait"]);
    expect(b).toEqual(a);
  });

  it("a credential as issued (no KB-JWT) verifies when no request is answered", async () => {
    const { copies } = await issueSample("ResidentIDCredential");
    const r = await verify(copies[0], { keyBinding: undefined });
    expect(r.ok && r.value.claims.residentRegistrationNumber).toBe("900101-1234567");
  });

  it("a stock @sd-jwt 0.19.0 verifier accepts what this module issues and presents, and sees a revoked copy as invalid", async () => {
    const { copies, holders } = await issueSample("StudentIDCredential", 2);
    // A Token Status List (2 bits per entry) in which copy 1's entry (idx 20) is 1 = invalid, signed by the issuer.
    const statusList = (revoked: boolean) => {
      const bits = new Uint8Array(16);
      if (revoked) bits[5] = 0b01; // idx 20: byte 20 * 2 / 8 = 5, lowest bits first
      return signJws(
        { alg: "ES256K", typ: "statuslist+jwt", kid: ISSUER_HEADER.kid },
        { sub: STATUS_URI, iat: NOW - 10, exp: NOW + 600, ttl: 300, status_list: { bits: 2, lst: encodeBase64url(deflateSync(bits)) } },
        issuerSigner,
      );
    };
    let statusListJwt = await statusList(false);
    const issuerCheck = es256kPublicKeyVerifier(ISSUER_PUBLIC_KEY);
    const stock = new SDJwtVcInstance({
      hasher: (data) => nodeSha256(typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data)),
      verifier: (data, sig) =>
        issuerCheck({ alg: "ES256K", kid: "", issuer: { did: ISSUER_DID, chainId: CHAIN_ID, address: "" }, signingInput: data, signature: Buffer.from(sig, "base64url") }),
      kbVerifier: (data, sig, payload) => nodeEs256Verify(new TextEncoder().encode(data), Buffer.from(sig, "base64url"), (payload.cnf as { jwk: never }).jwk),
      statusListFetcher: async (uri) => {
        expect(uri).toBe(STATUS_URI);
        return statusListJwt;
      },
    });
    const present = (i: number) =>
      presentSdJwtVc({ credential: copies[i] as string, claims: ["institution"], ...REQUEST, issuedAt: NOW, holderSigner: holders[i] as never });
    const r = await stock.verify(await present(0), { keyBindingNonce: REQUEST.nonce, currentDate: NOW });
    expect((r.payload as Record<string, unknown>).institution).toBe("Seoul National University");
    await stock.verify(await present(1), { keyBindingNonce: REQUEST.nonce, currentDate: NOW });
    statusListJwt = await statusList(true);
    await stock.verify(await present(0), { keyBindingNonce: REQUEST.nonce, currentDate: NOW });
    await expect(stock.verify(await present(1), { keyBindingNonce: REQUEST.nonce, currentDate: NOW })).rejects.toThrow();
  });
});

describe("verifySdJwtVc: caps", () => {
  it("refuses a 1 MB presentation before decoding", async () => {
    const vp = await forged({ extraDisclosures: [] });
    await expectRefused(`${vp}${"A".repeat(1_048_576)}`, "TOO_LARGE");
    expect(MAX_SD_JWT_VC_BYTES).toBeLessThan(1_048_576);
  });

  it("refuses more disclosures than the cap (even if each is referenced)", async () => {
    const ds = Array.from({ length: 65 }, (_, i) => disclosure(`c${i}`, i));
    await expectRefused(
      await forged({ payload: (p) => ({ ...p, _sd: ds.map((d) => d.digest) }), disclosures: () => ds.map((d) => d.encoded) }),
      "TOO_LARGE",
    );
  });

  it("refuses a payload or a disclosure nested deeper than the cap", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 8; i++) deep = { d: deep };
    const d = disclosure("address", deep);
    await expectRefused(await forged({ payload: (p, x) => ({ ...p, _sd: [x.family, d.digest] }), extraDisclosures: [d.encoded] }), "TOO_LARGE");
    await expectRefused(await forged({ payload: (p) => ({ ...p, age_equal_or_over: { _sd: [], x: deep } }) }), "TOO_LARGE");
    // Refused by size before any digest is looked at: deep values where digests belong, or in a stray disclosure.
    await expectRefused(await forged({ payload: (p, x) => ({ ...p, _sd: [x.family, deep] }) }), "TOO_LARGE");
    await expectRefused(await forged({ extraDisclosures: [disclosure("stray", deep).encoded] }), "TOO_LARGE");
  });
});

describe("verifySdJwtVc: disclosures and digests", () => {
  it("refuses a disclosure that no digest references (the library ignores it)", async () => {
    const stray = disclosure("givenName", "Minji");
    await expectRefused(await forged({ extraDisclosures: [stray.encoded] }), "MALFORMED");
  });

  it("refuses a disclosure presented twice", async () => {
    await expectRefused(await forged({ disclosures: (f) => [f, f] }), "MALFORMED");
  });

  it("refuses a digest that appears twice", async () => {
    await expectRefused(await forged({ payload: (p, x) => ({ ...p, _sd: [x.family, x.family] }) }), "MALFORMED");
    const nested = disclosure("inner", { _sd: [] as string[] });
    const family = disclosure("familyName", "Kim");
    const wrapper = disclosure("outer", { _sd: [family.digest] });
    // The same digest both at the top level and inside a disclosed object.
    await expectRefused(
      await forged({
        payload: (p) => ({ ...p, _sd: [family.digest, wrapper.digest, nested.digest] }),
        disclosures: () => [family.encoded, wrapper.encoded, nested.encoded],
      }),
      "MALFORMED",
    );
  });

  it("refuses malformed disclosures", async () => {
    const raw = (v: unknown) => {
      const encoded = encodeBase64url(JSON.stringify(v));
      return { encoded, digest: digestOf(encoded) };
    };
    const bad = [
      { encoded: encodeBase64url("not json"), digest: digestOf(encodeBase64url("not json")) },
      raw(["0123456789abcdefghij"]),
      raw(["0123456789abcdefghij", "a", 1, 2]),
      raw([42, "familyName", "Kim"]),
      raw(["short", "familyName", "Kim"]),
      raw(["0123456789abcdefghij", 7, "Kim"]),
      raw({ salt: "0123456789abcdefghij" }),
    ];
    for (const d of bad) await expectRefused(await forged({ payload: (p) => ({ ...p, _sd: [d.digest] }), disclosures: () => [d.encoded] }), "MALFORMED");
    const dup = `["0123456789abcdefghij","x",{"a":1,"a":2}]`;
    const e = encodeBase64url(dup);
    await expectRefused(await forged({ payload: (p) => ({ ...p, _sd: [digestOf(e)] }), disclosures: () => [e] }), "MALFORMED");
  });

  it("refuses disclosures that would add or shadow a non-disclosable claim", async () => {
    for (const name of ["iss", "vct", "cnf", "status", "iat", "exp", "nbf", "sub", "vct#integrity", "_sd", "..."]) {
      const d = disclosure(name, name === "_sd" ? [] : "x");
      await expectRefused(await forged({ payload: (p, x) => ({ ...p, _sd: [x.family, d.digest] }), extraDisclosures: [d.encoded] }), "MALFORMED");
    }
    // A credential signed without status cannot get one from a disclosure.
    const status = disclosure("status", { status_list: { idx: 1, uri: "https://issuer.example/s" } });
    await expectRefused(await forged({ payload: ({ status: _, ...p }, x) => ({ ...p, _sd: [x.family, status.digest] }), extraDisclosures: [status.encoded] }), "MALFORMED");
    const again = disclosure("familyName", "Lee");
    await expectRefused(await forged({ payload: (p, x) => ({ ...p, _sd: [x.family, again.digest] }), extraDisclosures: [again.encoded] }), "MALFORMED");
  });

  it("refuses an array-element disclosure used for a property, and the reverse", async () => {
    const element = disclosure(undefined, "Kim");
    await expectRefused(await forged({ payload: (p) => ({ ...p, _sd: [element.digest] }), disclosures: () => [element.encoded] }), "MALFORMED");
    const prop = disclosure("x", "1-large");
    const classes = disclosure("licenseClasses", [{ "...": prop.digest }]);
    await expectRefused(
      await forged({ payload: (p, x) => ({ ...p, _sd: [x.family, classes.digest] }), extraDisclosures: [classes.encoded, prop.encoded] }),
      "MALFORMED",
    );
    // The same shape with an element disclosure is accepted: the rule, not the nesting, refused the above.
    const element2 = disclosure(undefined, "1-large");
    const classes2 = disclosure("licenseClasses", [{ "...": element2.digest }]);
    const ok = await verify(await forged({ payload: (p, x) => ({ ...p, _sd: [x.family, classes2.digest] }), extraDisclosures: [classes2.encoded, element2.encoded] }));
    expect(ok.ok && ok.value.claims.licenseClasses).toEqual(["1-large"]);
  });

  it("requires _sd_alg sha-256", async () => {
    await expectRefused(await forged({ payload: (p) => ({ ...p, _sd_alg: "sha-512" }) }), "MALFORMED");
    await expectRefused(await forged({ payload: ({ _sd_alg: _, ...p }) => p }), "MALFORMED");
  });

  it("refuses personal claims signed in the clear, including an age threshold", async () => {
    await expectRefused(await forged({ payload: (p) => ({ ...p, givenName: "Minji" }) }), "MALFORMED");
    await expectRefused(await forged({ payload: (p) => ({ ...p, age_equal_or_over: { _sd: [], "19": true } }) }), "MALFORMED");
  });
});

describe("verifySdJwtVc: issuer JWT", () => {
  it("requires typ dc+sd-jwt", async () => {
    await expectRefused(await forged({ header: { ...ISSUER_HEADER, typ: "vc+sd-jwt" } }), "MALFORMED");
    await expectRefused(await forged({ header: { alg: "ES256K", kid: ISSUER_HEADER.kid } }), "MALFORMED");
  });

  it("allows only the issuer algorithm and header parameters on the allow-list", async () => {
    const p256Issuer = { ...createP256Signer(new Uint8Array(32).fill(7)), kid: ISSUER_HEADER.kid };
    await expectRefused(await forged({ header: { ...ISSUER_HEADER, alg: "ES256" }, issuer: p256Issuer }), "UNSUPPORTED_ALGORITHM");
    await expectRefused(await forged({ header: { ...ISSUER_HEADER, jwk: { kty: "EC" } } }), "UNSUPPORTED_ALGORITHM");
  });

  it("refuses a signature by another key", async () => {
    const other = createSecp256k1Signer(new Uint8Array(32).fill(9), ISSUER_HEADER.kid);
    await expectRefused(await forged({ issuer: other }), "SIGNATURE_INVALID");
  });

  it("requires kid to name a key of iss, and iss a did:ethr of this chain", async () => {
    await expectRefused(await forged({ header: { ...ISSUER_HEADER, kid: "did:ethr:0x7a69:0x" + "22".repeat(20) + "#controller" } }), "MALFORMED");
    await expectRefused(await forged({ payload: (p) => ({ ...p, iss: "did:ethr:0x1:0x" + "1f".repeat(20) }) }), "DID_INVALID");
  });

  it("requires a registered vct, a status list entry and a P-256 public cnf.jwk", async () => {
    await expectRefused(await forged({ payload: (p) => ({ ...p, vct: "urn:mobile-id:vct:Unknown:1" }) }), "TYPE_NOT_ACCEPTED");
    await expectRefused(await forged({ payload: ({ status: _, ...p }) => p }), "STATUS_INVALID");
    await expectRefused(await forged({ payload: (p) => ({ ...p, status: { status_list: { idx: -1, uri: "https://x" } } }) }), "STATUS_INVALID");
    await expectRefused(await forged({ payload: ({ cnf: _, ...p }) => p }), "MALFORMED");
    await expectRefused(
      await forged({ payload: (p) => ({ ...p, cnf: { jwk: { ...(p.cnf as { jwk: object }).jwk, d: "AAAA" } } }) }),
      "MALFORMED",
    );
  });

  it("refuses a cnf key off the curve, with or without a KB-JWT", async () => {
    const offCurve = (p: Record<string, unknown>) => ({ ...p, cnf: { jwk: { ...(p.cnf as { jwk: object }).jwk, y: encodeBase64url(new Uint8Array(32).fill(1)) } } });
    await expectRefused(await forged({ payload: offCurve }), "SIGNATURE_INVALID");
    await expectRefused(await forged({ payload: offCurve, noKb: true }), "MALFORMED", { keyBinding: undefined });
  });

  it("checks iat and exp", async () => {
    await expectRefused(await forged({ payload: (p) => ({ ...p, exp: NOW - 1 }) }), "EXPIRED");
    await expectRefused(await forged({ payload: (p) => ({ ...p, iat: NOW + 3600 }) }), "NOT_YET_VALID");
    await expectRefused(await forged({ payload: (p) => ({ ...p, iat: NOW + 3600, nbf: NOW - 100 }) }), "NOT_YET_VALID");
    await expectRefused(await forged({ payload: (p) => ({ ...p, nbf: NOW + 3600 }) }), "NOT_YET_VALID");
  });
});

describe("verifySdJwtVc: key binding", () => {
  it("requires a KB-JWT when a request is answered, and refuses one when none is", async () => {
    await expectRefused(await forged({ noKb: true }), "HOLDER_MISMATCH");
    await expectRefused(await forged({}), "MALFORMED", { keyBinding: undefined });
  });

  it("requires typ kb+jwt, alg ES256 and no other header parameter", async () => {
    await expectRefused(await forged({ kbHeader: { typ: "JWT", alg: "ES256" } }), "MALFORMED");
    await expectRefused(await forged({ kbHeader: { typ: "kb+jwt", alg: "ES256K" } }), "UNSUPPORTED_ALGORITHM");
    await expectRefused(await forged({ kbHeader: { typ: "kb+jwt", alg: "ES256", jwk: {} } }), "UNSUPPORTED_ALGORITHM");
  });

  it("requires the signature of cnf.jwk", async () => {
    const { copies, holders } = await issueSample("StudentIDCredential", 2);
    // Copy 0 presented with copy 1's key.
    const vp = await presentSdJwtVc({ credential: copies[0] as string, claims: ["familyName"], ...REQUEST, issuedAt: NOW, holderSigner: holders[1] as never });
    await expectRefused(vp, "SIGNATURE_INVALID");
  });

  it("requires sd_hash over exactly what was presented", async () => {
    const { copies, holders } = await issueSample("StudentIDCredential");
    const vp = await presentSdJwtVc({ credential: copies[0] as string, claims: ["familyName", "givenName"], ...REQUEST, issuedAt: NOW, holderSigner: holders[0] as never });
    const parts = vp.split("~");
    // Drop one presented disclosure, keep the KB-JWT.
    await expectRefused([parts[0], parts[1], parts[3]].join("~"), "HOLDER_MISMATCH");
    // Add a disclosure of the same credential that the holder did not agree to present.
    const all = (copies[0] as string).split("~").slice(1, -1);
    const extra = all.find((d) => !parts.includes(d)) as string;
    await expectRefused([parts[0], parts[1], parts[2], extra, parts[3]].join("~"), "HOLDER_MISMATCH");
    await expectRefused(await forged({ kbPayload: { sd_hash: digestOf("something else") } }), "HOLDER_MISMATCH");
  });

  it("requires aud = the verifier, nonce = the challenge and a fresh iat", async () => {
    await expectRefused(await forged({ kbPayload: { aud: "other.example" } }), "DOMAIN_MISMATCH");
    await expectRefused(await forged({ kbPayload: { aud: ["shop.example"] } }), "MALFORMED");
    await expectRefused(await forged({ kbPayload: { nonce: "challenge-2" } }), "CHALLENGE_MISMATCH");
    await expectRefused(await forged({ kbPayload: { nonce: undefined } }), "MALFORMED");
    await expectRefused(await forged({ kbPayload: { iat: NOW - 301 } }), "EXPIRED");
    await expectRefused(await forged({ kbPayload: { iat: NOW + 61 } }), "NOT_YET_VALID");
    const ok = await verify(await forged({ kbPayload: { iat: NOW - 299 } }));
    expect(ok.ok).toBe(true);
  });
});

describe("verifySdJwtVc: never throws", () => {
  it("returns a refusal for arbitrary input and for any single-character change of a valid presentation", async () => {
    const vp = await forged({});
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.anything()), async (x) => {
        const r = await verify(x);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: vp.length - 1 }), fc.constantFrom("A", "~", ".", "_", "-"), async (i, ch) => {
        const mutated = vp.slice(0, i) + ch + vp.slice(i + 1);
        const r = await verify(mutated);
        if (mutated !== vp) expect(r.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("fails closed when the injected issuer check throws", async () => {
    await expectRefused(await forged({}), "SIGNATURE_INVALID", {
      verifyIssuerSignature: () => {
        throw new Error("resolver down");
      },
    });
  });
});
