/**
 * "Hand over to the phone" over OpenID4VCI 1.0, in Debian's Chromium against a real network (issue 11):
 * the issuer console creates an offer from the agency's record (reference, items, a synthetic portrait; no DID),
 * shows the QR code, the 6-digit code and a countdown; the web wallet (on its own origin) opens the pasted
 * `openid-credential-offer://` link, shows the issuer's registered name checked on the ledger BEFORE asking for the
 * code, refuses a wrong code, takes the right one and saves a batch of SD-JWT VC copies under non-extractable
 * keys; the console sees "issued" with the card's id; the used offer is refused with a clear message; five wrong
 * codes lock an offer. axe-core on the new screens in both languages.
 *
 * Needs /usr/bin/chromium; skipped with a message when it is absent. Screenshots go to test/web/screenshots/
 * (vci-<screen>-<lang>.png, ignored by git).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyntheticPortrait } from "@mobile-id/core/sd-jwt-vc";
import { NetworkProcess } from "../support/networkProcess.ts";
import { repoRoot } from "../support/run.ts";
import { createAxeAudit } from "./axeAudit.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { DESK, PHONE, createWallet, hasChromium, launchChromium, pasteInWallet, signInToConsole } from "./browser.ts";


const SHOTS = join(repoRoot, "test", "web", "screenshots");
const PASSPHRASE = "한강 물빛 2026 봄";


describe.skipIf(!hasChromium)("hand over to the phone: OpenID4VCI offer in the console → the web wallet (browser)", () => {
  let network: NetworkProcess;
  let apiKeys: Readonly<Record<string, string>>;
  let browser: Browser;
  let desk: BrowserContext;
  let phone: BrowserContext;
  let issuer: Page;
  let wallet: Page;
  const pageErrors: string[] = [];
  const found: string[] = [];
  const checked: string[] = [];
  const protocolRequests: { url: string; headers: Record<string, string> }[] = [];
  /** The header reads still under way (`allHeaders()` answers asynchronously): awaited before the assertions. */
  const headerReads: Promise<unknown>[] = [];

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `vci-${name}.png`), fullPage: true });
  const audit = createAxeAudit(found, checked, (page, name, lang) => shot(page, `${name}-${lang}`));
  const agency = { authorization: "" };
  const offerStatus = async (offerId: string) =>
    (await (await fetch(`${network.url}/issuers/snu/openid4vci/offers/${offerId}/status`, { headers: agency })).json()) as { state: string; credentials: Record<string, { id: string }> };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, ".gitignore"), "*.png\n");
    buildWebApp();
    network = await NetworkProcess.start({ requestsPerMinute: null });
    apiKeys = await network.apiKeys(120_000);
    agency.authorization = `Bearer ${apiKeys["snu"]!}`;
    browser = await launchChromium();
    desk = await browser.newContext(DESK);
    phone = await browser.newContext(PHONE);
    issuer = await desk.newPage();
    wallet = await phone.newPage();
    issuer.on("pageerror", (e) => pageErrors.push(`issuer: ${e.message}`));
    wallet.on("pageerror", (e) => pageErrors.push(`wallet: ${e.message}`));
    wallet.on("request", (r) => {
      // allHeaders: with the ones `headers()` leaves out (Origin, Cookie).
      if (/\/issuers\/snu\/(token|credential)$/.test(new URL(r.url()).pathname) && r.method() === "POST") headerReads.push(r.allHeaders().then((headers) => protocolRequests.push({ url: r.url(), headers })));
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  }, 60_000);

  /** Fills the student record of the hand-over form (the portrait is chosen separately). */
  const fillRecord = async (reference: string, givenName = "서연") => {
    await issuer.fill("#issue-reference", reference);
    await issuer.fill("#claim-familyName", "박");
    await issuer.fill("#claim-givenName", givenName);
    await issuer.fill("#claim-birthDate", "2005-03-14");
    await issuer.fill("#claim-studentNumber", reference);
    await issuer.fill("#claim-institution", "서울대학교");
    await issuer.selectOption("#claim-enrollmentStatus", "enrolled");
  };
  const createOffer = async () => {
    await issuer.click("#issue-submit");
    await issuer.locator("#handover-qr").waitFor({ timeout: 30_000 });
    const txCode = (await issuer.locator("#handover-code").getAttribute("data-code")) ?? "";
    const offerUri = (await issuer.locator("#handover-link").textContent()) ?? "";
    const offerId = decodeURIComponent(offerUri).split("/offers/")[1] ?? "";
    return { txCode, offerUri, offerId };
  };

  let first: { txCode: string; offerUri: string; offerId: string };

  it("the console makes an offer from the agency's record: errors next to the field, what was typed kept; QR, code, countdown", async () => {
    await signInToConsole(issuer, network.url, "snu", apiKeys["snu"]!);
    await issuer.check("#handover-phone");
    await issuer.locator("#issue-reference").waitFor();
    await issuer.locator("#claim-studentNumber").waitFor({ timeout: 15_000 });
    expect(await issuer.locator("#issue-holder").count()).toBe(0); // no DID asked for

    // A synthetic portrait (never a real face), chosen as a file: shown as a preview.
    const portraitFile = join(mkdtempSync(join(tmpdir(), "vci-")), "portrait.jpg");
    writeFileSync(portraitFile, createSyntheticPortrait({ seed: 11 }));
    await issuer.setInputFiles("#issue-portrait", portraitFile);
    await issuer.locator("#issue-portrait-preview").waitFor({ timeout: 15_000 });

    // A text-direction override in a name: refused by the service, the error next to the field, the rest kept.
    await fillRecord("2026-77001", "서\u202e연");
    await issuer.click("#issue-submit");
    await issuer.locator("#claim-givenName-error").waitFor({ timeout: 15_000 });
    expect(await issuer.getAttribute("#claim-givenName", "aria-invalid")).toBe("true");
    expect(await issuer.inputValue("#issue-reference")).toBe("2026-77001");
    expect(await issuer.inputValue("#claim-institution")).toBe("서울대학교");
    expect(await issuer.locator("#issue-portrait-preview").count()).toBe(1);
    // The error is drawn in the clerk's language: switching keeps it (and what was typed).
    await issuer.click("header button.lang");
    await issuer.waitForFunction(() => document.documentElement.lang === "en");
    expect(await issuer.locator("#claim-givenName-error").textContent()).toMatch(/[A-Za-z]/);
    expect(await issuer.inputValue("#issue-reference")).toBe("2026-77001");
    await issuer.click("header button.lang");
    await issuer.waitForFunction(() => document.documentElement.lang === "ko");

    await issuer.fill("#claim-givenName", "서연");
    first = await createOffer();
    expect(first.txCode).toMatch(/^[0-9]{6}$/);
    expect(first.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(await issuer.locator("#handover-code").textContent()).toBe(`${first.txCode.slice(0, 3)} ${first.txCode.slice(3)}`);
    expect(await issuer.locator("#handover-countdown").textContent()).toMatch(/1[45]분 [0-9]+초 뒤 만료/);
    expect((await offerStatus(first.offerId)).state).toBe("pending");
    await audit(issuer, "console-offer");
  }, 120_000);

  it("the wallet shows the issuer's registered name, checked on the ledger, before it asks for the code; wrong code refused; right code → card with its copies", async () => {
    await createWallet(wallet, network.walletUrl, PASSPHRASE);

    await pasteInWallet(wallet, first.offerUri);
    await wallet.locator("#vci-code").waitFor({ timeout: 30_000 });
    const tenants = (await (await fetch(`${network.url}/issuers`)).json()) as { id: string; did: string }[];
    const snuDid = tenants.find((x) => x.id === "snu")!.did;
    const party = (await (await fetch(`${network.url}/parties/${snuDid.split(":").pop()!}`)).json()) as { name: string };
    expect(await wallet.locator("#vci-issuer").textContent()).toBe(party.name);
    expect(await wallet.locator("#vci-issuer-checked").textContent()).toContain("학생증");
    expect(await wallet.getAttribute("#vci-code", "inputmode")).toBe("numeric");
    await audit(wallet, "wallet-code");

    // Not six digits: said at once, nothing sent.
    await wallet.fill("#vci-code", "12");
    await wallet.click("#vci-submit");
    await wallet.locator("#vci-code-error").waitFor();
    expect(await wallet.locator("#vci-code-error").textContent()).toContain("6");
    // A wrong code: refused by the issuer, with the tries left; the offer is still open.
    const wrong = first.txCode === "000000" ? "111111" : "000000";
    await wallet.fill("#vci-code", wrong);
    await wallet.click("#vci-submit");
    await wallet.waitForFunction(() => /4/.test(document.querySelector("#vci-code-error")?.textContent ?? ""), undefined, { timeout: 30_000 });
    expect(await wallet.getAttribute("#vci-code", "aria-invalid")).toBe("true");
    expect((await offerStatus(first.offerId)).state).toBe("pending");
    await audit(wallet, "wallet-wrong-code");

    await wallet.fill("#vci-code", first.txCode);
    await wallet.click("#vci-submit");
    const card = wallet.locator("article.idcard[data-type=StudentIDCredential]");
    await card.waitFor({ timeout: 60_000 });
    expect(await card.locator("[data-copies-left]").getAttribute("data-copies-left")).toBe("10");
    expect(await card.textContent()).toContain("박서연");
    expect(await card.locator("img.portrait").count()).toBe(1);
    await shot(wallet, "wallet-card-ko");

    // The holder keys of the copies are this device's, and none can be exported.
    const keys = await wallet.evaluate(
      () =>
        new Promise<{ count: number; extractable: boolean[] }>((resolve, reject) => {
          const open = indexedDB.open("mobile-id-device");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const all = db.transaction("keys").objectStore("keys").getAll();
            all.onsuccess = () => resolve({ count: all.result.length, extractable: all.result.map((k: { privateKey: CryptoKey }) => k.privateKey.extractable) });
          };
        }),
    );
    expect(keys.count).toBe(10);
    expect(keys.extractable.every((x) => !x)).toBe(true);
    // The wallet reached the issuer at the issuer's own origin (another origin than the wallet's: CORS, no cookies),
    // and its token is DPoP-bound (RFC 9449, as HAIP asks).
    await Promise.all(headerReads);
    const credentialRequest = protocolRequests.find((r) => r.url.endsWith("/credential"));
    expect(new URL(credentialRequest?.url ?? "http://x").origin).toBe(new URL(network.url).origin);
    expect(new URL(network.url).origin).not.toBe(new URL(network.walletUrl).origin);
    expect(credentialRequest?.headers["origin"]).toBe(new URL(network.walletUrl).origin);
    expect(credentialRequest?.headers["cookie"]).toBeUndefined();
    expect(credentialRequest?.headers["authorization"]).toMatch(/^DPoP /);
    expect(credentialRequest?.headers["dpop"]).toMatch(/^ey/);

    // The console sees the card handed over, with the id the find screen and revocation take.
    await issuer.locator("#handover-done").waitFor({ timeout: 30_000 });
    const status = await offerStatus(first.offerId);
    expect(status.state).toBe("issued");
    expect(await issuer.locator("#handover-credential-id").textContent()).toBe(status.credentials["dc+sd-jwt"]?.id);
    await audit(issuer, "console-done");
  }, 240_000);

  it("the used offer is refused in the wallet with a clear message and no code form", async () => {
    await pasteInWallet(wallet, first.offerUri);
    await wallet.locator("#vci-error").waitFor({ timeout: 30_000 });
    expect(await wallet.locator("#vci-error").textContent()).toContain("이미 사용되었거나 만료된");
    expect(await wallet.locator("#vci-form").count()).toBe(0);
    await audit(wallet, "wallet-replayed");
  }, 60_000);

  it("five wrong codes lock the offer: the wallet says so, and so does the console", async () => {
    await issuer.click("#handover-next");
    await fillRecord("2026-77002");
    const second = await createOffer();
    await pasteInWallet(wallet, second.offerUri);
    await wallet.locator("#vci-code").waitFor({ timeout: 30_000 });
    const wrong = second.txCode === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i++) {
      await wallet.fill("#vci-code", wrong);
      await wallet.click("#vci-submit");
      await wallet.waitForFunction((n) => new RegExp(String(n)).test(document.querySelector("#vci-code-error")?.textContent ?? ""), 4 - i, { timeout: 30_000 });
    }
    await wallet.fill("#vci-code", wrong);
    await wallet.click("#vci-submit");
    await wallet.locator("#vci-error").waitFor({ timeout: 30_000 });
    expect(await wallet.locator("#vci-error").textContent()).toContain("잠겼습니다");
    expect(await wallet.locator("#vci-form").count()).toBe(0);
    await shot(wallet, "wallet-locked-ko");
    await issuer.locator("#handover-failed").waitFor({ timeout: 30_000 });
    expect(await issuer.locator("#handover-failed").textContent()).toContain("잠겼습니다");
    // The record is still in the form: a new offer for the same person is one press, with a new code.
    expect(await issuer.inputValue("#issue-reference")).toBe("2026-77002");
    await shot(issuer, "console-locked-ko");
    await audit(issuer, "console-locked");
    await issuer.click("#handover-again");
    await issuer.locator("#handover-qr").waitFor({ timeout: 30_000 });
    expect(await issuer.locator("#handover-link").textContent()).not.toBe(second.offerUri);
  }, 120_000);

  it("an offer of fewer copies than the batch size: the wallet keeps only the keys the issuer bound", async () => {
    const r = await fetch(`${network.url}/issuers/snu/openid4vci/offers`, {
      method: "POST",
      headers: { ...agency, "content-type": "application/json" },
      body: JSON.stringify({
        credentialType: "StudentIDCredential",
        formats: ["dc+sd-jwt"],
        reference: "2026-77003",
        copies: 3,
        claims: { familyName: "최", givenName: "하늘", studentNumber: "2026-77003", institution: "서울대학교", enrollmentStatus: "enrolled" },
      }),
    });
    expect(r.status).toBe(201);
    const offer = (await r.json()) as { offerUri: string; txCode: string };
    await pasteInWallet(wallet, offer.offerUri);
    await wallet.locator("#vci-code").waitFor({ timeout: 30_000 });
    await wallet.fill("#vci-code", offer.txCode);
    await wallet.click("#vci-submit");
    const card = wallet.locator("article.idcard[data-type=StudentIDCredential]", { hasText: "최하늘" });
    await card.waitFor({ timeout: 60_000 });
    expect(await card.locator("[data-copies-left]").getAttribute("data-copies-left")).toBe("3");
    const keyCount = await wallet.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open("mobile-id-device");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction("keys").objectStore("keys").count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
    expect(keyCount).toBe(13); // 10 from the first card, 3 from this one: the 7 unbound keys are gone
  }, 120_000);

  it("no serious or critical axe violation on the new screens in either language, and no page error", () => {
    expect(checked.length).toBeGreaterThanOrEqual(10);
    expect(found).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
