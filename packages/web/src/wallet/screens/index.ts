/** Which screen the wallet shows: the lock screens while it is closed, else the route's screen. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import type { WalletApp, WalletState } from "../app.ts";
import { cardScreen, cardsScreen, didScreen } from "./cards.ts";
import { createScreen, unlockScreen } from "./lock.ts";
import { offerScreen } from "./offer.ts";
import { receiveScreen } from "./receive.ts";
import { requestScreen } from "./request.ts";
import { scanScreen } from "./scan.ts";
import { settingsScreen } from "./settings.ts";
import { backupScreen, restoreScreen } from "./backup.ts";
import { consentScreen } from "./consent.ts";
import { presentScreen } from "./present.ts";
import { historyScreen } from "./history.ts";

export function walletScreen(app: WalletApp, s: WalletState): Child {
  if (s.phase === "loading") return h("p", { role: "status" }, t("loading"));
  if (s.phase === "create") return createScreen(app, s);
  if (s.phase === "unlock") return unlockScreen(app, s);
  if (s.phase === "restore") return restoreScreen(app, s);
  const route = s.route;
  switch (route.name) {
    case "cards":
      return cardsScreen(app, s);
    case "card":
      return cardScreen(app, s, route.id);
    case "did":
      return didScreen(app, s);
    case "scan":
      return scanScreen(app, s);
    case "offer":
      return offerScreen(app, s);
    case "receive":
      return receiveScreen(app, s);
    case "request":
      return requestScreen(app, s);
    case "settings":
      return settingsScreen(app, s);
    case "consent":
      return consentScreen(app, s);
    case "backup":
      return backupScreen(app, s);
    case "present":
      return presentScreen(app, s);
    case "history":
      return historyScreen(app, s);
  }
}

/** Identifies the screen on display: a change redraws it afresh and moves the focus to its heading. */
export function walletScreenKey(s: WalletState): string {
  return s.phase !== "open" ? s.phase : s.route.name === "card" ? `card:${s.route.id}` : s.route.name;
}
