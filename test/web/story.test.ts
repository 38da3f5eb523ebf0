/**
 * The whole story through the pages, with real processes: the network (`scripts/start.ts`: ledger node, services,
 * built pages), Debian's Chromium driven by playwright-core. The agency issues in its console, the phone wallet
 * receives the offer; SD-JWT VC copies bound to the phone's own keys arrive; the verifier counter asks over
 * OpenID4VP with a DCQL query (its QR code an `openid4vp://` link), the wallet checks the counter's registration on
 * the ledger and asks consent claim by claim, the counter shows green (the portrait large); "19 or older" learns
 * nothing else; a decline shows at the counter at once; the agency revokes; the counter shows red with the reason.
 * Screenshots of every page go to test-results/web/ (the counter and consent screens also to test/web/screenshots/).
 *
 * Needs /usr/bin/chromium (CI: `apt-get install -y chromium`); skipped with a message when it is absent.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonRpcProvider } from "ethers";
import { changeRelyingPartyStanding, devRoster } from "@mobile-id/chain";
import { ReasonCode } from "@mobile-id/core";
import { createSyntheticPortrait, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { repoRoot } from "../support/run.ts";
import { deviceHarness } from "./deviceHarness.ts";
import { NetworkProcess } from "../support/networkProcess.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { DESK, hasChromium, launchChromium } from "./browser.ts";


const SHOTS = join(repoRoot, "test-results", "web");
/** The present path's screens, looked at by hand (PNG files ignored by git). */
const LOOKED_AT = join(repoRoot, "test", "web", "screenshots");
const PASSPHRASE = "한강 물빛 2026 봄";
const CHAIN_ID = 31337;

describe.skipIf(!hasChromium)("the story in the browser", () => {
  let network: NetworkProcess;
  /** The agencies' API keys the start printed (once, stored nowhere). */
  let apiKeys: Readonly<Record<string, string>>;
  let browser: Browser;
  let phone: BrowserContext;
  let desk: BrowserContext;
  let wallet: Page;
  let issuer: Page;
  let verifier: Page;
  const consoleErrors: string[] = [];
  let device: Awaited<ReturnType<typeof deviceHarness>>;

  const shot = async (page: Page, name: string, fullPage = true) => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  };
  const watch = (page: Page, name: string) => {
    page.on("pageerror", (e) => consoleErrors.push(`${name}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(`${name}: ${m.text()}`);
    });
    return page;
  };
  /** Every visible form control has an accessible name (a label, aria-label or aria-labelledby). */
  const unlabelled = (page: Page) =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>("input:not([type=hidden]), select, textarea, button"))
        .filter((el) => el.offsetParent !== null)
        .filter((el) => {
          const labelled = (el as HTMLInputElement).labels?.length ?? 0;
          const name = el.getAttribute("aria-label") ?? el.getAttribute("aria-labelledby") ?? (el.tagName === "BUTTON" ? el.textContent?.trim() : "");
          return labelled === 0 && (name === null || name === "");
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(LOOKED_AT, { recursive: true });
    writeFileSync(join(LOOKED_AT, ".gitignore"), "*.png\n");
    device = await deviceHarness();
    // Artifacts, not sources: keep them out of git without touching the repository's .gitignore.
    writeFileSync(join(repoRoot, "test-results", ".gitignore"), "*\n");
    buildWebApp();
    // The start script's own request limits, as a real start has.
    network = await NetworkProcess.start({ requestsPerMinute: null });
    apiKeys = await network.apiKeys(120_000);
    browser = await launchChromium();
    phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "ko-KR",
      reducedMotion: "reduce",
      userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
    });
    desk = await browser.newContext(DESK);
    wallet = watch(await phone.newPage(), "wallet");
    issuer = watch(await desk.newPage(), "issuer");
    verifier = watch(await desk.newPage(), "verifier");
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  }, 60_000);

  let holderDid = "";
  let offerLink = "";

  it("shows the landing page with the four faces", async () => {
    const landing = watch(await desk.newPage(), "landing");
    await landing.goto(`${network.url}/`);
    await expect(landing.getByRole("link", { name: /내 지갑/ })).toBeDefined();
    expect(await landing.locator("ul.tiles li").count()).toBe(4);
    await shot(landing, "01-landing");
    // The wallet is not on this origin: its link moves to the wallet's own origin, a #request= fragment kept.
    // (The wallet takes the fragment out of the address bar once read: look at the URL the page was loaded with.)
    const loaded: string[] = [];
    landing.on("framenavigated", (frame) => {
      if (frame === landing.mainFrame()) loaded.push(frame.url());
    });
    await landing.goto(`${network.url}/app/wallet/#request=x`);
    expect(loaded).toContain(`${network.walletUrl}/app/wallet/#request=x`);
    await landing.close();
  });

  it("creates a wallet on the phone (scrypt N=2^17 in the browser) and shows its DID", async () => {
    await wallet.goto(`${network.walletUrl}/app/wallet/`);
    await wallet.locator("#create-passphrase").waitFor();
    expect(await unlabelled(wallet)).toEqual([]);
    await shot(wallet, "02-wallet-create");
    await wallet.fill("#create-passphrase", PASSPHRASE);
    await wallet.fill("#create-confirm", PASSPHRASE);
    await wallet.click("#create-submit");
    await wallet.locator("#did-button").waitFor({ timeout: 60_000 });
    await shot(wallet, "03-wallet-empty");
    // The stored bytes are the wallet package's envelope: magic "MIDW", version 1, wallet kind, scrypt at N = 2^17.
    const header = await wallet.evaluate(
      () =>
        new Promise<number[]>((resolve, reject) => {
          const open = indexedDB.open("mobile-id-wallet");
          open.onsuccess = () => {
            const get = open.result.transaction("envelopes").objectStore("envelopes").get("wallet");
            get.onsuccess = () => resolve(Array.from((get.result as Uint8Array).subarray(0, 11)));
            get.onerror = () => reject(get.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    expect(header.slice(0, 4)).toEqual([0x4d, 0x49, 0x44, 0x57]);
    expect(header.slice(4, 8)).toEqual([1, 1, 1, 17]); // version, kind wallet, KDF scrypt, log2 N
    expect(header[8]).toBeGreaterThanOrEqual(8); // r
    // Installable: a manifest, and a service worker controlling the wallet's scope.
    const manifest = (await (await fetch(`${network.walletUrl}/app/wallet/manifest.webmanifest`)).json()) as { start_url: string; icons: unknown[] };
    expect(manifest.start_url).toBe("/app/wallet/");
    expect(manifest.icons.length).toBeGreaterThan(0);
    expect(await wallet.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope))).toBe(`${network.walletUrl}/app/wallet/`);
    await wallet.click("#did-button");
    holderDid = (await wallet.locator("#my-did").getAttribute("data-did")) ?? "";
    expect(holderDid).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/);
    await shot(wallet, "04-wallet-did");
    // The phone's back button moves within the wallet (the screen is in the URL fragment), and forward again.
    expect(new URL(wallet.url()).hash).toBe("#/did");
    await wallet.goBack();
    await wallet.locator("#scan-button").waitFor();
    expect(await wallet.locator("#my-did").count()).toBe(0);
    await wallet.goForward();
    await wallet.locator("#my-did").waitFor();
  }, 90_000);

  it("the agency signs in, issues from the schema form and gets a one-time offer QR code", async () => {
    await issuer.goto(`${network.url}/app/issuer/`);
    await issuer.locator("#signin-key").waitFor();
    await issuer.selectOption("#signin-agency", "snu");
    await issuer.fill("#signin-key", "mid_wrong-key-0123456789abcdef");
    await issuer.click("#signin-submit");
    await issuer.getByRole("alert").waitFor();
    expect(await issuer.getByRole("alert").textContent()).toContain("API 키가 맞지 않습니다");
    await issuer.fill("#signin-key", apiKeys["snu"]!);
    await shot(issuer, "05-issuer-signin");
    await issuer.click("#signin-submit");
    await issuer.locator("#issue-form").waitFor();
    expect(await issuer.inputValue("#issue-type")).toBe("StudentIDCredential");
    expect(await unlabelled(issuer)).toEqual([]);
    await issuer.fill("#issue-holder", holderDid);
    await issuer.fill("#claim-familyName", "김");
    await issuer.fill("#claim-givenName", "민준");
    await issuer.fill("#claim-studentNumber", "2026-12345");
    await issuer.fill("#claim-institution", "서울대학교");
    await issuer.selectOption("#claim-enrollmentStatus", "enrolled");
    await issuer.fill("#claim-department", "컴퓨터공학부");
    // The service refuses an expiry in the past: what the clerk typed stays, also across a language switch.
    await issuer.fill("#issue-expires", "2020-01-01");
    await issuer.click("#issue-submit");
    await issuer.locator("#issue-error [role=alert]").waitFor({ timeout: 30_000 });
    const typed = () => Promise.all(["#issue-holder", "#claim-familyName", "#claim-givenName", "#claim-studentNumber", "#claim-enrollmentStatus", "#claim-department", "#issue-expires"].map((c) => issuer.inputValue(c)));
    const entered = [holderDid, "김", "민준", "2026-12345", "enrolled", "컴퓨터공학부", "2020-01-01"];
    expect(await typed()).toEqual(entered);
    // The error is next to the field it is about, and is kept as a code: it switches language with the page.
    expect(await issuer.getAttribute("#issue-expires", "aria-invalid")).toBe("true");
    expect(await issuer.locator("#issue-expires-error").textContent()).toContain("만료일은 오늘 이후여야 합니다");
    await issuer.click("header button.lang");
    expect(await issuer.locator("label[for=issue-holder]").textContent()).toContain("Holder DID");
    expect(await issuer.locator("#issue-expires-error").textContent()).toContain("The expiry date must be after today");
    expect(await issuer.locator("#issue-error [role=alert]").textContent()).toBe("The expiry date must be after today.");
    expect(await typed()).toEqual(entered);
    await shot(issuer, "05b-issuer-error-kept-english");
    await issuer.click("header button.lang");
    expect(await typed()).toEqual(entered);
    await issuer.fill("#issue-expires", "");
    await issuer.click("#issue-submit");
    await issuer.locator("#offer-link").waitFor({ timeout: 30_000 });
    offerLink = (await issuer.locator("#offer-link").getAttribute("href")) ?? "";
    expect(offerLink).toMatch(new RegExp(`^${network.walletUrl}/app/wallet/#offer=`));
    await shot(issuer, "06-issuer-offer");
  }, 60_000);

  it("the wallet receives the offer, checks it against the ledger and shows an ID card", async () => {
    await wallet.goto(offerLink);
    await wallet.locator("#offer-save").waitFor({ timeout: 30_000 });
    // Before saving, the holder already sees the issuer's name and the card's standing on the ledger.
    await wallet.locator("article.idcard [data-status=valid]").waitFor({ timeout: 30_000 });
    await shot(wallet, "07-wallet-offer");
    await wallet.click("#offer-save");
    const card = wallet.locator("article.idcard[data-type=StudentIDCredential]");
    await card.waitFor({ timeout: 30_000 });
    await card.locator("[data-status=valid]").waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toContain("서울대학교 Seoul National University"); // issuer name as on the ledger
    expect(await card.textContent()).toContain("김민준");
    await shot(wallet, "08-wallet-card");
    // The offer is one-time: opening it again is refused.
    const again = await fetch(decodeURIComponent(offerLink.split("#offer=")[1]!));
    expect(again.status).toBe(410);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("OFFER_REDEEMED");
  }, 60_000);

  let studentSdJwtId = "";

  it("the console hands a student ID over to the phone over OpenID4VCI (offer QR + 6-digit code): SD-JWT VC copies under the phone's own keys", async () => {
    await issuer.click("#tab-issue");
    await issuer.locator("#issue-form").waitFor();
    await issuer.check("#handover-phone");
    await issuer.locator("#issue-reference").waitFor();
    await issuer.locator("#claim-studentNumber").waitFor({ timeout: 15_000 });
    const portraitFile = join(SHOTS, "story-portrait.jpg");
    writeFileSync(portraitFile, createSyntheticPortrait({ seed: 11 }));
    await issuer.setInputFiles("#issue-portrait", portraitFile);
    await issuer.locator("#issue-portrait-preview").waitFor({ timeout: 15_000 });
    await issuer.fill("#issue-reference", "2026-20001");
    await issuer.fill("#claim-familyName", "김");
    await issuer.fill("#claim-givenName", "민준");
    await issuer.fill("#claim-birthDate", "2004-05-01");
    await issuer.fill("#claim-studentNumber", "2026-20001");
    await issuer.fill("#claim-institution", "서울대학교");
    await issuer.selectOption("#claim-enrollmentStatus", "enrolled");
    await issuer.click("#issue-submit");
    await issuer.locator("#handover-qr").waitFor({ timeout: 30_000 });
    const txCode = (await issuer.locator("#handover-code").getAttribute("data-code")) ?? "";
    const offerUri = (await issuer.locator("#handover-link").textContent()) ?? "";
    expect(offerUri).toMatch(/^openid-credential-offer:\/\//);
    await shot(issuer, "08b-issuer-handover");
    // The phone opens the offer (pasted here; scanned on a real phone), checks the issuer, takes the code.
    await wallet.evaluate(() => {
      location.hash = "#/";
    });
    await wallet.locator("#paste-link").waitFor({ timeout: 30_000 });
    await wallet.fill("#paste-link", offerUri);
    await wallet.click("#paste-open");
    await wallet.locator("#vci-code").waitFor({ timeout: 30_000 });
    await wallet.fill("#vci-code", txCode);
    await wallet.click("#vci-submit");
    await wallet.locator("article.idcard[data-type=StudentIDCredential] [data-copies-left]").waitFor({ timeout: 60_000 });
    await issuer.locator("#handover-done").waitFor({ timeout: 30_000 });
    studentSdJwtId = (await issuer.locator("#handover-credential-id").textContent()) ?? "";
    expect(studentSdJwtId).not.toBe("");
    await shot(wallet, "08c-wallet-received-copies");
  }, 120_000);

  it("a driver's licence arrives as SD-JWT VC copies too (through the agency's API, into the device vault)", async () => {
    const holderKeys = await device<unknown[]>(wallet, "createKeys", 10);
    const res = await fetch(`${network.url}/issuers/seoul-license/sd-jwt-vc`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKeys["seoul-license"]!}`, "content-type": "application/json" },
      body: JSON.stringify({
        type: "DriversLicenseCredential",
        holderKeys,
        claims: { familyName: "김", givenName: "민준", birthDate: "2004-05-01", licenseNumber: "11-26-654321-01", licenseClasses: ["2-ordinary"], aptitudeTestUntil: "2035-12-31", portrait: portraitDataUri(createSyntheticPortrait({ seed: 11 })) },
      }),
    });
    const body = (await res.json()) as { copies: string[]; id: string };
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(await device<{ ok: boolean }>(wallet, "receive", PASSPHRASE, body.copies, CHAIN_ID)).toMatchObject({ ok: true });
    await wallet.click("#lock-button");
    await wallet.fill("#unlock-passphrase", PASSPHRASE);
    await wallet.click("#unlock-submit");
    await wallet.locator("article.idcard[data-type=DriversLicenseCredential]").waitFor({ timeout: 60_000 });
    expect(await wallet.locator("article.idcard[data-type=StudentIDCredential]").count()).toBe(2); // the JWT-VC and the SD-JWT VC
  }, 120_000);

  /** The counter makes a request for `template`; the wallet opens its openid4vp:// link (same-device hand-over). */
  const ask = async (template: "age19" | "student" | "identity", shotPrefix: string, open = true) => {
    if (!verifier.url().includes("/app/verifier/")) {
      await verifier.goto(`${network.url}/app/verifier/`);
      await verifier.locator("#create-request").waitFor();
      expect(await unlabelled(verifier)).toEqual([]);
      await shot(verifier, "09-verifier-setup");
    } else if ((await verifier.locator("#create-request").count()) === 0) {
      await verifier.click("#back-to-setup");
      await verifier.locator("#create-request").waitFor();
    }
    await verifier.locator(`input[name=template][value=${template}]`).check();
    await verifier.click("#create-request");
    await verifier.locator("#request-qr").waitFor();
    await verifier.waitForFunction(() => (document.querySelector("#request-qr") as HTMLImageElement | null)?.complete === true);
    expect(await verifier.locator("#request-party").textContent()).toContain("검증 창구"); // dev account 9's registered name
    await shot(verifier, `${shotPrefix}-verifier-qr`);
    await verifier.screenshot({ path: join(LOOKED_AT, `${shotPrefix}-counter-qr.png`), fullPage: true });
    const link = (await verifier.locator("#request-uri").textContent()) ?? "";
    expect(link).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Aethr%3A0x7a69%3A0x[0-9a-fA-F]{40}&request_uri=/);
    // The request object lives on the verifier's own origin, which is not the wallet's: the wallet reads it
    // cross-origin, as it would any verifier's.
    expect(decodeURIComponent(link.split("request_uri=")[1]!).startsWith(`${network.url}/verifier/openid4vp/requests/`)).toBe(true);
    // Signed by the registered counter, answered encrypted (direct_post.jwt, HAIP).
    const requestObject = await (await fetch(decodeURIComponent(link.split("request_uri=")[1]!))).text();
    expect(JSON.parse(Buffer.from(requestObject.split(".")[1]!, "base64url").toString())).toMatchObject({ response_mode: "direct_post.jwt", response_type: "vp_token" });
    if (open) await wallet.goto(`${network.walletUrl}/app/wallet/#request=${encodeURIComponent(link)}`);
    return link;
  };

  /** What the consent screen lists, claim by claim (DCQL paths), and the party it names. */
  const consentShown = async () => {
    await wallet.locator("#consent-share").waitFor({ timeout: 30_000 });
    return {
      party: (await wallet.locator("#consent-party-name").textContent()) ?? "",
      purpose: (await wallet.locator("#consent-purpose").textContent()) ?? "",
      paths: await wallet.locator("[data-claim-path]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim-path"))),
      text: (await wallet.locator("main").textContent()) ?? "",
    };
  };

  const counterResult = async () => {
    const banner = verifier.locator("#result-banner");
    await banner.waitFor({ timeout: 15_000 });
    // The result sits in a live region, so screen readers announce it.
    expect(await verifier.locator("#verifier-result").getAttribute("aria-live")).toBe("assertive");
    return { verified: await banner.getAttribute("data-verified"), declined: await banner.getAttribute("data-declined"), code: await banner.getAttribute("data-code") };
  };

  it("student status: the counter's QR → the wallet names the registered counter and asks per claim → green, portrait large", async () => {
    await ask("student", "10");
    const consent = await consentShown();
    expect(consent.party).not.toBe("");
    expect(consent.purpose).not.toBe("");
    expect(consent.paths).toEqual(["familyName", "givenName", "portrait", "institution", "enrollmentStatus"]);
    expect(consent.text).toContain("재학");
    expect(consent.text).not.toContain("2026-20001"); // the student number is not asked for, so not listed
    await wallet.screenshot({ path: join(LOOKED_AT, "10-wallet-consent-student.png"), fullPage: true });
    // The claims are in the holder's language, also after a switch on this screen.
    await wallet.click("header button.lang");
    await wallet.waitForFunction(() => document.querySelector("[data-claim-path=portrait]")?.textContent?.includes("Your photo") === true);
    expect(await wallet.locator("[data-claim-path=enrollmentStatus]").textContent()).toContain("Enrolled");
    await wallet.click("header button.lang");
    await wallet.waitForFunction(() => document.querySelector("[data-claim-path=portrait]")?.textContent?.includes("사진") === true);
    await shot(wallet, "10-wallet-consent");
    await wallet.click("#consent-share");
    await wallet.locator("#present-result").waitFor({ timeout: 30_000 });
    expect(await wallet.locator("#present-result").getAttribute("data-verified")).toBe("true");
    await shot(wallet, "10-wallet-sent");

    expect(await counterResult()).toEqual({ verified: "true", declined: "false", code: "" });
    const claims = (await verifier.locator("#shared-claims").textContent()) ?? "";
    expect(claims).toContain("민준");
    expect(claims).toContain("재학");
    expect(claims).toContain("서울대학교 Seoul National University"); // the issuer's name as on the ledger
    expect(claims).not.toContain("2026-20001");
    const portrait = verifier.locator("#result-portrait");
    expect(await portrait.getAttribute("src")).toMatch(/^data:image\/jpeg;base64,/);
    expect((await portrait.boundingBox())!.width).toBeGreaterThanOrEqual(200);
    await shot(verifier, "10-verifier-result");
    await verifier.screenshot({ path: join(LOOKED_AT, "10-counter-green-student.png"), fullPage: true });
    // The result clears itself (30 s by default) with a new QR code; "clear now" does it at once.
    expect(await verifier.locator("#clears-in").textContent()).toMatch(/30초|29초|28초/);
  }, 90_000);

  it("19 or older: the wallet discloses age_equal_or_over.19 and nothing else; the counter learns only the answer", async () => {
    await ask("age19", "10b");
    const consent = await consentShown();
    expect(consent.paths).toEqual(["age_equal_or_over.19"]);
    expect(consent.text).not.toContain("민준");
    expect(consent.text).not.toContain("2004");
    await wallet.screenshot({ path: join(LOOKED_AT, "10b-wallet-consent-age19.png"), fullPage: true });
    await wallet.click("#consent-share");
    await wallet.locator("#present-result").waitFor({ timeout: 30_000 });
    expect(await counterResult()).toEqual({ verified: "true", declined: "false", code: "" });
    expect(await verifier.locator("#age-verdict").getAttribute("data-age19")).toBe("true");
    const counterText = (await verifier.locator("main").textContent()) ?? "";
    for (const secret of ["민준", "김", "2004", "11-26-654321-01"]) expect(counterText).not.toContain(secret);
    expect(await verifier.locator("#result-portrait").count()).toBe(0);
    await verifier.screenshot({ path: join(LOOKED_AT, "10b-counter-age19.png"), fullPage: true });
  }, 90_000);

  it("a decline reaches the counter at once (access_denied), nothing shared", async () => {
    await ask("identity", "10c");
    const consent = await consentShown();
    expect(consent.paths).toEqual(["familyName", "givenName", "birthDate", "portrait"]);
    await wallet.click("#consent-decline");
    const asked = Date.now();
    expect(await counterResult()).toEqual({ verified: "false", declined: "true", code: "access_denied" });
    // Seen on the next poll (1 s), long before the request's 5 minutes run out.
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect(await verifier.locator("#shared-claims").count()).toBe(0);
    await verifier.screenshot({ path: join(LOOKED_AT, "10c-counter-declined.png"), fullPage: true });
    await wallet.locator("#scan-button").waitFor();
    expect(await wallet.locator("main").textContent()).toContain("아무 정보도 전달되지 않았습니다");
  }, 90_000);

  it("the agency revokes; the counter then shows red with the reason, in Korean and English", async () => {
    // The console revokes the student ID it issued (the JWT-VC, first in its list)...
    await issuer.click("#tab-list");
    const row = issuer.locator("#issued-table tbody tr").first();
    await row.waitFor();
    await row.locator("button[data-action=revoke]").click();
    // The confirmation is a dialog that shows whose card it is (from the agency's holder index).
    const dialog = issuer.locator("#confirm-dialog");
    await dialog.locator("[data-holder-name]").waitFor();
    expect(await dialog.locator("[data-holder-name]").textContent()).toBe("김민준");
    await dialog.locator("#confirm-reason").selectOption("DEVICE_LOST");
    await shot(issuer, "11-issuer-revoke-confirm");
    await dialog.locator("button[data-confirm=revoke]").click();
    await issuer.locator("#list-notice .notice.ok").waitFor({ timeout: 30_000 });
    expect(await issuer.locator("#issued-table tbody tr").first().textContent()).toContain("폐지");
    await shot(issuer, "12-issuer-revoked");
    // ...and the agency's own system revokes the SD-JWT VC student ID by its one id (every copy at once).
    const rv = await fetch(`${network.url}/issuers/snu/credentials/status`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKeys["snu"]!}`, "content-type": "application/json" },
      body: JSON.stringify({ action: "revoke", ids: [studentSdJwtId], reason: "DEVICE_LOST" }),
    });
    expect(rv.status, await rv.clone().text()).toBeLessThan(300);
    await network.caughtUp();

    await ask("student", "13");
    await consentShown();
    await wallet.click("#consent-share");
    await wallet.locator("#present-result").waitFor({ timeout: 30_000 });
    expect(await wallet.locator("#present-result").getAttribute("data-verified")).toBe("false");
    await shot(wallet, "13-wallet-sent");
    expect(await counterResult()).toEqual({ verified: "false", declined: "false", code: "CREDENTIAL_REVOKED" });
    expect(await verifier.locator("#result-reason").textContent()).toBe("발급기관이 이 신분증을 폐지했습니다.");
    await verifier.screenshot({ path: join(LOOKED_AT, "13-counter-red.png"), fullPage: true });
    await verifier.click("header button.lang");
    expect(await verifier.locator("#result-reason").textContent()).toBe("The issuer has revoked this card.");
    expect(await verifier.evaluate(() => document.documentElement.lang)).toBe("en");
    await shot(verifier, "14-verifier-red-english");
    await verifier.click("header button.lang");
  }, 90_000);

  it("the wallet's live badge shows the revocation (checked locally against the whole list)", async () => {
    await wallet.click("#present-back");
    const card = wallet.locator("article.idcard[data-type=StudentIDCredential]");
    await card.locator("[data-status=revoked]").first().waitFor({ timeout: 30_000 });
    await shot(wallet, "15-wallet-revoked");
  }, 60_000);

  it("the wallet remembers what it shared: to whom, which claims, the outcome (newest first); the holder deletes a record", async () => {
    await wallet.click("#history-button");
    const items = wallet.locator("#history-list > li");
    await items.first().waitFor({ timeout: 15_000 });
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-outcome")))).toEqual(["failed", "declined", "shared", "shared"]);
    expect(await items.first().textContent()).toContain("CREDENTIAL_REVOKED");
    expect(await items.first().textContent()).toContain("검증 창구");
    // "19 or older": the record names the one claim shared, never a value.
    expect(await items.nth(2).locator("[data-claim]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim")))).toEqual(["age_equal_or_over.19"]);
    expect(await items.nth(3).locator("[data-claim]").count()).toBe(5);
    expect((await wallet.locator("#history-list").textContent()) ?? "").not.toContain("재학");
    await wallet.screenshot({ path: join(LOOKED_AT, "15b-wallet-history.png"), fullPage: true });
    await items.nth(1).locator("button[data-delete]").click();
    await wallet.waitForFunction(() => document.querySelectorAll("#history-list > li").length === 3);
    await wallet.goBack();
    await wallet.locator("#scan-button").waitFor();
  }, 60_000);

  it("a request from a counter whose registration was suspended meanwhile is refused with the reason, nothing sent", async () => {
    const link = await ask("student", "15c", false);
    // The interior ministry (the counter's registrar) suspends the counter's registration on the ledger.
    const provider = new JsonRpcProvider(network.rpcUrl, undefined, { staticNetwork: true });
    const descriptor = (await (await fetch(`${network.url}/network`)).json()) as Parameters<typeof changeRelyingPartyStanding>[0]["descriptor"];
    const interior = devRoster(provider).accreditors.interior.signer;
    const counterAddress = await devRoster(provider).relyingParties[0]!.signer.getAddress();
    const stand = (action: "suspend" | "reinstate", reason: number) => changeRelyingPartyStanding({ descriptor, signer: interior, relyingParty: counterAddress, action, reason });
    await stand("suspend", ReasonCode.AUDIT_FINDING);
    try {
      await network.caughtUp();
      await wallet.goto(`${network.walletUrl}/app/wallet/#request=${encodeURIComponent(link)}`);
      const refused = wallet.locator("#present-refused");
      await refused.waitFor({ timeout: 30_000 });
      expect(await refused.getAttribute("data-code")).toBe("RELYING_PARTY_SUSPENDED");
      expect(await wallet.locator("#present-refused-why").textContent()).toBe("이 확인 기관은 등록이 일시 정지되어 지금은 신분증 정보를 요청할 수 없습니다.");
      expect(await refused.textContent()).toContain("검증 창구");
      expect(await wallet.locator("#consent-share").count()).toBe(0);
      await wallet.screenshot({ path: join(LOOKED_AT, "15c-wallet-refused-suspended.png"), fullPage: true });
      // Nothing was sent: the counter still waits.
      expect(await verifier.locator("#verifier-waiting").count()).toBe(1);
    } finally {
      await stand("reinstate", ReasonCode.REVIEW_CLEARED);
      await network.caughtUp();
      provider.destroy();
    }
    await wallet.click("#present-back");
  }, 90_000);

  it("locks; a wrong passphrase is refused; the right one opens the same wallet", async () => {
    await wallet.click("#lock-button");
    await wallet.locator("#unlock-passphrase").waitFor();
    await wallet.fill("#unlock-passphrase", "not the passphrase");
    await wallet.click("#unlock-submit");
    await wallet.getByRole("alert").waitFor({ timeout: 30_000 });
    expect(await wallet.getByRole("alert").textContent()).toBe("암호가 맞지 않습니다.");
    await shot(wallet, "16-wallet-unlock-refused");
    await wallet.fill("#unlock-passphrase", PASSPHRASE);
    await wallet.click("#unlock-submit");
    await wallet.locator("article.idcard[data-type=StudentIDCredential]").first().waitFor({ timeout: 30_000 });
    await wallet.click("#did-button");
    expect(await wallet.locator("#my-did").getAttribute("data-did")).toBe(holderDid);
  }, 60_000);

  it("the agency suspends and reinstates from its list", async () => {
    // A second credential for the same holder, issued through the API this time (the form was shown above).
    const issued = await fetch(`${network.url}/issuers/snu/credentials`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKeys["snu"]!}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "StudentIDCredential", holder: holderDid, claims: { familyName: "김", givenName: "민준", studentNumber: "2026-12346", institution: "서울대학교", enrollmentStatus: "leaveOfAbsence" } }),
    });
    const { id } = (await issued.json()) as { id: string };
    await issuer.selectOption("#filter-status", "active");
    await issuer.click("#search-submit");
    const row = issuer.locator(`#issued-table tbody tr[data-credential-id="${id}"]`);
    await row.waitFor();
    await row.locator("button[data-action=suspend]").click();
    await issuer.locator("#confirm-dialog button[data-confirm=suspend]").click();
    await issuer.locator("#list-notice .notice.ok").waitFor({ timeout: 30_000 });
    await issuer.selectOption("#filter-status", "");
    await issuer.click("#search-submit");
    await row.locator(".badge.warn").waitFor();
    await shot(issuer, "17-issuer-suspended");
    await row.locator("button[data-action=reinstate]").click();
    expect(await issuer.locator("#confirm-reason").inputValue()).toBe("REVIEW_CLEARED");
    await issuer.locator("#confirm-dialog button[data-confirm=reinstate]").click();
    await row.locator(".badge.ok").waitFor({ timeout: 30_000 });
    // The tabs are in the URL: the browser's back button returns to the issue form, forward to the records.
    expect(new URL(issuer.url()).hash).toBe("#/records");
    await issuer.goBack();
    await issuer.locator("#issue-form").waitFor();
    await issuer.goForward();
    await issuer.locator("#issued-table").waitFor();
  }, 60_000);

  it("the wallet scans a QR code with the camera (a fake camera showing the counter's QR code)", async () => {
    // The counter shows a fresh request; its QR code, as the page draws it, becomes the fake camera's picture.
    const before = await verifier.evaluate(() => document.querySelector("#request-uri")?.textContent ?? null);
    await verifier.click("#new-request");
    await verifier.waitForFunction((old) => {
      const uri = document.querySelector("#request-uri")?.textContent;
      return uri !== undefined && uri !== null && uri !== old && (document.querySelector("#request-qr") as HTMLImageElement | null)?.complete === true;
    }, before);
    const requestUri = (await verifier.locator("#request-uri").textContent()) ?? "";
    const luma = await verifier.evaluate(() => {
      const img = document.querySelector("#request-qr") as HTMLImageElement;
      const canvas = document.createElement("canvas");
      canvas.width = 640;
      canvas.height = 480;
      const ctx = canvas.getContext("2d")!;
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, 640, 480);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(img, 140, 60, 360, 360);
      const rgba = ctx.getImageData(0, 0, 640, 480).data;
      const y = new Uint8Array(640 * 480);
      for (let i = 0; i < y.length; i++) y[i] = Math.round(0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!);
      return btoa(Array.from(y, (v) => String.fromCharCode(v)).join(""));
    });
    const y4m = join(SHOTS, "camera.y4m");
    const chroma = Buffer.alloc((640 / 2) * (480 / 2) * 2, 128);
    writeFileSync(y4m, Buffer.concat([Buffer.from("YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\nFRAME\n"), Buffer.from(luma, "base64"), chroma]));

    const cameraBrowser = await launchChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${y4m}`]);
    try {
      const context = await cameraBrowser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "ko-KR", reducedMotion: "reduce", permissions: ["camera"] });
      const other = watch(await context.newPage(), "camera-wallet");
      await other.goto(`${network.walletUrl}/app/wallet/`);
      await other.fill("#create-passphrase", PASSPHRASE);
      await other.fill("#create-confirm", PASSPHRASE);
      await other.click("#create-submit");
      await other.locator("#scan-button").waitFor({ timeout: 60_000 });
      await other.click("#scan-button");
      await other.locator("video").waitFor();
      // jsQR reads the frame (Chromium on Linux has no BarcodeDetector); the wallet opens the request it encodes.
      await other.locator("#present-nothing").waitFor({ timeout: 30_000 });
      // This new wallet holds no student ID, so it says so instead of offering to share anything...
      expect(await other.locator("#present-nothing [role=alert]").textContent()).toBe("요청한 종류의 유효한 신분증이 지갑에 없습니다.");
      await shot(other, "18-wallet-scanned");
      expect(requestUri).toMatch(/^openid4vp:\/\//);
      // ...and can tell the counter, which then stops waiting.
      await other.click("#present-tell");
      await other.locator("#present-told").waitFor({ timeout: 15_000 });
      expect(await counterResult()).toEqual({ verified: "false", declined: "true", code: "access_denied" });
    } finally {
      await cameraBrowser.close();
    }
  }, 90_000);

  it("the auditor sees the tree, the timeline, the revocation in the chart and a consistent ledger", async () => {
    const auditor = watch(await desk.newPage(), "auditor");
    await auditor.goto(`${network.url}/app/auditor/`);
    await auditor.locator("#accreditation-tree").waitFor({ timeout: 30_000 });
    await auditor.locator("#activity-chart svg").waitFor({ timeout: 30_000 });
    await auditor.locator("[data-consistent=true]").waitFor({ timeout: 60_000 });
    const tree = (await auditor.locator("#accreditation-tree").textContent()) ?? "";
    expect(tree).toContain("교육부 Ministry of Education");
    expect(tree).toContain("서울대학교 Seoul National University");
    expect(await auditor.locator("#governance-timeline li").count()).toBeGreaterThan(10);
    const activity = (await auditor.locator("#activity-table").textContent()) ?? "";
    expect(activity).toContain("서울대학교 Seoul National University");
    // Revoked: the JWT-VC in the console (one entry) and the SD-JWT VC by the agency's API (its 10 copies' entries);
    // one suspended, one reinstated; all by the university.
    expect(await auditor.locator("#activity-table tbody td:nth-child(3)").allTextContents()).toContain("11");
    await shot(auditor, "19-auditor");
    await auditor.close();
  }, 90_000);

  it("no page logged a script error", () => {
    // The wallet's service worker may log a failed fetch while the network stops; nothing else is expected.
    expect(consoleErrors.filter((e) => !e.includes("Failed to load resource: the server responded with a status of 4"))).toEqual([]);
  });
});
