/** The wallet's settings: how soon it locks itself. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import type { WalletApp, WalletState } from "../app.ts";
import { AUTO_LOCK_CHOICES, autoLockSeconds, setAutoLockSeconds } from "../autoLock.ts";
import { backButton, heading } from "./parts.ts";

const delayText = (seconds: number) => (seconds < 60 || seconds % 60 !== 0 ? t("settingsSeconds", { n: seconds }) : t("settingsMinutes", { n: seconds / 60 }));

export function settingsScreen(app: WalletApp, s: WalletState): Child {
  const current = autoLockSeconds(localStorage);
  const choices = AUTO_LOCK_CHOICES.includes(current) ? AUTO_LOCK_CHOICES : [current, ...AUTO_LOCK_CHOICES];
  return [
    heading(t("settingsTitle")),
    h(
      "div",
      { class: "panel" },
      h("label", { for: "auto-lock" }, t("settingsAutoLock"), h("span", { class: "hint", id: "auto-lock-hint" }, t("settingsAutoLockHint"))),
      h(
        "select",
        {
          id: "auto-lock",
          "aria-describedby": "auto-lock-hint",
          value: String(current),
          onchange: (e: Event) => {
            setAutoLockSeconds(localStorage, Number((e.currentTarget as HTMLSelectElement).value));
            app.store.set({ notice: t("settingsSaved"), noticeFor: undefined });
          },
        },
        choices.map((n) => h("option", { value: String(n) }, delayText(n))),
      ),
    ),
    h("p", { class: "notice ok", role: "status", id: "settings-notice" }, s.notice ?? ""),
    backButton(app),
  ];
}
