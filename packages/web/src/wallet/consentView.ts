/** The consent screen's body, drawn from a {@link ConsentModel} alone (no app state): party, claims in words, buttons. */
import { render } from "preact";
import { type Child, h } from "../lib/dom.ts";
import { t } from "../lib/i18n.ts";
import type { ConsentCredential, ConsentModel } from "./consent.ts";

/** Which card is picked per credential, and how a pick is reported (see `ConsentState.choose`). */
export interface ConsentChoosing {
  readonly chosen: readonly number[];
  readonly onChoose: (slot: number, index: number) => void;
}

/** The cards that answer one credential as a radio group named by its legend (native radios: arrow keys move). */
function cardChoice(slot: number, choices: readonly ConsentCredential[], picked: number, busy: boolean, onChoose: ((slot: number, index: number) => void) | undefined): Child {
  const legend = `consent-choice-${slot}-legend`;
  return h(
    "fieldset",
    { class: "consent-choice", role: "radiogroup", "aria-labelledby": legend, id: `consent-choice-${slot}` },
    h("legend", { id: legend }, t("consentChooseCard")),
    h("p", { class: "hint" }, t("consentChooseHint", { n: choices.length })),
    choices.map((choice, j) =>
      h(
        "label",
        { class: "choice" },
        h("input", {
          type: "radio",
          name: `consent-choice-${slot}`,
          value: String(j),
          checked: j === picked,
          disabled: busy || onChoose === undefined,
          onchange: () => onChoose?.(slot, j),
        }),
        h("span", null, choice.cardLabel),
      ),
    ),
  );
}

/**
 * The consent view of a model (pure drawing; the buttons call `onShare` / `onDecline`). Where a credential offers
 * `choices`, the holder picks one with `choosing` (without it, the first is shown and cannot be changed).
 *
 * @example
 * ```ts
 * consentView(model, () => answer("share"), () => answer("decline"), false, { chosen: [0], onChoose: choose })
 * ```
 */
export function consentView(model: ConsentModel, onShare: () => void, onDecline: () => void, busy: boolean, choosing?: ConsentChoosing): Child {
  return [
    h(
      "section",
      { class: "panel party", "aria-labelledby": "consent-party" },
      h("h2", { id: "consent-party" }, t("consentWho")),
      h("p", { class: "party-name", id: "consent-party-name" }, model.party.name),
      h("dl", { class: "claims" }, h("dt", null, t("consentPurpose")), h("dd", { id: "consent-purpose" }, model.party.purpose), h("dt", null, t("consentDid")), h("dd", { class: "mono" }, model.party.did)),
    ),
    h("h2", null, t("consentWhat")),
    model.credentials.map((offered, i) => {
      const choices = offered.choices ?? [];
      const picked = choosing?.chosen[i] ?? 0;
      const c = choices.length > 1 ? (choices[picked] ?? offered) : offered;
      return h(
        "section",
        { class: "panel consent-card", "aria-labelledby": `consent-card-${i}`, "data-choice": choices.length > 1 ? String(picked) : undefined },
        h("h3", { id: `consent-card-${i}` }, c.cardLabel),
        choices.length > 1 ? cardChoice(i, choices, picked, busy, choosing?.onChoose) : null,
        h(
          "ul",
          { class: "consent-claims", "aria-live": choices.length > 1 ? "polite" : undefined },
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
      );
    }),
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
