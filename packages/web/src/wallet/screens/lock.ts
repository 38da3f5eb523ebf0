/** The screens in front of a closed wallet: create one (first use) or unlock it with the passphrase. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import type { WalletApp, WalletState } from "../app.ts";
import { createNew, unlock } from "../session.ts";
import { unlockWithScreenLock } from "../deviceSession.ts";
import { busyLine, heading } from "./parts.ts";

function passwordField(id: string, name: string, label: string, hint?: string, autocomplete = "current-password"): Child {
  return [
    h("label", { for: id }, label, hint === undefined ? null : h("span", { class: "hint", id: `${id}-hint` }, hint)),
    h("input", { id, name, type: "password", required: true, minlength: 8, autocomplete, "aria-describedby": hint === undefined ? null : `${id}-hint` }),
  ];
}

function field(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement).value;
}

export function createScreen(app: WalletApp, s: WalletState): Child {
  return h(
    "section",
    { class: "panel" },
    heading(t("walletCreateTitle")),
    h("p", null, t("walletCreateLead")),
    s.pending === undefined ? null : h("p", { class: "notice info" }, t("unlockFirst")),
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          const form = e.currentTarget as HTMLFormElement;
          void createNew(app, field(form, "passphrase"), field(form, "confirm"));
        },
      },
      passwordField("create-passphrase", "passphrase", t("walletPassphrase"), t("walletPassphraseHint"), "new-password"),
      passwordField("create-confirm", "confirm", t("walletPassphraseConfirm"), undefined, "new-password"),
      errorBox(s.error),
      busyLine(s),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "create-submit", disabled: s.busy !== undefined }, t("walletCreate"))),
    ),
    h("p", { class: "hint" }, t("walletKeysNote")),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "secondary", id: "restore-open", onclick: () => app.store.set({ phase: "restore", error: undefined }) }, t("restoreOpen")),
    ),
  );
}

export function unlockScreen(app: WalletApp, s: WalletState): Child {
  return h(
    "section",
    { class: "panel" },
    heading(t("walletUnlockTitle")),
    h("p", null, t("walletUnlockLead")),
    s.notice === undefined ? null : h("p", { class: "notice info", role: "status", id: "lock-notice" }, s.notice),
    s.pending === undefined ? null : h("p", { class: "notice info" }, t("unlockFirst")),
    s.prfEnabled
      ? h(
          "div",
          { class: "actions" },
          h("button", { type: "button", id: "unlock-screenlock", disabled: s.busy !== undefined, onclick: () => void unlockWithScreenLock(app) }, t("prfUnlock")),
        )
      : null,
    s.prfEnabled ? h("p", { class: "hint" }, t("prfOrPassphrase")) : null,
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void unlock(app, field(e.currentTarget as HTMLFormElement, "passphrase"));
        },
      },
      passwordField("unlock-passphrase", "passphrase", t("walletPassphrase")),
      errorBox(s.error),
      busyLine(s),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "unlock-submit", disabled: s.busy !== undefined }, t("walletUnlock"))),
    ),
    h("p", { class: "hint" }, t("walletKeysNote")),
  );
}
