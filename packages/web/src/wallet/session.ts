/** Opening and closing the wallet: create, unlock, lock, and the links (offers, requests) it is opened with. */
import { uiError } from "../lib/uiError.ts";
import QRCode from "qrcode";
import { type Wallet, createWallet, lockWallet, openWallet } from "@mobile-id/wallet/browser";
import { api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { type WalletLink, parseWalletLink } from "../lib/walletLinks.ts";
import { type WalletApp, INITIAL_WALLET_STATE, busy, fail, refreshCards } from "./app.ts";
import { receiveOffer } from "./offers.ts";
import { openRequest } from "./requests.ts";
import { hasStoredWallet } from "./storage.ts";

/** Reads the network's chain id (needed to create a wallet) and shows the create or the unlock screen. */
export async function startWallet(app: WalletApp): Promise<void> {
  app.store.set({ pending: linkFromHash() });
  try {
    app.store.set({ chainId: (await api<{ chainId: number }>("/network")).chainId });
  } catch {
    // offline: an existing wallet still opens; creating one needs the network's chain id
  }
  app.store.set({ phase: (await hasStoredWallet(app.storage)) ? "unlock" : "create", error: undefined, busy: undefined });
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
  else await openRequest(app, link.url);
}

export async function createNew(app: WalletApp, passphrase: string, confirm: string): Promise<void> {
  if ([...passphrase.normalize("NFKC")].length < 8) return fail(app, undefined, uiError("walletPassphraseTooShort"));
  if (passphrase !== confirm) return fail(app, undefined, uiError("walletPassphraseMismatch"));
  const chainId = app.store.get().chainId;
  if (chainId === undefined) return fail(app, undefined, uiError("networkError"));
  const wallet = await busy(app, t("walletCreating"), () => createWallet({ storage: app.storage, passphrase, chainId }));
  if (wallet === undefined) return;
  // Ask the browser not to evict the wallet under storage pressure (best effort; some browsers ask the user).
  void navigator.storage?.persist?.().catch(() => undefined);
  await afterUnlock(app, wallet);
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
  await afterUnlock(app, wallet);
}

async function afterUnlock(app: WalletApp, wallet: Wallet): Promise<void> {
  const didQr = await QRCode.toDataURL(wallet.did, { errorCorrectionLevel: "M", margin: 2, scale: 6 });
  app.store.set({ wallet, didQr });
  // The cards are read before the wallet opens, so the list never shows "no cards" for a moment.
  await refreshCards(app);
  app.store.set({ phase: "open", busy: undefined, error: undefined });
  const pending = app.store.get().pending;
  app.store.set({ pending: undefined });
  if (pending !== undefined) return handleLink(app, pending);
  // A screen that needs a flow's data (an offer, a request) has none after a lock: show the cards.
  const route = app.router.current();
  if (route.name === "offer" || route.name === "request" || route.name === "scan") app.router.replace({ name: "cards" });
}

export async function lock(app: WalletApp): Promise<void> {
  const wallet = app.store.get().wallet;
  if (wallet !== undefined) await lockWallet({ wallet });
  app.store.set({ ...INITIAL_WALLET_STATE, phase: "unlock", route: app.router.current(), chainId: app.store.get().chainId, statuses: new Map() });
  app.router.home({ name: "cards" });
}
