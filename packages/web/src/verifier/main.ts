/**
 * The verifier counter (a tablet at a library desk, a police officer's handset): choose the accepted ID
 * types, show the request's QR code, and show the outcome the moment the holder's wallet answers: a large green or
 * red state, the reason in plain words, and the claims that were shared.
 */
import "../lib/style.css";
import { type CredentialTypeInfo, type PartyFacts, type RequestView, api } from "../lib/api.ts";
import { type Child, copyText, formValues, h } from "../lib/dom.ts";
import { lang, pick, t } from "../lib/i18n.ts";
import { describeError, errorBox, page, statusLine } from "../lib/layout.ts";
import { credentialTypes } from "../lib/types.ts";
import { walletLinkFor } from "../lib/walletLinks.ts";
import { resultView } from "./result.ts";

const POLL_MS = 1000;
const state = {
  types: [] as readonly CredentialTypeInfo[],
  selected: new Set<string>(["StudentIDCredential"]),
  request: undefined as RequestView | undefined,
  issuerNames: new Map<string, string>(),
  error: undefined as string | undefined,
  notice: undefined as string | undefined,
  now: Math.floor(Date.now() / 1000),
};
let timer: ReturnType<typeof setInterval> | undefined;
/** The current request's counter token: only this page may read the outcome (the QR code carries only the id). */
let counterToken: string | undefined;

const ui = page({ title: "verifierTitle", view: () => view(), screenKey: () => (state.request === undefined ? "setup" : state.request.state === "pending" ? "waiting" : "result") });

async function boot(): Promise<void> {
  try {
    state.types = await credentialTypes();
  } catch (e) {
    state.error = describeError(e);
  }
  ui.update();
}

async function createRequest(types: readonly string[]): Promise<void> {
  if (types.length === 0) {
    state.error = t("verifierPickOne");
    ui.update();
    return;
  }
  stopPolling();
  state.error = undefined;
  try {
    state.request = await api<RequestView>("/verifier/requests", { body: { credentialTypes: types } });
    counterToken = state.request.counterToken;
  } catch (e) {
    state.error = describeError(e);
  }
  ui.update();
  if (state.request !== undefined) startPolling(state.request.id);
}

function startPolling(id: string): void {
  timer = setInterval(() => void poll(id), POLL_MS);
}

function stopPolling(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
}

async function poll(id: string): Promise<void> {
  state.now = Math.floor(Date.now() / 1000);
  const current = state.request;
  if (current === undefined || current.id !== id) return stopPolling();
  if (state.now >= current.request.expiresAt) {
    stopPolling();
    ui.update();
    return;
  }
  try {
    const next = await api<RequestView>(`/verifier/requests/${id}`, counterToken === undefined ? {} : { apiKey: counterToken });
    // The service hands an outcome out once, then erases it: a slower poll that overlapped the one that got it
    // must not replace the result with the bare state.
    if (state.request?.id !== id || state.request.state !== "pending") return;
    state.request = next;
    if (next.state !== "pending") {
      stopPolling();
      await loadIssuerNames(next);
    }
  } catch {
    // a missed poll is retried on the next tick
  }
  ui.update();
}

/** Issuer names as recorded on the ledger, for the claims panel. */
async function loadIssuerNames(r: RequestView): Promise<void> {
  for (const c of r.outcome?.credentials ?? []) {
    const address = c.issuer.split(":").pop() ?? "";
    if (state.issuerNames.has(c.issuer)) continue;
    try {
      state.issuerNames.set(c.issuer, (await api<PartyFacts>(`/parties/${address}`)).name);
    } catch {
      state.issuerNames.set(c.issuer, c.issuer);
    }
  }
}

function typeTitle(name: string): string {
  return pick(state.types.find((x) => x.name === name)?.title, name);
}

function view(): Child {
  const r = state.request;
  return [
    h("h1", { "data-screen-heading": "" }, t("verifierTitle")),
    h("p", { class: "lead" }, t("verifierLead")),
    errorBox(state.error),
    r === undefined ? setupView() : requestPanel(r),
  ];
}

function setupView(): Child {
  return h(
    "form",
    {
      class: "panel",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const values = formValues(e.currentTarget as HTMLFormElement);
        const types = (values["types"] as string[] | undefined) ?? [];
        state.selected = new Set(types);
        void createRequest(types);
      },
    },
    h(
      "fieldset",
      null,
      h("legend", null, t("verifierTypes")),
      state.types.map((type) =>
        h(
          "label",
          { class: "check" },
          h("input", { type: "checkbox", name: "types", value: type.name, checked: state.selected.has(type.name) }),
          `${type.title[lang()]} `,
          h("span", { class: "hint", lang: lang() === "ko" ? "en" : "ko" }, lang() === "ko" ? type.title.en : type.title.ko),
        ),
      ),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "create-request" }, t("verifierCreate"))),
  );
}

function requestPanel(r: RequestView): Child {
  const expired = r.state === "pending" && state.now >= r.request.expiresAt;
  const walletLink = walletLinkFor("request", r.requestUri, location.origin);
  const again = h(
    "div",
    { class: "actions" },
    h("button", { type: "button", id: "new-request", onclick: () => void createRequest([...state.selected]) }, t("verifierNew")),
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        onclick: () => {
          stopPolling();
          state.request = undefined;
          ui.update();
        },
      },
      t("verifierTypes"),
    ),
  );
  return [
    // The live region exists before the answer arrives, so screen readers announce the result when it fills in.
    h("div", { id: "verifier-result", "aria-live": "assertive", "aria-atomic": "true" }, r.state === "pending" ? null : resultView(r, typeTitle, state.issuerNames)),
    r.state !== "pending"
      ? again
      : h(
          "section",
          { class: "panel" },
          h("h2", null, r.request.credentialTypes.map(typeTitle).join(", ")),
          expired
            ? [h("p", { class: "notice warn", role: "status" }, t("verifierExpired")), again]
            : [
                h("p", null, t("verifierScanHint")),
                h("img", { class: "qr", src: r.qrCodeUri, alt: t("verifierQrAlt"), width: 320, height: 320, id: "request-qr" }),
                // Not a live region: a countdown read out every second would drown everything else.
                h("p", { class: "notice info", id: "verifier-waiting" }, t("verifierWaiting", { seconds: Math.max(0, r.request.expiresAt - state.now) })),
                h("p", null, `${t("verifierLink")}: `, h("span", { class: "mono", id: "request-uri" }, r.requestUri)),
                h(
                  "div",
                  { class: "actions" },
                  h(
                    "button",
                    {
                      type: "button",
                      class: "secondary",
                      onclick: async () => {
                        state.notice = (await copyText(r.requestUri)) ? t("copied") : t("copyFailed");
                        ui.update();
                      },
                    },
                    t("copy"),
                  ),
                  h("a", { class: "button secondary", href: walletLink, target: "_blank", rel: "noopener", id: "open-in-wallet" }, t("verifierOpenInWallet")),
                ),
                statusLine(state.notice, "copy-status"),
                again,
              ],
        ),
  ];
}

// Keep the countdown moving while waiting.
setInterval(() => {
  if (state.request?.state === "pending") {
    // A redraw changes only the countdown's text (the view layer diffs), so focus and the QR image stay put.
    state.now = Math.floor(Date.now() / 1000);
    ui.update();
  }
}, 1000);

void boot();
