/**
 * The browser the web tests drive, set up once: Debian's Chromium (no download), the flags this machine needs
 * (no background networking: the closed network refuses it), and the two devices the stories use (a phone for the
 * wallet, a desk for the counter, console and dashboard), plus the steps every wallet test starts with.
 */
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, type BrowserContextOptions, type CDPSession, type Page, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`test/web: SKIPPED, no browser at ${CHROMIUM} (install it: apt-get install -y chromium)`);

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Launches Chromium headless with this machine's flags, plus `extraArgs` (a fake camera, resolver rules…). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A phone (Pixel-sized, touch, Korean), as the wallet is used. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "ko-KR", reducedMotion: "reduce" };
/** A desk screen (Korean), as the counter, console and dashboard are used. */
export const DESK: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: "ko-KR", reducedMotion: "reduce" };

/** Opens the wallet at `origin` on `page` and creates it with `passphrase`; resolves once the card list shows. */
export async function createWallet(page: Page, origin: string, passphrase: string): Promise<void> {
  await page.goto(`${origin}/app/wallet/`);
  await page.locator("#create-passphrase").waitFor({ timeout: 30_000 });
  await page.fill("#create-passphrase", passphrase);
  await page.fill("#create-confirm", passphrase);
  await page.click("#create-submit");
  await page.locator("#did-button").waitFor({ timeout: 90_000 });
}

/** Back to the card list (a fragment change: the open wallet stays open), then pastes `link` and opens it. */
export async function pasteInWallet(page: Page, link: string): Promise<void> {
  await page.evaluate(() => {
    location.hash = "#/";
  });
  await page.locator("#paste-link").waitFor({ timeout: 30_000 });
  await page.fill("#paste-link", link);
  await page.click("#paste-open");
}

/** Opens the issuer console at `baseUrl` on `page` and signs in as `agency` with its API key; resolves on the form. */
export async function signInToConsole(page: Page, baseUrl: string, agency: string, apiKey: string): Promise<void> {
  await page.goto(`${baseUrl}/app/issuer/`);
  await page.locator("#signin-key").waitFor();
  await page.selectOption("#signin-agency", agency);
  await page.fill("#signin-key", apiKey);
  await page.click("#signin-submit");
  await page.locator("#issue-form").waitFor();
}

/** A platform authenticator with user verification and PRF (the phone's screen lock), through the DevTools protocol. */
export async function addScreenLock(context: BrowserContext, page: Page): Promise<{ readonly cdp: CDPSession; readonly authenticatorId: string }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const added = (await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", ctap2Version: "ctap2_1", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, hasPrf: true, automaticPresenceSimulation: true },
  })) as { authenticatorId: string };
  return { cdp, authenticatorId: added.authenticatorId };
}
