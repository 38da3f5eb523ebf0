/**
 * The phone wallet. Keys are made and kept on the device, encrypted at rest in IndexedDB with the wallet
 * package's own envelope (scrypt N = 2^17, XChaCha20-Poly1305); nothing secret leaves the page. It receives
 * credentials from offers, shows them as ID cards with a live status badge (checked locally against whole status
 * lists), and answers verifiers' requests after showing exactly what will be shared and asking for consent.
 */
import "../shims/buffer.ts";
import "../lib/style.css";
import QRCode from "qrcode";
import {
  type CredentialDetails,
  type PreparePresentationReturnType,
  type Wallet,
  createPresentation,
  createWallet,
  importCredential,
  listCredentials,
  lockWallet,
  openWallet,
  parseCredentialJwt,
  parsePresentationRequest,
  preparePresentation,
  removeCredential,
  showCredential,
} from "@mobile-id/wallet/browser";
import { ApiError, type RequestView, type VerificationOutcome, api } from "../lib/api.ts";
import { type Child, copyText, h } from "../lib/dom.ts";
import { formatDateTime, lang, t } from "../lib/i18n.ts";
import { describeError, errorBox, page, statusLine } from "../lib/layout.ts";
import { verificationSentence } from "../lib/words.ts";
import { claimList, idCard, statusText } from "./card.ts";
import { type WalletLink, parseWalletLink } from "../lib/walletLinks.ts";
import { type Scanner, startScanner } from "./scan.ts";
import { type CardStatus, createStatusChecker } from "./status.ts";
import { hasStoredWallet, indexedDbWalletStorage } from "./storage.ts";

type Screen =
  | { readonly name: "loading" }
  | { readonly name: "create" }
  | { readonly name: "unlock" }
  | { readonly name: "home" }
  | { readonly name: "card"; readonly id: string }
  | { readonly name: "did" }
  | { readonly name: "scan" }
  | { readonly name: "offer"; readonly jwt?: string; readonly issuerName?: string; readonly status?: CardStatus }
  | {
      readonly name: "request";
      readonly view?: RequestView;
      readonly preview?: PreparePresentationReturnType;
      readonly outcome?: VerificationOutcome;
      readonly declined?: boolean;
    };

const storage = indexedDbWalletStorage();
const checker = createStatusChecker();
const state = {
  screen: { name: "loading" } as Screen,
  wallet: undefined as Wallet | undefined,
  chainId: undefined as number | undefined,
  cards: [] as CredentialDetails[],
  statuses: new Map<string, CardStatus>(),
  busy: undefined as string | undefined,
  error: undefined as string | undefined,
  notice: undefined as string | undefined,
  pending: undefined as WalletLink | undefined,
  didQr: undefined as string | undefined,
};
let scanner: Scanner | undefined;

const ui = page({ title: "walletTitle", view: () => view(), screenKey: () => state.screen.name });

function go(screen: Screen, keep: { notice?: string } = {}): void {
  if (state.screen.name === "scan" && screen.name !== "scan") {
    scanner?.stop();
    scanner = undefined;
  }
  state.screen = screen;
  state.error = undefined;
  state.busy = undefined;
  state.notice = keep.notice;
  ui.update();
  // Coming back to the cards is when a holder looks at them: check their status afresh.
  if (screen.name === "home" && state.wallet !== undefined) void refreshStatuses({ fresh: true });
}

function fail(e: unknown, message?: string): void {
  state.busy = undefined;
  state.error = message ?? describeError(e);
  ui.update();
}

async function busy<T>(message: string, task: () => Promise<T>): Promise<T | undefined> {
  state.busy = message;
  state.error = undefined;
  ui.update();
  // Let the browser paint the message before a long synchronous stretch (scrypt yields, but starts busy).
  await new Promise((r) => setTimeout(r, 30));
  try {
    return await task();
  } catch (e) {
    fail(e);
    return undefined;
  } finally {
    if (state.busy === message) state.busy = undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Boot
// ---------------------------------------------------------------------------------------------------------

async function boot(): Promise<void> {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/app/wallet/sw.js", { scope: "/app/wallet/" }).catch(() => undefined);
  }
  state.pending = linkFromHash();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state.screen.name === "home") void refreshStatuses({ fresh: true });
  });
  window.addEventListener("hashchange", () => {
    const link = linkFromHash();
    if (link === undefined) return;
    if (state.wallet === undefined) {
      state.pending = link;
      ui.update();
    } else void handleLink(link);
  });
  try {
    state.chainId = (await api<{ chainId: number }>("/network")).chainId;
  } catch {
    // offline: an existing wallet still opens; creating one needs the network's chain id
  }
  go((await hasStoredWallet(storage)) ? { name: "unlock" } : { name: "create" });
}

/** A link in the URL fragment (`#offer=…` / `#request=…`), removed from the address bar once read. */
function linkFromHash(): WalletLink | undefined {
  if (location.hash.length <= 1) return undefined;
  const link = parseWalletLink(location.href, location.origin);
  history.replaceState(null, "", location.pathname + location.search);
  return link;
}

async function afterUnlock(wallet: Wallet): Promise<void> {
  state.wallet = wallet;
  state.didQr = await QRCode.toDataURL(wallet.did, { errorCorrectionLevel: "M", margin: 2, scale: 6 });
  await refreshCards();
  const pending = state.pending;
  state.pending = undefined;
  if (pending !== undefined) await handleLink(pending);
  else go({ name: "home" });
}

async function refreshCards(): Promise<void> {
  const wallet = state.wallet;
  if (wallet === undefined) return;
  const summaries = await listCredentials({ wallet });
  state.cards = await Promise.all(summaries.map((s) => showCredential({ wallet, id: s.id })));
  void refreshStatuses();
}

async function refreshStatuses(options: { readonly fresh?: boolean } = {}): Promise<void> {
  if (options.fresh === true) checker.clear();
  await Promise.all(
    state.cards.map(async (c) => {
      const status = await checker.check(c).catch((): CardStatus => ({ state: "unknown" }));
      state.statuses.set(c.id, status);
    }),
  );
  ui.update();
}

async function handleLink(link: WalletLink): Promise<void> {
  if (link.kind === "offer") await receiveOffer(link.url);
  else await openRequest(link.url);
}

// ---------------------------------------------------------------------------------------------------------
// Create and unlock
// ---------------------------------------------------------------------------------------------------------

async function onCreate(form: HTMLFormElement): Promise<void> {
  const passphrase = (form.elements.namedItem("passphrase") as HTMLInputElement).value;
  const confirm = (form.elements.namedItem("confirm") as HTMLInputElement).value;
  if ([...passphrase.normalize("NFKC")].length < 8) return fail(undefined, t("walletPassphraseTooShort"));
  if (passphrase !== confirm) return fail(undefined, t("walletPassphraseMismatch"));
  if (state.chainId === undefined) return fail(undefined, t("networkError"));
  const chainId = state.chainId;
  const wallet = await busy(t("walletCreating"), () => createWallet({ storage, passphrase, chainId }));
  if (wallet === undefined) return;
  // Ask the browser not to evict the wallet under storage pressure (best effort; some browsers ask the user).
  void navigator.storage?.persist?.().catch(() => undefined);
  await afterUnlock(wallet);
}

async function onUnlock(form: HTMLFormElement): Promise<void> {
  const input = form.elements.namedItem("passphrase") as HTMLInputElement;
  const passphrase = input.value;
  state.busy = t("walletUnlocking");
  state.error = undefined;
  ui.update();
  await new Promise((r) => setTimeout(r, 30));
  try {
    const wallet = await openWallet({ storage, passphrase });
    state.busy = undefined;
    await afterUnlock(wallet);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    fail(e, code === "WALLET_PASSPHRASE_INVALID" ? t("walletWrongPassphrase") : code === "WALLET_TAMPERED" ? t("walletTampered") : undefined);
    document.getElementById("unlock-passphrase")?.focus();
  }
}

async function onLock(): Promise<void> {
  if (state.wallet !== undefined) await lockWallet({ wallet: state.wallet });
  state.wallet = undefined;
  state.cards = [];
  state.statuses.clear();
  go({ name: "unlock" });
}

// ---------------------------------------------------------------------------------------------------------
// Offers
// ---------------------------------------------------------------------------------------------------------

async function receiveOffer(url: string): Promise<void> {
  go({ name: "offer" });
  state.busy = t("offerFetching");
  ui.update();
  let offer: { credential: string; issuer: { name: string } };
  try {
    offer = await api<{ credential: string; issuer: { name: string } }>(url);
  } catch (e) {
    const code = e instanceof ApiError ? e.code : undefined;
    return fail(e, code === "OFFER_REDEEMED" ? t("offerUsed") : code === "OFFER_EXPIRED" ? t("offerExpired") : code === "OFFER_NOT_FOUND" ? t("offerNotFound") : undefined);
  }
  state.busy = undefined;
  const parsed = parseCredentialJwt(offer.credential);
  if (!parsed.ok) return fail(undefined, `${t("offerRejected", { reason: verificationSentence(parsed.code, lang()) })} (${parsed.code}: ${parsed.message})`);
  if (parsed.credential.subject !== state.wallet?.did) return fail(undefined, t("offerNotForYou"));
  state.screen = { name: "offer", jwt: offer.credential, issuerName: offer.issuer.name };
  ui.update();
  // Show the card's standing on the ledger before the holder decides (the same check runs again on save).
  const c = parsed.credential;
  const now = Math.floor(Date.now() / 1000);
  const validity = now >= c.validUntil ? "expired" : c.validFrom !== undefined && now < c.validFrom ? "not-yet-valid" : "valid";
  const status = await checker.check({ ...c, jwt: offer.credential, validity }).catch((): CardStatus => ({ state: "unknown" }));
  if (state.screen.name === "offer" && state.screen.jwt === offer.credential) {
    state.screen = { ...state.screen, status };
    ui.update();
  }
}

async function saveOffer(jwt: string): Promise<void> {
  const wallet = state.wallet;
  if (wallet === undefined) return;
  state.busy = t("offerSaving");
  state.error = undefined;
  ui.update();
  try {
    await importCredential({
      wallet,
      jwt,
      verifyCredential: async (candidate) => {
        const parsed = parseCredentialJwt(candidate);
        if (!parsed.ok) return { verified: false, code: parsed.code };
        const now = Math.floor(Date.now() / 1000);
        const c = parsed.credential;
        const validity = now >= c.validUntil ? "expired" : c.validFrom !== undefined && now < c.validFrom ? "not-yet-valid" : "valid";
        const status = await checker.check({ ...c, jwt: candidate, validity });
        // An unknown answer (ledger unreachable) is an infrastructure fault, not a verdict: throw, keep the offer.
        if (status.state === "unknown" && status.code === undefined) throw new Error("status unavailable");
        return { verified: status.state === "valid", code: status.code };
      },
    });
  } catch (e) {
    // The credential stays on screen so that the user can try again (the offer itself is used up).
    const err = e as { code?: unknown; details?: { verificationCode?: unknown } };
    if (err.code === "WALLET_CREDENTIAL_REJECTED") {
      const reason = typeof err.details?.verificationCode === "string" ? err.details.verificationCode : undefined;
      return fail(e, t("offerRejected", { reason: verificationSentence(reason, lang()) }));
    }
    if (err.code === "WALLET_NOT_SUBJECT") return fail(e, t("offerNotForYou"));
    if (err.code === "WALLET_VERIFIER_FAILED") return fail(e, t("networkError"));
    return fail(e);
  }
  state.busy = undefined;
  await refreshCards();
  go({ name: "home" }, { notice: t("offerSaved") });
}

// ---------------------------------------------------------------------------------------------------------
// Presentation requests
// ---------------------------------------------------------------------------------------------------------

async function openRequest(url: string): Promise<void> {
  go({ name: "request" });
  const wallet = state.wallet;
  if (wallet === undefined) return;
  const fetched = await busy(t("requestFetching"), () => api<RequestView>(url));
  if (fetched === undefined) return;
  // The answer goes back to the service that asked, at the address it is bound to: never elsewhere.
  if (fetched.requestUri !== url || fetched.responseUri !== `${url}/presentation`) return fail(undefined, t("requestInvalid"));
  const parsed = parsePresentationRequest({ request: fetched.request, now: Math.floor(Date.now() / 1000) });
  if (!parsed.ok) return fail(undefined, parsed.code === "REQUEST_EXPIRED" ? t("requestExpired") : t("requestInvalid"));
  try {
    const preview = await preparePresentation({ wallet, request: fetched.request });
    // Check the candidates' status afresh, so that the consent screen can warn about a revoked or suspended card.
    state.busy = t("statusChecking");
    await refreshStatuses({ fresh: true });
    state.busy = undefined;
    state.screen = { name: "request", view: fetched, preview };
    ui.update();
  } catch (e) {
    state.screen = { name: "request", view: fetched };
    fail(e, (e as { code?: unknown }).code === "NO_MATCHING_CREDENTIAL" ? t("requestNone") : undefined);
  }
}

async function consent(view: RequestView, preview: PreparePresentationReturnType, form: HTMLFormElement): Promise<void> {
  const wallet = state.wallet;
  if (wallet === undefined) return;
  const chosen = preview.items.map((item) => {
    const radio = form.querySelector<HTMLInputElement>(`input[name="choice-${item.type}"]:checked`);
    return radio?.value ?? item.candidates[0]?.id ?? "";
  });
  const outcome = await busy(t("requestSending"), async () => {
    const { jwt } = await createPresentation({ wallet, request: view.request, credentialIds: chosen });
    return api<VerificationOutcome>(view.responseUri, { body: { presentation: jwt } });
  });
  if (outcome === undefined) return;
  state.screen = { name: "request", view, preview, outcome };
  ui.update();
}

// ---------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------

function view(): Child {
  const s = state.screen;
  return [
    s.name === "loading" ? h("p", { role: "status" }, t("loading")) : null,
    s.name === "create" ? createView() : null,
    s.name === "unlock" ? unlockView() : null,
    s.name === "home" ? homeView() : null,
    s.name === "card" ? cardView(s.id) : null,
    s.name === "did" ? didView() : null,
    s.name === "scan" ? scanView() : null,
    s.name === "offer" ? offerView(s) : null,
    s.name === "request" ? requestView(s) : null,
  ];
}

function busyLine(): Child {
  return statusLine(state.busy, "wallet-busy");
}

function passwordField(id: string, name: string, label: string, hint?: string, autocomplete = "current-password"): Child {
  return [
    h("label", { for: id }, label, hint === undefined ? null : h("span", { class: "hint", id: `${id}-hint` }, hint)),
    h("input", { id, name, type: "password", required: true, minlength: 8, autocomplete, "aria-describedby": hint === undefined ? null : `${id}-hint` }),
  ];
}

function createView(): Child {
  return h(
    "section",
    { class: "panel" },
    h("h1", { "data-screen-heading": "" }, t("walletCreateTitle")),
    h("p", null, t("walletCreateLead")),
    state.pending === undefined ? null : h("p", { class: "notice info" }, t("unlockFirst")),
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void onCreate(e.currentTarget as HTMLFormElement);
        },
      },
      passwordField("create-passphrase", "passphrase", t("walletPassphrase"), t("walletPassphraseHint"), "new-password"),
      passwordField("create-confirm", "confirm", t("walletPassphraseConfirm"), undefined, "new-password"),
      errorBox(state.error),
      busyLine(),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "create-submit", disabled: state.busy !== undefined }, t("walletCreate"))),
    ),
    h("p", { class: "hint" }, t("walletKeysNote")),
  );
}

function unlockView(): Child {
  return h(
    "section",
    { class: "panel" },
    h("h1", { "data-screen-heading": "" }, t("walletUnlockTitle")),
    h("p", null, t("walletUnlockLead")),
    state.pending === undefined ? null : h("p", { class: "notice info" }, t("unlockFirst")),
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void onUnlock(e.currentTarget as HTMLFormElement);
        },
      },
      passwordField("unlock-passphrase", "passphrase", t("walletPassphrase")),
      errorBox(state.error),
      busyLine(),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "unlock-submit", disabled: state.busy !== undefined }, t("walletUnlock"))),
    ),
    h("p", { class: "hint" }, t("walletKeysNote")),
  );
}

function linkForm(): Child {
  return h(
    "form",
    {
      class: "panel",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const input = (e.currentTarget as HTMLFormElement).elements.namedItem("link") as HTMLInputElement;
        const link = parseWalletLink(input.value, location.origin);
        if (link === undefined) return fail(undefined, t("walletLinkInvalid"));
        void handleLink(link);
      },
    },
    h("label", { for: "paste-link" }, t("walletLinkLabel")),
    h("input", { id: "paste-link", name: "link", type: "url", inputmode: "url", autocomplete: "off", required: true }),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "paste-open" }, t("walletOpenLink"))),
  );
}

function homeView(): Child {
  return [
    h("h1", { "data-screen-heading": "" }, t("walletMyCards")),
    state.notice === undefined ? null : h("p", { class: "notice ok", role: "status" }, state.notice),
    errorBox(state.error),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", id: "scan-button", onclick: () => go({ name: "scan" }) }, t("walletScan")),
      h("button", { type: "button", class: "secondary", id: "did-button", onclick: () => go({ name: "did" }) }, t("walletMyDid")),
      h("button", { type: "button", class: "secondary", id: "lock-button", onclick: () => void onLock() }, t("walletLock")),
    ),
    state.cards.length === 0
      ? h("p", { class: "notice info" }, t("walletNoCards"))
      : h(
          "div",
          { class: "cards", "aria-live": "polite" },
          state.cards.map((c) =>
            idCard({
              credential: c,
              status: state.statuses.get(c.id),
              issuerName: state.statuses.get(c.id)?.issuerName,
              actions: h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => go({ name: "card", id: c.id }) }, t("cardDetails"))),
            }),
          ),
        ),
    h("p", { class: "hint" }, t("statusPrivacy")),
    linkForm(),
  ];
}

function cardView(id: string): Child {
  const c = state.cards.find((x) => x.id === id);
  if (c === undefined) return h("p", null, t("loading"));
  const status = state.statuses.get(id);
  return [
    h("h1", { "data-screen-heading": "" }, c.title === undefined ? c.type : c.title[lang()]),
    idCard({ credential: c, status, issuerName: status?.issuerName, full: true }),
    h("p", { class: "hint" }, `${t("cardId")}: `, h("span", { class: "mono" }, c.jti ?? c.id)),
    errorBox(state.error),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => go({ name: "home" }) }, t("back")),
      h(
        "button",
        {
          type: "button",
          class: "danger",
          onclick: async () => {
            // A native confirm: accessible and keyboard-friendly as it is.
            if (!window.confirm(t("cardRemoveConfirm")) || state.wallet === undefined) return;
            await removeCredential({ wallet: state.wallet, id });
            await refreshCards();
            go({ name: "home" }, { notice: t("cardRemoved") });
          },
        },
        t("cardRemove"),
      ),
    ),
  ];
}

function didView(): Child {
  const did = state.wallet?.did ?? "";
  return [
    h("h1", { "data-screen-heading": "" }, t("walletMyDidTitle")),
    h("p", null, t("walletMyDidLead")),
    state.didQr === undefined ? null : h("img", { class: "qr", src: state.didQr, alt: t("walletDidQrAlt"), width: 320, height: 320 }),
    h("p", { class: "mono", id: "my-did", "data-did": did }, did),
    statusLine(state.notice, "did-copied"),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          onclick: async () => {
            state.notice = (await copyText(did)) ? t("copied") : t("copyFailed");
            ui.update();
          },
        },
        t("copy"),
      ),
      h("button", { type: "button", class: "secondary", onclick: () => go({ name: "home" }) }, t("back")),
    ),
  ];
}

function scanView(): Child {
  const video = h("video", { "aria-label": t("scanVideoLabel"), muted: true, playsinline: true });
  if (scanner === undefined && state.error === undefined) {
    state.busy = t("scanStarting");
    startScanner(video, (text) => {
      scanner = undefined;
      const link = parseWalletLink(text, location.origin);
      if (link === undefined) return fail(undefined, t("walletLinkInvalid"));
      void handleLink(link);
    })
      .then((s) => {
        scanner = s;
        state.busy = undefined;
        const status = document.getElementById("wallet-busy");
        if (status !== null) status.textContent = "";
      })
      .catch((reason: unknown) => {
        state.busy = undefined;
        state.error = reason === "denied" ? t("scanDenied") : t("scanUnavailable");
        ui.update();
      });
  }
  return [
    h("h1", { "data-screen-heading": "" }, t("scanTitle")),
    h("p", null, t("scanLead")),
    h("div", { class: "scanner" }, state.error === undefined ? video : null),
    errorBox(state.error),
    busyLine(),
    linkForm(),
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => go({ name: "home" }) }, t("back"))),
  ];
}

function offerView(s: Extract<Screen, { name: "offer" }>): Child {
  const jwt = s.jwt ?? "";
  const parsed = s.jwt === undefined ? undefined : parseCredentialJwt(s.jwt);
  const c = parsed?.ok === true ? parsed.credential : undefined;
  return [
    h("h1", { "data-screen-heading": "" }, t("offerTitle")),
    busyLine(),
    errorBox(state.error),
    c === undefined || s.jwt === undefined
      ? null
      : [
          h("p", null, t("offerLead", { issuer: s.issuerName ?? c.issuer })),
          idCard({
            credential: { ...c, id: "offer", title: titleOf(c.type) },
            status: s.status,
            issuerName: s.issuerName,
            full: true,
          }),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", id: "offer-save", class: "ok", disabled: state.busy !== undefined, onclick: () => void saveOffer(jwt) }, t("offerSave")),
            h("button", { type: "button", class: "secondary", onclick: () => go({ name: "home" }) }, t("offerDecline")),
          ),
        ],
    c === undefined && state.busy === undefined ? h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => go({ name: "home" }) }, t("back"))) : null,
  ];
}

function titleOf(type: string): { en: string; ko: string } | undefined {
  const found = state.cards.find((c) => c.type === type)?.title;
  if (found !== undefined) return found;
  const known: Record<string, { en: string; ko: string }> = {
    StudentIDCredential: { en: "Student ID", ko: "학생증" },
    CivilServantIDCredential: { en: "Civil-servant ID", ko: "공무원증" },
    DriversLicenseCredential: { en: "Driver's licence", ko: "운전면허증" },
    ResidentIDCredential: { en: "Resident ID", ko: "주민등록증" },
  };
  return known[type];
}

function requestView(s: Extract<Screen, { name: "request" }>): Child {
  const back = h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", id: "request-back", onclick: () => go({ name: "home" }) }, t("back")));
  if (s.outcome !== undefined) {
    const ok = s.outcome.verified;
    return [
      h("h1", { "data-screen-heading": "" }, t("requestTitle")),
      h(
        "div",
        { class: `result ${ok ? "ok" : "bad"}`, role: "status", id: "present-result", "data-verified": String(ok) },
        h("span", { class: "big" }, ok ? `✓ ${t("verifierVerified")}` : `✕ ${t("verifierRejected")}`),
        h("p", { class: "reason" }, ok ? t("presentedOk") : `${t("presentedRejected")} ${verificationSentence(s.outcome.code, lang())}`),
        ok ? null : h("p", { class: "code" }, s.outcome.code ?? ""),
      ),
      back,
    ];
  }
  if (s.declined === true) return [h("h1", { "data-screen-heading": "" }, t("requestTitle")), h("p", { class: "notice info", role: "status" }, t("requestDeclined")), back];
  const v = s.view;
  const p = s.preview;
  return [
    h("h1", { "data-screen-heading": "" }, t("requestTitle")),
    busyLine(),
    errorBox(state.error),
    v === undefined
      ? null
      : h(
          "dl",
          { class: "claims" },
          h("dt", null, t("requestFrom")),
          h("dd", { id: "request-domain" }, v.request.domain),
          h("dt", null, t("requestVia")),
          h("dd", { class: "mono" }, new URL(v.requestUri).origin),
          h("dt", null, t("requestAsks")),
          h("dd", null, v.request.credentialTypes.map((x) => titleOf(x)?.[lang()] ?? x).join(", ")),
          h("dt", null, t("requestExpires")),
          h("dd", null, formatDateTime(v.request.expiresAt)),
        ),
    v === undefined || p === undefined
      ? p === undefined && state.busy === undefined
        ? back
        : null
      : h(
          "form",
          {
            onsubmit: (e: Event) => {
              e.preventDefault();
              void consent(v, p, e.currentTarget as HTMLFormElement);
            },
          },
          h("h2", null, t("requestShared")),
          h("p", { class: "notice warn" }, t("requestSharedNote")),
          p.missingTypes.length === 0 ? null : h("p", { class: "notice info" }, t("requestMissing", { types: p.missingTypes.map((x) => titleOf(x)?.[lang()] ?? x).join(", ") })),
          p.items.map((item) =>
            h(
              "fieldset",
              null,
              h("legend", null, item.title[lang()]),
              item.candidates.map((c, i) => {
                const status = state.statuses.get(c.id);
                const warn = status !== undefined && status.state !== "valid" && status.state !== "unknown";
                return h(
                  "div",
                  { class: "candidate" },
                  item.candidates.length > 1
                    ? h("label", { class: "check" }, h("input", { type: "radio", name: `choice-${item.type}`, value: c.id, checked: i === 0 }), t("requestChoose"))
                    : h("input", { type: "hidden", name: `choice-${item.type}`, value: c.id }),
                  h("p", { class: "meta" }, `${t("cardIssuer")}: ${status?.issuerName ?? c.issuer}`),
                  claimList(c.claims),
                  warn ? h("p", { class: "notice warn" }, t("requestWarnStatus", { status: statusText(status.state) })) : null,
                );
              }),
            ),
          ),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "submit", id: "consent-button", class: "ok", disabled: state.busy !== undefined }, t("requestConsent")),
            h(
              "button",
              {
                type: "button",
                class: "secondary",
                id: "decline-button",
                onclick: () => {
                  state.screen = { name: "request", declined: true };
                  ui.update();
                },
              },
              t("requestDecline"),
            ),
          ),
        ),
  ];
}

void boot();
