/** The wallet's settings: how soon it locks itself. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import type { WalletApp, WalletState } from "../app.ts";
import { AUTO_LOCK_CHOICES, autoLockSeconds, setAutoLockSeconds } from "../autoLock.ts";
import { backButton, busyLine, heading } from "./parts.ts";
import { errorBox } from "../../lib/layout.ts";
import { confirmDialog } from "../dialog.ts";
import { disableScreenLock, enableScreenLock } from "../deviceSession.ts";
import { prfSupport } from "../prf.ts";

/** Screen-lock unlock (WebAuthn PRF): on with the passphrase typed again, off with a confirmation. */
function screenLockPanel(app: WalletApp, s: WalletState): Child {
  const unavailable = prfSupport();
  return h(
    "section",
    { class: "panel", "aria-labelledby": "screenlock-title" },
    h("h2", { id: "screenlock-title" }, t("prfTitle")),
    h("p", null, t("prfLead")),
    unavailable !== undefined
      ? h("p", { class: "notice info", id: "screenlock-unavailable" }, unavailable === "ip-address" ? t("prfNeedsName") : t("prfNoBrowser"))
      : s.prfEnabled
        ? [
            h("p", { class: "notice ok", id: "screenlock-on" }, t("prfIsOn")),
            h(
              "div",
              { class: "actions" },
              h(
                "button",
                {
                  type: "button",
                  class: "secondary",
                  id: "screenlock-disable",
                  onclick: async () => {
                    const ok = await confirmDialog({ id: "screenlock-off-confirm", title: t("prfDisableTitle"), body: [t("prfDisableBody")], confirm: t("prfDisable"), cancel: t("cancel") });
                    if (ok === true) await disableScreenLock(app);
                  },
                },
                t("prfDisable"),
              ),
            ),
          ]
        : h(
            "div",
            { class: "actions" },
            h(
              "button",
              {
                type: "button",
                id: "screenlock-enable",
                disabled: s.busy !== undefined,
                onclick: async () => {
                  const answer = await confirmDialog({
                    id: "screenlock-on-confirm",
                    title: t("prfEnableTitle"),
                    body: [t("prfEnableBody")],
                    confirm: t("prfEnable"),
                    cancel: t("cancel"),
                    passphraseLabel: t("walletPassphrase"),
                  });
                  if (typeof answer === "string") await enableScreenLock(app, answer);
                },
              },
              t("prfEnable"),
            ),
          ),
  );
}

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
    screenLockPanel(app, s),
    h(
      "section",
      { class: "panel", "aria-labelledby": "backup-link-title" },
      h("h2", { id: "backup-link-title" }, t("backupTitle")),
      h("p", null, t("backupSettingsLead")),
      h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", id: "backup-open", onclick: () => app.router.go({ name: "backup" }) }, t("backupOpen"))),
    ),
    busyLine(s),
    errorBox(s.error),
    h("p", { class: "notice ok", role: "status", id: "settings-notice" }, s.notice ?? ""),
    backButton(app),
  ];
}
