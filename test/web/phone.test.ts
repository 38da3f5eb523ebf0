/**
 * The wallet as a phone app, in Debian's Chromium against a real network: it opens offline from its service
 * worker's precache (the browser's HTTP cache cleared), showing each card's last known status with its time and
 * the issuer's name; it locks itself when idle; it sends nothing to a verifier without an explicit confirm.
 *
 * Needs /usr/bin/chromium; skipped with a message when it is absent. Screenshots go to test-results/web/.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyntheticPortrait, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { WEB_DIST } from "../../packages/web/scripts/build.ts";
import { NetworkProcess } from "../support/networkProcess.ts";
import { repoRoot } from "../support/run.ts";
import { seriousViolations } from "./axeAudit.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { deviceHarness } from "./deviceHarness.ts";
import { DESK, PHONE, hasChromium, launchChromium } from "./browser.ts";


const SHOTS = join(repoRoot, "test-results", "web");
const PASSPHRASE = "한강 물빛 2026 봄";
/** The services' offline policy in this file (`--max-staleness-seconds`). */
const OFFLINE_POLICY_SECONDS = 40;

describe.skipIf(!hasChromium)("the wallet as a phone app", () => {
  let network: NetworkProcess;
  let apiKeys: Readonly<Record<string, string>>;
  let browser: Browser;
  let phone: BrowserContext;
  let wallet: Page;
  let holderDid = "";
  const pageErrors: string[] = [];

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** Issues a student ID to the holder through the agency API and returns the offer's wallet link. */
  const offerFor = async (studentNumber: string): Promise<string> =>
    offerOf("snu", "StudentIDCredential", { familyName: "김", givenName: "민준", studentNumber, institution: "서울대학교", enrollmentStatus: "enrolled" });
  /** Issues a credential of `type` by `agency` to the holder and returns the offer's wallet link. */
  const offerOf = async (agency: string, type: string, claims: Record<string, unknown>): Promise<string> => {
    const auth = { authorization: `Bearer ${apiKeys[agency]!}`, "content-type": "application/json" };
    const issued = await fetch(`${network.url}/issuers/${agency}/credentials`, { method: "POST", headers: auth, body: JSON.stringify({ type, holder: holderDid, claims }) });
    expect(issued.status).toBe(201);
    const { jwt } = (await issued.json()) as { jwt: string };
    const offer = await fetch(`${network.url}/issuers/${agency}/offers`, { method: "POST", headers: auth, body: JSON.stringify({ credential: jwt }) });
    expect(offer.status).toBe(201);
    return ((await offer.json()) as { walletUri: string }).walletUri;
  };
  /** SD-JWT VC copies of `type` by `agency`, bound to this phone's keys and put in its device vault. */
  const copiesOf = async (agency: string, type: string, claims: Record<string, unknown>): Promise<void> => {
    const device = await deviceHarness();
    const holderKeys = await device<unknown[]>(wallet, "createKeys", 4);
    const issued = await fetch(`${network.url}/issuers/${agency}/sd-jwt-vc`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKeys[agency]!}`, "content-type": "application/json" },
      body: JSON.stringify({ type, holderKeys, claims }),
    });
    expect(issued.status).toBe(201);
    expect(await device(wallet, "receive", PASSPHRASE, ((await issued.json()) as { copies: string[] }).copies, 31337)).toMatchObject({ ok: true });
  };
  const unlock = async () => {
    await wallet.locator("#unlock-passphrase").waitFor({ timeout: 30_000 });
    await wallet.fill("#unlock-passphrase", PASSPHRASE);
    await wallet.click("#unlock-submit");
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(repoRoot, "test-results", ".gitignore"), "*\n");
    buildWebApp();
    // A short offline policy, so that the offline-counter test can also see it run out (it freezes the node last).
    network = await NetworkProcess.start({ requestsPerMinute: null, extraArgs: ["--max-staleness-seconds", String(OFFLINE_POLICY_SECONDS)] });
    apiKeys = await network.apiKeys(120_000);
    browser = await launchChromium();
    phone = await browser.newContext(PHONE);
    wallet = await phone.newPage();
    wallet.on("pageerror", (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  }, 60_000);

  it("opens offline from the precache after one load, with each card's last known status, its time and the issuer", async () => {
    // One load of the wallet: create it, receive a card (the offer link only changes the fragment: no reload).
    await wallet.goto(`${network.walletUrl}/app/wallet/`);
    await wallet.fill("#create-passphrase", PASSPHRASE);
    await wallet.fill("#create-confirm", PASSPHRASE);
    await wallet.click("#create-submit");
    await wallet.locator("#did-button").waitFor({ timeout: 60_000 });
    await wallet.click("#did-button");
    holderDid = (await wallet.locator("#my-did").getAttribute("data-did")) ?? "";
    await wallet.goto(await offerFor("2026-00001"));
    await wallet.locator("#offer-save").waitFor({ timeout: 30_000 });
    await wallet.click("#offer-save");
    const card = wallet.locator("article.idcard[data-type=StudentIDCredential]");
    await card.locator("[data-status=valid][data-stale=false]").waitFor({ timeout: 30_000 });

    // The worker stored every file of the build's precache manifest, in one cache named after the build.
    const sw = readFileSync(join(WEB_DIST, "wallet", "sw.js"), "utf8");
    const precache = JSON.parse(/const PRECACHE = (\{.*\});/.exec(sw)![1]!) as { version: string; urls: string[] };
    expect(precache.urls).toContain("/app/wallet/");
    expect(precache.urls.some((u) => /^\/app\/assets\/wallet-.*\.js$/.test(u))).toBe(true);
    expect(precache.urls.some((u) => u.endsWith(".css"))).toBe(true);
    await wallet.evaluate(() => navigator.serviceWorker.ready);
    const cached = await wallet.evaluate(async () => {
      const keys = await caches.keys();
      const stored = await Promise.all(keys.map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname)));
      return { keys, stored: stored.flat() };
    });
    expect(cached.keys).toEqual([`mobile-id-wallet-${precache.version}`]);
    expect([...cached.stored].sort()).toEqual([...precache.urls].sort());

    // The browser's HTTP cache is cleared and the phone goes offline: the wallet still opens, from the worker.
    const cdp = await phone.newCDPSession(wallet);
    await cdp.send("Network.clearBrowserCache");
    await phone.setOffline(true);
    try {
      await wallet.reload();
      await unlock();
      await card.locator("[data-status=valid][data-stale=true]").waitFor({ timeout: 30_000 });
      const text = (await card.textContent()) ?? "";
      expect(text).toContain("서울대학교 Seoul National University");
      expect(text).toContain("마지막 확인");
      expect(text).not.toMatch(/블록|block/i);
      expect(Number(await card.locator("[data-checked-at]").getAttribute("data-checked-at"))).toBeGreaterThan(Date.now() / 1000 - 600);
      await shot(wallet, "30-wallet-offline");
    } finally {
      await phone.setOffline(false);
    }
    // Back online, the status is live again.
    await wallet.click("#did-button");
    await wallet.goBack();
    await card.locator("[data-status=valid][data-stale=false]").waitFor({ timeout: 30_000 });
  }, 150_000);

  it("sends nothing to a verifier without a press of the consent button (Enter on a choice does not send)", async () => {
    // A second student ID: the consent screen then offers a choice (radio buttons), the case where Enter used to submit.
    await wallet.goto(await offerFor("2026-00002"));
    await wallet.locator("#offer-save").waitFor({ timeout: 30_000 });
    await wallet.click("#offer-save");
    await wallet.locator("article.idcard[data-type=StudentIDCredential]").nth(1).waitFor({ timeout: 30_000 });
    const made = await fetch(`${network.url}/verifier/requests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ credentialTypes: ["StudentIDCredential"] }) });
    expect(made.status).toBe(201);
    const request = (await made.json()) as { id: string; requestUri: string; counterToken: string };
    const state = async () =>
      ((await (await fetch(`${network.url}/verifier/requests/${request.id}`, { headers: { authorization: `Bearer ${request.counterToken}` } })).json()) as { state: string }).state;
    await wallet.goto(`${network.walletUrl}/app/wallet/#request=${encodeURIComponent(request.requestUri)}`);
    await wallet.locator("#consent-button").waitFor({ timeout: 30_000 });
    await wallet.locator("input[type=radio]").first().focus();
    await wallet.keyboard.press("Enter");
    await wallet.keyboard.press("Space");
    await wallet.waitForTimeout(1500);
    expect(await wallet.locator("#present-result").count()).toBe(0);
    expect(await state()).toBe("pending");
    await wallet.click("#consent-button");
    await wallet.locator("#present-result[data-verified=true]").waitFor({ timeout: 30_000 });
    expect(await state()).toBe("verified");
    await wallet.click("#request-back");
  }, 90_000);

  it("locks itself when unused: two minutes by default, the holder's choice in settings", async () => {
    await wallet.locator("#settings-button").click();
    expect(await wallet.inputValue("#auto-lock")).toBe("120");
    await wallet.selectOption("#auto-lock", "30");
    expect(await wallet.evaluate(() => localStorage.getItem("mobile-id.wallet.auto-lock-seconds"))).toBe("30");
    await shot(wallet, "31-wallet-settings");
    // A delay shorter than any choice, set the way the screen stores it, for the test's sake.
    await wallet.evaluate(() => localStorage.setItem("mobile-id.wallet.auto-lock-seconds", "2"));
    await wallet.click("#settings-notice"); // a touch: the countdown starts again with the new delay
    const started = Date.now();
    await wallet.locator("#unlock-passphrase").waitFor({ timeout: 15_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(await wallet.locator("#lock-notice").textContent()).toBe("한동안 사용하지 않아 지갑을 잠갔습니다.");
    // Locked means locked: the cards are gone from the page until the passphrase is given again.
    expect(await wallet.locator("article.idcard").count()).toBe(0);
    await shot(wallet, "32-wallet-auto-locked");
    await wallet.evaluate(() => localStorage.setItem("mobile-id.wallet.auto-lock-seconds", "120"));
    await unlock();
    await wallet.locator("article.idcard").first().waitFor({ timeout: 30_000 });
  }, 90_000);

  it("the counter asks in a clerk's words; the result says 'as of' in words and clears itself, with a new QR code", async () => {
    const desk = await browser.newContext(DESK);
    const counter = await desk.newPage();
    counter.on("pageerror", (e) => pageErrors.push(`counter: ${e.message}`));
    try {
      // The counter asks over OpenID4VP for SD-JWT VC claims: the phone holds a student ID as copies too.
      await copiesOf("snu", "StudentIDCredential", { familyName: "김", givenName: "민준", studentNumber: "2026-00003", institution: "서울대학교", enrollmentStatus: "enrolled", portrait: portraitDataUri(createSyntheticPortrait({ seed: 5 })) });
      await counter.goto(`${network.url}/app/verifier/`);
      await counter.locator("#create-request").waitFor();
      expect(await counter.inputValue("#clear-after")).toBe("30");
      // A short result time for the test's sake, stored as the select stores it.
      await counter.evaluate(() => localStorage.setItem("mobile-id.counter.clear-seconds", "4"));
      await counter.reload();
      await counter.locator("input[name=template][value=student]").check();
      await counter.click("#create-request");
      await counter.locator("#request-qr").waitFor();
      expect(await counter.locator("#accepted-types").textContent()).toContain("학생증");
      const first = (await counter.locator("#request-uri").textContent()) ?? "";
      await wallet.goto(`${network.walletUrl}/app/wallet/#request=${encodeURIComponent(first)}`);
      await wallet.locator("#consent-share").waitFor({ timeout: 30_000 });
      await wallet.click("#consent-share");
      await wallet.locator("#present-result[data-verified=true]").waitFor({ timeout: 30_000 });
      await counter.locator("#result-banner[data-verified=true]").waitFor({ timeout: 15_000 });
      const asOf = (await counter.locator("#result-as-of").textContent()) ?? "";
      expect(asOf).toContain("원장 기준");
      expect(Number(await counter.locator("#result-as-of").getAttribute("data-as-of"))).toBeGreaterThan(Date.now() / 1000 - 600);
      const shown = (await counter.locator("main").textContent()) ?? "";
      expect(shown).toContain("민준");
      expect(shown).not.toMatch(/블록|block/i);
      await counter.locator("#clears-in").waitFor();
      await counter.screenshot({ path: join(SHOTS, "33-counter-result.png"), fullPage: true });
      // The result wipes itself: no person's data stays, and a new request's QR code is on screen.
      await counter.locator("#result-banner").waitFor({ state: "detached", timeout: 15_000 });
      await counter.locator("#request-qr").waitFor();
      expect((await counter.locator("main").textContent()) ?? "").not.toContain("민준");
      expect(await counter.locator("#request-uri").textContent()).not.toBe(first);
      await wallet.click("#present-back");
    } finally {
      await desk.close();
    }
  }, 90_000);

  it("'19 or older': any one of a resident ID or a driver's licence; the holder shows one; the counter says 19+ without the birth date", async () => {
    await copiesOf("jongno", "ResidentIDCredential", { familyName: "이", givenName: "서연", birthDate: "2001-03-15", residentRegistrationNumber: "010315-4123456", address: "서울특별시 종로구 세종대로 1" });
    await copiesOf("seoul-license", "DriversLicenseCredential", { familyName: "이", givenName: "서연", birthDate: "2001-03-15", licenseNumber: "11-26-123456-01", licenseClasses: ["2-ordinary"], aptitudeTestUntil: "2035-12-31" });
    const desk = await browser.newContext(DESK);
    const counter = await desk.newPage();
    counter.on("pageerror", (e) => pageErrors.push(`counter: ${e.message}`));
    try {
      await counter.goto(`${network.url}/app/verifier/`);
      await counter.locator("input[name=template][value=age19]").check();
      await counter.click("#create-request");
      await counter.locator("#request-qr").waitFor();
      expect(await counter.locator("#accepted-types").textContent()).toMatch(/^다음 중 하나: (?=.*주민등록증)(?=.*운전면허증)/);
      const uri = (await counter.locator("#request-uri").textContent()) ?? "";
      await wallet.goto(`${network.walletUrl}/app/wallet/#request=${encodeURIComponent(uri)}`);
      await wallet.locator("#consent-share").waitFor({ timeout: 30_000 });
      // One card of the two kinds answers (any one of them), with the one claim asked for.
      expect(await wallet.locator("section.consent-card").count()).toBe(1);
      expect(await wallet.locator("[data-claim-path]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim-path")))).toEqual(["age_equal_or_over.19"]);
      // The holder holds both: a named radio group offers each by type and issuer in words, the first preselected.
      const choice = wallet.getByRole("radiogroup", { name: "보여 줄 신분증 선택" });
      const radios = choice.getByRole("radio");
      expect(await radios.count()).toBe(2);
      const licenceRadio = choice.getByRole("radio", { name: /^운전면허증 · \S/ });
      const residentRadio = choice.getByRole("radio", { name: /^주민등록증 · \S/ });
      expect(await licenceRadio.isChecked()).toBe(true);
      expect(await residentRadio.isChecked()).toBe(false);
      expect(await wallet.locator("#consent-card-0").textContent()).toMatch(/^운전면허증/);
      // By keyboard: focus the preselected radio, the arrow key moves the choice to the resident ID; the card shown follows.
      await licenceRadio.focus();
      await wallet.keyboard.press("ArrowDown");
      expect(await residentRadio.isChecked()).toBe(true);
      await wallet.locator("#consent-card-0", { hasText: /^주민등록증/ }).waitFor();
      expect(await residentRadio.evaluate((e) => e === document.activeElement)).toBe(true);
      // The choice passes axe (no serious or critical violation).
      expect(await seriousViolations(wallet)).toEqual([]);
      await wallet.screenshot({ path: join(SHOTS, "34-wallet-any-one.png"), fullPage: true });
      await wallet.click("#consent-share");
      await wallet.locator("#present-result[data-verified=true]").waitFor({ timeout: 30_000 });
      await counter.locator("#result-banner[data-verified=true]").waitFor({ timeout: 15_000 });
      expect(await counter.locator("#age-verdict").getAttribute("data-age19")).toBe("true");
      expect(await counter.locator("#age-verdict").textContent()).toContain("19세 이상");
      // Exactly one card arrived, and the counter shows the answer, not the birth date or the address.
      expect(await counter.locator("#shared-claims").count()).toBe(1);
      // The card the holder picked, not the first one the request names.
      expect(await counter.locator(".counter-card[data-type]").evaluateAll((els) => els.map((e) => e.getAttribute("data-type")))).toEqual(["ResidentIDCredential"]);
      const shown = (await counter.locator("main").textContent()) ?? "";
      expect(shown).not.toContain("2001");
      expect(shown).not.toContain("세종대로");
      await counter.screenshot({ path: join(SHOTS, "35-counter-age19.png"), fullPage: true });
      await wallet.click("#present-back");
    } finally {
      await desk.close();
    }
  }, 120_000);

  it("offline at the counter: the ledger node frozen, the counter still verifies 'as of' the last confirmed time; past the policy it refuses", async () => {
    const desk = await browser.newContext(DESK);
    const counter = await desk.newPage();
    counter.on("pageerror", (e) => pageErrors.push(`counter: ${e.message}`));
    const frozen = network.ledgerNodePids();
    expect(frozen.length).toBeGreaterThan(0);
    const health = async () => (await fetch(`${network.url}/health`, { signal: AbortSignal.timeout(5_000) })).status;
    try {
      await counter.goto(`${network.url}/app/verifier/`);
      await counter.locator("#create-request").waitFor();
      // The node stops answering (SIGSTOP: alive, silent, as a cut cable looks), not crashed and restarted.
      for (const pid of frozen) process.kill(pid, "SIGSTOP");
      const frozenAt = Math.floor(Date.now() / 1000);
      for (let i = 0; i < 100 && (await health()) !== 503; i++) await new Promise((r) => setTimeout(r, 250));
      expect(await health()).toBe(503);

      await counter.locator("input[name=template][value=age19]").check();
      await counter.click("#create-request");
      await counter.locator("#request-qr").waitFor({ timeout: 15_000 });
      const uri = (await counter.locator("#request-uri").textContent()) ?? "";
      await wallet.goto(`${network.walletUrl}/app/wallet/#request=${encodeURIComponent(uri)}`);
      await wallet.locator("#consent-share").waitFor({ timeout: 30_000 });
      await wallet.click("#consent-share");
      await wallet.locator("#present-result[data-verified=true]").waitFor({ timeout: 30_000 });
      await counter.locator("#result-banner[data-verified=true]").waitFor({ timeout: 15_000 });
      // Decided on the replica: "as of" a time before the node went silent, in words, with no block number.
      expect(Number(await counter.locator("#result-as-of").getAttribute("data-as-of"))).toBeLessThanOrEqual(frozenAt);
      expect((await counter.locator("#result-as-of").textContent()) ?? "").toContain("원장 기준");
      expect((await counter.locator("main").textContent()) ?? "").not.toMatch(/블록|block/i);
      await counter.screenshot({ path: join(SHOTS, "36-counter-offline.png"), fullPage: true });
      await wallet.click("#present-back");

      // Past the policy the counter refuses to start a check, in the clerk's words: nothing is decided on old data.
      await counter.locator("#result-banner").waitFor({ state: "detached", timeout: 45_000 }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, (OFFLINE_POLICY_SECONDS + 3) * 1000 - (Date.now() / 1000 - frozenAt) * 1000));
      const refused = await fetch(`${network.url}/verifier/openid4vp/requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ dcqlQuery: { credentials: [{ id: "s", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:StudentIDCredential:1"] }, claims: [{ path: ["enrollmentStatus"] }] }] } }),
      });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("LEDGER_UNAVAILABLE");
      await counter.reload();
      await counter.locator("input[name=template][value=age19]").check();
      await counter.click("#create-request");
      await counter.locator("p.notice.error[role=alert]").waitFor({ timeout: 15_000 });
      expect(await counter.locator("p.notice.error[role=alert]").textContent()).toContain("원장");
      await counter.screenshot({ path: join(SHOTS, "37-counter-past-policy.png"), fullPage: true });
    } finally {
      for (const pid of frozen) process.kill(pid, "SIGCONT");
      await desk.close();
    }
  }, 150_000);

  it("no page error", () => {
    expect(pageErrors).toEqual([]);
  });
});
