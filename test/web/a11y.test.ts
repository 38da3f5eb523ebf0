/**
 * Accessibility: axe-core (WCAG 2.1 A and AA rules) on every screen of every app, in Korean and in English, with
 * no serious or critical violation. Real processes (the network, Debian's Chromium), as the story test.
 *
 * Needs /usr/bin/chromium; skipped with a message when it is absent.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyntheticPortrait, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { NetworkProcess } from "../support/networkProcess.ts";
import { repoRoot } from "../support/run.ts";
import { createAxeAudit } from "./axeAudit.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { deviceHarness } from "./deviceHarness.ts";
import { DESK, hasChromium, launchChromium } from "./browser.ts";


const SHOTS = join(repoRoot, "test-results", "web");
const PASSPHRASE = "한강 물빛 2026 봄";


describe.skipIf(!hasChromium)("accessibility of every screen, in both languages", () => {
  let network: NetworkProcess;
  let apiKeys: Readonly<Record<string, string>>;
  let browser: Browser;
  /** "<app>/<screen>/<lang>: <rule> (<impact>) at <selector>" for every serious or critical violation. */
  const found: string[] = [];
  const checked: string[] = [];

  const audit = createAxeAudit(found, checked);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(repoRoot, "test-results", ".gitignore"), "*\n");
    buildWebApp();
    network = await NetworkProcess.start({ requestsPerMinute: null });
    apiKeys = await network.apiKeys(120_000);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  }, 60_000);

  it("walks every screen of the landing page, the wallet, the issuer console, the counter and the auditor", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "ko-KR", reducedMotion: "reduce" });
    const desk = await browser.newContext(DESK);
    const landing = await desk.newPage();
    await landing.goto(`${network.url}/app/`);
    await landing.locator("ul.tiles").waitFor();
    await audit(landing, "landing");

    // Wallet: create, cards (empty), DID, settings, scan (no camera here: its error state), then a card, its
    // details, an offer, a request's consent, the answer, and the lock screen.
    const wallet = await phone.newPage();
    await wallet.goto(`${network.walletUrl}/app/wallet/`);
    await wallet.locator("#create-passphrase").waitFor();
    await audit(wallet, "wallet/create");
    await wallet.fill("#create-passphrase", PASSPHRASE);
    await wallet.fill("#create-confirm", PASSPHRASE);
    await wallet.click("#create-submit");
    await wallet.locator("#did-button").waitFor({ timeout: 60_000 });
    await audit(wallet, "wallet/cards-empty");
    await wallet.click("#did-button");
    const holder = (await wallet.locator("#my-did").getAttribute("data-did")) ?? "";
    await audit(wallet, "wallet/did");
    await wallet.goBack();
    await wallet.click("#settings-button");
    await wallet.locator("#auto-lock").waitFor();
    await audit(wallet, "wallet/settings");
    await wallet.goBack();
    await wallet.click("#scan-button");
    await wallet.getByRole("alert").waitFor({ timeout: 15_000 });
    await audit(wallet, "wallet/scan");
    await wallet.goBack();

    // Issuer console: sign-in (with its error), the form (with a field error), the offer, the records.
    const issuer = await desk.newPage();
    await issuer.goto(`${network.url}/app/issuer/`);
    await issuer.locator("#signin-key").waitFor();
    await issuer.selectOption("#signin-agency", "snu");
    await issuer.fill("#signin-key", "mid_wrong-key-0123456789abcdef");
    await issuer.click("#signin-submit");
    await issuer.getByRole("alert").waitFor();
    await audit(issuer, "issuer/sign-in");
    await issuer.fill("#signin-key", apiKeys["snu"]!);
    await issuer.click("#signin-submit");
    await issuer.locator("#issue-form").waitFor();
    await issuer.fill("#issue-holder", holder);
    await issuer.fill("#claim-familyName", "김");
    await issuer.fill("#claim-givenName", "민준");
    await issuer.fill("#claim-studentNumber", "2026-12345");
    await issuer.fill("#claim-institution", "서울대학교");
    await issuer.fill("#issue-expires", "2020-01-01");
    await issuer.click("#issue-submit");
    await issuer.locator("#issue-error [role=alert]").waitFor({ timeout: 30_000 });
    await audit(issuer, "issuer/issue-error");
    await issuer.fill("#issue-expires", "");
    await issuer.click("#issue-submit");
    await issuer.locator("#offer-link").waitFor({ timeout: 30_000 });
    await audit(issuer, "issuer/offer");
    const offerLink = (await issuer.locator("#offer-link").getAttribute("href")) ?? "";
    await issuer.click("#tab-list");
    await issuer.locator("#issued-table tbody tr").first().waitFor();
    await audit(issuer, "issuer/records");
    await issuer.locator("#issued-table tbody tr button[data-action=suspend]").first().click();
    await audit(issuer, "issuer/confirm");

    await wallet.goto(offerLink);
    await wallet.locator("#offer-save").waitFor({ timeout: 30_000 });
    await wallet.locator("article.idcard [data-status]").first().waitFor();
    await audit(wallet, "wallet/offer");
    await wallet.click("#offer-save");
    await wallet.locator("article.idcard [data-status=valid]").waitFor({ timeout: 30_000 });
    await audit(wallet, "wallet/cards");
    await wallet.locator("article.idcard button").first().click();
    await audit(wallet, "wallet/card");
    await wallet.goBack();

    // SD-JWT VC copies of a student ID, bound to this phone's keys (put in the device vault as the receive path does).
    const device = await deviceHarness();
    const holderKeys = await device<unknown[]>(wallet, "createKeys", 10);
    const sd = await fetch(`${network.url}/issuers/snu/sd-jwt-vc`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKeys["snu"]!}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "StudentIDCredential", holderKeys, claims: { familyName: "김", givenName: "민준", studentNumber: "2026-20001", institution: "서울대학교", enrollmentStatus: "enrolled", portrait: portraitDataUri(createSyntheticPortrait({ seed: 3 })) } }),
    });
    expect(sd.status).toBe(201);
    expect(await device(wallet, "receive", PASSPHRASE, ((await sd.json()) as { copies: string[] }).copies, 31337)).toMatchObject({ ok: true });

    // The counter: setup, the custom choice, the QR code (OpenID4VP), the wallet's consent, the result; then a
    // request the wallet holds nothing for, told to the counter (declined).
    const counter = await desk.newPage();
    await counter.goto(`${network.url}/app/verifier/`);
    await counter.locator("#create-request").waitFor();
    await audit(counter, "verifier/setup");
    await counter.locator("input[name=template][value=custom]").check();
    await audit(counter, "verifier/setup-custom");
    await counter.locator("input[name=template][value=student]").check();
    await counter.click("#create-request");
    await counter.locator("#request-qr").waitFor();
    await audit(counter, "verifier/waiting");
    const requestLink = (await counter.locator("#request-uri").textContent()) ?? "";
    await wallet.goto(`${network.walletUrl}/app/wallet/#request=${encodeURIComponent(requestLink)}`);
    await wallet.locator("#consent-share").waitFor({ timeout: 30_000 });
    await audit(wallet, "wallet/consent");
    await wallet.click("#consent-share");
    await wallet.locator("#present-result").waitFor({ timeout: 30_000 });
    await audit(wallet, "wallet/presented");
    await counter.locator("#result-banner").waitFor({ timeout: 15_000 });
    await audit(counter, "verifier/result");
    await counter.click("#back-to-setup");
    await counter.locator("input[name=template][value=age19]").check();
    await counter.click("#create-request");
    await counter.locator("#request-qr").waitFor();
    await wallet.goto(`${network.walletUrl}/app/wallet/#request=${encodeURIComponent((await counter.locator("#request-uri").textContent()) ?? "")}`);
    await wallet.locator("#present-tell").waitFor({ timeout: 30_000 });
    await audit(wallet, "wallet/present-nothing");
    await wallet.click("#present-tell");
    await counter.locator("#result-banner[data-declined=true]").waitFor({ timeout: 15_000 });
    await audit(counter, "verifier/declined");
    await wallet.click("#present-back");
    await wallet.click("#history-button");
    await wallet.locator("#history-list > li").first().waitFor({ timeout: 15_000 });
    await audit(wallet, "wallet/history");
    await wallet.goBack();
    await wallet.click("#lock-button");
    await wallet.locator("#unlock-passphrase").waitFor();
    await audit(wallet, "wallet/unlock");

    // A suspension, so that the auditor's chart has something to draw.
    await issuer.locator("button[data-confirm=suspend]").first().click();
    await issuer.locator("#list-notice .notice.ok").waitFor({ timeout: 30_000 });
    // The find screen (with its empty-query error, then results) and its confirmation dialog.
    await issuer.click("#tab-find");
    await issuer.click("#find-submit");
    await issuer.locator("#find-reference-error").waitFor();
    await audit(issuer, "issuer/find-error");
    await issuer.fill("#find-name", "김 민준");
    await issuer.click("#find-submit");
    await issuer.locator("#found-list > li").first().waitFor({ timeout: 30_000 });
    await audit(issuer, "issuer/find");
    await issuer.locator("#found-list button[data-action=revoke]").first().click();
    await issuer.locator("#confirm-dialog [data-holder-name]").waitFor();
    await audit(issuer, "issuer/find-confirm");
    await issuer.keyboard.press("Escape");
    await network.caughtUp();
    const auditor = await desk.newPage();
    await auditor.goto(`${network.url}/app/auditor/`);
    await auditor.locator("#activity-chart svg").waitFor({ timeout: 30_000 });
    await auditor.locator("[data-consistent=true]").waitFor({ timeout: 60_000 });
    await auditor.locator("#events-table tbody tr").first().waitFor({ timeout: 30_000 });
    await audit(auditor, "auditor");

    console.log(`axe: ${checked.length} screens checked (${checked.join(", ")})`);
    expect(found).toEqual([]);
  }, 300_000);
});
