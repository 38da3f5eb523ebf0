/**
 * Issue 12, "it talks to any issuer and any verifier through the standard protocols": the phone wallet, served on
 * its own origin by a running network, against an issuer and a verifier WE DID NOT WRITE, on another origin
 * (`http://localhost:<port>`, another host name than the services' `127.0.0.1`):
 * - an OpenID4VCI issuer made only with `@openid4vc/openid4vci` and `@openid4vc/oauth2` (test/support), run by the
 *   Jongno office with its status lists and a signing key of its own: not the identity's owner key but an ERC-1056
 *   `veriKey` public-key attribute the office put on the ledger for this software;
 * - an OpenID4VP verifier made only with `@openid4vc/openid4vp`, whose key a ministry registered on the ledger just
 *   now as a relying party.
 * The wallet's ledger checks (issuer accreditation, relying-party registration, status lists) go to the ledger
 * through the services it was loaded from; every protocol message goes straight to the other party, cross-origin
 * (CORS), without cookies. An unregistered verifier gets nothing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { JsonRpcProvider, SigningKey, Wallet as EthersWallet, toUtf8Bytes, zeroPadBytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setGlobalConfig } from "@openid4vc/oauth2";
import { connectContracts, devRoster, registerRelyingParty } from "@mobile-id/chain";
import { credentialTypeId } from "@mobile-id/core";
import { NetworkProcess } from "../support/networkProcess.ts";
import { type ForeignServer, startForeignServer } from "../support/foreignServer.ts";
import { libraryIssuer } from "../support/libraryOpenid4vciIssuer.ts";
import { libraryVerifier } from "../support/libraryOpenid4vpVerifier.ts";
import { repoRoot } from "../support/run.ts";
import { buildWebApp } from "./buildWebApp.ts";
import { PHONE, createWallet, hasChromium, launchChromium, pasteInWallet } from "./browser.ts";


const SHOTS = join(repoRoot, "test", "web", "screenshots");
const PASSPHRASE = "한강 물빛 2026 봄";
const AGE19_RESIDENT = {
  credentials: [{ id: "resident", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:ResidentIDCredential:1"] }, claims: [{ path: ["age_equal_or_over", "19"] }] }],
};

/** The claim names an SD-JWT presentation discloses (object properties and array elements alike). */
function disclosedNames(sdJwt: string): string[] {
  return sdJwt
    .split("~")
    .slice(1, -1)
    .map((d) => JSON.parse(Buffer.from(d, "base64url").toString()) as unknown[])
    .map((d) => (d.length === 3 ? String(d[1]) : "[array element]"));
}

describe.skipIf(!hasChromium)("the phone wallet with an issuer and a verifier we did not write, on another origin", () => {
  let network: NetworkProcess;
  let foreign: ForeignServer;
  /** A page pretending to be the Jongno office's issuer: another origin, Jongno's DID in its metadata, not its key. */
  let phishing: ForeignServer;
  let phish: ReturnType<typeof libraryIssuer>;
  let browser: Browser;
  let phone: BrowserContext;
  let wallet: Page;
  let provider: JsonRpcProvider;
  let verifier: ReturnType<typeof libraryVerifier>;
  let stranger: ReturnType<typeof libraryVerifier>;
  let issuer: ReturnType<typeof libraryIssuer>;
  let jongnoName: string;
  const pageErrors: string[] = [];

  const shot = (name: string) => wallet.screenshot({ path: join(SHOTS, `outside-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, ".gitignore"), "*.png\n");
    buildWebApp();
    network = await NetworkProcess.start({ requestsPerMinute: null });
    const apiKeys = await network.apiKeys(120_000);
    foreign = await startForeignServer("localhost");
    // The other party runs on this machine's loopback over plain http (as the wallet page's policy allows there).
    setGlobalConfig({ allowInsecureUrls: true });
    provider = new JsonRpcProvider(network.rpcUrl, undefined, { staticNetwork: true });
    const roster = devRoster(provider);
    const descriptor = (await (await fetch(`${network.url}/network`)).json()) as Parameters<typeof registerRelyingParty>[0]["descriptor"];

    // The Jongno office's own issuance software: its key and its status list pair, nothing of our issuer service.
    const jongno = roster.issuers.find((i) => i.slug === "jongno")!;
    const tenants = (await (await fetch(`${network.url}/issuers`)).json()) as { id: string; did: string }[];
    const did = tenants.find((t) => t.id === "jongno")!.did;
    jongnoName = ((await (await fetch(`${network.url}/parties/${did.split(":").pop()!}`)).json()) as { name: string }).name;
    const lists = (await (await fetch(`${network.url}/issuers/jongno/lists`, { headers: { authorization: `Bearer ${apiKeys["jongno"]!}` } })).json()) as {
      revocationListId: string;
      suspensionListId: string;
      size: number;
    }[];
    const pair = lists[0]!;
    let entries = 0;
    // The office's issuance software signs with a key of its own, published on the ledger as a `veriKey` attribute
    // of the office's identity (ERC-1056 setAttribute, one day), as ethr-did writes it.
    const softwareKey = EthersWallet.createRandom();
    const didRegistry = connectContracts({ descriptor, runner: jongno.signer }).didRegistry;
    const name = zeroPadBytes(toUtf8Bytes("did/pub/Secp256k1/veriKey/hex"), 32);
    await (await didRegistry.getFunction("setAttribute")(did.split(":").pop()!, name, SigningKey.computePublicKey(softwareKey.publicKey, true), 86_400)).wait();
    issuer = libraryIssuer(
      { now: () => Math.floor(Date.now() / 1000) },
      {
        did,
        typeName: "ResidentIDCredential",
        wallet: { privateKey: softwareKey.privateKey },
        revocationListId: BigInt(pair.revocationListId),
        suspensionListId: BigInt(pair.suspensionListId),
      },
      foreign.origin,
      {
        statusUri: `${foreign.origin}/status-lists/${pair.revocationListId}/${pair.suspensionListId}`,
        // Entries from the far end of the pair, one per copy: never ones the network's own issuer service hands out
        // in this test.
        statusIndex: () => pair.size - 1 - entries++,
      },
    );
    foreign.route("/issuers/", issuer.handle);
    foreign.route("/.well-known/", issuer.handle);
    phishing = await startForeignServer("localhost");
    phish = libraryIssuer(
      { now: () => Math.floor(Date.now() / 1000) },
      { did, typeName: "ResidentIDCredential", wallet: { privateKey: EthersWallet.createRandom().privateKey }, revocationListId: BigInt(pair.revocationListId), suspensionListId: BigInt(pair.suspensionListId) },
      phishing.origin,
    );
    phishing.route("/issuers/", phish.handle);
    phishing.route("/.well-known/", phish.handle);

    // A bank's verifier software: its key registered on the ledger by the ministry, for "19 or older" only.
    const bankKey = EthersWallet.createRandom();
    await registerRelyingParty({
      descriptor,
      signer: roster.accreditors.interior.signer,
      relyingParty: bankKey.address,
      name: "한빛은행 Hanbit Bank",
      purpose: "계좌 개설 연령 확인 Age check for a new account",
      types: [{ credentialTypeId: credentialTypeId("ResidentIDCredential", 1), claims: [["age_equal_or_over", "19"]] }],
    });
    await network.caughtUp();
    verifier = libraryVerifier({ privateKey: bankKey.privateKey, address: bankKey.address }, foreign.origin);
    const strangerKey = EthersWallet.createRandom();
    stranger = libraryVerifier({ privateKey: strangerKey.privateKey, address: strangerKey.address }, `${foreign.origin}/stranger`);
    foreign.route("/stranger/", async (req) => {
      const url = new URL(req.url);
      url.pathname = url.pathname.slice("/stranger".length);
      const body = req.method === "POST" ? await req.text() : undefined;
      return stranger.handle(new Request(url, { method: req.method, headers: req.headers, ...(body === undefined ? {} : { body }) }));
    });
    foreign.route("/verifier/", verifier.handle);

    browser = await launchChromium();
    phone = await browser.newContext(PHONE);
    wallet = await phone.newPage();
    wallet.on("pageerror", (e) => pageErrors.push(e.message));
    wallet.on("console", (m) => {
      if (m.type() === "error" && !m.text().includes("Failed to load resource")) pageErrors.push(m.text());
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await foreign?.close();
    await phishing?.close();
    provider?.destroy();
    await network?.stop();
  }, 60_000);

  it("receives a resident ID from the outside issuer: the issuer checked on the ledger first, its attribute key accepted, every message to the issuer's own origin", async () => {
    expect(new URL(foreign.origin).origin).not.toBe(new URL(network.walletUrl).origin);
    await createWallet(wallet, network.walletUrl, PASSPHRASE);

    const { offerUri, txCode } = await issuer.createOffer();
    expect(offerUri).toContain(encodeURIComponent(foreign.origin));
    await pasteInWallet(wallet, offerUri);
    await wallet.locator("#vci-code").waitFor({ timeout: 30_000 });
    // The name the ledger has for the issuer, not the one its metadata displays.
    expect(await wallet.locator("#vci-issuer").textContent()).toBe(jongnoName);
    await shot("code");
    await wallet.fill("#vci-code", txCode);
    await wallet.click("#vci-submit");
    const card = wallet.locator("article.idcard[data-type=ResidentIDCredential]");
    await card.waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toContain("홍길동");
    await shot("card");

    const toIssuer = foreign.requests.filter((r) => r.url.startsWith("/issuers/") || r.url.startsWith("/.well-known/"));
    expect(toIssuer.map((r) => r.url)).toEqual(expect.arrayContaining(["/issuers/resident/token", "/issuers/resident/nonce", "/issuers/resident/credential"]));
    for (const r of toIssuer.filter((x) => x.method !== "OPTIONS")) {
      expect(r.origin, r.url).toBe(new URL(network.walletUrl).origin);
      expect(r.cookie, r.url).toBeUndefined();
    }
  }, 180_000);

  it("refuses a page that names the Jongno office's DID without the office's signature for its address: a warning, the code never asked", async () => {
    const { offerUri } = await phish.createOffer();
    await pasteInWallet(wallet, offerUri);
    const alert = wallet.getByRole("alert");
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain("가짜일 수 있으니");
    expect(await wallet.locator("#vci-code").count()).toBe(0);
    expect(phishing.requests.filter((r) => r.method === "POST")).toEqual([]);
    await shot("phishing-refused");
    // Back to the cards.
    await wallet.evaluate(() => {
      location.hash = "#/";
    });
    await wallet.locator("article.idcard[data-type=ResidentIDCredential]").waitFor({ timeout: 30_000 });
  }, 60_000);

  it("the card's status comes from the ledger's lists: valid", async () => {
    const card = wallet.locator("article.idcard[data-type=ResidentIDCredential]");
    await wallet.waitForFunction(() => document.querySelector("article.idcard[data-type=ResidentIDCredential] [data-status]")?.getAttribute("data-status") === "valid", undefined, {
      timeout: 30_000,
    });
    expect(await card.locator("[data-status]").first().getAttribute("data-status")).toBe("valid");
  }, 60_000);

  it("answers the registered bank's verifier: its registered name on the consent screen, only 19-or-older sent, to the bank's own origin", async () => {
    const { uri, nonce } = await verifier.request(AGE19_RESIDENT);
    await pasteInWallet(wallet, uri);
    await wallet.locator("#consent-share").waitFor({ timeout: 30_000 });
    expect(await wallet.locator("#consent-party-name").textContent()).toContain("한빛은행");
    expect(await wallet.locator("[data-claim-path]").evaluateAll((els) => els.map((e) => e.getAttribute("data-claim-path")))).toEqual(["age_equal_or_over.19"]);
    await shot("consent");
    await wallet.click("#consent-share");
    await wallet.locator("#present-result").waitFor({ timeout: 30_000 });
    await shot("sent");

    expect(verifier.received).toHaveLength(1);
    const form = verifier.received[0]!;
    const vpToken = JSON.parse(form["vp_token"]!) as Record<string, string[]>;
    const presentation = vpToken["resident"]![0]!;
    // Only the asked claim is disclosed: no name, birth date or registration number reaches the bank.
    expect(disclosedNames(presentation).filter((n) => n !== "age_equal_or_over")).toEqual(["19"]);
    for (const secret of ["홍", "길동", "1990-01-01", "900101"]) expect(Buffer.from(presentation.split("~").slice(1).join("~")).toString()).not.toContain(secret);
    // The key-binding JWT is bound to this bank and this request.
    const kb = JSON.parse(Buffer.from(presentation.split("~").at(-1)!.split(".")[1]!, "base64url").toString()) as { aud: string; nonce: string };
    expect(kb).toMatchObject({ aud: verifier.clientId, nonce });
    const posted = foreign.requests.find((r) => r.method === "POST" && r.url.startsWith("/verifier/openid4vp/responses/"));
    expect(posted?.origin).toBe(new URL(network.walletUrl).origin);
    expect(posted?.cookie).toBeUndefined();
  }, 90_000);

  it("refuses a verifier whose key no ministry registered: the reason shown, nothing sent", async () => {
    const { uri } = await stranger.request(AGE19_RESIDENT);
    await pasteInWallet(wallet, uri);
    const refused = wallet.locator("#present-refused");
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.getAttribute("data-code")).toBe("RELYING_PARTY_UNREGISTERED");
    expect(await wallet.locator("#consent-share").count()).toBe(0);
    await shot("refused-unregistered");
    expect(stranger.received).toHaveLength(0);
    expect(foreign.requests.some((r) => r.method === "POST" && r.url.startsWith("/stranger/verifier/openid4vp/responses/"))).toBe(false);
  }, 60_000);

  it("no script error on the way", () => {
    expect(pageErrors).toEqual([]);
  });
});
