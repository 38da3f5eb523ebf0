/**
 * The verifier counter (a tablet at a library desk, a police officer's handset): choose the accepted ID
 * types, show the request's QR code, and show the outcome the moment the holder's wallet answers: a large green or
 * red state, the reason in plain words, and the claims that were shared.
 */
import "../lib/style.css";
import { type Child, copyText, h } from "../lib/dom.ts";
import { lang, t } from "../lib/i18n.ts";
import { errorBox, page, statusLine } from "../lib/layout.ts";
import { walletLinkFor } from "../lib/walletLinks.ts";
import { type VerifierState, closeRequest, createRequest, startVerifier, store, typeTitle } from "./app.ts";
import { resultView } from "./result.ts";

function setupView(s: VerifierState): Child {
  const toggle = (name: string) => (e: Event) => {
    const next = new Set(store.get().selected);
    if ((e.currentTarget as HTMLInputElement).checked) next.add(name);
    else next.delete(name);
    store.set({ selected: next });
  };
  return h(
    "form",
    {
      class: "panel",
      onsubmit: (e: Event) => {
        e.preventDefault();
        void createRequest([...store.get().selected]);
      },
    },
    h(
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
    h("div", { class: "actions" }, h("button", { type: "submit", id: "create-request" }, t("verifierCreate"))),
  );
}

function requestPanel(s: VerifierState, r: NonNullable<VerifierState["request"]>): Child {
  const expired = r.state === "pending" && s.now >= r.request.expiresAt;
  const again = h(
    "div",
    { class: "actions" },
    h("button", { type: "button", id: "new-request", onclick: () => void createRequest([...s.selected]) }, t("verifierNew")),
    h("button", { type: "button", class: "secondary", onclick: closeRequest }, t("verifierTypes")),
  );
  return [
    // The live region exists before the answer arrives, so screen readers announce the result when it fills in.
    h("div", { id: "verifier-result", "aria-live": "assertive", "aria-atomic": "true" }, r.state === "pending" ? null : resultView(r, (name) => typeTitle(s, name), s.issuerNames)),
    r.state !== "pending"
      ? again
      : h(
          "section",
          { class: "panel" },
          h("h2", null, r.request.credentialTypes.map((name) => typeTitle(s, name)).join(", ")),
          expired
            ? [h("p", { class: "notice warn", role: "status" }, t("verifierExpired")), again]
            : [
                h("p", null, t("verifierScanHint")),
                h("img", { class: "qr", src: r.qrCodeUri, alt: t("verifierQrAlt"), width: 320, height: 320, id: "request-qr" }),
                // Not a live region: a countdown read out every second would drown everything else.
                h("p", { class: "notice info", id: "verifier-waiting" }, t("verifierWaiting", { seconds: Math.max(0, r.request.expiresAt - s.now) })),
                h("p", null, `${t("verifierLink")}: `, h("span", { class: "mono", id: "request-uri" }, r.requestUri)),
                h(
                  "div",
                  { class: "actions" },
                  h("button", { type: "button", class: "secondary", onclick: async () => store.set({ notice: (await copyText(r.requestUri)) ? t("copied") : t("copyFailed") }) }, t("copy")),
                  h("a", { class: "button secondary", href: walletLinkFor("request", r.requestUri, location.origin), target: "_blank", rel: "noopener", id: "open-in-wallet" }, t("verifierOpenInWallet")),
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
  return s.request === undefined ? "setup" : s.request.state === "pending" ? "waiting" : "result";
}

const ui = page({ title: "verifierTitle", view: () => view(store.get()), screenKey: () => screenKey(store.get()) });
store.subscribe(ui.update);
void startVerifier();
