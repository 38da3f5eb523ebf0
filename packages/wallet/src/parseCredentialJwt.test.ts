import { describe, expect, it } from "vitest";
import { MAX_CREDENTIAL_BYTES, VerificationCode, toPublicKeyEthrDid } from "@mobile-id/core";
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
