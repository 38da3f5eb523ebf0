import { describe, expect, it } from "vitest";
import { MAX_CREDENTIAL_BYTES, VerificationCode, createMobileIdStatusEntry, jwtVcFormat, toPublicKeyEthrDid } from "@mobile-id/core";
import { SigningKey } from "ethers";
import { MAX_CREDENTIAL_BYTES as WALLET_MAX_CREDENTIAL_BYTES, parseCredentialJwt } from "./parseCredentialJwt.ts";
import { CHAIN_ID, issueCredential } from "./testing.ts";

const HOLDER = toPublicKeyEthrDid(CHAIN_ID, new SigningKey(`0x${"11".repeat(32)}`).publicKey);

/** A credential whose JWT is `chars` characters long (padding goes into one claim). */
async function credentialOfLength(chars: number): Promise<string> {
  const base = await issueCredential({ subject: HOLDER, claims: { name: "" } });
  // Each padding character adds 4/3 of a character to the base64url payload; converge on the exact length.
  let pad = Math.floor(((chars - base.length) * 3) / 4);
  for (;;) {
    const jwt = await issueCredential({ subject: HOLDER, claims: { name: "x".repeat(Math.max(0, pad)) } });
    if (jwt.length === chars || (jwt.length > chars && jwt.length - chars < 4)) return jwt;
    pad += jwt.length < chars ? 1 : -1;
  }
}

describe("parseCredentialJwt size cap (core protocol.ts)", () => {
  it("uses the one cap every actor shares", () => {
    expect(WALLET_MAX_CREDENTIAL_BYTES).toBe(MAX_CREDENTIAL_BYTES);
  });

  it("takes a credential at the cap and refuses one over it, as the verifier does", async () => {
    const atCap = await credentialOfLength(MAX_CREDENTIAL_BYTES - 3);
    expect(atCap.length).toBeLessThanOrEqual(MAX_CREDENTIAL_BYTES);
    expect(parseCredentialJwt(atCap)).toMatchObject({ ok: true });
    // Between the verifier's old 16 KiB and the wallet's old 32 KiB: the wallet used to keep it.
    const over = await credentialOfLength(MAX_CREDENTIAL_BYTES + 1_000);
    expect(over.length).toBeGreaterThan(MAX_CREDENTIAL_BYTES);
    expect(parseCredentialJwt(over)).toMatchObject({ ok: false, code: VerificationCode.TOO_LARGE });
  });
});

describe("parseCredentialJwt is core's JWT-VC format module (the wallet has no parser of its own)", () => {
  /** A token with the payload edited after signing (the format layer never checks signatures). */
  async function edited(fn: (p: Record<string, unknown>, vc: Record<string, unknown>) => void): Promise<string> {
    const jwt = await issueCredential({ subject: HOLDER });
    const [h, p, s] = jwt.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    fn(payload, payload["vc"] as Record<string, unknown>);
    return `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
  }

  it("maps what the module reads to the wallet's fields", async () => {
    const jwt = await issueCredential({ subject: HOLDER });
    const r = parseCredentialJwt(jwt, { chainId: CHAIN_ID });
    const m = jwtVcFormat.parse(jwt, { chainId: BigInt(CHAIN_ID), maxBytes: MAX_CREDENTIAL_BYTES });
    if (!r.ok || !m.ok || !m.value.status.ok) throw new Error("expected both to accept");
    expect(r.credential).toEqual({
      issuer: m.value.issuer.did,
      subject: HOLDER,
      type: "StudentIDCredential",
      validFrom: m.value.validFrom,
      validUntil: m.value.validUntil,
      jti: m.value.id,
      claims: m.value.claims,
      credentialStatus: createMobileIdStatusEntry(CHAIN_ID, m.value.status.entry),
      schema: "https://mobile-id.example/schemas/student-id.v1.json",
    });
    // Without a chain id it takes the issuer's: the same answer here.
    expect(parseCredentialJwt(jwt)).toEqual(r);
  });

  it.each<[string, (p: Record<string, unknown>, vc: Record<string, unknown>) => void, VerificationCode]>([
    // The old wallet parser accepted each of these; every verifier refuses them.
    ["no nbf", (p) => delete p["nbf"], VerificationCode.MALFORMED],
    ["an unknown claim", (p) => (p["extra"] = 1), VerificationCode.MALFORMED],
    ["an issuer that is not a did:ethr", (p) => (p["iss"] = "did:web:example.com"), VerificationCode.DID_INVALID],
    ["a subject of another chain", (p) => (p["sub"] = String(p["sub"]).replace(":0x7a69:", ":0x1:")), VerificationCode.DID_INVALID],
    ["no credentialSchema", (_, vc) => delete vc["credentialSchema"], VerificationCode.MALFORMED],
    ["a malformed status entry", (_, vc) => ((vc["credentialStatus"] as Record<string, unknown>)["statusListIndex"] = "07"), VerificationCode.STATUS_INVALID],
    ["no status entry", (_, vc) => delete vc["credentialStatus"], VerificationCode.STATUS_INVALID],
    ["a type this software does not know", (_, vc) => (vc["type"] = ["VerifiableCredential", "LibraryCard"]), VerificationCode.TYPE_NOT_ACCEPTED],
  ])("refuses %s", async (_, fn, code) => {
    expect(parseCredentialJwt(await edited(fn), { chainId: CHAIN_ID })).toMatchObject({ ok: false, code });
  });

  it("refuses a credential of another chain than the wallet's", async () => {
    const jwt = await issueCredential({ subject: HOLDER });
    expect(parseCredentialJwt(jwt, { chainId: 1 })).toMatchObject({ ok: false, code: VerificationCode.DID_INVALID });
  });
});
