import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { type OfferContent, createOpenid4vciStore } from "./openid4vciStore.ts";

const content: OfferContent = {
  tenant: "snu",
  credentialType: "StudentIDCredential",
  formats: ["dc+sd-jwt"],
  reference: "2026-12345",
  claims: { givenName: "민준", studentNumber: "2026-12345" },
  copies: 3,
};
const open = () => {
  const db = new DatabaseSync(":memory:");
  return { db, store: createOpenid4vciStore(db, { txCodeScryptN: 1024 }) };
};
const wrongCode = (right: string) => (right === "000000" ? "111111" : "000000");
/** Every text cell of every table: where personal data could linger. */
const cells = (db: DatabaseSync): string =>
  ["vci_offers", "vci_grants", "vci_nonces"].map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all())).join("\n");

describe("OpenID4VCI store", () => {
  it("redeems a pre-authorized code once, with the right tx_code, and stores neither code nor tokens in clear", () => {
    const { db, store } = open();
    const offer = store.createOffer(content, { now: 1000, expiresAt: 1900 });
    expect(offer.txCode).toMatch(/^[0-9]{6}$/);
    const r = store.redeem({ tenant: "snu", preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode, now: 1001 });
    if (!r.ok) throw new Error(r.reason);
    expect(store.redeem({ tenant: "snu", preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode, now: 1002 })).toEqual({ ok: false, reason: "redeemed" });
    const all = cells(db);
    for (const secret of [offer.offerId, offer.preAuthorizedCode, offer.txCode, r.grant.accessToken, r.grant.refreshToken]) expect(all).not.toContain(secret);
    expect(store.grantOf({ tenant: "snu", accessToken: r.grant.accessToken, now: 1003 })?.claims).toEqual(content.claims);
    expect(store.grantOf({ tenant: "other", accessToken: r.grant.accessToken, now: 1003 })).toBeUndefined();
  });

  it("locks an offer after 5 wrong transaction codes, erasing its claims; the right code then fails too", () => {
    const { db, store } = open();
    const offer = store.createOffer(content, { now: 1000, expiresAt: 1900 });
    const attempt = (tx: string | undefined) => store.redeem({ tenant: "snu", preAuthorizedCode: offer.preAuthorizedCode, txCode: tx, now: 1001 });
    expect(attempt(wrongCode(offer.txCode))).toEqual({ ok: false, reason: "tx_code", attemptsLeft: 4 });
    expect(attempt(undefined)).toEqual({ ok: false, reason: "tx_code", attemptsLeft: 3 });
    expect(attempt("12")).toEqual({ ok: false, reason: "tx_code", attemptsLeft: 2 });
    expect(attempt(wrongCode(offer.txCode))).toEqual({ ok: false, reason: "tx_code", attemptsLeft: 1 });
    expect(attempt(wrongCode(offer.txCode))).toEqual({ ok: false, reason: "locked" });
    expect(attempt(offer.txCode)).toEqual({ ok: false, reason: "locked" });
    expect(store.readOffer(offer.offerId, 1001)).toBeUndefined();
    expect(cells(db)).not.toContain("민준");
  });

  it("refuses an expired offer, an unknown code and another tenant's code; the purge erases expired claims", () => {
    const { db, store } = open();
    const offer = store.createOffer(content, { now: 1000, expiresAt: 1900 });
    expect(store.readOffer(offer.offerId, 1899)?.preAuthorizedCode).toBe(offer.preAuthorizedCode);
    expect(store.redeem({ tenant: "other", preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode, now: 1001 })).toEqual({ ok: false, reason: "unknown" });
    expect(store.redeem({ tenant: "snu", preAuthorizedCode: "nope", txCode: offer.txCode, now: 1001 })).toEqual({ ok: false, reason: "unknown" });
    expect(store.redeem({ tenant: "snu", preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode, now: 1900 })).toEqual({ ok: false, reason: "expired" });
    expect(store.readOffer(offer.offerId, 1900)).toBeUndefined();
    expect(cells(db)).toContain("민준");
    store.purge(1900);
    expect(cells(db)).not.toContain("민준");
    expect(cells(db)).not.toContain("2026-12345");
  });

  it("access tokens expire; plain claims go with them; a refresh token unseals them once and rotates", () => {
    const { db, store } = open();
    const offer = store.createOffer(content, { now: 1000, expiresAt: 1900 });
    const r = store.redeem({ tenant: "snu", preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode, now: 1000 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.grant.accessExpiresAt).toBe(1300);
    expect(store.grantOf({ tenant: "snu", accessToken: r.grant.accessToken, now: 1300 })).toBeUndefined();
    // Nothing issued yet: a refresh token is good only while a credential of the grant is in force.
    expect(store.refresh({ tenant: "snu", refreshToken: r.grant.refreshToken, now: 1100 })).toBeUndefined();
    store.recordIssued(r.grant.grantId, "dc+sd-jwt", { id: "urn:uuid:1", expiresAt: 50_000 });
    store.purge(1300);
    expect(cells(db)).not.toContain("민준"); // sealed under the refresh token only
    const next = store.refresh({ tenant: "snu", refreshToken: r.grant.refreshToken, now: 2000 });
    if (next === undefined) throw new Error("refresh refused");
    expect(store.refresh({ tenant: "snu", refreshToken: r.grant.refreshToken, now: 2001 })).toBeUndefined();
    const view = store.grantOf({ tenant: "snu", accessToken: next.accessToken, now: 2001 });
    expect(view?.claims).toEqual(content.claims);
    expect(view?.issued).toEqual({ "dc+sd-jwt": { id: "urn:uuid:1", expiresAt: 50_000, ids: ["urn:uuid:1"] } });
    expect(store.refresh({ tenant: "snu", refreshToken: next.refreshToken, now: 50_000 })).toBeUndefined(); // out of force
  });

  it("tells the agency where its offer stands, and nothing to another tenant", () => {
    const { store } = open();
    const offer = store.createOffer(content, { now: 1000, expiresAt: 1900 });
    expect(store.offerStatus(offer.offerId, "snu", 1001)).toEqual({ state: "pending", expiresAt: 1900, reference: "2026-12345", credentials: {} });
    expect(store.offerStatus(offer.offerId, "other", 1001)).toBeUndefined();
    expect(store.offerStatus(offer.offerId, "snu", 1900)?.state).toBe("expired");
    const r = store.redeem({ tenant: "snu", preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode, now: 1001 });
    if (!r.ok) throw new Error(r.reason);
    expect(store.offerStatus(offer.offerId, "snu", 1002)?.state).toBe("redeemed");
    store.recordIssued(r.grant.grantId, "jwt_vc_json", { id: "urn:uuid:2", expiresAt: 9000 });
    store.recordIssued(r.grant.grantId, "jwt_vc_json", { id: "urn:uuid:3", expiresAt: 9000 });
    expect(store.offerStatus(offer.offerId, "snu", 1003)).toEqual({
      state: "issued",
      expiresAt: 1900,
      credentials: { jwt_vc_json: { id: "urn:uuid:2", expiresAt: 9000, ids: ["urn:uuid:2", "urn:uuid:3"] } },
    });
    const locked = store.createOffer(content, { now: 1000, expiresAt: 1900 });
    for (let i = 0; i < 5; i++) store.redeem({ tenant: "snu", preAuthorizedCode: locked.preAuthorizedCode, txCode: wrongCode(locked.txCode), now: 1001 });
    expect(store.offerStatus(locked.offerId, "snu", 1002)?.state).toBe("locked");
  });

  it("nonces are single use and short-lived; issuing one writes nothing; forged or foreign ones are unknown", () => {
    const { db, store } = open();
    const { nonce, expiresAt } = store.issueNonce(1000);
    expect(expiresAt).toBe(1300);
    expect(db.prepare("SELECT count(*) AS n FROM vci_nonces").get()).toEqual({ n: 0 });
    const tampered = `${nonce.slice(0, 10)}${nonce[10] === "A" ? "B" : "A"}${nonce.slice(11)}`;
    expect(store.consumeNonce(tampered, 1001)).toEqual({ ok: false, reason: "unknown" });
    expect(open().store.consumeNonce(nonce, 1001)).toEqual({ ok: false, reason: "unknown" });
    expect(store.consumeNonce(nonce, 1001)).toEqual({ ok: true });
    expect(store.consumeNonce(nonce, 1002)).toEqual({ ok: false, reason: "used" });
    const late = store.issueNonce(1000).nonce;
    expect(store.consumeNonce(late, 1300)).toEqual({ ok: false, reason: "expired" });
    expect(store.consumeNonce("never", 1001)).toEqual({ ok: false, reason: "unknown" });
  });

  it("is durable: a second store on the same file redeems what the first created", () => {
    const db = new DatabaseSync(":memory:");
    const offer = createOpenid4vciStore(db, { txCodeScryptN: 1024 }).createOffer(content, { now: 1000, expiresAt: 1900 });
    const reopened = createOpenid4vciStore(db, { txCodeScryptN: 1024 });
    expect(reopened.redeem({ tenant: "snu", preAuthorizedCode: offer.preAuthorizedCode, txCode: offer.txCode, now: 1001 }).ok).toBe(true);
  });
});
