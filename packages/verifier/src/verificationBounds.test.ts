import { Wallet, encodeBytes32String, getAddress, hexlify, randomBytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LedgerFacts, LedgerReader } from "@mobile-id/chain";
import { VerificationCode } from "@mobile-id/core";
import { createMemoryNonceStore } from "./nonceStore.ts";
import { type TestHolder, type TestIssuer, type TestKit, startTestKit } from "./testing.ts";
import { CheckId, type VerificationOutcome } from "./types.ts";

function expectRejected(outcome: VerificationOutcome, check: CheckId, code: VerificationCode): void {
  const last = outcome.checks[outcome.checks.length - 1];
  expect({ verified: outcome.verified, code: outcome.code, check: last?.check }).toEqual({ verified: false, code, check });
}

/** Issue 8 item 7 on the in-process chain: the time budget, and the cap on keys tried without a kid. */
describe("verification bounds", () => {
  let kit: TestKit;
  let student: TestIssuer;

  beforeAll(async () => {
    kit = await startTestKit();
    student = kit.issuerFor("StudentIDCredential");
  });
  afterAll(() => kit.close());

  function scenario(holder: TestHolder = kit.newHolder(), header?: Record<string, unknown>) {
    const vc = kit.issue({ issuer: student, holder });
    const request = kit.request();
    return { request, vp: kit.present({ holder, credentials: [vc.jwt], request, ...(header === undefined ? {} : { header }) }), vc: vc.jwt, holder };
  }

  describe("time budget", () => {
    /** The mirror's answers, delivered after `ms`. */
    const slowLedger = (ms: number): LedgerReader => ({
      read: (q) => new Promise<LedgerFacts>((resolve, reject) => setTimeout(() => {
        try {
          resolve(kit.mirror.read(q));
        } catch (e) {
          reject(e as Error);
        }
      }, ms)),
      freshness: () => kit.mirror.freshness(),
    });

    it("fails closed with TIME_BUDGET_EXCEEDED when the ledger does not answer within it, without using the challenge", async () => {
      const { vp, request } = scenario();
      const nonceStore = createMemoryNonceStore({ clock: kit.clock });
      const slow = kit.verifier({ ledger: slowLedger(1_500), nonceStore, limits: { maxVerificationMs: 100 } });
      expectRejected(await slow.verifyPresentation({ presentation: vp, request }), CheckId.LedgerRead, VerificationCode.TIME_BUDGET_EXCEEDED);
      // The challenge is still unused: the same answer verifies once the ledger answers in time.
      expect((await kit.verifier({ nonceStore }).verifyPresentation({ presentation: vp, request })).verified).toBe(true);
    });

    it("counts time spent in a synchronous read too (monotonic clock injected)", async () => {
      let t = 0;
      const ledger: LedgerReader = {
        read: (q) => {
          t += 5_000; // a read that took five seconds
          return kit.mirror.read(q);
        },
        freshness: () => kit.mirror.freshness(),
      };
      const verifier = kit.verifier({ ledger, monotonicClock: () => t });
      const { vp, request, vc, holder } = scenario();
      expectRejected(await verifier.verifyPresentation({ presentation: vp, request }), CheckId.LedgerRead, VerificationCode.TIME_BUDGET_EXCEEDED);
      expectRejected(await verifier.verifyCredential({ credential: vc, subject: holder.did }), CheckId.LedgerRead, VerificationCode.TIME_BUDGET_EXCEEDED);
    });

    it("is configurable and checked", () => {
      expect(() => kit.verifier({ limits: { maxVerificationMs: 0 } })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    });
  });

  describe("keys tried without a kid", () => {
    /** A holder whose identity has `sigAuth` delegates (and a `veriKey` one, which cannot sign presentations). */
    async function holderWithDelegates(sigAuth: number): Promise<TestHolder> {
      const holder = kit.newHolder();
      const wallet = new Wallet(hexlify(holder.privateKey), kit.net.chain.provider);
      await kit.fund(holder.address);
      const add = (type: string) =>
        kit.didRegistry(wallet, "addDelegate", [holder.address, encodeBytes32String(type), getAddress(hexlify(randomBytes(20))), 86_400]);
      for (let i = 0; i < sigAuth; i++) await add("sigAuth");
      await add("veriKey");
      await kit.sync();
      return holder;
    }

    it("tries the owner and up to 7 valid delegates (8 keys); one more is DID_TOO_COMPLEX unless the kid names the key", async () => {
      const holder = await holderWithDelegates(7);
      const eight = scenario(holder);
      expect((await kit.verifier().verifyPresentation({ presentation: eight.vp, request: eight.request })).verified).toBe(true);

      const wallet = new Wallet(hexlify(holder.privateKey), kit.net.chain.provider);
      await kit.didRegistry(wallet, "addDelegate", [holder.address, encodeBytes32String("sigAuth"), getAddress(hexlify(randomBytes(20))), 86_400]);
      await kit.sync();
      const nine = scenario(holder);
      expectRejected(await kit.verifier().verifyPresentation({ presentation: nine.vp, request: nine.request }), CheckId.PresentationSignature, VerificationCode.DID_TOO_COMPLEX);
      const named = scenario(holder, { alg: "ES256K", typ: "JWT", kid: `${holder.did}#controllerKey` });
      expect((await kit.verifier().verifyPresentation({ presentation: named.vp, request: named.request })).verified).toBe(true);
    });
  });
});
