/**
 * Receiving a card over OpenID4VCI: who issues it (its name as registered on the ledger, checked for the type),
 * then the 6-digit code the office said aloud. The code is asked for only after the issuer check passed.
 */
import { type Child, h } from "../../lib/dom.ts";
import { lang, t } from "../../lib/i18n.ts";
import { errorBox, fieldError, invalidAttributes } from "../../lib/layout.ts";
import type { WalletApp, WalletState } from "../app.ts";
import { titleOf } from "../card.ts";
import { declineCredentialOffer, submitCredentialOfferCode } from "../receive.ts";
import { backButton, busyLine, heading } from "./parts.ts";

export function receiveScreen(app: WalletApp, s: WalletState): Child {
  const flow = s.credentialOffer;
  const opened = flow?.opened;
  const title = opened === undefined ? undefined : (titleOf(opened.type, s.cards)?.[lang()] ?? opened.type);
  const codeError = s.error?.field === "txCode" ? s.error : undefined;
  const length = opened?.txCodeLength ?? 6;
  return [
    heading(t("vciTitle")),
    busyLine(s),
    // An error about the code is drawn next to the code field (and announced there); others here.
    codeError === undefined ? errorBox(s.error, "vci-error") : null,
    opened === undefined || title === undefined
      ? null
      : h(
          "section",
          { class: "panel", "aria-labelledby": "vci-issuer-label" },
          h("p", { class: "hint", id: "vci-issuer-label" }, t("vciIssuer")),
          h("p", { class: "vci-issuer", id: "vci-issuer" }, opened.issuerName),
          h("p", { class: "notice ok", id: "vci-issuer-checked" }, `✓ ${t("vciIssuerChecked", { type: title })}`),
          h("p", { class: "hint" }, t("vciType")),
          h("p", { id: "vci-type" }, title),
        ),
    opened === undefined || flow?.closed === true
      ? null
      : h(
          "form",
          {
            class: "panel",
            id: "vci-form",
            novalidate: true,
            onsubmit: (e: Event) => {
              e.preventDefault();
              const input = (e.currentTarget as HTMLFormElement).elements.namedItem("txCode") as HTMLInputElement;
              void submitCredentialOfferCode(app, input.value);
            },
          },
          h("label", { for: "vci-code" }, t("vciCodeLabel")),
          h("p", { class: "hint", id: "vci-code-hint" }, t("vciCodeHint", { n: length })),
          h("input", {
            id: "vci-code",
            name: "txCode",
            type: "text",
            inputmode: "numeric",
            autocomplete: "one-time-code",
            pattern: `[0-9]{${length}}`,
            maxlength: length,
            required: true,
            class: "vci-code",
            ...invalidAttributes(codeError, "vci-code", "vci-code-hint"),
          }),
          codeError === undefined ? null : h("div", { role: "alert" }, fieldError(codeError, "vci-code")),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "submit", id: "vci-submit", class: "ok", disabled: s.busy !== undefined }, t("vciReceive")),
            h("button", { type: "button", class: "secondary", id: "vci-decline", disabled: s.busy !== undefined, onclick: () => declineCredentialOffer(app) }, t("vciDecline")),
          ),
        ),
    opened === undefined || flow?.closed === true ? (s.busy === undefined ? backButton(app, "vci-back") : null) : null,
  ];
}
