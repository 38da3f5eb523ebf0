import { describe, expect, it } from "vitest";
import { openDatabase } from "../stores/database.ts";
import { createOfferStore } from "./offerStore.ts";

describe("offer store", () => {
  const jwt = "eyJhbGciOiJFUzI1NksiLCJ0eXAiOiJKV1QifQ.e30.sig";

  it("returns the credential exactly once, then reports it redeemed", () => {
    const offers = createOfferStore(openDatabase(":memory:"));
    const { id } = offers.create({ tenant: "snu", credential: jwt, expiresAt: 2000, now: 1000 });
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(offers.redeem(id, 1001)).toEqual({ ok: true, tenant: "snu", credential: jwt, expiresAt: 2000 });
    expect(offers.redeem(id, 1002)).toEqual({ ok: false, reason: "redeemed" });
  });

  it("refuses an expired offer and an unknown id", () => {
    const offers = createOfferStore(openDatabase(":memory:"));
    const { id } = offers.create({ tenant: "snu", credential: jwt, expiresAt: 2000, now: 1000 });
    expect(offers.redeem(id, 2000)).toEqual({ ok: false, reason: "expired" });
    expect(offers.redeem("AAAAAAAAAAAAAAAAAAAAAA", 1000)).toEqual({ ok: false, reason: "not-found" });
  });

  it("keeps no credential after redemption or expiry, and never the id itself", () => {
    const db = openDatabase(":memory:");
    const offers = createOfferStore(db);
    const a = offers.create({ tenant: "snu", credential: jwt, expiresAt: 2000, now: 1000 });
    offers.create({ tenant: "snu", credential: jwt, expiresAt: 1500, now: 1000 });
    offers.redeem(a.id, 1001);
    offers.purge(1600);
    const rows = db.prepare("SELECT id_hash, credential FROM credential_offers").all() as { id_hash: string; credential: string | null }[];
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.credential === null)).toBe(true);
    expect(rows.some((r) => r.id_hash === a.id)).toBe(false);
  });
});
