import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReasonCode } from "@mobile-id/core";
import { type TestKit, startTestKit } from "./testing.ts";
import { CheckId } from "./types.ts";

describe("verifyCredential (a wallet checking a credential before import)", () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestKit();
  });
  afterAll(() => kit.close());

  it("verifies a credential alone, with its claims, and checks the subject when asked", async () => {
    const holder = kit.newHolder();
    const issuer = kit.issuerFor("DriversLicenseCredential");
    const { jwt } = kit.issue({ issuer, holder });
    const verifier = kit.verifier();
    const r = await verifier.verifyCredential({ credential: jwt, subject: holder.did });
    expect(r).toMatchObject({ verified: true, credential: { type: "DriversLicenseCredential", issuer: issuer.did, subject: holder.did } });
    expect(r.checks.map((c) => c.check)).toContain(CheckId.CredentialSubject);
    const other = await verifier.verifyCredential({ credential: jwt, subject: kit.newHolder().did });
    expect(other.code).toBe("HOLDER_MISMATCH");
    expect((await verifier.verifyCredential({ credential: jwt, credentialTypes: ["ResidentIDCredential"] })).code).toBe("TYPE_NOT_ACCEPTED");
  });

  it("runs the ledger checks (a revoked credential is refused)", async () => {
    const holder = kit.newHolder();
    const issuer = kit.issuerFor("StudentIDCredential");
    const { jwt, index } = kit.issue({ issuer, holder });
    await kit.status(issuer.wallet, "revoke", [issuer.revocationListId, index, ReasonCode.KEY_COMPROMISE]);
    await kit.sync();
    expect((await kit.verifier().verifyCredential({ credential: jwt })).code).toBe("CREDENTIAL_REVOKED");
  });

  it.each([undefined, 7, "", "a.b.c", "x".repeat(20_000)])("never throws for bad input (%#)", async (value) => {
    const r = await kit.verifier().verifyCredential({ credential: value });
    expect(r.verified).toBe(false);
    expect(r.credential).toBeUndefined();
  });

  it("throws for misuse (a subject that is not a did:ethr)", async () => {
    await expect(kit.verifier().verifyCredential({ credential: "a.b.c", subject: "alice" })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
