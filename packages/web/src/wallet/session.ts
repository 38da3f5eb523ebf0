/** Opening and closing the wallet: create, unlock, lock, and the links (offers, requests) it is opened with. */
import { uiError } from "../lib/uiError.ts";
import QRCode from "qrcode";
import { type Wallet, createWallet, lockWallet, openWallet } from "@mobile-id/wallet/browser";
import { api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { type WalletLink, parseWalletLink } from "../lib/walletLinks.ts";
import { type WalletApp, INITIAL_WALLET_STATE, busy, fail, refreshCards } from "./app.ts";
import { receiveOffer } from "./offers.ts";
import { startCredentialOffer } from "./receive.ts";
import { openRequest } from "./requests.ts";
import { presentOverOpenid4vp } from "./openid4vp/present.ts";
import { hasStoredWallet } from "./storage.ts";
import { deleteHolderKeys, listHolderKeyIds } from "./sdjwt/holderKeys.ts";
import { type Vault, clearVault, closeVault, openVault, prfUnlockSetup } from "./sdjwt/vault.ts";
import { prfSupport } from "./prf.ts";

/** Reads the network's chain id (needed to create a wallet) and shows the create or the unlock screen. */
export async function startWallet(app: WalletApp): Promise<void> {
  app.store.set({ pending: linkFromHash() });
  try {
    app.store.set({ chainId: (await api<{ chainId: number }>("/network")).chainId });
  } catch {
    // offline: an existing wallet still opens; creating one needs the network's chain id
  }
  const prfEnabled = prfSupport() === undefined && (await prfUnlockSetup(app.device).catch(() => undefined)) !== undefined;
  app.store.set({ phase: (await hasStoredWallet(app.storage)) ? "unlock" : "create", error: undefined, busy: undefined, prfEnabled });
}

/**
 * Opens the device vault with the passphrase that just opened the wallet (creating it on first use). A vault this
 * passphrase does not open (made for another wallet) leaves SD-JWT VC cards unavailable, not the wallet.
 */
export async function vaultFor(app: WalletApp, passphrase: string): Promise<Vault | undefined> {
  try {
    return await openVault({ db: app.device, passphrase });
  } catch {
    return undefined;
  }
}

/** Forgets what this device kept for an earlier wallet (a wallet made or restored anew). */
export async function resetDevice(app: WalletApp): Promise<void> {
  await clearVault(app.device);
  await deleteHolderKeys(app.device, await listHolderKeyIds(app.device));
  app.store.set({ prfEnabled: false });
}

/**
 * A wallet link in the URL fragment (`#offer=…` / `#request=…`). The entry then shows the screen the link opens
 * (or the card list, if the link is not one the wallet accepts), so the link is not handled twice.
 */
export function linkFromHash(): WalletLink | undefined {
  if (location.hash.length <= 1 || location.hash.startsWith("#/")) return undefined;
  const link = parseWalletLink(location.href, location.origin);
  if (link === undefined) history.replaceState(history.state, "", `${location.pathname}${location.search}#/`);
  return link;
}

/** A link opened while the wallet runs: handled now, or after unlocking. */
export function onLink(app: WalletApp, link: WalletLink): void {
  if (app.store.get().wallet === undefined) app.store.set({ pending: link });
  else void handleLink(app, link);
}

export async function handleLink(app: WalletApp, link: WalletLink): Promise<void> {
  if (link.kind === "offer") await receiveOffer(app, link.url);
  else if (link.kind === "openid4vp") await presentOverOpenid4vp(app, link);
  else if (link.kind === "credential-offer") await startCredentialOffer(app, link.url);
  else await openRequest(app, link.url);
}

export async function createNew(app: WalletApp, passphrase: string, confirm: string): Promise<void> {
  if ([...passphrase.normalize("NFKC")].length < 8) return fail(app, undefined, uiError("walletPassphraseTooShort"));
  if (passphrase !== confirm) return fail(app, undefined, uiError("walletPassphraseMismatch"));
  const chainId = app.store.get().chainId;
  if (chainId === undefined) return fail(app, undefined, uiError("networkError"));
  const wallet = await busy(app, t("walletCreating"), () => createWallet({ storage: app.storage, passphrase, chainId }));
  if (wallet === undefined) return;
  await resetDevice(app);
  // Ask the browser not to evict the wallet under storage pressure (best effort; some browsers ask the user).
  void navigator.storage?.persist?.().catch(() => undefined);
  await afterUnlock(app, wallet, await vaultFor(app, passphrase));
}

export async function unlock(app: WalletApp, passphrase: string): Promise<void> {
  app.store.set({ busy: t("walletUnlocking"), error: undefined });
  await new Promise((r) => setTimeout(r, 30));
  let wallet: Wallet;
  try {
    wallet = await openWallet({ storage: app.storage, passphrase });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    fail(app, e, code === "WALLET_PASSPHRASE_INVALID" ? uiError("walletWrongPassphrase") : code === "WALLET_TAMPERED" ? uiError("walletTampered") : undefined);
    document.getElementById("unlock-passphrase")?.focus();
    return;
  }
  await afterUnlock(app, wallet, await vaultFor(app, passphrase));
}

/** The wallet is open (by passphrase, screen lock or a restore): show it, then handle a pending link. */
export async function afterUnlock(app: WalletApp, wallet: Wallet, vault: Vault | undefined): Promise<void> {
  const didQr = await QRCode.toDataURL(wallet.did, { errorCorrectionLevel: "M", margin: 2, scale: 6 });
  app.store.set({ wallet, didQr, vault });
  // The cards are read before the wallet opens, so the list never shows "no cards" for a moment.
  await refreshCards(app);
  app.store.set({ phase: "open", busy: undefined, error: undefined });
  const pending = app.store.get().pending;
  app.store.set({ pending: undefined });
  if (pending !== undefined) return handleLink(app, pending);
  // A screen that needs a flow's data (an offer, a request) has none after a lock: show the cards.
  const route = app.router.current();
  if (route.name === "offer" || route.name === "receive" || route.name === "request" || route.name === "scan" || route.name === "present") app.router.replace({ name: "cards" });
}

export async function lock(app: WalletApp): Promise<void> {
  const wallet = app.store.get().wallet;
  if (wallet !== undefined) await lockWallet({ wallet });
  closeVault(app.store.get().vault);
  app.store.get().consent?.answer("decline");
  const { chainId, prfEnabled } = app.store.get();
  app.store.set({ ...INITIAL_WALLET_STATE, phase: "unlock", route: app.router.current(), chainId, prfEnabled, statuses: new Map() });
  app.router.home({ name: "cards" });
}
