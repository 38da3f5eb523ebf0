import type { HDNodeWallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LedgerFacts, type LedgerReader, type LedgerRpc, RpcLedgerReader } from "@mobile-id/chain";
import { VerificationCode, credentialTypeId, findCredentialType, toEthrDid } from "@mobile-id/core";
import { type TestIssuer, type TestKit, startTestKit } from "./testing.ts";
import { CheckId, type VerificationOutcome } from "./types.ts";

function expectRejected(outcome: VerificationOutcome, check: CheckId, code: VerificationCode): void {
  const last = outcome.checks[outcome.checks.length - 1];
  expect({ verified: outcome.verified, code: outcome.code, check: last?.check }).toEqual({ verified: false, code, check });
}

/**
 * Issue 8 item 8: the signer of a credential must be a party registered as an issuer, accredited for the type
 * by a party registered as an accreditor. An accreditor is itself accredited (by the root) for the types it
 * governs, so its standing alone is "in force"; before this check only the status list's owner stopped its
 * credentials.
 */
describe("issuer roles in depth", () => {
  let kit: TestKit;
  let student: TestIssuer;
  /** The Ministry of Education (accreditor for StudentIDCredential) acting as an issuer, on the student issuer's lists. */
  let accreditor: TestIssuer;
  const studentType = credentialTypeId("StudentIDCredential", 1);

  beforeAll(async () => {
    kit = await startTestKit();
    student = kit.issuerFor("StudentIDCredential");
    const governedBy = findCredentialType("StudentIDCredential")!.governedBy;
    const wallet = kit.net.roster.accreditors[governedBy].signer as HDNodeWallet;
    accreditor = { ...student, wallet, did: toEthrDid(kit.chainId, wallet.address), address: wallet.address };
  });
  afterAll(() => kit.close());

  /** The mirror's answers, edited. */
  const edited = (edit: (facts: LedgerFacts) => LedgerFacts): LedgerReader => ({
    read: (q) => edit(kit.mirror.read(q)),
    freshness: () => kit.mirror.freshness(),
  });

  async function present(issuer: TestIssuer, ledger?: LedgerReader): Promise<VerificationOutcome> {
    const holder = kit.newHolder();
    const vc = kit.issue({ issuer, holder });
    const request = kit.request();
    const verifier = ledger === undefined ? kit.verifier() : kit.verifier({ ledger });
    return verifier.verifyPresentation({ presentation: kit.present({ holder, credentials: [vc.jwt], request }), request });
  }

  it("premise: the accreditor's own standing for the type is in force", () => {
    expect(kit.mirror.standingAt(accreditor.address, studentType, kit.now()).inForce).toBe(true);
  });

  it("refuses a credential signed by an accreditor's key with ISSUER_NOT_ACCREDITED, before the status check", async () => {
    expectRejected(await present(accreditor), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_NOT_ACCREDITED);
    // The cold path answers the same.
    const rpc = new RpcLedgerReader({ rpc: kit.net.chain.provider as unknown as LedgerRpc, descriptor: kit.net.descriptor });
    expectRejected(await present(accreditor, rpc), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_NOT_ACCREDITED);
  });

  it("refuses it even when the status lists it points at are the accreditor's own", async () => {
    // The registry lets only issuers create lists; a ledger that says otherwise isolates the role check.
    const listsOwnedByAccreditor = edited((facts) => ({
      ...facts,
      statusEntries: facts.statusEntries.map((e) => (e.list === undefined ? e : { ...e, list: { ...e.list, issuer: accreditor.address } })),
    }));
    expectRejected(await present(accreditor, listsOwnedByAccreditor), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_NOT_ACCREDITED);
  });

  it("refuses an issuer whose accreditation was not granted by a registered accreditor", async () => {
    const ledger = edited((facts) => {
      const parties = new Map(facts.parties);
      for (const s of facts.standings) parties.set(s.accreditor.toLowerCase(), 0); // PartyRole.None
      return { ...facts, parties };
    });
    expectRejected(await present(student, ledger), CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_NOT_ACCREDITED);
  });

  it("fails closed (LEDGER_UNAVAILABLE) when the reader does not answer the roles", async () => {
    const ledger = edited((facts) => ({ ...facts, parties: new Map() }));
    expectRejected(await present(student, ledger), CheckId.CredentialIssuerStanding, VerificationCode.LEDGER_UNAVAILABLE);
  });

  it("accepts the registered, accredited issuer on both readers", async () => {
    expect((await present(student)).verified).toBe(true);
    const rpc = new RpcLedgerReader({ rpc: kit.net.chain.provider as unknown as LedgerRpc, descriptor: kit.net.descriptor });
    expect((await present(student, rpc)).verified).toBe(true);
  });
});
