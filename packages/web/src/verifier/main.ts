/**
 * The verifier counter (a tablet at a library desk, a police officer's handset): choose the accepted ID
 * types, show the request's QR code, and show the outcome the moment the holder's wallet answers: a large green or
 * red state, the reason in plain words, and the claims that were shared.
 */
import "../lib/style.css";
import { type Child, copyText, h } from "../lib/dom.ts";
import { type MessageKey, lang, t } from "../lib/i18n.ts";
import { errorBox, page, statusLine } from "../lib/layout.ts";
import { walletLinkFor } from "../lib/walletLinks.ts";
import { type CounterRequest, type VerifierState, closeRequest, createRequest, nextPerson, startVerifier, store, typeTitle, waiting } from "./app.ts";
import { resultView } from "./result.ts";
import { TEMPLATES, type TemplateId, clearSeconds, setClearSeconds } from "./templates.ts";

const TEMPLATE_WORDS: Readonly<Record<TemplateId, { readonly title: MessageKey; readonly hint: MessageKey }>> = {
  age19: { title: "templateAge19", hint: "templateAge19Hint" },
  student: { title: "templateStudent", hint: "templateStudentHint" },
  identity: { title: "templateIdentity", hint: "templateIdentityHint" },
  custom: { title: "templateCustom", hint: "templateCustomHint" },
};
const CLEAR_CHOICES = [10, 30, 60, 120];

function setupView(s: VerifierState): Child {
  const toggle = (name: string) => (e: Event) => {
    const next = new Set(store.get().selected);
    if ((e.currentTarget as HTMLInputElement).checked) next.add(name);
    else next.delete(name);
    store.set({ selected: next });
  };
  const clearAfter = clearSeconds(localStorage);
  return h(
    "form",
    {
      class: "panel",
      onsubmit: (e: Event) => {
        e.preventDefault();
        void createRequest();
      },
    },
    h(
      "fieldset",
      null,
      h("legend", null, t("verifierAsk")),
      TEMPLATES.map((x) =>
        h(
          "label",
          { class: "check" },
          h("input", { type: "radio", name: "template", value: x.id, checked: s.template === x.id, onchange: () => store.set({ template: x.id }) }),
          `${t(TEMPLATE_WORDS[x.id].title)} `,
          h("span", { class: "hint" }, t(TEMPLATE_WORDS[x.id].hint)),
        ),
      ),
    ),
    s.template !== "custom"
      ? null
      : h(
          "fieldset",
          null,
          h("legend", null, t("verifierTypes")),
          s.types.map((type) =>
            h(
              "label",
              { class: "check" },
              h("input", { type: "checkbox", name: "types", value: type.name, checked: s.selected.has(type.name), onchange: toggle(type.name) }),
              `${type.title[lang()]} `,
              h("span", { class: "hint", lang: lang() === "ko" ? "en" : "ko" }, lang() === "ko" ? type.title.en : type.title.ko),
            ),
          ),
        ),
    h("label", { for: "clear-after" }, t("verifierClearAfter")),
    h(
      "select",
      {
        id: "clear-after",
        value: String(clearAfter),
        onchange: (e: Event) => {
          setClearSeconds(localStorage, Number((e.currentTarget as HTMLSelectElement).value));
          store.set({ notice: undefined });
        },
      },
      (CLEAR_CHOICES.includes(clearAfter) ? CLEAR_CHOICES : [clearAfter, ...CLEAR_CHOICES]).map((n) => h("option", { value: String(n) }, t("verifierSeconds", { n }))),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "create-request" }, t("verifierCreate"))),
  );
}

function requestPanel(s: VerifierState, r: CounterRequest): Child {
  const state = r.result.state;
  const expired = state === "expired" || (waiting(s) && s.now >= r.view.expiresAt);
  const pending = waiting(s) || state === "expired";
  const again = h(
    "div",
    { class: "actions" },
    pending
      ? h("button", { type: "button", id: "new-request", onclick: () => void createRequest() }, t("verifierNew"))
      : h("button", { type: "button", id: "new-request", onclick: () => void nextPerson() }, t("verifierClearNow")),
    h("button", { type: "button", class: "secondary", id: "back-to-setup", onclick: closeRequest }, t("verifierAsk")),
  );
  return [
    // The live region exists before the answer arrives, so screen readers announce the result when it fills in.
    h("div", { id: "verifier-result", "aria-live": "assertive", "aria-atomic": "true" }, pending ? null : resultView(r.result, s.template, (name) => typeTitle(s, name), s.issuerNames, s.now)),
    !pending
      ? [
          s.clearAt === undefined ? null : h("p", { class: "notice info", id: "clears-in" }, t("verifierClearsIn", { seconds: Math.max(0, s.clearAt - s.now) })),
          again,
        ]
      : h(
          "section",
          { class: "panel counter-request" },
          h("h2", null, t(TEMPLATE_WORDS[s.template].title)),
          h("p", { id: "accepted-types" }, t("verifierAnyOne", { types: r.types.map((name) => typeTitle(s, name)).join(", ") })),
          h("p", { class: "hint", id: "request-party" }, t("verifierAskedAs", { name: r.view.relyingParty.name })),
          expired
            ? [h("p", { class: "notice warn", role: "status" }, t("verifierExpired")), again]
            : [
                h("p", null, t("verifierScanHint")),
                h("img", { class: "qr", src: r.view.qrCodeUri, alt: t("verifierQrAlt"), width: 320, height: 320, id: "request-qr" }),
                // Not a live region: a countdown read out every second would drown everything else.
                h(
                  "p",
                  { class: "notice info", id: "verifier-waiting", "data-state": state },
                  state === "fetched" ? t("verifierWalletOpened", { seconds: Math.max(0, r.view.expiresAt - s.now) }) : t("verifierWaiting", { seconds: Math.max(0, r.view.expiresAt - s.now) }),
                ),
                h("p", null, `${t("verifierLink")}: `, h("span", { class: "mono", id: "request-uri" }, r.view.link)),
                h(
                  "div",
                  { class: "actions" },
                  h("button", { type: "button", class: "secondary", onclick: async () => store.set({ notice: (await copyText(r.view.link)) ? t("copied") : t("copyFailed") }) }, t("copy")),
                  h("a", { class: "button secondary", href: walletLinkFor("request", r.view.link, location.origin), target: "_blank", rel: "noopener", id: "open-in-wallet" }, t("verifierOpenInWallet")),
                ),
                statusLine(s.notice, "copy-status"),
                again,
              ],
        ),
  ];
}

function view(s: VerifierState): Child {
  return [
    h("h1", { "data-screen-heading": "" }, t("verifierTitle")),
    h("p", { class: "lead" }, t("verifierLead")),
    errorBox(s.error),
    s.request === undefined ? setupView(s) : requestPanel(s, s.request),
  ];
}

function screenKey(s: VerifierState): string {
  return s.request === undefined ? "setup" : waiting(s) || s.request.result.state === "expired" ? "waiting" : "result";
}

const ui = page({ title: "verifierTitle", view: () => view(store.get()), screenKey: () => screenKey(store.get()) });
store.subscribe(ui.update);
void startVerifier();
