/**
 * The issuer console: an agency signs in with its API key, issues credentials with a form generated from the
 * type's JSON Schema, hands each over as a one-time offer (QR code and link), searches what it issued, and
 * revokes, suspends or reinstates. The key is kept in this tab's sessionStorage only (gone when the tab closes).
 */
import "../lib/style.css";
import QRCode from "qrcode";
import { PUBLIC_KEY_ETHR_DID_PATTERN } from "@mobile-id/core/browser";
import { type CredentialTypeInfo, type PartyFacts, api } from "../lib/api.ts";
import { type Child, copyText, formValues, h } from "../lib/dom.ts";
import { formatDate, formatDateTime, lang, pick, t } from "../lib/i18n.ts";
import { describeError, errorBox, page, statusLine } from "../lib/layout.ts";
import { credentialTypes } from "../lib/types.ts";
import { REASON_LABELS, reasonLabel } from "../lib/words.ts";
import { claimsFromValues, schemaFields } from "./schemaForm.ts";

interface Agency {
  readonly id: string;
  readonly name: string;
  readonly did: string;
}

interface IssuedRecord {
  readonly id: string;
  readonly type: string;
  readonly holder: string;
  readonly status: "active" | "suspended" | "revoked";
  readonly expired: boolean;
  readonly pendingChange: boolean;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

interface Offer {
  readonly walletUri: string;
  readonly expiresAt: number;
  readonly qr: string;
  readonly credentialId: string;
}

type Action = "revoke" | "suspend" | "reinstate";

const SESSION_KEY = "mobile-id.issuer.session";
const state = {
  agencies: [] as readonly Agency[],
  types: [] as readonly CredentialTypeInfo[],
  session: readSession(),
  party: undefined as PartyFacts | undefined,
  tab: "issue" as "issue" | "list",
  type: undefined as string | undefined,
  offer: undefined as Offer | undefined,
  issued: [] as IssuedRecord[],
  cursor: undefined as string | undefined,
  filters: {} as Record<string, string>,
  pendingAction: undefined as { readonly id: string; readonly action: Action } | undefined,
  busy: undefined as string | undefined,
  error: undefined as string | undefined,
  notice: undefined as string | undefined,
};

function readSession(): { agency: string; key: string } | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw === null ? undefined : (JSON.parse(raw) as { agency: string; key: string });
  } catch {
    return undefined;
  }
}

const ui = page({
  title: "issuerTitle",
  view: () => view(),
  screenKey: () => (state.session === undefined ? "signin" : state.tab),
  headerExtra: () =>
    state.session === undefined
      ? null
      : h(
          "button",
          {
            type: "button",
            onclick: () => {
              sessionStorage.removeItem(SESSION_KEY);
              state.session = undefined;
              state.offer = undefined;
              ui.update();
            },
          },
          t("issuerSignOut"),
        ),
});

function agency(): Agency | undefined {
  return state.agencies.find((a) => a.id === state.session?.agency);
}

async function boot(): Promise<void> {
  try {
    [state.agencies, state.types] = await Promise.all([api<Agency[]>("/issuers"), credentialTypes()]);
    if (state.session !== undefined) await afterSignIn();
  } catch (e) {
    state.error = describeError(e);
  }
  ui.update();
}

async function signIn(form: HTMLFormElement): Promise<void> {
  const values = formValues(form);
  const session = { agency: String(values["agency"]), key: String(values["apiKey"]).trim() };
  state.error = undefined;
  try {
    // Any authenticated read proves the key: 401 unknown key, 403 another agency's key.
    await api(`/issuers/${encodeURIComponent(session.agency)}/credentials?limit=1`, { apiKey: session.key });
  } catch (e) {
    const status = (e as { status?: number }).status;
    state.error = status === 401 || status === 403 ? t("issuerBadKey") : describeError(e);
    ui.update();
    document.getElementById("signin-key")?.focus();
    return;
  }
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  state.session = session;
  await afterSignIn();
  ui.update();
}

async function afterSignIn(): Promise<void> {
  const a = agency();
  if (a === undefined) return;
  try {
    state.party = await api<PartyFacts>(`/parties/${a.did.split(":").pop() ?? ""}`);
  } catch {
    state.party = undefined;
  }
  // Offer the types this agency is accredited for first; the service refuses the others anyway.
  const accredited = state.party?.standings.filter((s) => s.inForce).map((s) => s.type) ?? [];
  state.type ??= accredited[0] ?? state.types[0]?.name;
  await search();
}

function authed<T>(path: string, body?: unknown): Promise<T> {
  const session = state.session;
  if (session === undefined) throw new Error("not signed in");
  return api<T>(`/issuers/${encodeURIComponent(session.agency)}${path}`, { apiKey: session.key, ...(body === undefined ? {} : { body }) });
}

async function issue(form: HTMLFormElement): Promise<void> {
  const type = state.types.find((x) => x.name === state.type);
  if (type === undefined) return;
  const values = formValues(form);
  const holder = String(values["holder"] ?? "").trim();
  const expiry = String(values["expiresAt"] ?? "");
  const claims = claimsFromValues(type.schema, values);
  state.busy = t("issuerIssuing");
  state.error = undefined;
  state.offer = undefined;
  ui.update();
  try {
    const issued = await authed<{ jwt: string; id: string }>("/credentials", {
      type: type.name,
      holder,
      claims,
      ...(expiry === "" ? {} : { expiresAt: Math.floor(new Date(`${expiry}T23:59:59`).getTime() / 1000) }),
    });
    const offer = await authed<{ walletUri: string; expiresAt: number }>("/offers", { credential: issued.jwt });
    state.offer = {
      walletUri: offer.walletUri,
      expiresAt: offer.expiresAt,
      credentialId: issued.id,
      qr: await QRCode.toDataURL(offer.walletUri, { errorCorrectionLevel: "M", margin: 2, scale: 6 }),
    };
  } catch (e) {
    state.error = describeError(e);
  }
  state.busy = undefined;
  ui.update();
  document.getElementById(state.offer === undefined ? "issue-error" : "offer-heading")?.focus();
}

async function search(more = false): Promise<void> {
  const params = new URLSearchParams({ limit: "25" });
  for (const [k, v] of Object.entries(state.filters)) if (v !== "") params.set(k, v);
  if (more && state.cursor !== undefined) params.set("cursor", state.cursor);
  try {
    const page = await authed<{ items: IssuedRecord[]; nextCursor?: string }>(`/credentials?${params.toString()}`);
    state.issued = more ? [...state.issued, ...page.items] : page.items;
    state.cursor = page.nextCursor;
  } catch (e) {
    state.error = describeError(e);
  }
}

async function changeStatus(id: string, action: Action, reason: string): Promise<void> {
  state.busy = t(action === "revoke" ? "issuerRevoke" : action === "suspend" ? "issuerSuspend" : "issuerReinstate");
  state.error = undefined;
  state.notice = undefined;
  ui.update();
  try {
    const result = await authed<{ changed: string[]; transactions: { txHash: string }[] }>("/credentials/status", { action, ids: [id], reason });
    const label = t(action === "revoke" ? "issuerRevoke" : action === "suspend" ? "issuerSuspend" : "issuerReinstate");
    state.notice = result.changed.length === 0 ? t("issuerUnchanged") : t("issuerDone", { action: label, tx: `${result.transactions[0]?.txHash.slice(0, 12) ?? ""}…` });
    state.pendingAction = undefined;
    await search();
  } catch (e) {
    state.error = describeError(e);
  }
  state.busy = undefined;
  ui.update();
  document.getElementById("list-notice")?.focus();
}

// ---------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------

function view(): Child {
  if (state.session === undefined) return signInView();
  const a = agency();
  return [
    h("h1", { "data-screen-heading": "" }, a?.name ?? state.session.agency),
    a === undefined ? null : h("p", { class: "hint mono" }, a.did),
    h(
      "div",
      { class: "actions", role: "group", "aria-label": t("issuerTitle") },
      tabButton("issue", t("issuerTabIssue")),
      tabButton("list", t("issuerTabList")),
    ),
    state.tab === "issue" ? issueView() : listView(),
  ];
}

function tabButton(tab: "issue" | "list", label: string): Child {
  return h(
    "button",
    {
      type: "button",
      id: `tab-${tab}`,
      class: state.tab === tab ? "" : "secondary",
      "aria-pressed": String(state.tab === tab),
      onclick: async () => {
        state.tab = tab;
        state.error = undefined;
        state.notice = undefined;
        if (tab === "list") await search();
        ui.update();
      },
    },
    label,
  );
}

function signInView(): Child {
  return h(
    "section",
    { class: "panel" },
    h("h1", { "data-screen-heading": "" }, t("issuerSignIn")),
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void signIn(e.currentTarget as HTMLFormElement);
        },
      },
      h("label", { for: "signin-agency" }, t("issuerAgency")),
      h("select", { id: "signin-agency", name: "agency", required: true }, state.agencies.map((a) => h("option", { value: a.id }, a.name))),
      h("label", { for: "signin-key" }, t("issuerApiKey"), h("span", { class: "hint", id: "signin-key-hint" }, t("issuerApiKeyHint"))),
      h("input", { id: "signin-key", name: "apiKey", type: "password", required: true, autocomplete: "off", "aria-describedby": "signin-key-hint" }),
      errorBox(state.error),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "signin-submit" }, t("issuerSignInButton"))),
    ),
  );
}

function issueView(): Child {
  const type = state.types.find((x) => x.name === state.type);
  const standing = state.party?.standings.find((s) => s.type === state.type);
  return [
    h(
      "form",
      {
        class: "panel",
        id: "issue-form",
        onsubmit: (e: Event) => {
          e.preventDefault();
          void issue(e.currentTarget as HTMLFormElement);
        },
      },
      h("h2", null, t("issuerTabIssue")),
      h("label", { for: "issue-type" }, t("issuerType")),
      h(
        "select",
        {
          id: "issue-type",
          name: "type",
          onchange: (e: Event) => {
            state.type = (e.currentTarget as HTMLSelectElement).value;
            state.offer = undefined;
            ui.update();
          },
        },
        state.types.map((x) => h("option", { value: x.name, selected: x.name === state.type }, `${x.title[lang()]} (${x.name})`)),
      ),
      standing?.inForce === false || (state.party !== undefined && standing === undefined) ? h("p", { class: "notice warn" }, t("issuerNotInForce")) : null,
      h("label", { for: "issue-holder" }, t("issuerHolder"), h("span", { class: "hint", id: "issue-holder-hint" }, t("issuerHolderHint"))),
      h("input", { id: "issue-holder", name: "holder", type: "text", required: true, autocomplete: "off", spellcheck: "false", pattern: PUBLIC_KEY_ETHR_DID_PATTERN, "aria-describedby": "issue-holder-hint", class: "mono" }),
      type === undefined ? null : h("fieldset", null, h("legend", null, `${t("issuerClaims")}: ${type.title[lang()]}`), schemaFields(type.schema, "claim", lang())),
      h("label", { for: "issue-expires" }, t("issuerExpires")),
      h("input", { id: "issue-expires", name: "expiresAt", type: "date" }),
      h("div", { id: "issue-error", tabindex: "-1" }, errorBox(state.error)),
      statusLine(state.busy, "issue-busy"),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "issue-submit", disabled: state.busy !== undefined }, t("issuerIssue"))),
    ),
    state.offer === undefined ? null : offerView(state.offer),
  ];
}

function offerView(offer: Offer): Child {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "offer-heading" },
    h("h2", { id: "offer-heading", tabindex: "-1" }, t("issuerTabIssue")),
    h("p", { class: "notice ok", role: "status" }, t("issuerIssued")),
    h("img", { class: "qr", src: offer.qr, alt: t("issuerOfferQrAlt"), width: 320, height: 320, id: "offer-qr" }),
    h("p", null, t("issuerOfferLink", { time: formatDateTime(offer.expiresAt) })),
    h("p", null, h("a", { href: offer.walletUri, id: "offer-link", class: "mono", target: "_blank", rel: "noopener" }, offer.walletUri)),
    h("p", { class: "hint" }, `${t("cardId")}: `, h("span", { class: "mono" }, offer.credentialId)),
    statusLine(state.notice, "offer-copy"),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onclick: async () => {
            state.notice = (await copyText(offer.walletUri)) ? t("copied") : t("copyFailed");
            ui.update();
          },
        },
        t("copy"),
      ),
    ),
  );
}

function stateBadge(r: IssuedRecord): Child {
  if (r.status === "revoked") return h("span", { class: "badge bad" }, t("stateRevoked"));
  if (r.status === "suspended") return h("span", { class: "badge warn" }, t("stateSuspended"));
  if (r.expired) return h("span", { class: "badge neutral" }, t("stateExpired"));
  return h("span", { class: "badge ok" }, t("stateActive"));
}

function listView(): Child {
  return [
    h(
      "form",
      {
        class: "panel",
        role: "search",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const values = formValues(e.currentTarget as HTMLFormElement);
          state.filters = { type: String(values["type"] ?? ""), status: String(values["status"] ?? ""), holder: String(values["holder"] ?? "").trim() };
          await search();
          ui.update();
        },
      },
      h("h2", null, t("issuerTabList")),
      h(
        "div",
        { class: "grid" },
        h(
          "div",
          null,
          h("label", { for: "filter-type" }, t("issuerFilterType")),
          h(
            "select",
            { id: "filter-type", name: "type" },
            h("option", { value: "" }, t("issuerAll")),
            state.types.map((x) => h("option", { value: x.name, selected: state.filters["type"] === x.name }, x.title[lang()])),
          ),
        ),
        h(
          "div",
          null,
          h("label", { for: "filter-status" }, t("issuerFilterStatus")),
          h(
            "select",
            { id: "filter-status", name: "status" },
            h("option", { value: "" }, t("issuerAll")),
            (["active", "suspended", "revoked"] as const).map((s) =>
              h("option", { value: s, selected: state.filters["status"] === s }, t(s === "active" ? "stateActive" : s === "suspended" ? "stateSuspended" : "stateRevoked")),
            ),
          ),
        ),
        h("div", null, h("label", { for: "filter-holder" }, t("issuerFilterHolder")), h("input", { id: "filter-holder", name: "holder", type: "text", value: state.filters["holder"] ?? "", class: "mono" })),
      ),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "search-submit" }, t("issuerSearch"))),
    ),
    h("div", { id: "list-notice", tabindex: "-1" }, state.notice === undefined ? null : h("p", { class: "notice ok", role: "status" }, state.notice), errorBox(state.error)),
    statusLine(state.busy, "list-busy"),
    state.issued.length === 0
      ? h("p", { class: "notice info" }, t("issuerNoResults"))
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { id: "issued-table" },
            h("caption", { class: "sr-only" }, t("issuerTabList")),
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                [t("issuerColId"), t("issuerColType"), t("issuerColHolder"), t("issuerColIssued"), t("issuerColStatus"), t("issuerColActions")].map((c) => h("th", { scope: "col" }, c)),
              ),
            ),
            h("tbody", null, state.issued.map((r) => row(r))),
          ),
        ),
    state.cursor === undefined
      ? null
      : h(
          "div",
          { class: "actions" },
          h(
            "button",
            {
              type: "button",
              class: "secondary",
              onclick: async () => {
                await search(true);
                ui.update();
              },
            },
            t("issuerMore"),
          ),
        ),
  ];
}

function row(r: IssuedRecord): Child {
  const pending = state.pendingAction?.id === r.id ? state.pendingAction : undefined;
  const typeTitle = pick(state.types.find((x) => x.name === r.type)?.title, r.type);
  const actions: Action[] = r.status === "revoked" ? [] : r.status === "suspended" ? ["reinstate", "revoke"] : ["suspend", "revoke"];
  const label = (a: Action) => t(a === "revoke" ? "issuerRevoke" : a === "suspend" ? "issuerSuspend" : "issuerReinstate");
  return h(
    "tr",
    { "data-credential-id": r.id },
    h("td", { class: "mono" }, r.id.replace(/^urn:uuid:/, "").slice(0, 8)),
    h("td", null, typeTitle),
    h("td", { class: "mono", title: r.holder }, `${r.holder.slice(0, 22)}…${r.holder.slice(-6)}`),
    h("td", null, formatDate(r.issuedAt)),
    h("td", null, stateBadge(r)),
    h(
      "td",
      null,
      pending === undefined
        ? h(
            "div",
            { class: "actions" },
            actions.map((a) =>
              h(
                "button",
                {
                  type: "button",
                  class: a === "revoke" ? "danger" : "secondary",
                  "data-action": a,
                  "aria-label": `${label(a)}: ${typeTitle} ${r.id}`,
                  onclick: () => {
                    state.pendingAction = { id: r.id, action: a };
                    ui.update();
                    document.getElementById(`reason-${r.id}`)?.focus();
                  },
                },
                label(a),
              ),
            ),
          )
        : h(
            "form",
            {
              onsubmit: (e: Event) => {
                e.preventDefault();
                const reason = String(formValues(e.currentTarget as HTMLFormElement)["reason"]);
                void changeStatus(r.id, pending.action, reason);
              },
            },
            h("label", { for: `reason-${r.id}` }, t("issuerReason")),
            h(
              "select",
              { id: `reason-${r.id}`, name: "reason" },
              Object.keys(REASON_LABELS)
                .filter((k) => k !== "GRANTED" && k !== "RENEWED")
                .map((k) => h("option", { value: k, selected: k === (pending.action === "reinstate" ? "REVIEW_CLEARED" : "ADMINISTRATIVE") }, reasonLabel(k, lang()))),
            ),
            pending.action === "revoke" ? h("p", { class: "notice warn" }, t("issuerRevokeWarning")) : null,
            h(
              "div",
              { class: "actions" },
              h("button", { type: "submit", class: pending.action === "revoke" ? "danger" : "", "data-confirm": pending.action, disabled: state.busy !== undefined }, t("issuerConfirm", { action: label(pending.action) })),
              h(
                "button",
                {
                  type: "button",
                  class: "secondary",
                  onclick: () => {
                    state.pendingAction = undefined;
                    ui.update();
                  },
                },
                t("issuerCancel"),
              ),
            ),
          ),
    ),
  );
}

void boot();
