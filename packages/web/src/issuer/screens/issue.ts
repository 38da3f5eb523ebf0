/** The issue form, generated from the type's JSON Schema, and the one-time offer (QR code and link) it produces. */
import { PUBLIC_KEY_ETHR_DID_PATTERN } from "@mobile-id/core/browser";
import { type Child, copyText, h } from "../../lib/dom.ts";
import { formatDateTime, lang, t } from "../../lib/i18n.ts";
import { errorBox, fieldError, invalidAttributes, statusLine } from "../../lib/layout.ts";
import { errorText } from "../../lib/uiError.ts";
import { issue } from "../actions.ts";
import type { IssuerApp, IssuerState, Offer } from "../app.ts";
import { createHandover, stopHandover } from "../handover.ts";
import { schemaFields } from "../schemaForm.ts";
import { handoverFields, handoverPanel } from "./handover.ts";

export function issueScreen(app: IssuerApp, s: IssuerState): Child {
  const type = s.types.find((x) => x.name === s.type);
  const standing = s.party?.standings.find((x) => x.type === s.type);
  const err = (field: string) => (s.error?.field === field ? s.error : undefined);
  const claimError = s.error?.field?.startsWith("claim:") === true ? { name: s.error.field.slice("claim:".length), text: errorText(s.error) } : undefined;
  const draft = {
    values: s.draft,
    onChange: (name: string, value: string | readonly string[]) => app.store.set((now) => ({ draft: { ...now.draft, [name]: value } })),
    ...(claimError === undefined ? {} : { error: claimError }),
  };
  const text = (name: string) => {
    const v = s.draft[name];
    return typeof v === "string" ? v : "";
  };
  const onInput = (name: string) => (e: Event) => draft.onChange(name, (e.currentTarget as HTMLInputElement).value);
  // "To the phone" (OpenID4VCI, by the agency's record) or "to a holder DID" (a JWT-VC offer); kept in the draft.
  const phone = s.draft["handover"] === "phone";
  const mode = (value: "phone" | "did", id: string, label: string) =>
    h(
      "label",
      { class: "check", for: id },
      h("input", {
        type: "radio",
        id,
        name: "handover",
        value,
        checked: phone === (value === "phone"),
        onchange: () => app.store.set((now) => ({ draft: { ...now.draft, handover: value }, error: undefined })),
      }),
      label,
    );
  return [
    // A hand-over in progress comes first: the QR code and the code are what the clerk and the person look at.
    phone && s.handover !== undefined ? handoverPanel(app, s, s.handover) : null,
    h(
      "form",
      {
        class: "panel",
        id: "issue-form",
        onsubmit: (e: Event) => {
          e.preventDefault();
          if (phone) void createHandover(app, e.currentTarget as HTMLFormElement);
          else void issue(app, e.currentTarget as HTMLFormElement);
        },
      },
      h("h2", null, t("issuerTabIssue")),
      h("label", { for: "issue-type" }, t("issuerType")),
      h(
        "select",
        {
          id: "issue-type",
          name: "type",
          value: s.type ?? "",
          onchange: (e: Event) => {
            stopHandover();
            app.store.set({ type: (e.currentTarget as HTMLSelectElement).value, offer: undefined, handover: undefined });
          },
        },
        s.types.map((x) => h("option", { value: x.name }, x.title[lang()])),
      ),
      standing?.inForce === false || (s.party !== undefined && standing === undefined) ? h("p", { class: "notice warn" }, t("issuerNotInForce")) : null,
      h("fieldset", { class: "handover-mode" }, h("legend", null, t("issuerHandover")), mode("phone", "handover-phone", t("issuerHandoverPhone")), mode("did", "handover-did", t("issuerHandoverDid"))),
      phone
        ? handoverFields(app, s, type, draft)
        : [
          h("label", { for: "issue-holder" }, t("issuerHolder"), h("span", { class: "hint", id: "issue-holder-hint" }, t("issuerHolderHint"))),
          h("input", {
            key: "issue-holder",
            id: "issue-holder",
            name: "holder",
            type: "text",
            required: true,
            autocomplete: "off",
            spellcheck: false,
            pattern: PUBLIC_KEY_ETHR_DID_PATTERN,
            class: "mono",
            value: text("holder"),
            oninput: onInput("holder"),
            ...invalidAttributes(err("holder"), "issue-holder", "issue-holder-hint"),
          }),
          fieldError(err("holder"), "issue-holder"),
          // Keyed by type: another type's fields are made afresh, never patched from this one's (patterns, limits).
          type === undefined ? null : h("fieldset", { key: type.name }, h("legend", null, `${t("issuerClaims")}: ${type.title[lang()]}`), schemaFields(type.schema, "claim", lang(), draft)),
          h("label", { for: "issue-expires" }, t("issuerExpires")),
          h("input", { id: "issue-expires", name: "expiresAt", type: "date", value: text("expiresAt"), oninput: onInput("expiresAt"), ...invalidAttributes(err("expiresAt"), "issue-expires") }),
          fieldError(err("expiresAt"), "issue-expires"),
          ],
      h("div", { id: "issue-error", tabindex: "-1" }, errorBox(s.error)),
      statusLine(s.busy, "issue-busy"),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "issue-submit", disabled: s.busy !== undefined }, phone ? t("issuerOfferCreate") : t("issuerIssue"))),
    ),
    phone || s.offer === undefined ? null : offerPanel(app, s, s.offer),
  ];
}

function offerPanel(app: IssuerApp, s: IssuerState, offer: Offer): Child {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "offer-heading" },
    h("h2", { id: "offer-heading", tabindex: "-1" }, t("issuerTabIssue")),
    h("p", { class: "notice ok", role: "status" }, t("issuerIssued")),
    h("img", { class: "qr", src: offer.qr, alt: t("issuerOfferQrAlt"), width: 320, height: 320, id: "offer-qr" }),
    h("p", null, t("issuerOfferLink", { time: formatDateTime(offer.expiresAt) })),
    h("p", null, h("a", { href: offer.walletUri, id: "offer-link", class: "mono", target: "_blank", rel: "noopener" }, offer.walletUri)),
    h("p", { class: "hint" }, `${t("cardId")}: `, h("span", { class: "mono" }, offer.credentialId)),
    statusLine(s.notice, "offer-copy"),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: async () => app.store.set({ notice: (await copyText(offer.walletUri)) ? t("copied") : t("copyFailed") }) }, t("copy")),
    ),
  );
}
