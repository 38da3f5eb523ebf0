import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { AccreditationStatus, type RelyingPartyLedger } from "@mobile-id/chain";
import { installErrorHandling } from "../errors.ts";
import { registerRelyingPartyRoutes } from "./relyingParties.ts";

const COUNTER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
const STRANGER = "0x0000000000000000000000000000000000000b0b";

/** A registry in memory: the counter registered for two claims of the driver's licence; `status` says how it stands. */
function ledger(status: AccreditationStatus, fail = false): RelyingPartyLedger {
  return {
    relyingPartyAt: async (rp) => {
      if (fail) throw new Error("node down");
      const known = rp.toLowerCase() === COUNTER.toLowerCase();
      return {
        relyingParty: rp,
        inForce: known && status === AccreditationStatus.Active,
        status: known ? status : AccreditationStatus.None,
        validFrom: 0,
        validUntil: 4_000_000_000,
        since: 0,
        registrar: "0x0000000000000000000000000000000000000001",
        reason: 0,
        final: false,
        name: known ? "검증 창구" : "",
        purpose: known ? "연령 확인" : "",
      };
    },
    permittedClaimsAt: async () => ({ claims: ["age_equal_or_over.19", "familyName"], claimsDigest: "0x", since: 1, grantedBy: "0x0000000000000000000000000000000000000001", grantorInForce: true }),
  };
}

async function app(status: AccreditationStatus, fail = false) {
  const a = Fastify({ logger: false });
  installErrorHandling(a);
  registerRelyingPartyRoutes(a, {
    chainId: 31337,
    registrations: ledger(status, fail),
    ledgerTime: async () => 1_800_000_000,
    identity: (address) =>
      ({ identity: address, owner: address, deactivated: false, delegates: [], attributes: [{ name: "did/pub/Secp256k1/sigAuth/hex", value: `0x02${"11".repeat(32)}`, validTo: 4_000_000_000n }], changed: 0, events: 0 }) as never,
  });
  return a;
}

describe("GET /relying-parties/:address (the wallet's ledger look-up before consent)", () => {
  it("gives the registration, the keys and a permit for claims inside the registration", async () => {
    const a = await app(AccreditationStatus.Active);
    const r = await a.inject({ method: "GET", url: `/relying-parties/${COUNTER}?type=DriversLicenseCredential&claims=age_equal_or_over.19` });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ address: COUNTER, did: `did:ethr:0x7a69:${COUNTER.toLowerCase()}`, name: "검증 창구", purpose: "연령 확인", status: "Active", keys: { owner: COUNTER }, decision: { permitted: true } });
    // Public-key attributes too: a request object signed by one is the party's.
    expect(r.json().keys.attributes).toEqual([{ name: "did/pub/Secp256k1/sigAuth/hex", value: `0x02${"11".repeat(32)}`, validTo: "4000000000" }]);
    await a.close();
  });

  it("refuses claims outside the registration, a suspended party and an unregistered one, with stable codes", async () => {
    const a = await app(AccreditationStatus.Active);
    const outside = await a.inject({ method: "GET", url: `/relying-parties/${COUNTER}?type=DriversLicenseCredential&claims=familyName,portrait` });
    expect(outside.json().decision).toMatchObject({ permitted: false, code: "CLAIM_NOT_PERMITTED", notPermitted: ["portrait"] });
    const stranger = await a.inject({ method: "GET", url: `/relying-parties/${STRANGER}?type=DriversLicenseCredential&claims=familyName` });
    expect(stranger.json()).toMatchObject({ name: "", status: "None", decision: { permitted: false, code: "RELYING_PARTY_UNREGISTERED" } });
    await a.close();
    const s = await app(AccreditationStatus.Suspended);
    const suspended = await s.inject({ method: "GET", url: `/relying-parties/${COUNTER}?type=DriversLicenseCredential&claims=familyName` });
    expect(suspended.json().decision).toMatchObject({ permitted: false, code: "RELYING_PARTY_SUSPENDED" });
    await s.close();
  });

  it("fails closed: an unreadable ledger is 503 LEDGER_UNAVAILABLE; bad input is a 400", async () => {
    const down = await app(AccreditationStatus.Active, true);
    const r = await down.inject({ method: "GET", url: `/relying-parties/${COUNTER}?type=DriversLicenseCredential&claims=familyName` });
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe("LEDGER_UNAVAILABLE");
    expect((await down.inject({ method: "GET", url: `/relying-parties/${COUNTER}?type=NoSuchCredential` })).json().error.code).toBe("UNKNOWN_CREDENTIAL_TYPE");
    expect((await down.inject({ method: "GET", url: `/relying-parties/${COUNTER}?claims=${Array.from({ length: 33 }, () => "a").join(",")}` })).json().error.code).toBe("TOO_MANY_CLAIMS");
    await down.close();
  });
});
