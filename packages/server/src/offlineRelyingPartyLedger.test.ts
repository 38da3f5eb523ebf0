import { describe, expect, it } from "vitest";
import { AccreditationStatus, type PermittedClaims, type RelyingPartyLedger, type RelyingPartyRegistration } from "@mobile-id/chain";
import { isMobileIdError } from "@mobile-id/core";
import type { LedgerReadinessStatus } from "./ledgerReadiness.ts";
import { offlineRelyingPartyLedger } from "./offlineRelyingPartyLedger.ts";

const PARTY = "0x00000000000000000000000000000000000000aa";
const TYPE = `0x${"11".repeat(32)}`;
const registration: RelyingPartyRegistration = {
  relyingParty: PARTY,
  inForce: true,
  status: AccreditationStatus.Active,
  validFrom: 1_000,
  validUntil: 5_000,
  since: 1_000,
  registrar: "0x00000000000000000000000000000000000000bb",
  reason: 0,
  final: false,
  name: "Shop",
  purpose: "Age checks",
};
const claims = { claims: ["age_equal_or_over.19"], claimsDigest: "0x00" } as unknown as PermittedClaims;

function setup() {
  let status: LedgerReadinessStatus = { ok: true, state: "ready", maxStalenessSeconds: 900, freshness: { head: { blockHash: "0xaa" } } as never, issuers: {} };
  const calls: string[] = [];
  const node: RelyingPartyLedger = {
    relyingPartyAt: async (party, at) => (calls.push(`r ${party} ${at}`), registration),
    permittedClaimsAt: async (party, type, at) => (calls.push(`c ${party} ${type} ${at}`), claims),
  };
  const ledger = offlineRelyingPartyLedger({ ledger: node, readiness: { status: () => status } });
  return { ledger, calls, set: (s: Partial<LedgerReadinessStatus>) => (status = { ...status, ...s }) };
}

const code = async (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => (isMobileIdError(e) ? e.code : String(e)));

describe("offlineRelyingPartyLedger", () => {
  it("online: asks the node every time", async () => {
    const t = setup();
    expect(await t.ledger.relyingPartyAt(PARTY, 2_000)).toMatchObject({ inForce: true });
    expect(await t.ledger.permittedClaimsAt(PARTY, TYPE, 2_000)).toBe(claims);
    expect(t.calls).toHaveLength(2);
  });

  it("offline within the policy: answers what was read under the replica's head without calling the node", async () => {
    const t = setup();
    await t.ledger.relyingPartyAt(PARTY, 2_000);
    await t.ledger.permittedClaimsAt(PARTY, TYPE, 2_000);
    t.set({ ok: false, reason: "ledger-unreachable" });
    expect(await t.ledger.relyingPartyAt(PARTY, 3_000)).toMatchObject({ inForce: true, name: "Shop", final: false });
    expect(await t.ledger.permittedClaimsAt(PARTY, TYPE, 3_000)).toBe(claims);
    expect(t.calls).toHaveLength(2);
    // The window still ends with time while offline.
    expect(await t.ledger.relyingPartyAt(PARTY, 5_000)).toMatchObject({ inForce: false, status: AccreditationStatus.Expired });
  });

  it("offline: never read, or read under another head, is LEDGER_UNAVAILABLE (fail closed)", async () => {
    const t = setup();
    await t.ledger.relyingPartyAt(PARTY, 2_000);
    t.set({ ok: false, reason: "ledger-unreachable" });
    expect(await code(t.ledger.permittedClaimsAt(PARTY, TYPE, 2_000))).toBe("LEDGER_UNAVAILABLE");
    t.set({ freshness: { head: { blockHash: "0xbb" } } as never });
    expect(await code(t.ledger.relyingPartyAt(PARTY, 2_000))).toBe("LEDGER_UNAVAILABLE");
    expect(t.calls).toHaveLength(1);
  });

  it("past the policy or with the gate closed for another reason: LEDGER_UNAVAILABLE, even for a remembered answer", async () => {
    const t = setup();
    await t.ledger.relyingPartyAt(PARTY, 2_000);
    for (const reason of ["mirror-stale", "issuers-catching-up", "replica-behind-acknowledged-writes"] as const) {
      t.set({ ok: false, reason });
      expect(await code(t.ledger.relyingPartyAt(PARTY, 2_000))).toBe("LEDGER_UNAVAILABLE");
    }
    expect(t.calls).toHaveLength(1);
  });
});
