import { randomBytes, randomInt } from "node:crypto";
import { getBytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ReasonCode,
  VerificationCode,
  createFormatRegistry,
  credentialTypeId,
  defaultFormats,
  findCredentialType,
  jwtVcFormat,
  jwtVpFormat,
} from "@mobile-id/core";
import { createSecp256k1Signer, issueSdJwtVc, portraitDataUri, createSyntheticPortrait, presentSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeP256Signer } from "@mobile-id/core/sd-jwt-vc/node";
import { startAnvilTestKit } from "./testing/anvilKit.ts";
import type { TestIssuer, TestKit } from "./testing.ts";
import { CheckId, SdJwtVcCheckId, type VerificationOutcome, type VerificationRequest } from "./types.ts";
import { statusEntryOfStatusList } from "./verifySdJwtVcPresentation.ts";

/** The verification failed at `check` with `code` (and nothing after it ran). */
function expectRejected(outcome: VerificationOutcome, check: string, code: VerificationCode): void {
  const last = outcome.checks[outcome.checks.length - 1];
  expect({ verified: outcome.verified, code: outcome.code, check: last?.check, passed: last?.passed }).toEqual({ verified: false, code, check, passed: false });
}

const RESIDENT = {
  familyName: "Hong",
  givenName: "Gildong",
  birthDate: "1990-01-01",
  residentRegistrationNumber: "900101-1234567",
  address: "1 Sejong-daero, Jongno-gu, Seoul",
  issueDate: "2020-05-01",
  portrait: portraitDataUri(createSyntheticPortrait({ seed: 7 })),
};

interface Copy {
  readonly copy: string;
  readonly holder: ReturnType<typeof nodeP256Signer>;
  readonly idx: number;
}

describe("verifyPresentation with SD-JWT VC (anvil)", () => {
  let kit: TestKit;
  let resident: TestIssuer;
  const used = new Set<number>();

  async function issue(issuer: TestIssuer, typeName: string, claims: Record<string, unknown>, n = 1): Promise<Copy[]> {
    const holders = Array.from({ length: n }, () => nodeP256Signer(randomBytes(32)));
    const idxs = holders.map(() => {
      let i: number;
      do i = randomInt(0, 1 << 17);
      while (used.has(i));
      used.add(i);
      return i;
    });
    const uri = `http://127.0.0.1:8080/status-lists/${issuer.revocationListId}/${issuer.suspensionListId}`;
    const { copies } = await issueSdJwtVc({
      issuer: issuer.did,
      signer: createSecp256k1Signer(getBytes(issuer.wallet.privateKey), `${issuer.did}#controller`),
      typeName,
      claims,
      copies: holders.map((h, i) => ({ holderKey: h.publicJwk, status: { idx: idxs[i] as number, uri } })),
      issuedAt: kit.now(),
      validUntil: kit.now() + 365 * 86400,
      timeGranularitySeconds: 1,
    });
    return copies.map((copy, i) => ({ copy, holder: holders[i] as Copy["holder"], idx: idxs[i] as number }));
  }

  function request(overrides: Partial<VerificationRequest> = {}): VerificationRequest {
    return kit.request({ domain: "shop.example.kr", credentialTypes: ["ResidentIDCredential"], claims: [{ path: "age_equal_or_over.19" }], ...overrides });
  }

  async function present(c: Copy, req: VerificationRequest, claims: readonly (readonly string[])[], o: { aud?: string; nonce?: string } = {}): Promise<string> {
    return presentSdJwtVc({ credential: c.copy, claims, audience: o.aud ?? req.domain, nonce: o.nonce ?? req.challenge, issuedAt: kit.now(), holderSigner: c.holder });
  }

  beforeAll(async () => {
    kit = await startAnvilTestKit("sd-jwt");
    resident = kit.issuerFor("ResidentIDCredential");
  });
  afterAll(async () => {
    await kit?.close();
  });

  it("accepts a '19 or older' answer and returns that claim only, holder = the copy's key thumbprint", async () => {
    const [c] = await issue(resident, "ResidentIDCredential", RESIDENT);
    const req = request();
    const outcome = await kit.verifier().verifyPresentation({ presentation: await present(c as Copy, req, [["age_equal_or_over", "19"]]), request: req });
    expect(outcome.code).toBeUndefined();
    expect(outcome.verified).toBe(true);
    expect(outcome.credentials).toHaveLength(1);
    expect(outcome.credentials[0]?.claims).toEqual({ age_equal_or_over: { "19": true } });
    expect(outcome.credentials[0]?.withheld).toEqual([]);
    expect(outcome.credentials[0]?.type).toBe("ResidentIDCredential");
    expect(outcome.credentials[0]?.issuer).toBe(resident.did);
    expect(outcome.holder).toMatch(/^urn:ietf:params:oauth:jwk-thumbprint:sha-256:[A-Za-z0-9_-]{43}$/);
    expect(outcome.ledger).toBeDefined();
  });

  it("refuses a reused nonce (REPLAYED), even with another copy", async () => {
    const [a, b] = await issue(resident, "ResidentIDCredential", RESIDENT, 2);
    const req = request();
    const verifier = kit.verifier();
    expect((await verifier.verifyPresentation({ presentation: await present(a as Copy, req, [["age_equal_or_over", "19"]]), request: req })).verified).toBe(true);
    expectRejected(
      await verifier.verifyPresentation({ presentation: await present(b as Copy, req, [["age_equal_or_over", "19"]]), request: req }),
      CheckId.PresentationReplay,
      VerificationCode.REPLAYED,
    );
  });

  it("refuses a KB-JWT for another verifier (DOMAIN_MISMATCH) or another challenge (CHALLENGE_MISMATCH), and spends no nonce", async () => {
    const [c] = await issue(resident, "ResidentIDCredential", RESIDENT);
    const req = request();
    const verifier = kit.verifier();
    expectRejected(
      await verifier.verifyPresentation({ presentation: await present(c as Copy, req, [["age_equal_or_over", "19"]], { aud: "other.example.kr" }), request: req }),
      SdJwtVcCheckId.SdJwtVcKeyBindingAudience,
      VerificationCode.DOMAIN_MISMATCH,
    );
    expectRejected(
      await verifier.verifyPresentation({ presentation: await present(c as Copy, req, [["age_equal_or_over", "19"]], { nonce: "x".repeat(43) }), request: req }),
      SdJwtVcCheckId.SdJwtVcKeyBindingChallenge,
      VerificationCode.CHALLENGE_MISMATCH,
    );
    // Neither refusal spent the challenge: the right answer still verifies.
    expect((await verifier.verifyPresentation({ presentation: await present(c as Copy, req, [["age_equal_or_over", "19"]]), request: req })).verified).toBe(true);
  });

  it("refuses a copy without a KB-JWT (HOLDER_MISMATCH)", async () => {
    const [c] = await issue(resident, "ResidentIDCredential", RESIDENT);
    const req = request();
    expectRejected(await kit.verifier().verifyPresentation({ presentation: (c as Copy).copy, request: req }), SdJwtVcCheckId.SdJwtVcKeyBinding, VerificationCode.HOLDER_MISMATCH);
  });

  it("refuses a copy whose status bit was set on the ledger (CREDENTIAL_REVOKED / CREDENTIAL_SUSPENDED)", async () => {
    const [revoked, suspended, other] = await issue(resident, "ResidentIDCredential", RESIDENT, 3);
    await kit.status(resident.wallet, "revoke", [resident.revocationListId, (revoked as Copy).idx, ReasonCode.KEY_COMPROMISE]);
    await kit.status(resident.wallet, "suspend", [resident.suspensionListId, (suspended as Copy).idx, ReasonCode.DEVICE_LOST]);
    await kit.sync();
    const verifier = kit.verifier();
    let req = request();
    expectRejected(
      await verifier.verifyPresentation({ presentation: await present(revoked as Copy, req, [["age_equal_or_over", "19"]]), request: req }),
      CheckId.CredentialStatus,
      VerificationCode.CREDENTIAL_REVOKED,
    );
    req = request();
    expectRejected(
      await verifier.verifyPresentation({ presentation: await present(suspended as Copy, req, [["age_equal_or_over", "19"]]), request: req }),
      CheckId.CredentialStatus,
      VerificationCode.CREDENTIAL_SUSPENDED,
    );
    req = request();
    expect((await verifier.verifyPresentation({ presentation: await present(other as Copy, req, [["age_equal_or_over", "19"]]), request: req })).verified).toBe(true);
  });

  it("refuses a status_list uri that names no list pair (STATUS_INVALID) and another issuer's list pair", async () => {
    expect(statusEntryOfStatusList({ idx: 3, uri: "http://x/status-lists/5/6" }, "0xabc")).toEqual({ registry: "0xabc", revocationListId: 5n, suspensionListId: 6n, index: 3n });
    expect(statusEntryOfStatusList({ idx: 3, uri: "http://x/status-lists/5" }, "0xabc")).toBeUndefined();
    const student = kit.issuerFor("StudentIDCredential");
    // A resident copy pointing at the student issuer's lists.
    const foreign = { ...resident, revocationListId: student.revocationListId, suspensionListId: student.suspensionListId };
    const [c] = await issue(foreign, "ResidentIDCredential", RESIDENT);
    const req = request();
    expectRejected(
      await kit.verifier().verifyPresentation({ presentation: await present(c as Copy, req, [["age_equal_or_over", "19"]]), request: req }),
      CheckId.CredentialStatus,
      VerificationCode.STATUS_INVALID,
    );
  });

  it("refuses an issuer not accredited for the vct's type (ISSUER_NOT_ACCREDITED), and a type not requested", async () => {
    // The student ID issuer signs a resident ID: a real did:ethr key, a registered type, no accreditation for it.
    const student = kit.issuerFor("StudentIDCredential");
    const [c] = await issue(student, "ResidentIDCredential", RESIDENT);
    let req = request();
    expectRejected(
      await kit.verifier().verifyPresentation({ presentation: await present(c as Copy, req, [["age_equal_or_over", "19"]]), request: req }),
      CheckId.CredentialIssuerStanding,
      VerificationCode.ISSUER_NOT_ACCREDITED,
    );
    const [r] = await issue(resident, "ResidentIDCredential", RESIDENT);
    req = request({ credentialTypes: ["StudentIDCredential"] });
    expectRejected(
      await kit.verifier().verifyPresentation({ presentation: await present(r as Copy, req, [["age_equal_or_over", "19"]]), request: req }),
      CheckId.CredentialType,
      VerificationCode.TYPE_NOT_ACCEPTED,
    );
  });

  it("refuses once the issuer's accreditation is suspended (ISSUER_SUSPENDED)", async () => {
    const issuer = await kit.addIssuer("ResidentIDCredential");
    const [c] = await issue(issuer, "ResidentIDCredential", RESIDENT);
    const governing = kit.net.roster.accreditors[(findCredentialType("ResidentIDCredential") as { governedBy: string }).governedBy as keyof typeof kit.net.roster.accreditors].signer;
    await kit.accreditation(governing, "suspend", [await governing.getAddress(), issuer.address, credentialTypeId("ResidentIDCredential", 1), ReasonCode.MISCONDUCT]);
    await kit.sync();
    const req = request();
    expectRejected(
      await kit.verifier().verifyPresentation({ presentation: await present(c as Copy, req, [["age_equal_or_over", "19"]]), request: req }),
      CheckId.CredentialIssuerStanding,
      VerificationCode.ISSUER_SUSPENDED,
    );
  });

  it("reports requested claims the holder withheld, and refuses when one is required (CLAIM_WITHHELD)", async () => {
    const [a, b] = await issue(resident, "ResidentIDCredential", RESIDENT, 2);
    let req = request({ claims: [{ path: "age_equal_or_over.19" }, { path: "portrait", required: false }] });
    const ok = await kit.verifier().verifyPresentation({ presentation: await present(a as Copy, req, [["age_equal_or_over", "19"]]), request: req });
    expect(ok.verified).toBe(true);
    expect(ok.credentials[0]?.withheld).toEqual(["portrait"]);
    expect(Object.keys(ok.credentials[0]?.claims ?? {})).toEqual(["age_equal_or_over"]);
    req = request({ claims: [{ path: "age_equal_or_over.19" }, { path: "givenName" }] });
    expectRejected(
      await kit.verifier().verifyPresentation({ presentation: await present(b as Copy, req, [["age_equal_or_over", "19"]]), request: req }),
      SdJwtVcCheckId.CredentialClaims,
      VerificationCode.CLAIM_WITHHELD,
    );
  });

  it("checks the disclosed payload against the type's SD-JWT VC schema (SCHEMA_INVALID)", async () => {
    // core's issueSdJwtVc checks the profile's claim names, not the schema: a bad value reaches the verifier.
    const [c] = (await issue(resident, "ResidentIDCredential", { ...RESIDENT, residentRegistrationNumber: "not a number" })) as [Copy];
    const req = request({ claims: [{ path: "residentRegistrationNumber" }] });
    expectRejected(
      await kit.verifier().verifyPresentation({ presentation: await present(c, req, [["residentRegistrationNumber"]]), request: req }),
      CheckId.CredentialSchema,
      VerificationCode.SCHEMA_INVALID,
    );
  });

  it("verifyCredential checks a copy as issued (a wallet's import): all claims, no KB-JWT allowed, status from the mirror", async () => {
    const [c, revoked] = await issue(resident, "ResidentIDCredential", RESIDENT, 2);
    const verifier = kit.verifier();
    const ok = await verifier.verifyCredential({ credential: (c as Copy).copy });
    expect(ok.code).toBeUndefined();
    expect(ok.credential?.claims).toMatchObject({ givenName: "Gildong", residentRegistrationNumber: "900101-1234567" });
    const req = request();
    const withKb = await present(c as Copy, req, [["givenName"]]);
    expectRejected(await verifier.verifyCredential({ credential: withKb }), SdJwtVcCheckId.SdJwtVcKeyBinding, VerificationCode.MALFORMED);
    await kit.status(resident.wallet, "revoke", [resident.revocationListId, (revoked as Copy).idx, ReasonCode.KEY_COMPROMISE]);
    await kit.sync();
    expectRejected(await verifier.verifyCredential({ credential: (revoked as Copy).copy }), CheckId.CredentialStatus, VerificationCode.CREDENTIAL_REVOKED);
  });

  it("throws INVALID_ARGUMENT for a request whose claims are not dotted paths (the verifier's own object)", async () => {
    for (const claims of [[{ path: "" }], [{ path: "a b" }], [{ path: "x", required: 1 }], "x"]) {
      await expect(kit.verifier().verifyPresentation({ presentation: "x~", request: request({ claims } as never) })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
  });

  it("takes SD-JWT VC only when its format registry holds the module; never inside a JWT-VP", async () => {
    // Without the portrait, so that the copy fits the JWT-VC credential cap below.
    const [c] = await issue(resident, "ResidentIDCredential", { ...RESIDENT, portrait: undefined });
    let req = request();
    const vp = await present(c as Copy, req, [["age_equal_or_over", "19"]]);
    const jwtOnly = createFormatRegistry({ credentialFormats: [jwtVcFormat], presentationFormats: [jwtVpFormat] });
    expectRejected(await kit.verifier({ formats: jwtOnly }).verifyPresentation({ presentation: vp, request: req }), CheckId.PresentationDecode, VerificationCode.MALFORMED);
    expect((await kit.verifier({ formats: defaultFormats }).verifyPresentation({ presentation: vp, request: req })).verified).toBe(true);
    // Inside a VP signed by some holder DID: the copy's binding is its key, not the VP's signer.
    const holder = kit.newHolder();
    req = request();
    expectRejected(
      await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [(c as Copy).copy], request: req }), request: req }),
      CheckId.CredentialDecode,
      VerificationCode.MALFORMED,
    );
  });

  it("refuses an oversized presentation before any decoding (TOO_LARGE)", async () => {
    const req = request();
    expectRejected(
      await kit.verifier().verifyPresentation({ presentation: `a.b.c~${"A".repeat(1_000_000)}~`, request: req }),
      CheckId.PresentationSize,
      VerificationCode.TOO_LARGE,
    );
  });
});
