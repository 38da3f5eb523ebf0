import { Wallet, ZeroAddress, encodeBytes32String, getBytes } from "ethers";
import { createVerifiableCredentialJwt, createVerifiablePresentationJwt } from "did-jwt-vc";
import { ES256KSigner } from "did-jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CredentialTypeRecord, type LedgerReader, type LedgerRpc, RpcLedgerReader } from "@mobile-id/chain";
import {
  type CredentialFormatHandler,
  type PresentationFormatHandler,
  ReasonCode,
  VerificationCode,
  credentialTypeId,
  encodeBase64url,
  createFormatRegistry,
  defaultFormats,
  jwtVcFormat,
  jwtVpFormat,
} from "@mobile-id/core";
import { createMemoryNonceStore } from "./nonceStore.ts";
import { DOMAIN, SAMPLE_CLAIMS, type TestHolder, type TestIssuer, type TestKit, decodeJwt, signJwt, startTestKit } from "./testing.ts";
import { CheckId, type VerificationOutcome } from "./types.ts";

/** The verification failed at `check` with `code` (and nothing after it ran). */
function expectRejected(outcome: VerificationOutcome, check: CheckId, code: VerificationCode): void {
  const last = outcome.checks[outcome.checks.length - 1];
  expect({ verified: outcome.verified, code: outcome.code, check: last?.check, passed: last?.passed }).toEqual({
    verified: false,
    code,
    check,
    passed: false,
  });
}

describe("verifyPresentation", () => {
  let kit: TestKit;
  let student: TestIssuer;
  let driving: TestIssuer;

  beforeAll(async () => {
    kit = await startTestKit();
    student = kit.issuerFor("StudentIDCredential");
    driving = kit.issuerFor("DriversLicenseCredential");
  });
  afterAll(() => kit.close());

  /** A valid presentation of one student ID, with hooks to break it. */
  function scenario(options: Parameters<TestKit["issue"]>[0] extends infer P ? Partial<P> : never = {}) {
    const holder = options.holder ?? kit.newHolder();
    const vc = kit.issue({ issuer: student, ...options, holder });
    const request = kit.request();
    return { holder, vc, request, vp: kit.present({ holder, credentials: [vc.jwt], request }) };
  }

  describe("accepts", () => {
    it("a presentation as the core README specifies it, reporting every check", async () => {
      const { holder, vp, request } = scenario();
      const outcome = await kit.verifier().verifyPresentation({ presentation: vp, request });
      expect(outcome.verified).toBe(true);
      expect(outcome.code).toBeUndefined();
      expect(outcome.holder).toBe(holder.did);
      expect(outcome.credentials).toEqual([
        expect.objectContaining({ type: "StudentIDCredential", typeVersion: 1, issuer: student.did, subject: holder.did, claims: SAMPLE_CLAIMS["StudentIDCredential"] }),
      ]);
      expect(outcome.checks.every((c) => c.passed)).toBe(true);
      expect(new Set(outcome.checks.map((c) => c.check))).toEqual(new Set(Object.values(CheckId)));
      expect(outcome.ledger?.blockNumber).toBeGreaterThan(0);
    });

    it("what did-jwt-vc writes for issuers and wallets (createVerifiableCredentialJwt, createVerifiablePresentationJwt with challenge and domain)", async () => {
      const holderWallet = Wallet.createRandom();
      const holder: TestHolder = {
        privateKey: getBytes(holderWallet.privateKey),
        did: `did:ethr:0x7a69:${holderWallet.signingKey.compressedPublicKey}`,
        address: holderWallet.address,
      };
      const { payload } = kit.issue({ issuer: student, holder });
      delete payload["iss"];
      const vc = await createVerifiableCredentialJwt(payload as never, {
        did: student.did,
        signer: ES256KSigner(getBytes(student.wallet.privateKey)),
        alg: "ES256K",
      });
      const request = kit.request();
      const vp = await createVerifiablePresentationJwt(
        {
          vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: [vc] },
          exp: kit.now() + 300,
        } as never,
        { did: holder.did, signer: ES256KSigner(holder.privateKey), alg: "ES256K" },
        { challenge: request.challenge, domain: request.domain },
      );
      const outcome = await kit.verifier().verifyPresentation({ presentation: vp, request });
      expect(outcome).toMatchObject({ verified: true, holder: holder.did });
    });

    it("several credentials of one holder", async () => {
      const holder = kit.newHolder();
      const a = kit.issue({ issuer: student, holder });
      const b = kit.issue({ issuer: driving, holder });
      const request = kit.request();
      const outcome = await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [a.jwt, b.jwt], request }), request });
      expect(outcome.credentials.map((c) => c.type)).toEqual(["StudentIDCredential", "DriversLicenseCredential"]);
    });

    it("time claims within 60 s of skew", async () => {
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer: student, holder, nbf: kit.now() + 59 });
      const request = kit.request();
      const vp = kit.present({ holder, credentials: [vc.jwt], request, mutate: (p) => ((p["iat"] = kit.now() + 59), (p["exp"] = kit.now() - 59)) });
      expect((await kit.verifier().verifyPresentation({ presentation: vp, request })).verified).toBe(true);
    });
  });

  describe("before any cryptography", () => {
    /** A ledger that records whether it was asked anything. */
    function spyLedger() {
      const spy = { reads: 0, read: (q: Parameters<LedgerReader["read"]>[0]) => (spy.reads++, kit.mirror.read(q)), freshness: () => kit.mirror.freshness() };
      return spy;
    }

    it.each([undefined, null, 42, {}, [], true, Symbol("x"), 10n])("refuses a non-string presentation (%s) without throwing", async (value) => {
      const outcome = await kit.verifier().verifyPresentation({ presentation: value, request: kit.request() });
      expectRejected(outcome, CheckId.PresentationSize, VerificationCode.MALFORMED);
    });

    it("caps the presentation's size (TOO_LARGE) before decoding it", async () => {
      const ledger = spyLedger();
      const outcome = await kit.verifier({ ledger }).verifyPresentation({ presentation: "a".repeat(65_537), request: kit.request() });
      expectRejected(outcome, CheckId.PresentationSize, VerificationCode.TOO_LARGE);
      expect(ledger.reads).toBe(0);
    });

    it("caps the number of credentials (TOO_LARGE) before decoding any", async () => {
      const holder = kit.newHolder();
      const vcs = [1, 2, 3].map(() => kit.issue({ issuer: student, holder }).jwt);
      const request = kit.request();
      const ledger = spyLedger();
      const outcome = await kit.verifier({ ledger, limits: { maxCredentials: 2 } }).verifyPresentation({ presentation: kit.present({ holder, credentials: vcs, request }), request });
      expectRejected(outcome, CheckId.PresentationDecode, VerificationCode.TOO_LARGE);
      expect(ledger.reads).toBe(0);
    });

    it("caps each credential's size (TOO_LARGE)", async () => {
      const holder = kit.newHolder();
      const request = kit.request();
      const vc = kit.issue({ issuer: student, holder, claims: { ...SAMPLE_CLAIMS["StudentIDCredential"], department: "x".repeat(2000) } }).jwt;
      const outcome = await kit.verifier({ limits: { maxCredentialBytes: 2000 } }).verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request }), request });
      expectRejected(outcome, CheckId.CredentialSize, VerificationCode.TOO_LARGE);
    });

    it.each([{ alg: "none" }, { alg: "HS256" }, { alg: "ES256" }, { alg: "ES256K-R" }, { alg: "ES256K", jku: "https://evil.example/keys" }, { alg: "ES256K", crit: ["b64"] }])(
      "allows only ES256K and alg/typ/kid in the presentation's header: %j",
      async (header) => {
        const holder = kit.newHolder();
        const request = kit.request();
        const ledger = spyLedger();
        const vp = kit.present({ holder, credentials: [kit.issue({ issuer: student, holder }).jwt], request, header });
        expectRejected(await kit.verifier({ ledger }).verifyPresentation({ presentation: vp, request }), CheckId.PresentationDecode, VerificationCode.UNSUPPORTED_ALGORITHM);
        expect(ledger.reads).toBe(0);
      },
    );

    it("allows only ES256K in an embedded credential's header", async () => {
      const holder = kit.newHolder();
      const request = kit.request();
      const vc = kit.issue({ issuer: student, holder, header: { alg: "ES256K", typ: "JWT", x5u: "https://evil.example" } }).jwt;
      expectRejected(
        await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request }), request }),
        CheckId.CredentialDecode,
        VerificationCode.UNSUPPORTED_ALGORITHM,
      );
    });

    it.each(["", "a.b", "a.b.c.d", "..", "eyJhbGciOiJFUzI1NksifQ.e30.", "eyJhbGciOiJFUzI1NksifQ.e30.!!!!"])("refuses a malformed compact JWS %j", async (token) => {
      expectRejected(await kit.verifier().verifyPresentation({ presentation: token, request: kit.request() }), CheckId.PresentationDecode, VerificationCode.MALFORMED);
    });

    it("refuses duplicate JSON keys (two readers could see two different presentations)", async () => {
      const { holder, vc, request } = scenario();
      const base = { iss: holder.did, aud: DOMAIN, nonce: request.challenge, exp: kit.now() + 300, vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: [vc.jwt] } };
      const json = JSON.stringify(base).replace(/}$/, `,"nonce":"${request.challenge}"}`);
      const vp = signJwt({ alg: "ES256K" }, {}, holder.privateKey, { rawPayloadJson: json });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationDecode, VerificationCode.MALFORMED);
    });

    it("refuses a presentation whose holder DID is of another chain (DID_INVALID)", async () => {
      const { holder, vc, request } = scenario();
      const vp = kit.present({ holder, credentials: [vc.jwt], request, mutate: (p) => (p["iss"] = holder.did.replace("0x7a69", "0x1")) });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationDecode, VerificationCode.DID_INVALID);
    });

    it("refuses a presentation whose vp.holder disagrees with its signer (HOLDER_MISMATCH)", async () => {
      const { holder, vc, request } = scenario();
      const other = kit.newHolder();
      const vp = kit.present({ holder, credentials: [vc.jwt], request, mutate: (p) => ((p["vp"] as Record<string, unknown>)["holder"] = other.did) });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationDecode, VerificationCode.HOLDER_MISMATCH);
    });
  });

  describe("the presentation", () => {
    it("must be signed by the holder's key (SIGNATURE_INVALID)", async () => {
      const { holder, vc, request } = scenario();
      const vp = kit.present({ holder, credentials: [vc.jwt], request, signingKey: kit.newHolder().privateKey });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationSignature, VerificationCode.SIGNATURE_INVALID);
    });

    it("must carry a canonical low-s signature (the high-s twin is refused)", async () => {
      const { holder, vc, request } = scenario();
      const vp = kit.present({ holder, credentials: [vc.jwt], request, sign: { highS: true } });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationSignature, VerificationCode.SIGNATURE_INVALID);
    });

    it("must carry its own signature, not another token's", async () => {
      const { holder, vc, request } = scenario();
      const vp = kit.present({ holder, credentials: [vc.jwt], request });
      const other = kit.present({ holder, credentials: [vc.jwt], request, exp: kit.now() + 200 });
      const spliced = `${vp.split(".").slice(0, 2).join(".")}.${other.split(".")[2]}`;
      expectRejected(await kit.verifier().verifyPresentation({ presentation: spliced, request }), CheckId.PresentationSignature, VerificationCode.SIGNATURE_INVALID);
    });

    it("must answer this request's challenge (CHALLENGE_MISMATCH)", async () => {
      const { holder, vc, request } = scenario();
      const wrong = kit.present({ holder, credentials: [vc.jwt], request: kit.request() });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: wrong, request }), CheckId.PresentationChallenge, VerificationCode.CHALLENGE_MISMATCH);
      const none = kit.present({ holder, credentials: [vc.jwt], request, mutate: (p) => delete p["nonce"] });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: none, request }), CheckId.PresentationChallenge, VerificationCode.CHALLENGE_MISMATCH);
    });

    it("must be addressed to this verifier's domain (DOMAIN_MISMATCH)", async () => {
      const { holder, vc, request } = scenario();
      const vp = kit.present({ holder, credentials: [vc.jwt], request: { ...request, domain: "evil.example" } });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationDomain, VerificationCode.DOMAIN_MISMATCH);
    });

    it("is accepted once per challenge (REPLAYED), even as a different presentation", async () => {
      const { holder, vc, vp, request } = scenario();
      const verifier = kit.verifier();
      expect((await verifier.verifyPresentation({ presentation: vp, request })).verified).toBe(true);
      expectRejected(await verifier.verifyPresentation({ presentation: vp, request }), CheckId.PresentationReplay, VerificationCode.REPLAYED);
      const again = kit.present({ holder, credentials: [vc.jwt], request, exp: kit.now() + 100 });
      expectRejected(await verifier.verifyPresentation({ presentation: again, request }), CheckId.PresentationReplay, VerificationCode.REPLAYED);
    });

    it("does not use up the challenge when it fails before the replay check", async () => {
      const { holder, vc, vp, request } = scenario();
      const verifier = kit.verifier();
      const expired = kit.present({ holder, credentials: [vc.jwt], request, exp: kit.now() - 120 });
      expect((await verifier.verifyPresentation({ presentation: expired, request })).verified).toBe(false);
      expect((await verifier.verifyPresentation({ presentation: vp, request })).verified).toBe(true);
    });

    it("must not be expired beyond 60 s of skew (EXPIRED), nor its request", async () => {
      const { holder, vc, request } = scenario();
      const vp = kit.present({ holder, credentials: [vc.jwt], request, exp: kit.now() - 61 });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationTime, VerificationCode.EXPIRED);
      const late = { ...request, expiresAt: kit.now() - 1 };
      const vp2 = kit.present({ holder, credentials: [vc.jwt], request: late });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp2, request: late }), CheckId.PresentationTime, VerificationCode.EXPIRED);
    });

    it.each(["nbf", "iat"])("must not have %s in the future beyond 60 s (NOT_YET_VALID)", async (claim) => {
      const { holder, vc, request } = scenario();
      const vp = kit.present({ holder, credentials: [vc.jwt], request, mutate: (p) => (p[claim] = kit.now() + 61) });
      expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationTime, VerificationCode.NOT_YET_VALID);
    });

    it("must use integer NumericDates (a fractional or string exp is MALFORMED)", async () => {
      const { holder, vc, request } = scenario();
      for (const exp of [kit.now() + 300.5, String(kit.now() + 300)]) {
        const vp = kit.present({ holder, credentials: [vc.jwt], request, mutate: (p) => (p["exp"] = exp) });
        expectRejected(await kit.verifier().verifyPresentation({ presentation: vp, request }), CheckId.PresentationDecode, VerificationCode.MALFORMED);
      }
    });
  });

  describe("each credential", () => {
    async function verifyWith(vcJwt: string, holder: TestHolder, verifier = kit.verifier()) {
      const request = kit.request();
      return verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vcJwt], request }), request });
    }

    it("must not be expired (EXPIRED) or not yet valid (NOT_YET_VALID)", async () => {
      const holder = kit.newHolder();
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, exp: kit.now() - 61 }).jwt, holder), CheckId.CredentialTime, VerificationCode.EXPIRED);
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, nbf: kit.now() + 61 }).jwt, holder), CheckId.CredentialTime, VerificationCode.NOT_YET_VALID);
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, mutate: (p) => (p["iat"] = kit.now() + 61) }).jwt, holder), CheckId.CredentialTime, VerificationCode.NOT_YET_VALID);
    });

    it("must require exp (a credential without one is MALFORMED)", async () => {
      const holder = kit.newHolder();
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, mutate: (p) => delete p["exp"] }).jwt, holder), CheckId.CredentialDecode, VerificationCode.MALFORMED);
    });

    it("must be signed by its issuer (SIGNATURE_INVALID), with a canonical signature", async () => {
      const holder = kit.newHolder();
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, signingKey: kit.newHolder().privateKey }).jwt, holder), CheckId.CredentialSignature, VerificationCode.SIGNATURE_INVALID);
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, sign: { highS: true } }).jwt, holder), CheckId.CredentialSignature, VerificationCode.SIGNATURE_INVALID);
      // Issuer A's key signing a credential that names issuer B.
      expectRejected(
        await verifyWith(kit.issue({ issuer: driving, holder, signingKey: getBytes(student.wallet.privateKey) }).jwt, holder),
        CheckId.CredentialSignature,
        VerificationCode.SIGNATURE_INVALID,
      );
    });

    it("must be about the presentation's signer (HOLDER_MISMATCH)", async () => {
      const holder = kit.newHolder();
      const someoneElse = kit.newHolder();
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder: someoneElse }).jwt, holder), CheckId.CredentialSubject, VerificationCode.HOLDER_MISMATCH);
    });

    it("must not carry identity fields that disagree with what was signed (HOLDER_MISMATCH)", async () => {
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer: student, holder, mutate: (p) => ((p["vc"] as Record<string, unknown>)["issuer"] = driving.did) });
      expectRejected(await verifyWith(vc.jwt, holder), CheckId.CredentialDecode, VerificationCode.HOLDER_MISMATCH);
      const vc2 = kit.issue({ issuer: student, holder, mutate: (p) => (((p["vc"] as Record<string, unknown>)["credentialSubject"] as Record<string, unknown>)["id"] = kit.newHolder().did) });
      expectRejected(await verifyWith(vc2.jwt, holder), CheckId.CredentialDecode, VerificationCode.HOLDER_MISMATCH);
    });

    it("must be of a type the request accepts, known and registered (TYPE_NOT_ACCEPTED)", async () => {
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer: driving, holder }).jwt;
      const request = kit.request({ credentialTypes: ["StudentIDCredential"] });
      expectRejected(
        await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request }), request }),
        CheckId.CredentialType,
        VerificationCode.TYPE_NOT_ACCEPTED,
      );
      const unknown = kit.issue({ issuer: student, holder, mutate: (p) => ((p["vc"] as Record<string, unknown>)["type"] = ["VerifiableCredential", "PassportCredential"]) });
      expectRejected(await verifyWith(unknown.jwt, holder), CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED);
      const v2 = kit.issue({ issuer: student, holder, mutate: (p) => ((p["vc"] as Record<string, unknown>)["credentialSchema"] = { id: "urn:mobile-id:schema:StudentIDCredential:2", type: "JsonSchema" }) });
      expectRejected(await verifyWith(v2.jwt, holder), CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED);
    });

    it("must come from an issuer accredited for its type (ISSUER_NOT_ACCREDITED)", async () => {
      const holder = kit.newHolder();
      // The student-ID issuer writing a driver's licence: signed correctly, not accredited for that type.
      const vc = kit.issue({ issuer: { ...student, typeName: "DriversLicenseCredential" }, holder });
      expectRejected(await verifyWith(vc.jwt, holder), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_NOT_ACCREDITED);
    });

    it("must have been issued while its issuer was accredited (standingAt(nbf))", async () => {
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer: student, holder, nbf: kit.now() - 10 * 365 * 24 * 3600 });
      expectRejected(await verifyWith(vc.jwt, holder), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_NOT_ACCREDITED);
    });

    it("must come from an allowed issuer when the request has an allow-list", async () => {
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer: student, holder }).jwt;
      const request = kit.request({ issuerPolicy: { allowedIssuers: [driving.did] } });
      expectRejected(
        await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request }), request }),
        CheckId.CredentialIssuerStanding,
        VerificationCode.ISSUER_NOT_ACCREDITED,
      );
      const allowed = kit.request({ issuerPolicy: { allowedIssuers: [student.address] } });
      expect((await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request: allowed }), request: allowed })).verified).toBe(true);
    });

    it("is refused at once when its issuer or the issuer's accreditor is suspended (ISSUER_SUSPENDED), unless policy looks at issuance only", async () => {
      const issuer = await kit.addIssuer("StudentIDCredential");
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer, holder }).jwt;
      const accreditor = kit.net.roster.accreditors.education.signer;
      const type = credentialTypeId("StudentIDCredential", 1);
      await kit.accreditation(accreditor, "suspend", [await accreditor.getAddress(), issuer.address, type, ReasonCode.AUDIT_FINDING]);
      await kit.sync();
      expectRejected(await verifyWith(vc, holder), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_SUSPENDED);
      const lenient = kit.request({ issuerPolicy: { requireInForceNow: false } });
      expect((await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request: lenient }), request: lenient })).verified).toBe(true);
      await kit.accreditation(accreditor, "reinstate", [await accreditor.getAddress(), issuer.address, type, ReasonCode.REVIEW_CLEARED]);
      // Now the accreditor (education) is suspended by the root: every issuer it accredited stops verifying.
      const root = kit.net.roster.root;
      await kit.accreditation(root, "suspend", [await root.getAddress(), await accreditor.getAddress(), type, ReasonCode.AUDIT_FINDING]);
      await kit.sync();
      expectRejected(await verifyWith(vc, holder), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_SUSPENDED);
      await kit.accreditation(root, "reinstate", [await root.getAddress(), await accreditor.getAddress(), type, ReasonCode.REVIEW_CLEARED]);
      await kit.sync();
      expect((await verifyWith(vc, holder)).verified).toBe(true);
    });

    it("is refused when its issuer was revoked (ISSUER_REVOKED)", async () => {
      const issuer = await kit.addIssuer("StudentIDCredential");
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer, holder }).jwt;
      const accreditor = kit.net.roster.accreditors.education.signer;
      await kit.accreditation(accreditor, "revoke", [await accreditor.getAddress(), issuer.address, credentialTypeId("StudentIDCredential", 1), ReasonCode.MISCONDUCT]);
      await kit.sync();
      expectRejected(await verifyWith(vc, holder), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_REVOKED);
    });

    it("is refused when revoked (CREDENTIAL_REVOKED) or suspended (CREDENTIAL_SUSPENDED), and accepted again once reinstated", async () => {
      const holder = kit.newHolder();
      const revoked = kit.issue({ issuer: student, holder });
      const suspended = kit.issue({ issuer: student, holder });
      await kit.status(student.wallet, "revoke", [student.revocationListId, revoked.index, ReasonCode.KEY_COMPROMISE]);
      await kit.status(student.wallet, "suspend", [student.suspensionListId, suspended.index, ReasonCode.DEVICE_LOST]);
      await kit.sync();
      expectRejected(await verifyWith(revoked.jwt, holder), CheckId.CredentialStatus, VerificationCode.CREDENTIAL_REVOKED);
      expectRejected(await verifyWith(suspended.jwt, holder), CheckId.CredentialStatus, VerificationCode.CREDENTIAL_SUSPENDED);
      await kit.status(student.wallet, "reinstate", [student.suspensionListId, suspended.index, ReasonCode.REVIEW_CLEARED]);
      await kit.sync();
      expect((await verifyWith(suspended.jwt, holder)).verified).toBe(true);
    });

    it("must point at a pair of its own issuer's lists, of the right purposes and size, in range (STATUS_INVALID)", async () => {
      const holder = kit.newHolder();
      const bigLists = await kit.addIssuer("StudentIDCredential", { sizeLog2: 18 });
      const cases: Parameters<TestKit["issue"]>[0][] = [
        // Another issuer's lists.
        { issuer: { ...student, revocationListId: driving.revocationListId, suspensionListId: driving.suspensionListId }, holder },
        // Purposes swapped.
        { issuer: { ...student, revocationListId: student.suspensionListId, suspensionListId: student.revocationListId }, holder },
        // A list that does not exist.
        { issuer: { ...student, suspensionListId: 10_000n }, holder },
        // Index out of range.
        { issuer: student, holder, index: 1n << 17n },
        // Lists of different sizes.
        { issuer: { ...student, suspensionListId: bigLists.suspensionListId }, holder },
        // Another status registry.
        { issuer: student, holder, mutate: (p) => {
          const s = (p["vc"] as Record<string, Record<string, string>>)["credentialStatus"]!;
          s["statusRegistry"] = kit.net.descriptor.contracts.accreditationRegistry.address;
          s["id"] = s["id"]!.replace(kit.net.descriptor.contracts.statusRegistry.address, kit.net.descriptor.contracts.accreditationRegistry.address);
        } },
        // No status at all.
        { issuer: student, holder, mutate: (p) => delete (p["vc"] as Record<string, unknown>)["credentialStatus"] },
        // An id that says something else than the members.
        { issuer: student, holder, mutate: (p) => {
          const s = (p["vc"] as Record<string, Record<string, string>>)["credentialStatus"]!;
          s["id"] = `${s["id"]!.replace(/:\d+$/, "")}:1`;
        } },
      ];
      for (const c of cases) expectRejected(await verifyWith(kit.issue(c).jwt, holder), CheckId.CredentialStatus, VerificationCode.STATUS_INVALID);
    });

    it("must use a revocation list and a suspension list of equal size, each of its purpose (STATUS_INVALID)", async () => {
      const issuer = await kit.addIssuer("StudentIDCredential");
      const holder = kit.newHolder();
      const { StatusPurpose } = await import("@mobile-id/chain");
      const listOf = async (purpose: number, sizeLog2: number) => {
        await kit.status(issuer.wallet, "createList", [issuer.address, purpose, sizeLog2, []]);
        return (await kit.contracts.statusRegistry.getFunction("listCount")()) as bigint;
      };
      const secondSuspension = await listOf(StatusPurpose.Suspension, 17);
      const secondRevocation = await listOf(StatusPurpose.Revocation, 17);
      const largeSuspension = await listOf(StatusPurpose.Suspension, 18);
      await kit.sync();
      for (const lists of [
        { revocationListId: secondSuspension }, // two suspension lists
        { suspensionListId: secondRevocation }, // two revocation lists
        { suspensionListId: largeSuspension }, // sizes differ
      ]) {
        expectRejected(await verifyWith(kit.issue({ issuer: { ...issuer, ...lists }, holder }).jwt, holder), CheckId.CredentialStatus, VerificationCode.STATUS_INVALID);
      }
      expect((await verifyWith(kit.issue({ issuer: { ...issuer, revocationListId: secondRevocation, suspensionListId: secondSuspension }, holder }).jwt, holder)).verified).toBe(true);
    });

    it("must be of a type registered on the ledger as this software knows it (TYPE_NOT_ACCEPTED)", async () => {
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer: student, holder }).jwt;
      const id = credentialTypeId("StudentIDCredential", 1).toLowerCase();
      /** The mirror's answers with the type's record replaced. */
      const editedLedger = (edit: (r: CredentialTypeRecord | undefined) => CredentialTypeRecord | undefined): LedgerReader => ({
        read: (q) => {
          const facts = kit.mirror.read(q);
          const types = new Map(facts.credentialTypes);
          types.set(id, edit(types.get(id)));
          return { ...facts, credentialTypes: types };
        },
        freshness: () => kit.mirror.freshness(),
      });
      expectRejected(await verifyWith(vc, holder, kit.verifier({ ledger: editedLedger(() => undefined) })), CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED);
      expectRejected(
        await verifyWith(vc, holder, kit.verifier({ ledger: editedLedger((r) => r && ({ ...r, schemaHash: `0x${"00".repeat(32)}` })) })),
        CheckId.CredentialType,
        VerificationCode.TYPE_NOT_ACCEPTED,
      );
    });

    it("is refused once the root deprecates its type, unless the verifier's policy accepts deprecated types", async () => {
      const resident = kit.issuerFor("ResidentIDCredential");
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer: resident, holder }).jwt;
      await kit.accreditation(kit.net.roster.root, "deprecateCredentialType", [credentialTypeId("ResidentIDCredential", 1), ReasonCode.SUPERSEDED]);
      await kit.sync();
      expectRejected(await verifyWith(vc, holder), CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED);
      expect((await verifyWith(vc, holder, kit.verifier({ policy: { acceptDeprecatedTypes: true } }))).verified).toBe(true);
    });

    it("must have claims that conform to its type's schema (SCHEMA_INVALID)", async () => {
      const holder = kit.newHolder();
      const { studentNumber: _, ...missing } = SAMPLE_CLAIMS["StudentIDCredential"]!;
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, claims: missing }).jwt, holder), CheckId.CredentialSchema, VerificationCode.SCHEMA_INVALID);
      const extra = { ...SAMPLE_CLAIMS["StudentIDCredential"], residentNumber: "900101-1234567" };
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, claims: extra }).jwt, holder), CheckId.CredentialSchema, VerificationCode.SCHEMA_INVALID);
      const badDate = { ...SAMPLE_CLAIMS["StudentIDCredential"], birthDate: "2001-02-30" };
      expectRejected(await verifyWith(kit.issue({ issuer: student, holder, claims: badDate }).jwt, holder), CheckId.CredentialSchema, VerificationCode.SCHEMA_INVALID);
    });
  });

  describe("keys on the ledger", () => {
    it("accepts an issuer's veriKey delegate, and refuses it from the block that revokes it (ledger time, not the verifier's clock)", async () => {
      const issuer = await kit.addIssuer("StudentIDCredential");
      const delegate = Wallet.createRandom();
      await kit.didRegistry(issuer.wallet, "addDelegate", [issuer.address, encodeBytes32String("veriKey"), delegate.address, 86_400]);
      await kit.sync();
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer, holder, signingKey: getBytes(delegate.privateKey) }).jwt;
      const request = kit.request();
      expect((await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request }), request })).verified).toBe(true);
      await kit.didRegistry(issuer.wallet, "revokeDelegate", [issuer.address, encodeBytes32String("veriKey"), delegate.address]);
      await kit.sync();
      // The verifier's clock lags the chain (as a wall clock lags a dev chain): ethr-did-resolver would still
      // accept the delegate until the clock passes the revoking block's time.
      const before = kit.now();
      kit.setNow(kit.mirror.freshness()!.head.timestamp - 30);
      const request2 = kit.request();
      const outcome = await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request: request2 }), request: request2 });
      kit.setNow(before);
      expectRejected(outcome, CheckId.CredentialSignature, VerificationCode.SIGNATURE_INVALID);
    });

    it("refuses a delegate whose validity ran out by the verifier's clock", async () => {
      const issuer = await kit.addIssuer("StudentIDCredential");
      const delegate = Wallet.createRandom();
      await kit.didRegistry(issuer.wallet, "addDelegate", [issuer.address, encodeBytes32String("sigAuth"), delegate.address, 600]);
      await kit.sync();
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer, holder, signingKey: getBytes(delegate.privateKey), exp: kit.now() + 10_000 }).jwt;
      const verifier = kit.verifier({ ledger: kit.mirror, limits: {} });
      const request = kit.request();
      expect((await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request }), request })).verified).toBe(true);
      const before = kit.now();
      kit.setNow(before + 700);
      const mirrorNow = kit.mirror;
      await mirrorNow.sync();
      const request2 = kit.request();
      const outcome = await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request: request2 }), request: request2 });
      kit.setNow(before);
      expectRejected(outcome, CheckId.CredentialSignature, VerificationCode.SIGNATURE_INVALID);
    });

    it("follows an issuer's key rotation: the old key is refused, the new one accepted", async () => {
      const issuer = await kit.addIssuer("StudentIDCredential");
      const newKey = Wallet.createRandom();
      const holder = kit.newHolder();
      const old = kit.issue({ issuer, holder }).jwt;
      await kit.didRegistry(issuer.wallet, "changeOwner", [issuer.address, newKey.address]);
      await kit.sync();
      const verifier = kit.verifier();
      const r1 = kit.request();
      expectRejected(await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [old], request: r1 }), request: r1 }), CheckId.CredentialSignature, VerificationCode.SIGNATURE_INVALID);
      const fresh = kit.issue({ issuer, holder, signingKey: getBytes(newKey.privateKey) }).jwt;
      const r2 = kit.request();
      expect((await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [fresh], request: r2 }), request: r2 })).verified).toBe(true);
    });

    it("refuses a deactivated issuer DID (owner = 0x0) at once (DID_DEACTIVATED)", async () => {
      const issuer = await kit.addIssuer("StudentIDCredential");
      const holder = kit.newHolder();
      const vc = kit.issue({ issuer, holder }).jwt;
      await kit.didRegistry(issuer.wallet, "changeOwner", [issuer.address, ZeroAddress]);
      await kit.sync();
      const request = kit.request();
      expectRejected(await kit.verifier().verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request }), request }), CheckId.CredentialIssuer, VerificationCode.DID_DEACTIVATED);
    });

    it("refuses a deactivated holder DID, follows a holder's key rotation and accepts a holder's sigAuth delegate", async () => {
      const holder = kit.newHolder();
      const holderWallet = new Wallet(Buffer.from(holder.privateKey).toString("hex"), kit.net.chain.provider);
      await kit.fund(holder.address);
      const vc = kit.issue({ issuer: student, holder }).jwt;
      const verifier = kit.verifier();

      const sigAuth = Wallet.createRandom();
      const veriKey = Wallet.createRandom();
      await kit.didRegistry(holderWallet, "addDelegate", [holder.address, encodeBytes32String("sigAuth"), sigAuth.address, 86_400]);
      await kit.didRegistry(holderWallet, "addDelegate", [holder.address, encodeBytes32String("veriKey"), veriKey.address, 86_400]);
      await kit.sync();
      let request = kit.request();
      expect((await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request, signingKey: getBytes(sigAuth.privateKey) }), request })).verified).toBe(true);
      // veriKey delegates sign credentials (assertion), not presentations (authentication).
      request = kit.request();
      expectRejected(
        await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request, signingKey: getBytes(veriKey.privateKey) }), request }),
        CheckId.PresentationSignature,
        VerificationCode.SIGNATURE_INVALID,
      );

      const rotated = Wallet.createRandom().connect(kit.net.chain.provider);
      await kit.fund(rotated.address);
      await kit.didRegistry(holderWallet, "changeOwner", [holder.address, rotated.address]);
      await kit.sync();
      request = kit.request();
      expectRejected(await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request }), request }), CheckId.PresentationSignature, VerificationCode.SIGNATURE_INVALID);
      request = kit.request();
      expect((await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request, signingKey: getBytes(rotated.privateKey) }), request })).verified).toBe(true);

      await kit.didRegistry(rotated, "changeOwner", [holder.address, ZeroAddress]);
      await kit.sync();
      request = kit.request();
      expectRejected(
        await verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vc], request, signingKey: getBytes(rotated.privateKey) }), request }),
        CheckId.PresentationHolder,
        VerificationCode.DID_DEACTIVATED,
      );
    });
  });

  describe("the ledger", () => {
    it("fails closed (LEDGER_UNAVAILABLE) when the mirror is stale", async () => {
      const { vp, request } = scenario();
      const before = kit.now();
      kit.setNow(before + 3600);
      const staleMirrorVerifier = kit.verifier();
      // The mirror's own clock is the system clock; make it stale by asking with a mirror built on the kit clock.
      const { LedgerMirror } = await import("@mobile-id/chain");
      const mirror = new LedgerMirror({ rpc: kit.net.chain.provider as unknown as LedgerRpc, descriptor: kit.net.descriptor, clock: kit.clock, maxStalenessSeconds: 30 });
      kit.setNow(before);
      await mirror.sync();
      kit.setNow(before + 31);
      const outcome = await kit.verifier({ ledger: mirror }).verifyPresentation({ presentation: vp, request: { ...request, expiresAt: before + 3600 } });
      kit.setNow(before);
      expectRejected(outcome, CheckId.LedgerRead, VerificationCode.LEDGER_UNAVAILABLE);
      void staleMirrorVerifier;
    });

    it("fails closed (LEDGER_UNAVAILABLE) when the node does not answer", async () => {
      const { vp, request } = scenario();
      const dead: LedgerRpc = { send: () => Promise.reject(new Error("ECONNREFUSED")) };
      const outcome = await kit.verifier({ ledger: new RpcLedgerReader({ rpc: dead, descriptor: kit.net.descriptor }) }).verifyPresentation({ presentation: vp, request });
      expectRejected(outcome, CheckId.LedgerRead, VerificationCode.LEDGER_UNAVAILABLE);
    });

    it("gives the same answers over direct RPC reads (cold path) as from the mirror", async () => {
      const { vp, request } = scenario();
      const reader = new RpcLedgerReader({ rpc: kit.net.chain.provider as unknown as LedgerRpc, descriptor: kit.net.descriptor });
      expect((await kit.verifier({ ledger: reader }).verifyPresentation({ presentation: vp, request })).verified).toBe(true);
      const holder = kit.newHolder();
      const revoked = kit.issue({ issuer: student, holder });
      await kit.status(student.wallet, "revoke", [student.revocationListId, revoked.index, ReasonCode.KEY_COMPROMISE]);
      const r = kit.request();
      expectRejected(
        await kit.verifier({ ledger: reader }).verifyPresentation({ presentation: kit.present({ holder, credentials: [revoked.jwt], request: r }), request: r }),
        CheckId.CredentialStatus,
        VerificationCode.CREDENTIAL_REVOKED,
      );
    });
  });

  describe("misuse throws (the request is the verifier's own object)", () => {
    it.each<[string, Record<string, unknown>]>([
      ["a short challenge", { challenge: "abc" }],
      ["an unknown credential type", { credentialTypes: ["PassportCredential"] }],
      ["no credential types", { credentialTypes: [] }],
      ["a missing expiry", { expiresAt: undefined }],
    ])("%s", async (_, overrides) => {
      const request = { ...kit.request(), ...overrides } as never;
      await expect(kit.verifier().verifyPresentation({ presentation: "x", request })).rejects.toMatchObject({ name: "MobileIdError" });
    });

    it("a nonce store that cannot decide fails the call rather than accepting", async () => {
      const { vp, request } = scenario();
      const store = createMemoryNonceStore({ maxEntries: 1, clock: kit.clock });
      await store.consume("someone-else-challenge", kit.now() + 3600);
      await expect(kit.verifier({ nonceStore: store }).verifyPresentation({ presentation: vp, request })).rejects.toMatchObject({ code: "NONCE_STORE_FULL" });
    });
  });

  it("encodes tokens the test kit signs like any JOSE library (sanity)", () => {
    const { vp } = scenario();
    expect(decodeJwt(vp).header).toEqual({ alg: "ES256K", typ: "JWT" });
    expect(vp.split(".")[0]).toBe(encodeBase64url(JSON.stringify({ alg: "ES256K", typ: "JWT" })));
  });

  describe("refuses a proof of an algorithm it cannot check (SignedEnvelope.alg is a union; only ES256K is verified today)", () => {
    // Format handlers that parse as the JWT formats do but report ES256, as a future handler might.
    const es256Vc: CredentialFormatHandler = {
      ...jwtVcFormat,
      parse: (raw, c) => {
        const r = jwtVcFormat.parse(raw, c);
        return r.ok ? { ok: true, value: { ...r.value, proof: { ...r.value.proof, alg: "ES256" } } } : r;
      },
    };
    const es256Vp: PresentationFormatHandler = {
      ...jwtVpFormat,
      parse: (raw, c) => {
        const r = jwtVpFormat.parse(raw, c);
        return r.ok ? { ok: true, value: { ...r.value, proof: { ...r.value.proof, alg: "ES256" } } } : r;
      },
    };

    it("a presentation signed with ES256", async () => {
      const { vp, request } = scenario();
      const outcome = await kit.verifier({ presentationFormats: [es256Vp] }).verifyPresentation({ presentation: vp, request });
      expectRejected(outcome, CheckId.PresentationSignature, VerificationCode.UNSUPPORTED_ALGORITHM);
    });

    it("a credential signed with ES256, in a presentation and alone", async () => {
      const { vp, vc, request } = scenario();
      const verifier = kit.verifier({ credentialFormats: [es256Vc] });
      const outcome = await verifier.verifyPresentation({ presentation: vp, request });
      expect(outcome).toMatchObject({ verified: false, code: VerificationCode.UNSUPPORTED_ALGORITHM });
      expect(outcome.checks.find((c) => c.check === CheckId.CredentialSignature)).toMatchObject({ passed: false, code: VerificationCode.UNSUPPORTED_ALGORITHM });
      expect(await verifier.verifyCredential({ credential: vc.jwt })).toMatchObject({ verified: false, code: VerificationCode.UNSUPPORTED_ALGORITHM });
    });

    it("the same, with the handlers given as a format registry (createVerifier's formats)", async () => {
      const { vp, vc, request } = scenario();
      const formats = createFormatRegistry({
        credentialFormats: [{ ...jwtVcFormat, ...es256Vc }],
        presentationFormats: [{ ...jwtVpFormat, ...es256Vp }],
      });
      const verifier = kit.verifier({ formats });
      expectRejected(await verifier.verifyPresentation({ presentation: vp, request }), CheckId.PresentationSignature, VerificationCode.UNSUPPORTED_ALGORITHM);
      expect(await verifier.verifyCredential({ credential: vc.jwt })).toMatchObject({ verified: false, code: VerificationCode.UNSUPPORTED_ALGORITHM });
      // And the default registry verifies both.
      expect(await kit.verifier({ formats: defaultFormats }).verifyCredential({ credential: vc.jwt })).toMatchObject({ verified: true });
    });
  });
});
