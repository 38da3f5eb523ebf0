/** The consent screen: who asks (registered name, purpose, DID), every claim to be shared in words, Share / Decline. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import { type WalletApp, type WalletState, toCards } from "../app.ts";
import { consentView } from "../consentView.ts";
import { busyLine, heading } from "./parts.ts";

export function consentScreen(app: WalletApp, s: WalletState): Child {
  const c = s.consent;
  if (c === undefined) {
    return [heading(t("consentTitle")), busyLine(s), errorBox(s.error), h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => toCards(app) }, t("back")))];
  }
  return [
    heading(t("consentTitle")),
    busyLine(s),
    errorBox(s.error),
    consentView(
      c.model,
      () => c.answer("share"),
      () => {
        c.answer("decline");
        toCards(app, t("requestDeclined"));
      },
      s.busy !== undefined,
      { chosen: c.choice, onChoose: c.choose },
    ),
  ];
}
