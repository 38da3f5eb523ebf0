/**
 * The phone wallet's device features, in Debian's Chromium against a real network (issues 10 and 12):
 * - SD-JWT VC holder keys are non-extractable WebCrypto keys (exportKey rejects), copies are received for them,
 *   each verifier gets a different copy and the card says how many are left; the KB-JWT verifies under `cnf.jwk`;
 * - unlock with the screen lock through WebAuthn PRF (a Chrome virtual authenticator with `hasPrf`), the
 *   passphrase still working, and failing closed when the authenticator's credential is gone;
 * - the card face (portrait, name order per language, licence classes by name, seal, live strip that ticks) and
 *   the greyed banner of a suspended card, with no block numbers;
 * - backup, move to a new phone (restore in a fresh browser profile), dialogs closing on Escape and returning focus;
 * - the consent view drawn from its plain data structure; axe-core on every new screen in both languages.
 *
 * Needs /usr/bin/chromium; skipped with a message when it is absent. Screenshots go to test/web/screenshots/
 * (PNG files are ignored by git).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type CDPSession, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyntheticPortrait, portraitDataUri, verifySdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { NetworkProcess } from "../support/networkProcess.ts";
import { repoRoot } from "../support/run.ts";
import { createAxeAudit, seriousViolations } from "./axeAudit.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { deviceHarness } from "./deviceHarness.ts";
import { PHONE, addScreenLock, hasChromium, launchChromium } from "./browser.ts";


const SHOTS = join(repoRoot, "test", "web", "screenshots");
const PASSPHRASE = "한강 물빛 2026 봄";
const BACKUP_PASSPHRASE = "backup 북한산 2026";
const CHAIN_ID = 31337;


describe.skipIf(!hasChromium)("the phone wallet's device features", () => {
  let network: NetworkProcess;
  let apiKeys: Readonly<Record<string, string>>;
  let browser: Browser;
  let phone: BrowserContext;
  let wallet: Page;
  let cdp: CDPSession;
  let authenticatorId = "";
  let walletUrl = "";
  let holderDid = "";
  let runOnDevice: Awaited<ReturnType<typeof deviceHarness>>;
  let studentCredentialId = "";
  let licenceCredentialId = "";
  const pageErrors: string[] = [];
  const found: string[] = [];

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const audit = createAxeAudit(found, []);
  const device = <T>(fn: string, ...args: unknown[]): Promise<T> => runOnDevice<T>(wallet, fn, ...args);
  const agency = (name: string) => ({ authorization: `Bearer ${apiKeys[name]!}`, "content-type": "application/json" });
  const unlockWithPassphrase = async (page: Page) => {
    await page.locator("#unlock-passphrase").waitFor({ timeout: 30_000 });
    await page.fill("#unlock-passphrase", PASSPHRASE);
    await page.click("#unlock-submit");
    await page.locator("#did-button").waitFor({ timeout: 60_000 });
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, ".gitignore"), "*.png\n");
    buildWebApp();
    runOnDevice = await deviceHarness();
    network = await NetworkProcess.start({ requestsPerMinute: null });
    apiKeys = await network.apiKeys(120_000);
    // WebAuthn needs a domain name as its RP ID: the wallet's loopback origin by the name `localhost`.
    walletUrl = network.walletUrl.replace("127.0.0.1", "localhost");
    browser = await launchChromium();
    phone = await browser.newContext(PHONE);
    wallet = await phone.newPage();
    wallet.on("pageerror", (e) => pageErrors.push(e.message));
    ({ cdp, authenticatorId } = await addScreenLock(phone, wallet));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  }, 60_000);

  it("creates the wallet and shows a student ID on the card face: name order per language, seal, a live strip that ticks", async () => {
    await wallet.goto(`${walletUrl}/app/wallet/`);
    await wallet.locator("#create-passphrase").waitFor({ timeout: 30_000 });
    await wallet.fill("#create-passphrase", PASSPHRASE);
    await wallet.fill("#create-confirm", PASSPHRASE);
    await wallet.click("#create-submit");
    await wallet.locator("#did-button").waitFor({ timeout: 60_000 });
    await wallet.click("#did-button");
    holderDid = (await wallet.locator("#my-did").getAttribute("data-did")) ?? "";
    expect(holderDid).toMatch(/^did:ethr:/);
    await wallet.goBack();

    const issued = await fetch(`${network.url}/issuers/snu/credentials`, {
      method: "POST",
      headers: agency("snu"),
      body: JSON.stringify({ type: "StudentIDCredential", holder: holderDid, claims: { familyName: "김", givenName: "민준", studentNumber: "2026-00001", institution: "서울대학교", enrollmentStatus: "enrolled" } }),
    });
    expect(issued.status).toBe(201);
    const { jwt, id } = (await issued.json()) as { jwt: string; id: string };
    studentCredentialId = id;
    const offer = await fetch(`${network.url}/issuers/snu/offers`, { method: "POST", headers: agency("snu"), body: JSON.stringify({ credential: jwt }) });
    const { walletUri } = (await offer.json()) as { walletUri: string };
    await wallet.goto(walletUri.replaceAll("127.0.0.1", "localhost"));
    await wallet.locator("#offer-save").waitFor({ timeout: 30_000 });
    await wallet.click("#offer-save");
    const card = wallet.locator("article.idcard[data-type=StudentIDCredential]");
    await card.locator("[data-status=valid]").waitFor({ timeout: 30_000 });
    expect(await card.locator("[data-holder-name]").textContent()).toBe("김민준");
    expect(await card.locator(".face-fields").textContent()).toContain("재학");
    expect(await card.locator("svg.seal").count()).toBe(1);
    // The live strip: the time to the second and "checked N s ago", both moving with the clock.
    const clock1 = await card.locator("[data-live-clock]").textContent();
    const ago1 = await card.locator("[data-checked-ago]").textContent();
    expect(ago1).toMatch(/^\d+초 전 확인$/);
    await wallet.waitForTimeout(2100);
    expect(await card.locator("[data-live-clock]").textContent()).not.toBe(clock1);
    expect(await card.locator("[data-checked-ago]").textContent()).not.toBe(ago1);
    expect((await card.textContent()) ?? "").not.toMatch(/블록|block/i);
    await shot(wallet, "w01-card-face");
  }, 180_000);

  it("keeps SD-JWT VC holder keys non-extractable, receives copies for them and uses a different copy per verifier", async () => {
    const jwks = await device<{ kty: string; crv: string; x: string; y: string }[]>("createKeys", 10);
    expect(jwks).toHaveLength(10);
    const ids = await device<string[]>("keyIds");
    expect(ids).toHaveLength(10);
    const probe = await device<{ found: boolean; extractable: boolean; isCryptoKey: boolean; export: string }>("exportAttempt", ids[0]);
    expect(probe).toEqual({ found: true, extractable: false, isCryptoKey: true, export: "rejected:InvalidAccessError" });

    const portrait = portraitDataUri(createSyntheticPortrait({ seed: 7 }));
    const res = await fetch(`${network.url}/issuers/seoul-license/sd-jwt-vc`, {
      method: "POST",
      headers: agency("seoul-license"),
      body: JSON.stringify({
        type: "DriversLicenseCredential",
        holderKeys: jwks,
        claims: {
          familyName: "이",
          givenName: "서연",
          birthDate: "2001-03-15",
          licenseNumber: "11-26-123456-01",
          licenseClasses: ["1-ordinary", "1-special-wrecker", "learner-2-ordinary"],
          aptitudeTestUntil: "2035-12-31",
          portrait,
        },
      }),
    });
    const body = (await res.json()) as { copies: string[]; id: string };
    expect(res.status, JSON.stringify(body)).toBe(201);
    licenceCredentialId = body.id;
    expect(body.copies).toHaveLength(10);

    // A copy whose issuer signature was altered is refused (checked against the issuer's keys on the ledger), and nothing is stored.
    const [jwt, ...rest] = body.copies[0]!.split("~");
    const sig = jwt!.split(".")[2]!;
    const forged = [`${jwt!.slice(0, -sig.length)}${sig.startsWith("A") ? "B" : "A"}${sig.slice(1)}`, ...rest].join("~");
    expect(await device<{ ok: boolean; code: string }>("receive", PASSPHRASE, [forged, ...body.copies.slice(1)], CHAIN_ID)).toEqual({ ok: false, code: "COPY_INVALID" });
    expect(await device<unknown[]>("cards", PASSPHRASE, CHAIN_ID)).toEqual([]);
    const received = await device<{ ok: boolean; card: { batch: string; remaining: number; copies: number } }>("receive", PASSPHRASE, body.copies, CHAIN_ID);
    expect(received.ok).toBe(true);
    expect(received.card.remaining).toBe(10);
    // The same copies again: refused (each key binds one copy).
    expect(await device<{ ok: boolean; code: string }>("receive", PASSPHRASE, body.copies.slice(0, 1), CHAIN_ID)).toEqual({ ok: false, code: "COPY_NOT_BOUND_TO_THIS_DEVICE" });

    const batch = received.card.batch;
    const claims = [["age_equal_or_over", "19"]];
    const a1 = await device<{ ok: boolean; presentation: string; copyId: string; remaining: number }>("present", PASSPHRASE, batch, "did:ethr:0x7a69:0x00000000000000000000000000000000000000a1", "nonce-a-1", claims);
    const a2 = await device<{ ok: boolean; presentation: string; copyId: string; remaining: number }>("present", PASSPHRASE, batch, "did:ethr:0x7a69:0x00000000000000000000000000000000000000a1", "nonce-a-2", claims);
    const b1 = await device<{ ok: boolean; presentation: string; copyId: string; remaining: number }>("present", PASSPHRASE, batch, "did:ethr:0x7a69:0x00000000000000000000000000000000000000b2", "nonce-b-1", claims);
    expect(a1.ok && a2.ok && b1.ok).toBe(true);
    expect(a2.copyId).toBe(a1.copyId);
    expect(b1.copyId).not.toBe(a1.copyId);
    expect(b1.remaining).toBe(8);
    // Nothing in common between the two verifiers' presentations (issuer JWT, salts, key binding).
    expect(b1.presentation.split("~")[0]).not.toBe(a1.presentation.split("~")[0]);

    // The KB-JWT was signed by the copy's non-extractable key: it verifies under the copy's cnf.jwk, for its verifier only.
    const check = (token: string, audience: string, nonce: string) =>
      verifySdJwtVc({ token, now: Math.floor(Date.now() / 1000), chainId: BigInt(CHAIN_ID), verifyIssuerSignature: () => true, keyBinding: { audience, nonce }, requestedClaims: claims });
    const ok = await check(b1.presentation, "did:ethr:0x7a69:0x00000000000000000000000000000000000000b2", "nonce-b-1");
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.value.claims).toEqual({ age_equal_or_over: { "19": true } });
    expect((await check(b1.presentation, "did:ethr:0x7a69:0x00000000000000000000000000000000000000a1", "nonce-b-1")).ok).toBe(false);

    // The wallet's card list (after unlocking again) shows the licence with its portrait, classes by name and copies left.
    await wallet.click("#lock-button");
    await unlockWithPassphrase(wallet);
    const licence = wallet.locator("article.idcard[data-type=DriversLicenseCredential]");
    await licence.waitFor({ timeout: 30_000 });
    expect(await licence.locator("[data-copies-left]").getAttribute("data-copies-left")).toBe("8");
    // Its status is checked on the phone like a JWT-VC card's (the copy's list entry, the issuer's whole lists).
    await licence.locator("[data-status=valid]").waitFor({ timeout: 30_000 });
    expect(await licence.locator("img.portrait").getAttribute("alt")).toBe("이서연의 사진");
    const fields = (await licence.locator(".face-fields").textContent()) ?? "";
    expect(fields).toContain("1종 보통");
    expect(fields).toContain("1종 특수 (구난차)");
    expect(fields).toContain("2종 보통 연습면허");
    expect(fields).not.toContain("1-ordinary");
    await shot(wallet, "w02-cards-with-sd-jwt-licence");
    await audit(wallet, "wallet/cards-face");
    await wallet.click("header button.lang");
    expect(await licence.locator(".face-fields").textContent()).toContain("Learner's permit, class 2 ordinary");
    expect(await licence.locator("img.portrait").getAttribute("alt")).toBe("Photo of 이서연");
    expect(await wallet.locator("article.idcard[data-type=StudentIDCredential] [data-holder-name]").textContent()).toBe("김민준");
    // The live strip speaks the language on screen at once (the redraw and the ticker write the same text node).
    expect(await licence.locator("[data-checked-ago]").textContent()).toMatch(/^checked \d+ s ago$/);
    expect(await licence.locator("[data-live-clock]").textContent()).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    await shot(wallet, "w02b-cards-english");
    await wallet.click("header button.lang");
  }, 240_000);

  it("greys a suspended card with a banner that says why and whom to contact", async () => {
    const r = await fetch(`${network.url}/issuers/snu/credentials/status`, { method: "POST", headers: agency("snu"), body: JSON.stringify({ action: "suspend", ids: [studentCredentialId], reason: "ADMINISTRATIVE" }) });
    expect(r.status, await r.text()).toBeLessThan(300);
    await network.caughtUp();
    await wallet.click("#did-button");
    await wallet.goBack();
    const card = wallet.locator("article.idcard[data-type=StudentIDCredential]");
    await card.locator("[data-banner=suspended]").waitFor({ timeout: 30_000 });
    expect(await card.getAttribute("class")).toContain("unusable");
    const banner = (await card.locator(".card-banner").textContent()) ?? "";
    expect(banner).toContain("효력이 정지된 신분증입니다");
    expect(banner).toMatch(/문의: 서울대학교/);
    expect(banner).not.toMatch(/블록|block/i);
    await shot(wallet, "w03-suspended-card");
    // The SD-JWT VC licence: revoked by its one id (every copy at once), greyed with the revocation banner.
    const rv = await fetch(`${network.url}/issuers/seoul-license/credentials/status`, { method: "POST", headers: agency("seoul-license"), body: JSON.stringify({ action: "revoke", ids: [licenceCredentialId], reason: "DEVICE_LOST" }) });
    expect(rv.status, await rv.text()).toBeLessThan(300);
    await network.caughtUp();
    await wallet.click("#did-button");
    await wallet.goBack();
    const licence = wallet.locator("article.idcard[data-type=DriversLicenseCredential]");
    await licence.locator("[data-banner=revoked]").waitFor({ timeout: 30_000 });
    expect(await licence.locator(".card-banner").textContent()).toContain("문의: 도로교통공단");
    await audit(wallet, "wallet/suspended");
  }, 120_000);

  it("unlocks with the screen lock (WebAuthn PRF), keeps the passphrase, and fails closed without the authenticator's credential", async () => {
    await wallet.click("#settings-button");
    await wallet.locator("#screenlock-enable").waitFor();
    await wallet.click("#screenlock-enable");
    const dialog = wallet.locator("dialog#screenlock-on-confirm");
    await dialog.waitFor();
    await shot(wallet, "w04-screenlock-dialog");
    // Escape closes the dialog and gives the focus back to the button that opened it.
    await wallet.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await wallet.evaluate(() => document.activeElement?.id)).toBe("screenlock-enable");
    await wallet.click("#screenlock-enable");
    await wallet.fill("dialog#screenlock-on-confirm input[type=password]", PASSPHRASE);
    await wallet.click("dialog#screenlock-on-confirm button[type=submit]");
    await wallet.locator("#screenlock-on").waitFor({ timeout: 60_000 });
    const creds = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: unknown[] };
    expect(creds.credentials).toHaveLength(1);
    await shot(wallet, "w05-settings-screenlock-on");
    await audit(wallet, "wallet/settings-screenlock");

    // Locked, then opened by the screen lock alone: nothing typed.
    await wallet.goBack();
    await wallet.click("#lock-button");
    await wallet.locator("#unlock-screenlock").waitFor({ timeout: 15_000 });
    await shot(wallet, "w06-unlock-screenlock");
    await audit(wallet, "wallet/unlock-screenlock");
    await wallet.click("#unlock-screenlock");
    await wallet.locator("#did-button").waitFor({ timeout: 60_000 });
    expect(await wallet.locator("article.idcard[data-type=DriversLicenseCredential]").count()).toBe(1);

    // Without the authenticator's credential (another phone, or it was removed) the screen lock opens nothing; the passphrase still does.
    await wallet.click("#lock-button");
    await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
    await wallet.click("#unlock-screenlock");
    await wallet.getByRole("alert").waitFor({ timeout: 30_000 });
    expect(await wallet.locator("#did-button").count()).toBe(0);
    await unlockWithPassphrase(wallet);
  }, 240_000);

  it("makes a backup and moves the wallet to a new phone; restore dialogs close on Escape", async () => {
    await wallet.click("#settings-button");
    await wallet.click("#backup-open");
    await wallet.locator("#backup-passphrase").waitFor();
    await audit(wallet, "wallet/backup");
    await shot(wallet, "w07-backup");
    await wallet.fill("#backup-passphrase", BACKUP_PASSPHRASE);
    await wallet.fill("#backup-confirm-passphrase", BACKUP_PASSPHRASE);
    await wallet.click("#backup-make-button");
    await wallet.locator("dialog#backup-confirm").waitFor();
    const [download] = await Promise.all([wallet.waitForEvent("download", { timeout: 120_000 }), wallet.click("dialog#backup-confirm button[type=submit]")]);
    expect(download.suggestedFilename()).toMatch(/^mobile-id-wallet-\d{4}-\d{2}-\d{2}\.midb$/);
    const backup = readFileSync(await download.path());
    expect(backup.subarray(0, 4).toString("latin1")).toBe("MIDW");

    // The restore-here confirmation: Escape cancels it and returns the focus.
    await wallet.setInputFiles("#restore-here-file", { name: "b.midb", mimeType: "application/octet-stream", buffer: backup });
    await wallet.fill("#restore-here-passphrase", BACKUP_PASSPHRASE);
    await wallet.click("#restore-here-button");
    await wallet.locator("dialog#restore-confirm").waitFor();
    await wallet.keyboard.press("Escape");
    await wallet.locator("dialog#restore-confirm").waitFor({ state: "detached" });
    expect(await wallet.evaluate(() => document.activeElement?.id)).toBe("restore-here-button");

    // The new phone: a fresh browser profile restores the backup into a new wallet, same DID, the JWT-VC card back.
    const newPhone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-GB", reducedMotion: "reduce" });
    const fresh = await newPhone.newPage();
    await fresh.goto(`${walletUrl}/app/wallet/?lang=en`);
    await fresh.locator("#restore-open").waitFor({ timeout: 30_000 });
    await fresh.click("#restore-open");
    await fresh.locator("#restore-file").waitFor();
    await audit(fresh, "wallet/restore");
    await fresh.setInputFiles("#restore-file", { name: "b.midb", mimeType: "application/octet-stream", buffer: backup });
    await fresh.fill("#restore-backup-passphrase", "wrong passphrase 123");
    await fresh.fill("#restore-passphrase", "new phone passphrase");
    await fresh.fill("#restore-confirm", "new phone passphrase");
    await fresh.click("#restore-submit");
    await fresh.getByRole("alert").waitFor({ timeout: 60_000 });
    expect(await fresh.getByRole("alert").textContent()).toContain("Wrong backup passphrase");
    await fresh.fill("#restore-backup-passphrase", BACKUP_PASSPHRASE);
    await fresh.click("#restore-submit");
    await fresh.locator("#did-button").waitFor({ timeout: 90_000 });
    await fresh.locator("article.idcard[data-type=StudentIDCredential]").waitFor({ timeout: 30_000 });
    // Device-bound SD-JWT VC copies do not travel.
    expect(await fresh.locator("article.idcard[data-type=DriversLicenseCredential]").count()).toBe(0);
    expect(await fresh.locator("article.idcard[data-type=StudentIDCredential] [data-holder-name]").textContent()).toBe("김민준");
    await shot(fresh, "w08-new-phone-restored");
    await fresh.click("#did-button");
    expect(await fresh.locator("#my-did").getAttribute("data-did")).toBe(holderDid);
    await newPhone.close();
  }, 300_000);

  it("draws the consent screen from its plain data structure: party, purpose, every claim in words, Share / Decline", async () => {
    await wallet.evaluate(() => localStorage.setItem("mobile-id.lang", "ko"));
    await wallet.goto(`${walletUrl}/app/wallet/#/`);
    await wallet.reload();
    await unlockWithPassphrase(wallet);
    const portrait = portraitDataUri(createSyntheticPortrait({ seed: 3 }));
    await device("renderConsent", {
      party: { name: "서울대학교 중앙도서관", purpose: "도서관 출입 확인", did: "did:ethr:0x7a69:0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" },
      credentials: [
        {
          cardLabel: "학생증 · 서울대학교",
          copiesLeftAfter: 7,
          claims: [
            { path: ["givenName"], label: "이름", value: "민준" },
            { path: ["enrollmentStatus"], label: "학적 상태", value: "재학" },
            { path: ["portrait"], label: "사진 (얼굴 대조용)", portrait },
            { path: ["age_equal_or_over", "19"], label: "만 19세 이상인지 여부 (예/아니오만, 생년월일은 알리지 않음)", value: "예" },
          ],
        },
      ],
    });
    await wallet.locator("#consent-share").waitFor();
    expect(await wallet.locator("#consent-party-name").textContent()).toBe("서울대학교 중앙도서관");
    expect(await wallet.locator("[data-claim-path]").count()).toBe(4);
    expect(await wallet.locator("[data-claim-path='age_equal_or_over.19']").textContent()).toContain("예");
    await shot(wallet, "w09-consent");
    await wallet.click("#consent-decline");
    expect(await wallet.evaluate(() => (window as unknown as { consentAnswers: string[] }).consentAnswers)).toEqual(["decline"]);
    // axe on the view as drawn here (the harness draws it once per language, so each language is checked on its own page).
    const axeHere = async (name: string) => {
      for (const v of await seriousViolations(wallet)) found.push(`${name}: ${v}`);
    };
    await axeHere("wallet/consent/ko");
    await wallet.goto(`${walletUrl}/app/wallet/?lang=en#/`);
    await unlockWithPassphrase(wallet);
    await device("renderConsent", {
      party: { name: "GS25 convenience store", purpose: "Age check for alcohol sales", did: "did:ethr:0x7a69:0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" },
      credentials: [{ cardLabel: "Resident ID", copiesLeftAfter: 9, claims: [{ path: ["age_equal_or_over", "19"], label: "Whether you are 19 or older (yes or no, not your birth date)", value: "Yes" }] }],
    });
    await wallet.locator("#consent-share").waitFor();
    expect(await wallet.locator("#consent-share").textContent()).toBe("Share");
    expect(await wallet.locator("h2#consent-party").textContent()).toBe("Who is asking");
    await shot(wallet, "w10-consent-english");
    await axeHere("wallet/consent/en");
    await wallet.click("#consent-share");
    expect(await wallet.evaluate(() => (window as unknown as { consentAnswers: string[] }).consentAnswers)).toEqual(["share"]);
  }, 120_000);

  it("has no serious or critical axe violation on the new screens, and no page error", () => {
    expect(found).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
