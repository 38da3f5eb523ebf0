/**
 * The issue form's "hand over to the phone" part (issue 11): the agency's reference, the card's items from the
 * type's SD-JWT VC schema, a portrait; and the hand-over panel: the QR code large, the 6-digit code to say aloud,
 * a countdown to expiry, and the outcome (done, with the card's id; expired; locked).
 */
import { h as component } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { CredentialTypeInfo, JsonSchema } from "../../lib/api.ts";
import { type Child, copyText, h } from "../../lib/dom.ts";
import { lang, t } from "../../lib/i18n.ts";
import { fieldError, invalidAttributes, statusLine } from "../../lib/layout.ts";
import type { IssuerApp, IssuerState } from "../app.ts";
import { type Handover, choosePortrait, handoverSchema, nextPerson } from "../handover.ts";
import { type SchemaFieldValues, schemaFields } from "../schemaForm.ts";

/** The items of the type's SD-JWT VC record (the schema is read once, then drawn from the draft like the rest). */
function HandoverItems(props: { readonly type: CredentialTypeInfo; readonly draft: SchemaFieldValues }): Child {
  const [schema, setSchema] = useState<JsonSchema | null | undefined>(undefined);
  useEffect(() => {
    let gone = false;
    setSchema(undefined);
    handoverSchema(props.type).then(
      (s) => (gone ? undefined : setSchema(s?.form ?? null)),
      () => (gone ? undefined : setSchema(null)),
    );
    return () => {
      gone = true;
    };
  }, [props.type]);
  const title = props.type.title[lang()];
  if (schema === undefined) return h("p", { role: "status" }, t("loading"));
  if (schema === null) return h("p", { class: "notice error", role: "alert" }, t("networkError"));
  return h("fieldset", null, h("legend", null, `${t("issuerClaims")}: ${title}`), schemaFields(schema, "claim", lang(), props.draft));
}

/** The reference, the portrait and the items: the form's fields in "hand over to the phone" mode. */
export function handoverFields(app: IssuerApp, s: IssuerState, type: CredentialTypeInfo | undefined, draft: SchemaFieldValues): Child {
  const err = (field: string) => (s.error?.field === field ? s.error : undefined);
  const reference = typeof s.draft["reference"] === "string" ? s.draft["reference"] : "";
  const portrait = typeof s.draft["portrait"] === "string" && s.draft["portrait"] !== "" ? s.draft["portrait"] : undefined;
  return [
    h("label", { for: "issue-reference" }, t("issuerVciReference"), h("span", { class: "hint", id: "issue-reference-hint" }, t("issuerVciReferenceHint"))),
    h("input", {
      // Keyed: never the DID field's element patched into this one (its pattern would stay).
      key: "issue-reference",
      id: "issue-reference",
      name: "reference",
      type: "text",
      required: true,
      maxlength: 128,
      autocomplete: "off",
      value: reference,
      oninput: (e: Event) => draft.onChange("reference", (e.currentTarget as HTMLInputElement).value),
      ...invalidAttributes(err("reference"), "issue-reference", "issue-reference-hint"),
    }),
    fieldError(err("reference"), "issue-reference"),
    h("p", { class: "field-label", id: "issue-portrait-label" }, t("issuerPortrait")),
    h("p", { class: "hint", id: "issue-portrait-hint" }, t("issuerPortraitHint")),
    h(
      "div",
      { class: "portrait-pick" },
      portrait === undefined ? null : h("img", { class: "portrait-preview", src: portrait, alt: t("issuerVciPortraitAlt"), width: 96, height: 120, id: "issue-portrait-preview" }),
      // The browser's own file button speaks the browser's language: a labelled button in the clerk's stands in.
      h("input", {
        key: "issue-portrait",
        id: "issue-portrait",
        type: "file",
        class: "sr-only file-input",
        accept: "image/jpeg,image/png",
        "aria-labelledby": "issue-portrait-label",
        onchange: (e: Event) => void choosePortrait(app, (e.currentTarget as HTMLInputElement).files?.[0]),
        ...invalidAttributes(err("claim:portrait"), "issue-portrait", "issue-portrait-hint"),
      }),
      h("label", { for: "issue-portrait", class: "button secondary", id: "issue-portrait-choose" }, portrait === undefined ? t("issuerPortraitChoose") : t("issuerPortraitChange")),
      portrait === undefined ? null : h("button", { type: "button", class: "secondary", id: "issue-portrait-remove", onclick: () => draft.onChange("portrait", "") }, t("issuerPortraitRemove")),
    ),
    fieldError(err("claim:portrait"), "issue-portrait"),
    type === undefined ? null : component(HandoverItems, { key: type.name, type, draft }),
  ];
}

/** Minutes and seconds left until `expiresAt`, redrawn every second (a timer: not read out on every tick). */
function Countdown(props: { readonly expiresAt: number }): Child {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, props.expiresAt - now);
  return h(
    "p",
    { role: "timer", id: "handover-countdown", class: left < 60 ? "countdown soon" : "countdown" },
    left === 0 ? t("issuerOfferExpired") : t("issuerOfferExpiresIn", { m: Math.floor(left / 60), s: left % 60 }),
  );
}

export function handoverPanel(app: IssuerApp, s: IssuerState, handover: Handover): Child {
  const open = handover.state === "pending" || handover.state === "redeemed";
  return h(
    "section",
    { class: "panel handover", "aria-labelledby": "handover-heading", "data-state": handover.state },
    h("h2", { id: "handover-heading", tabindex: "-1" }, t("issuerOfferTitle")),
    open
      ? [
          h("p", null, t("issuerOfferScan")),
          h("img", { class: "qr qr-large", src: handover.qr, alt: t("issuerVciQrAlt"), width: 400, height: 400, id: "handover-qr" }),
          h(
            "div",
            { class: "txcode-box" },
            h("p", { id: "handover-code-label" }, t("issuerOfferCodeLabel")),
            h("p", { class: "txcode", id: "handover-code", "data-code": handover.txCode, "aria-labelledby": "handover-code-label" }, `${handover.txCode.slice(0, 3)} ${handover.txCode.slice(3)}`),
            h("p", { class: "hint" }, t("issuerOfferCodeHint")),
          ),
          component(Countdown, { expiresAt: handover.expiresAt }),
          statusLine(handover.state === "redeemed" ? t("issuerOfferRedeemed") : t("issuerOfferWaiting"), "handover-status"),
          h(
            "details",
            null,
            h("summary", null, t("issuerVciLink")),
            h("p", { class: "mono", id: "handover-link" }, handover.offerUri),
            statusLine(s.notice, "handover-copy"),
            h("button", { type: "button", class: "secondary", onclick: async () => app.store.set({ notice: (await copyText(handover.offerUri)) ? t("copied") : t("copyFailed") }) }, t("copy")),
          ),
        ]
      : handover.state === "issued"
        ? [
            h("p", { class: "notice ok", role: "status", id: "handover-done", tabindex: "-1" }, t("issuerOfferDone")),
            h("p", { class: "hint" }, t("issuerOfferCredentialId")),
            h("p", { class: "mono", id: "handover-credential-id" }, handover.credentialId ?? ""),
          ]
        : h("p", { class: "notice error", role: "alert", id: "handover-failed" }, handover.state === "locked" ? t("issuerOfferLocked") : t("issuerOfferExpired")),
    h(
      "div",
      { class: "actions" },
      // Expired or locked: the record is still in the form, so a new offer for the same person is one press.
      open || handover.state === "issued"
        ? null
        : h("button", { type: "button", id: "handover-again", onclick: () => (document.getElementById("issue-form") as HTMLFormElement | null)?.requestSubmit() }, t("issuerOfferAgain")),
      h("button", { type: "button", id: "handover-next", class: handover.state === "issued" ? "" : "secondary", onclick: () => nextPerson(app) }, t("issuerOfferNext")),
    ),
  );
}
