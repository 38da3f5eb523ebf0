/** The OpenID4VP present flow's own screen: checking the request, a refusal with its reason, nothing to show, the answer. */
import { type Child, h } from "../../lib/dom.ts";
import { type MessageKey, lang, t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import { verificationSentence } from "../../lib/words.ts";
import { type WalletApp, type WalletState, toCards } from "../app.ts";
import { claimSentence } from "../cardWords.ts";
import { tellNothingToShare } from "../openid4vp/present.ts";
import { busyLine, heading } from "./parts.ts";

const back = (app: WalletApp) => h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", id: "present-back", onclick: () => toCards(app) }, t("back")));

export function presentScreen(app: WalletApp, s: WalletState): Child {
  const vp = s.vp;
  const top = [heading(t("presentTitle")), busyLine(s), errorBox(s.error)];
  if (vp === undefined) return [...top, back(app)];
  switch (vp.phase) {
    case "resolving":
    case "sending":
      return top;
    case "refused":
      return [
        ...top,
        h(
          "section",
          { class: "panel refusal", id: "present-refused", "data-code": vp.code, role: "alert" },
          h("h2", null, t("presentRefusedTitle")),
          h("p", { class: "party-name" }, vp.party === undefined ? t("presentRefusedUnknownParty") : t("presentRefusedParty", { name: vp.party })),
          h("p", { id: "present-refused-why" }, t(`presentWhy_${vp.code}` as MessageKey)),
          vp.notPermitted.length === 0
            ? null
            : [h("h3", null, t("presentNotPermitted")), h("ul", { id: "present-not-permitted" }, vp.notPermitted.map((c) => h("li", null, claimSentence(c, lang()))))],
          h("p", { class: "hint" }, t("presentRefusedNothingSent")),
        ),
        back(app),
      ];
    case "nothing":
      return [
        ...top,
        h(
          "section",
          { class: "panel", id: "present-nothing" },
          h("p", { class: "notice warn", role: "alert" }, t("presentNothing")),
          h("p", null, t("presentNothingAsked", { types: vp.asked.map((x) => x[lang()]).join(", ") })),
          h("p", { class: "hint" }, t("presentRefusedParty", { name: vp.plan.party.name })),
          vp.told
            ? h("p", { class: "notice info", role: "status", id: "present-told" }, t("presentToldCounter"))
            : h("div", { class: "actions" }, h("button", { type: "button", id: "present-tell", onclick: () => void tellNothingToShare(app, vp.plan) }, t("presentTellCounter"))),
        ),
        back(app),
      ];
    case "done": {
      const a = vp.answer;
      if (a.outcome === "declined") {
        return [...top, h("p", { class: "notice info", role: "status", id: "present-result", "data-declined": "true" }, a.delivered ? t("presentDeclined") : t("presentDeclinedNotDelivered")), back(app)];
      }
      const ok = a.outcome === "shared";
      return [
        ...top,
        h(
          "div",
          { class: `result ${ok ? "ok" : "bad"}`, role: "status", id: "present-result", "data-verified": String(ok), "data-code": ok ? "" : a.code },
          h("span", { class: "big" }, ok ? `✓ ${t("verifierVerified")}` : `✕ ${t("verifierRejected")}`),
          h("p", { class: "reason" }, ok ? t("presentShared") : `${t("presentRejected")} ${verificationSentence(a.code, lang())}`),
          h("p", null, t("presentSharedTo", { name: vp.plan.party.name })),
          ok ? null : h("p", { class: "code" }, a.code),
        ),
        back(app),
      ];
    }
  }
}
