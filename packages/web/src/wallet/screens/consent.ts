/** The consent screen: who asks (registered name, purpose, DID), every claim to be shared in words, Share / Decline. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import { type WalletApp, type WalletState, toCards } from "../app.ts";
import type { ConsentModel } from "../consent.ts";
import { busyLine, heading } from "./parts.ts";

/** The consent view of a model (pure drawing; the buttons call `onShare` / `onDecline`). */
export function consentView(model: ConsentModel, onShare: () => void, onDecline: () => void, busy: boolean): Child {
  return [
    h(
      "section",
      { class: "panel party", "aria-labelledby": "consent-party" },
      h("h2", { id: "consent-party" }, t("consentWho")),
      h("p", { class: "party-name", id: "consent-party-name" }, model.party.name),
      h("dl", { class: "claims" }, h("dt", null, t("consentPurpose")), h("dd", { id: "consent-purpose" }, model.party.purpose), h("dt", null, t("consentDid")), h("dd", { class: "mono" }, model.party.did)),
    ),
    h("h2", null, t("consentWhat")),
    model.credentials.map((c, i) =>
      h(
        "section",
        { class: "panel consent-card", "aria-labelledby": `consent-card-${i}` },
        h("h3", { id: `consent-card-${i}` }, c.cardLabel),
        h(
          "ul",
          { class: "consent-claims" },
          c.claims.map((claim) =>
            h(
              "li",
              { "data-claim-path": claim.path.join(".") },
              h("span", { class: "claim-label" }, claim.label),
              claim.portrait !== undefined
                ? h("img", { class: "consent-portrait", src: claim.portrait, alt: t("consentPortraitAlt"), width: 48, height: 60 })
                : claim.value === undefined
                  ? null
                  : h("span", { class: "claim-value" }, claim.value),
            ),
          ),
        ),
        c.copiesLeftAfter === undefined ? null : h("p", { class: "hint" }, t("consentCopiesLeft", { n: c.copiesLeftAfter })),
      ),
    ),
    h("p", { class: "notice info" }, t("consentOnlyThese")),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "ok", id: "consent-share", disabled: busy, onclick: onShare }, t("consentShare")),
      h("button", { type: "button", class: "secondary", id: "consent-decline", disabled: busy, onclick: onDecline }, t("consentDecline")),
    ),
  ];
}

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
    ),
  ];
}
