/**
 * Issue 12, on a real phone: `pnpm start --lan` serves the wallet over HTTPS with a certificate from the local CA.
 * WebAuthn refuses an IP-address origin, so at `https://<ip>:8444` the wallet unlocks with its passphrase only
 * and says why; started with `--lan-name`, the same wallet origin has a name and the phone's screen lock (WebAuthn
 * PRF) unlocks it. Chromium stands in for the phone: the name resolves to the LAN address (here 127.0.0.1, as a test
 * must) and the local CA is trusted as a phone that installed it trusts it (by its key, not by ignoring
 * certificate errors: WebAuthn refuses pages with certificate errors).
 */
import { X509Certificate, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkProcess, freePort } from "../support/networkProcess.ts";
import { repoRoot } from "../support/run.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { PHONE, addScreenLock, createWallet, hasChromium, launchChromium } from "./browser.ts";


const SHOTS = join(repoRoot, "test", "web", "screenshots");
const NAME = "mid-desk.test";
const PASSPHRASE = "한강 물빛 2026 봄";

/** base64 SHA-256 of a certificate's SubjectPublicKeyInfo, as Chromium's `--ignore-certificate-errors-spki-list` takes it. */
const spkiHash = (pem: string) => createHash("sha256").update(new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" })).digest("base64");

describe.skipIf(!hasChromium)("pnpm start --lan on a phone: the screen lock needs a named origin (--lan-name)", () => {
  let dataDir: string;
  let network: NetworkProcess;
  let browser: Browser;
  let wallet: Page;
  let cdp: CDPSession;
  let walletPort: number;
  let authenticatorId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildWebApp();
    dataDir = mkdtempSync(join(tmpdir(), "mid-lan-phone-"));
    walletPort = await freePort();
    const httpsPort = await freePort();
    network = await NetworkProcess.start({
      dataDir,
      rpcPort: await freePort(),
      httpPort: await freePort(),
      walletPort,
      extraArgs: ["--lan", "--lan-address", "127.0.0.1", "--lan-name", NAME, "--https-port", String(httpsPort)],
    });
    await network.waitForOutput(/Press Ctrl-C to stop/, 120_000);
    expect(network.output).toContain(`https://${NAME}:${walletPort}/app/wallet/`);
    const ca = readFileSync(join(dataDir, "tls", "ca.cert.pem"), "utf8");
    const leaf = readFileSync(join(dataDir, "tls", "server.cert.pem"), "utf8").split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n";
    browser = await launchChromium([
      // The phone's resolver (mDNS or the router's DNS) gives the machine's LAN address for the name.
      `--host-resolver-rules=MAP ${NAME} 127.0.0.1`,
      // The phone trusts the local CA it installed.
      `--ignore-certificate-errors-spki-list=${spkiHash(leaf)},${spkiHash(ca)}`,
    ]);
    const phone = await browser.newContext(PHONE);
    wallet = await phone.newPage();
    wallet.on("pageerror", (e) => pageErrors.push(e.message));
    ({ cdp, authenticatorId } = await addScreenLock(phone, wallet));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("at the IP address: passphrase only, and the settings say why", async () => {
    await createWallet(wallet, `https://127.0.0.1:${walletPort}`, PASSPHRASE);
    expect(await wallet.evaluate(() => window.isSecureContext)).toBe(true);
    await wallet.click("#settings-button");
    await wallet.locator("#screenlock-unavailable").waitFor({ timeout: 15_000 });
    expect(await wallet.locator("#screenlock-enable").count()).toBe(0);
    await wallet.screenshot({ path: join(SHOTS, "lan-ip-no-screenlock.png"), fullPage: true });
  }, 120_000);

  it("at the name: the screen lock is offered, enrolled, and opens the locked wallet with nothing typed", async () => {
    await createWallet(wallet, `https://${NAME}:${walletPort}`, PASSPHRASE);
    expect(await wallet.evaluate(() => location.hostname)).toBe(NAME);
    await wallet.click("#settings-button");
    await wallet.locator("#screenlock-enable").waitFor({ timeout: 15_000 });
    await wallet.click("#screenlock-enable");
    await wallet.fill("dialog#screenlock-on-confirm input[type=password]", PASSPHRASE);
    await wallet.click("dialog#screenlock-on-confirm button[type=submit]");
    await wallet.locator("#screenlock-on").waitFor({ timeout: 60_000 });
    const creds = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: { rpId: string }[] };
    expect(creds.credentials.map((c) => c.rpId)).toEqual([NAME]);
    await wallet.goBack();
    await wallet.click("#lock-button");
    await wallet.locator("#unlock-screenlock").waitFor({ timeout: 15_000 });
    await wallet.click("#unlock-screenlock");
    await wallet.locator("#did-button").waitFor({ timeout: 60_000 });
    await wallet.screenshot({ path: join(SHOTS, "lan-name-unlocked.png"), fullPage: true });
  }, 180_000);

  it("no script error on the way", () => {
    expect(pageErrors).toEqual([]);
  });
});
