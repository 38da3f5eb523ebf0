/**
 * The phone wallet. Keys are made and kept on the device, encrypted at rest in IndexedDB with the wallet
 * package's own envelope (scrypt N = 2^17, XChaCha20-Poly1305); nothing secret leaves the page. It receives
 * credentials from offers, shows them as ID cards with a live status badge (checked locally against whole status
 * lists), and answers verifiers' requests after showing exactly what will be shared and asking for consent.
 *
 * The state lives in one store (`app.ts`); the screens (`screens/`) draw it and redraw on every change; the
 * screen on display is in the URL fragment (`routes.ts`), so the phone's back button moves within the wallet.
 */
import "../shims/buffer.ts";
import "../lib/style.css";
import "./wallet.css";
import { t } from "../lib/i18n.ts";
import { page } from "../lib/layout.ts";
import { createHashRouter } from "../lib/router.ts";
import { createStore } from "../lib/store.ts";
import { INITIAL_WALLET_STATE, type WalletApp, refreshStatuses } from "./app.ts";
import { formatWalletRoute, parseWalletRoute } from "./routes.ts";
import { walletScreen, walletScreenKey } from "./screens/index.ts";
import { linkFromHash, lock, onLink, startWallet } from "./session.ts";
import { autoLockSeconds, createAutoLock } from "./autoLock.ts";
import { createStatusChecker } from "./status.ts";
import { indexedDbWalletStorage } from "./storage.ts";
import { deviceDb } from "./idb.ts";
import { startLiveTicker } from "./cardFace.ts";

const router = createHashRouter({ parse: parseWalletRoute, format: formatWalletRoute });
const app: WalletApp = {
  store: createStore({ ...INITIAL_WALLET_STATE, route: router.current() }),
  router,
  storage: indexedDbWalletStorage(),
  checker: createStatusChecker(),
  device: deviceDb(),
};

const ui = page({ title: "walletTitle", view: () => walletScreen(app, app.store.get()), screenKey: () => walletScreenKey(app.store.get()) });
app.store.subscribe(ui.update);

router.subscribe((route) => {
  const s = app.store.get();
  // A message meant for the screen being opened survives this one navigation; errors and busy lines never do.
  app.store.set({ route, error: undefined, busy: undefined, notice: s.noticeFor === route.name ? s.notice : undefined, noticeFor: undefined });
  // Coming back to the cards is when a holder looks at them: check their status afresh.
  if (route.name === "cards" && s.wallet !== undefined) void refreshStatuses(app, { fresh: true });
});

// A link opened while the wallet is already on screen (a QR code read by the phone's camera app, a pasted URL).
window.addEventListener("hashchange", () => {
  const link = linkFromHash();
  if (link !== undefined) onLink(app, link);
});

// Auto-lock after the holder's delay (2 minutes by default) without a touch, or on return from that long hidden.
const autoLock = createAutoLock({
  delayMs: () => autoLockSeconds(localStorage) * 1000,
  onLock: () => {
    void lock(app).then(() => app.store.set({ notice: t("walletAutoLocked"), noticeFor: "cards" }));
  },
});
let wasOpen = false;
app.store.subscribe((s) => {
  const open = s.phase === "open";
  if (open && !wasOpen) autoLock.start();
  if (!open && wasOpen) autoLock.stop();
  wasOpen = open;
});
for (const type of ["pointerdown", "keydown", "touchstart", "wheel", "input"]) {
  window.addEventListener(type, () => autoLock.activity(), { capture: true, passive: true });
}
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") autoLock.hidden();
  else autoLock.visible();
  const s = app.store.get();
  if (document.visibilityState === "visible" && s.phase === "open" && s.route.name === "cards") void refreshStatuses(app, { fresh: true });
});
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/app/wallet/sw.js", { scope: "/app/wallet/" }).catch(() => undefined);
}
startLiveTicker();
void startWallet(app);
