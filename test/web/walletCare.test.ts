/**
 * Looking after cards in the phone wallet (issue 12), in Debian's Chromium against a real network: a card received
 * over OpenID4VCI (2 copies, so it is low at once) offers "get more copies", which redeems the sealed refresh token
 * (refresh_token grant, DPoP-bound) for new copies added to the SAME card under new non-extractable keys; the last
 * known statuses are kept sealed in the vault (localStorage holds no card id, issuer or status, and an entry kept in
 * clear by an earlier version is moved in and erased); offline, the unlocked wallet still shows the last known
 * status, its time and the issuer's name; the details screen shows every claim in words, the portrait, copies left,
 * issuer, validity and last check; a revoked card is told "the issuer no longer issues copies"; removing a card
 * (confirmation dialog: Escape cancels and returns the focus) deletes its copies and holder keys. axe-core on the
 * new screens in both languages.
 *
 * Needs /usr/bin/chromium; skipped with a message when it is absent. Screenshots go to test/web/screenshots/
 * (care-<screen>-<lang>.png, ignored by git).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page, type Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyntheticPortrait, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { NetworkProcess } from "../support/networkProcess.ts";
import { repoRoot } from "../support/run.ts";
import { createAxeAudit } from "./axeAudit.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { PHONE, hasChromium, launchChromium } from "./browser.ts";


const SHOTS = join(repoRoot, "test", "web", "screenshots");
const PASSPHRASE = "낙동강 물결 2026 가을";
const LEGACY_KEY = "mobile-id.wallet.last-status";


describe.skipIf(!hasChromium)("looking after cards in the phone wallet: sealed statuses, details, more copies, removal (browser)", () => {
  let network: NetworkProcess;
  let apiKeys: Readonly<Record<string, string>>;
  let browser: Browser;
  let phone: BrowserContext;
  let wallet: Page;
  let partyName = "";
  const pageErrors: string[] = [];
  const found: string[] = [];
  const checked: string[] = [];
  const tokenRequests: string[] = [];

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `care-${name}.png`), fullPage: true });
  const audit = createAxeAudit(found, checked, (page, name, lang) => shot(page, `${name}-${lang}`));
  const agency = () => ({ authorization: `Bearer ${apiKeys["snu"]!}`, "content-type": "application/json" });
  /** The holder keys on the phone (all must be non-extractable). */
  const holderKeys = () =>
    wallet.evaluate(
      () =>
        new Promise<{ count: number; extractable: boolean[] }>((resolve, reject) => {
          const open = indexedDB.open("mobile-id-device");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction("keys").objectStore("keys").getAll();
            all.onsuccess = () => resolve({ count: all.result.length, extractable: all.result.map((k: { privateKey: CryptoKey }) => k.privateKey.extractable) });
          };
        }),
    );
  /** An offer of `copies` copies for a student, made through the issuer's API, redeemed in the wallet. */
  const receive = async (reference: string, givenName: string, copies: number) => {
    const r = await fetch(`${network.url}/issuers/snu/openid4vci/offers`, {
      method: "POST",
      headers: agency(),
      body: JSON.stringify({
        credentialType: "StudentIDCredential",
        formats: ["dc+sd-jwt"],
        reference,
        copies,
        claims: { familyName: "윤", givenName, birthDate: "2004-09-21", studentNumber: reference, institution: "서울대학교", enrollmentStatus: "enrolled", portrait: portraitDataUri(createSyntheticPortrait({ seed: 23 })) },
      }),
    });
    expect(r.status, await r.clone().text()).toBe(201);
    const offer = (await r.json()) as { offerUri: string; txCode: string; offerId?: string };
    await wallet.evaluate(() => {
      location.hash = "#/";
    });
    await wallet.locator("#paste-link").waitFor({ timeout: 30_000 });
    await wallet.fill("#paste-link", offer.offerUri);
    await wallet.click("#paste-open");
    await wallet.locator("#vci-code").waitFor({ timeout: 30_000 });
    await wallet.fill("#vci-code", offer.txCode);
    await wallet.click("#vci-submit");
    const card = wallet.locator("article.idcard[data-type=StudentIDCredential]", { hasText: `윤${givenName}` });
    await card.waitFor({ timeout: 60_000 });
    const offerId = decodeURIComponent(offer.offerUri).split("/offers/")[1] ?? "";
    const status = (await (await fetch(`${network.url}/issuers/snu/openid4vci/offers/${offerId}/status`, { headers: agency() })).json()) as { credentials: Record<string, { id: string }> };
    return { card, credentialId: status.credentials["dc+sd-jwt"]?.id ?? "" };
  };
  const unlock = async () => {
    await wallet.locator("#unlock-passphrase").waitFor({ timeout: 30_000 });
    await wallet.fill("#unlock-passphrase", PASSPHRASE);
    await wallet.click("#unlock-submit");
    await wallet.locator("#did-button").waitFor({ timeout: 90_000 });
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, ".gitignore"), "*.png\n");
    buildWebApp();
    network = await NetworkProcess.start({ requestsPerMinute: null });
    apiKeys = await network.apiKeys(120_000);
    const tenants = (await (await fetch(`${network.url}/issuers`)).json()) as { id: string; did: string }[];
    const snuDid = tenants.find((x) => x.id === "snu")!.did;
    partyName = ((await (await fetch(`${network.url}/parties/${snuDid.split(":").pop()!}`)).json()) as { name: string }).name;
    browser = await launchChromium();
    phone = await browser.newContext(PHONE);
    wallet = await phone.newPage();
    wallet.on("pageerror", (e) => pageErrors.push(`wallet: ${e.message}`));
    wallet.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname.endsWith("/issuers/snu/token")) tokenRequests.push(r.postData() ?? "");
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  }, 60_000);

  let first: Awaited<ReturnType<typeof receive>>;

  it("a card low on copies offers 'get more copies': the refresh grant brings new copies into the same card, under new non-extractable keys", async () => {
    await wallet.goto(`${network.walletUrl}/app/wallet/`);
    await wallet.locator("#create-passphrase").waitFor({ timeout: 30_000 });
    // What an earlier version left in clear: moved into the vault, then erased.
    await wallet.evaluate((key) => localStorage.setItem(key, JSON.stringify({ "legacy-card": { state: "valid", issuerName: "옛 기관", checkedAt: 1, stale: false } })), LEGACY_KEY);
    await wallet.fill("#create-passphrase", PASSPHRASE);
    await wallet.fill("#create-confirm", PASSPHRASE);
    await wallet.click("#create-submit");
    await wallet.locator("#did-button").waitFor({ timeout: 90_000 });

    first = await receive("2026-88001", "지호", 2);
    const card = first.card;
    expect(await card.locator("[data-copies-left]").getAttribute("data-copies-left")).toBe("2");
    const more = card.locator("[data-more-copies]");
    await more.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain("사본이 2개 남았습니다");
    await card.locator("[data-status=valid][data-stale=false]").waitFor({ timeout: 30_000 });
    await audit(wallet, "cards-low");
    expect((await holderKeys()).count).toBe(2);

    tokenRequests.length = 0;
    await more.click();
    await wallet.waitForFunction(() => document.querySelector("article.idcard [data-copies-left]")?.getAttribute("data-copies-left") === "4", undefined, { timeout: 60_000 });
    expect(await wallet.locator("article.idcard[data-type=StudentIDCredential]").count()).toBe(1); // the same card, not a second one
    expect(await wallet.locator("p.notice.ok").textContent()).toContain("새 사본 2개");
    expect(tokenRequests.some((body) => new URLSearchParams(body).get("grant_type") === "refresh_token")).toBe(true);
    const keys = await holderKeys();
    expect(keys.count).toBe(4);
    expect(keys.extractable.every((x) => !x)).toBe(true);
    // The refresh grant is sealed in the vault (ciphertext only); the DPoP key it is bound to cannot be exported.
    const records = await wallet.evaluate(
      () =>
        new Promise<{ key: string; fields: string[]; extractable?: boolean }[]>((resolve, reject) => {
          const open = indexedDB.open("mobile-id-device");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const store = open.result.transaction("records").objectStore("records");
            const keys = store.getAllKeys();
            const values = store.getAll();
            values.onsuccess = () =>
              resolve(
                values.result.map((v: Record<string, unknown>, i: number) => ({
                  key: String(keys.result[i]),
                  fields: Object.keys(v).sort(),
                  ...(v["privateKey"] instanceof CryptoKey ? { extractable: v["privateKey"].extractable } : {}),
                })),
              );
          };
        }),
    );
    expect(records.find((r) => r.key === "sealed:refresh-grants")?.fields).toEqual(["ct", "iv"]);
    expect(records.find((r) => r.key === "sealed:last-status")?.fields).toEqual(["ct", "iv"]);
    const dpopRecords = records.filter((r) => r.key.startsWith("dpop:"));
    expect(dpopRecords).toHaveLength(1);
    expect(dpopRecords[0]?.extractable).toBe(false);
    // No longer low: no "get more copies" on the face.
    expect(await card.locator("[data-more-copies]").count()).toBe(0);
    await shot(wallet, "cards-more-ko");
  }, 300_000);

  it("after a check, localStorage holds no card id, issuer or status (they are sealed in the vault); the clear entry of an earlier version is gone", async () => {
    const batch = (await first.card.getAttribute("data-credential-id")) ?? "";
    expect(batch).not.toBe("");
    const stored = await wallet.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries(localStorage))));
    expect(stored).not.toContain(batch);
    expect(stored).not.toContain(partyName);
    expect(stored).not.toContain("legacy-card");
    expect(stored).not.toContain("옛 기관");
    expect(stored).not.toMatch(/"state"|valid|revoked|suspended/);
    expect(stored).not.toContain("StudentID");
  }, 60_000);

  it("the details screen: every claim in words, portrait, copies left, issuer, validity, last check; axe in both languages", async () => {
    await wallet.locator("[data-card-details]").first().click();
    await wallet.locator("#care-remove").waitFor({ timeout: 15_000 });
    const text = (await wallet.locator("main").textContent()) ?? "";
    expect(text).toContain("윤지호");
    expect(text).toContain("재학"); // the enrolment status in words, not a code
    expect(text).not.toContain("enrolled");
    expect(text).toContain("만 19세 이상");
    expect(text).not.toContain("age_equal_or_over");
    expect(await wallet.locator("main img.portrait").count()).toBe(1);
    expect(await wallet.locator("[data-fact=issuer]").textContent()).toBe(partyName);
    expect(await wallet.locator("[data-fact=copies]").textContent()).toContain("4");
    expect(await wallet.locator("[data-fact=validity]").textContent()).toMatch(/20[0-9]{2}/);
    expect(await wallet.locator("[data-fact=last-check]").textContent()).toContain("유효");
    expect(text).not.toMatch(/블록|block/i);
    await audit(wallet, "details");
  }, 90_000);

  it("offline, the unlocked wallet shows each card's last known status with its time and the issuer's name", async () => {
    await wallet.evaluate(() => {
      location.hash = "#/";
    });
    await wallet.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await phone.newCDPSession(wallet);
    await cdp.send("Network.clearBrowserCache");
    // Offline: the context's network is off, and (belt and braces: a request that reaches the network through the
    // service worker's target is not covered by the page's emulation) every service call fails as offline.
    const services = (url: URL) => !url.pathname.startsWith("/app/");
    const offline = (r: Route) => r.abort("internetdisconnected");
    await phone.route(services, offline);
    await phone.setOffline(true);
    try {
      await wallet.reload();
      await unlock();
      const card = wallet.locator("article.idcard[data-type=StudentIDCredential]");
      await card
        .locator("[data-status=valid][data-stale=true]")
        .waitFor({ timeout: 30_000 })
        .catch(async (e: unknown) => {
          await shot(wallet, "offline-failed");
          throw e;
        });
      expect(await card.locator("[data-issuer-name]").textContent()).toBe(partyName);
      expect(await card.textContent()).toContain("마지막 확인");
      expect(Number(await card.locator("[data-checked-at]").getAttribute("data-checked-at"))).toBeGreaterThan(Date.now() / 1000 - 900);
      await shot(wallet, "offline-ko");
      // Still nothing in clear.
      expect(await wallet.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries(localStorage))))).not.toContain(partyName);
    } finally {
      await phone.setOffline(false);
      await phone.unroute(services, offline);
    }
  }, 180_000);

  it("a suspended card: the issuer refuses new copies, 'the issuer no longer issues copies of this card'; a revoked one is told so without asking", async () => {
    const change = async (action: "suspend" | "revoke") => {
      const r = await fetch(`${network.url}/issuers/snu/credentials/status`, { method: "POST", headers: agency(), body: JSON.stringify({ action, ids: [first.credentialId], reason: action === "suspend" ? "ADMINISTRATIVE" : "KEY_COMPROMISE" }) });
      expect(r.status, await r.text()).toBeLessThan(300);
      await network.caughtUp();
      await wallet.evaluate(() => {
        location.hash = "#/";
      });
      await wallet.click("#did-button");
      await wallet.goBack();
    };
    await change("suspend");
    await wallet.locator("[data-card-details]").first().click();
    await wallet.locator("#care-remove").waitFor({ timeout: 15_000 });
    await wallet.locator("article.idcard [data-banner=suspended]").waitFor({ timeout: 30_000 });
    await wallet.locator("[data-more-copies]").click();
    await wallet.locator("#care-error").waitFor({ timeout: 60_000 });
    expect(await wallet.locator("#care-error").textContent()).toContain("더 이상 이 신분증의 사본을 발급하지 않습니다");
    expect(await wallet.locator("[data-fact=copies]").textContent()).toContain("4"); // nothing added
    expect((await holderKeys()).count).toBe(4); // the keys made for the refused request are gone
    await audit(wallet, "details-suspended");

    await change("revoke");
    await wallet.locator("[data-card-details]").first().click();
    await wallet.locator("#care-remove").waitFor({ timeout: 15_000 });
    await wallet.locator("article.idcard [data-banner=revoked]").waitFor({ timeout: 30_000 });
    expect(await wallet.locator("[data-no-more-copies]").textContent()).toContain("더 이상 이 신분증의 사본을 발급하지 않습니다");
    expect(await wallet.locator("[data-more-copies]").count()).toBe(0);
    await audit(wallet, "details-revoked");
  }, 180_000);

  it("remove this card: a dialog (Escape cancels, the focus returns), then its copies and holder keys are deleted", async () => {
    const remove = wallet.locator("#care-remove");
    await remove.focus();
    await remove.press("Enter");
    const dialog = wallet.locator("#remove-dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("4");
    await audit(wallet, "remove-dialog");
    await wallet.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 5_000 }).catch(() => dialog.waitFor({ state: "hidden", timeout: 5_000 }));
    expect(await wallet.evaluate(() => document.activeElement?.id)).toBe("care-remove");
    expect((await holderKeys()).count).toBe(4);

    await remove.click();
    await dialog.waitFor();
    await dialog.locator("button.danger").click();
    await wallet.locator("p.notice.ok").waitFor({ timeout: 30_000 });
    expect(await wallet.locator("p.notice.ok").textContent()).toContain("삭제했습니다");
    expect(await wallet.locator("article.idcard").count()).toBe(0);
    expect((await holderKeys()).count).toBe(0);
    // Its refresh grant's DPoP key went with it.
    const recordKeys = await wallet.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open("mobile-id-device");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const keys = open.result.transaction("records").objectStore("records").getAllKeys();
            keys.onsuccess = () => resolve(keys.result.map(String));
          };
        }),
    );
    expect(recordKeys.filter((k) => k.startsWith("dpop:"))).toEqual([]);
    await shot(wallet, "removed-ko");
  }, 120_000);

  it("no serious or critical axe violation on the new screens in either language, and no page error", () => {
    expect(checked.length).toBeGreaterThanOrEqual(8);
    expect(found).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
