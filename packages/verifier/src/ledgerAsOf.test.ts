import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerMirror, type LedgerRpc } from "@mobile-id/chain";
import { ReasonCode, VerificationCode } from "@mobile-id/core";
import { type TestKit, startTestKit } from "./testing.ts";

/** Every outcome that read the ledger says "as of" which block, and when that block was last confirmed. */
describe("verification outcomes carry ledgerAsOf", () => {
  let kit: TestKit;
  beforeAll(async () => {
    kit = await startTestKit();
  });
  afterAll(() => kit.close());

  it("names the replica's last confirmed head and its confirmation time, for accepted and refused answers", async () => {
    const student = kit.issuerFor("StudentIDCredential");
    const holder = kit.newHolder();
    const issued = kit.issue({ issuer: student, holder });
    const request = kit.request();
    const presentation = kit.present({ holder, credentials: [issued.jwt], request });
    // A replica confirmed at a known (kit) time, then left alone while the ledger moves on.
    const mirror = new LedgerMirror({ rpc: kit.net.chain.provider as unknown as LedgerRpc, descriptor: kit.net.descriptor, clock: kit.clock, maxStalenessSeconds: 900 });
    const confirmedAt = kit.now();
    await mirror.sync();
    const head = mirror.freshness()!.head;
    await kit.status(student.wallet, "revoke", [student.revocationListId, issued.index, ReasonCode.ADMINISTRATIVE]);
    kit.setNow(confirmedAt + 60);
    const accepted = await kit.verifier({ ledger: mirror }).verifyPresentation({ presentation, request });
    kit.setNow(confirmedAt);
    // As of the replica's head: the later revocation is not in it, and the outcome says so by its "as of".
    expect(accepted.verified).toBe(true);
    expect(accepted.ledgerAsOf).toEqual({ blockNumber: head.blockNumber, blockHash: head.blockHash, blockTimestamp: head.timestamp, checkedAt: confirmedAt });

    await mirror.sync();
    const later = mirror.freshness()!.head;
    const request2 = kit.request();
    const refused = await kit.verifier({ ledger: mirror }).verifyPresentation({ presentation: kit.present({ holder, credentials: [issued.jwt], request: request2 }), request: request2 });
    expect(refused.code).toBe(VerificationCode.CREDENTIAL_REVOKED);
    expect(refused.ledgerAsOf).toMatchObject({ blockNumber: later.blockNumber, blockHash: later.blockHash });

    const credential = await kit.verifier({ ledger: mirror }).verifyCredential({ credential: issued.jwt });
    expect(credential.ledgerAsOf?.blockNumber).toBe(later.blockNumber);
  });

  it("is absent when the ledger was not read (refused before the ledger read)", async () => {
    const outcome = await kit.verifier().verifyPresentation({ presentation: "not-a-jwt", request: kit.request() });
    expect(outcome.verified).toBe(false);
    expect(outcome.ledgerAsOf).toBeUndefined();
  });
});
