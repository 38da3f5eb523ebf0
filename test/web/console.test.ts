/**
 * The issuer console's find screen and confirmation dialog, and the auditor's event list, in a real browser
 * against real processes: a clerk finds a card by the agency's reference and by name, sees whose card it is
 * (portrait, name, reference) in the confirmation, closes it with Escape (the focus returns), suspends from there;
 * the auditor filters the events and downloads the CSV. Screenshots go to test-results/web/ (console-*.png).
 *
 * Needs /usr/bin/chromium; skipped with a message when it is absent.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SigningKey } from "ethers";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPublicKeyEthrDid } from "@mobile-id/core";
import { createSyntheticPortrait, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { nodeP256Signer } from "@mobile-id/core/sd-jwt-vc/node";
import { NetworkProcess } from "../support/networkProcess.ts";
import { repoRoot } from "../support/run.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { DESK, hasChromium, launchChromium, signInToConsole } from "./browser.ts";

const SHOTS = join(repoRoot, "test-results", "web");

describe.skipIf(!hasChromium)("issuer console find + confirmation, auditor event list (browser)", () => {
  let network: NetworkProcess;
  let apiKeys: Readonly<Record<string, string>>;
  let browser: Browser;
  let desk: BrowserContext;
  let issuer: Page;
  const errors: string[] = [];
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });
  const api = async (path: string, body: unknown) => {
    const r = await fetch(`${network.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${apiKeys["snu"]!}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(r.status, await r.clone().text()).toBe(201);
    return (await r.json()) as { id: string };
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(repoRoot, "test-results", ".gitignore"), "*\n");
    buildWebApp();
    network = await NetworkProcess.start({ requestsPerMinute: null });
    apiKeys = await network.apiKeys(120_000);
    browser = await launchChromium();
    desk = await browser.newContext({ ...DESK, acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  }, 60_000);

  it("finds a card by reference and by name, shows whose card in the dialog, Escape returns the focus, and suspends", async () => {
    // Two people: one JWT-VC (no portrait in that format), one SD-JWT VC with a portrait.
    const holder = toPublicKeyEthrDid(31337, new SigningKey(randomBytes(32)).publicKey);
    const jwt = await api("/issuers/snu/credentials", {
      type: "StudentIDCredential",
      holder,
      claims: { familyName: "한", givenName: "결", studentNumber: "2026-40001", institution: "서울대학교", enrollmentStatus: "enrolled" },
    });
    const sd = await api("/issuers/snu/sd-jwt-vc", {
      type: "StudentIDCredential",
      claims: { familyName: "한", givenName: "별", birthDate: "2004-05-06", studentNumber: "2026-40002", institution: "서울대학교", enrollmentStatus: "enrolled", portrait: portraitDataUri(createSyntheticPortrait({ seed: 42 })) },
      holderKeys: [nodeP256Signer(randomBytes(32)).publicJwk],
    });

    issuer = await desk.newPage();
    issuer.on("pageerror", (e) => errors.push(e.message));
    await signInToConsole(issuer, network.url, "snu", apiKeys["snu"]!);
    await issuer.click("#tab-find");
    await issuer.locator("#find-form").waitFor();
    expect(new URL(issuer.url()).hash).toBe("#/find");

    // Nothing typed: an error next to the field, in the clerk's language.
    await issuer.click("#find-submit");
    expect(await issuer.locator("#find-reference-error").textContent()).toContain("관리번호나 이름 중 하나를 입력하세요");
    expect(await issuer.getAttribute("#find-reference", "aria-invalid")).toBe("true");

    await issuer.fill("#find-reference", "2026-40002");
    await issuer.click("#find-submit");
    const found = issuer.locator("#found-list > li");
    await found.first().waitFor();
    expect(await found.count()).toBe(1);
    expect(await found.first().locator("[data-holder-name]").textContent()).toBe("한별");
    const img = found.first().locator("img.portrait");
    expect(await img.getAttribute("alt")).toBe("한별의 사진");
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

    // By name, spaces ignored: both people named 한…; newest first.
    await issuer.fill("#find-reference", "");
    await issuer.fill("#find-name", " 한 ");
    await issuer.click("#find-submit");
    await issuer.locator("#found-list > li[data-reference='2026-40001']").waitFor();
    expect(await found.evaluateAll((els) => els.map((e) => e.getAttribute("data-reference")))).toEqual(["2026-40002", "2026-40001"]);
    await shot(issuer, "find");

    // The confirmation names the person and shows the portrait; Escape closes it and the focus returns.
    const suspend = issuer.locator(`#found-list [data-credential-id="${sd.id}"] button[data-action=suspend]`);
    await suspend.click();
    const dialog = issuer.locator("#confirm-dialog");
    await dialog.waitFor();
    expect(await dialog.getAttribute("role")).toBe("dialog");
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    expect(await dialog.locator("[data-holder-name]").textContent()).toBe("한별");
    expect(await dialog.locator("[data-holder-reference]").textContent()).toBe("2026-40002");
    expect(await dialog.locator("img.portrait").count()).toBe(1);
    expect(await issuer.evaluate(() => document.activeElement?.id)).toBe("confirm-reason");
    await shot(issuer, "confirm");
    await issuer.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await issuer.evaluate(() => document.activeElement?.getAttribute("data-action"))).toBe("suspend");

    // Tab stays inside the dialog.
    await suspend.click();
    await dialog.waitFor();
    for (let i = 0; i < 4; i++) await issuer.keyboard.press("Tab");
    expect(await issuer.evaluate(() => document.getElementById("confirm-dialog")?.contains(document.activeElement))).toBe(true);
    await issuer.locator("#confirm-submit").click();
    await dialog.waitFor({ state: "detached", timeout: 30_000 });
    await issuer.locator(`#found-list [data-credential-id="${sd.id}"] .badge.warn`).waitFor({ timeout: 30_000 });
    expect(await issuer.locator("#list-notice .notice.ok").textContent()).toContain("정지 완료");
    expect(await issuer.locator("#list-notice").textContent()).not.toMatch(/0x[0-9a-f]{8}/);

    // From the records list too, the dialog looks the person up by the card's id; in English after a switch.
    await issuer.click("#tab-list");
    const row = issuer.locator(`#issued-table tbody tr[data-credential-id="${jwt.id}"]`);
    await row.waitFor();
    await issuer.click("header button.lang");
    await row.locator("button[data-action=revoke]").click();
    await dialog.locator("[data-holder-name]").waitFor();
    expect(await dialog.locator("[data-holder-name]").textContent()).toBe("한결");
    expect(await dialog.locator("h2").textContent()).toBe("Revoke this card?");
    expect(await dialog.locator(".portrait.none").textContent()).toBe("No photo");
    await shot(issuer, "confirm-records-en");
    await dialog.locator("#confirm-cancel").click();
    await dialog.waitFor({ state: "detached" });
    expect(await issuer.evaluate(() => document.activeElement?.getAttribute("data-action"))).toBe("revoke");
    await issuer.click("header button.lang");
    expect(errors).toEqual([]);
  }, 120_000);

  it("the auditor lists events, filters them by kind, exports the filtered list as CSV, and shows relying parties", async () => {
    await network.caughtUp();
    const auditor = await desk.newPage();
    auditor.on("pageerror", (e) => errors.push(e.message));
    await auditor.goto(`${network.url}/app/auditor/`);
    const rows = auditor.locator("#events-table tbody tr");
    await rows.first().waitFor({ timeout: 60_000 });
    const all = await rows.count();
    expect(all).toBeGreaterThan(10);
    expect(await auditor.locator("#events-table tbody tr[data-category=governance]").count()).toBeGreaterThan(0);
    // The consistency check the page starts reads every status word (about 30 s here): the service answers the
    // filtered read after it.
    await auditor.locator("[data-consistent]").waitFor({ timeout: 90_000 });
    await auditor.selectOption("#events-category", "status");
    await auditor.click("#events-apply");
    await auditor.waitForFunction(() => document.querySelectorAll("#events-table tbody tr[data-category=governance]").length === 0);
    const suspended = auditor.locator("#events-table tbody tr[data-action=CredentialsSuspended]");
    await suspended.first().waitFor();
    const text = (await suspended.first().textContent()) ?? "";
    expect(text).toContain("신분증 정지");
    expect(text).toContain("서울대학교");
    expect(text).toContain("행정 조치");
    expect(await rows.evaluateAll((els) => els.every((e) => e.getAttribute("data-category") === "status"))).toBe(true);
    expect(await auditor.locator("#events-count").textContent()).toMatch(/이벤트 \d+건 \(전체 \d+건 중\)/);
    await shot(auditor, "auditor-events");

    const [download] = await Promise.all([auditor.waitForEvent("download"), auditor.click("#events-csv")]);
    const csv = readFileSync((await download.path()) ?? "", "utf8").trim().split("\n");
    expect(csv[0]).toContain("time,block,category,action,actor");
    expect(csv.length - 1).toBe(await rows.count());
    expect(csv.slice(1).every((l) => l.includes(",status,"))).toBe(true);
    expect(csv.some((l) => l.includes("CredentialsSuspended") && l.includes("ADMINISTRATIVE"))).toBe(true);
    await auditor.click("header button.lang");
    expect(await suspended.first().textContent()).toContain("Cards suspended");
    // The relying parties `pnpm start` registers (the verifiers), with who registered them and what they may ask.
    await auditor.selectOption("#events-category", "relyingParty");
    await auditor.click("#events-apply");
    const registered = auditor.locator("#events-table tbody tr[data-action=RelyingPartyRegistered]");
    await registered.first().waitFor({ timeout: 30_000 });
    expect(await rows.evaluateAll((els) => els.every((e) => e.getAttribute("data-category") === "relyingParty"))).toBe(true);
    expect(await registered.first().textContent()).toContain("Relying party registered");
    expect(await auditor.locator("#events-table tbody tr[data-action=RelyingPartyClaimsSet]").count()).toBeGreaterThan(0);
    await shot(auditor, "auditor-relying-parties-en");
    await auditor.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
