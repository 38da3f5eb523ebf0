/** The consent screen's body, drawn from a {@link ConsentModel} alone (no app state): party, claims in words, buttons. */
import { render } from "preact";
import { type Child, h } from "../lib/dom.ts";
import { t } from "../lib/i18n.ts";
import type { ConsentModel } from "./consent.ts";

/**
 * The consent view of a model (pure drawing; the buttons call `onShare` / `onDecline`).
 *
 * @example
 * ```ts
 * consentView(model, () => answer("share"), () => answer("decline"), false)
 * ```
 */
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


/**
 * Draws the consent view into `host` on its own (outside the wallet's screen cycle, e.g. in a test page or a popup).
 *
 * @example
 * ```ts
 * mountConsentView(document.getElementById("consent")!, model, () => send(), () => decline());
 * ```
 */
export function mountConsentView(host: Element, model: ConsentModel, onShare: () => void, onDecline: () => void): void {
  render(h("div", null, consentView(model, onShare, onDecline, false)), host);
}
