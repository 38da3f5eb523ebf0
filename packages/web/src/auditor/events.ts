/**
 * The dashboard's event list: every ledger event as who, what, when and why (`GET /auditor/events`), with filters
 * (kind, actor, card type, time range) applied by the service, and the same filtered list as CSV (the service's
 * RFC 4180 export, formula-guarded).
 */
import { api } from "../lib/api.ts";
import { type Child, formValues, h } from "../lib/dom.ts";
import { type MessageKey, formatDateTime, lang, t } from "../lib/i18n.ts";
import { describeError } from "../lib/layout.ts";
import type { Store } from "../lib/store.ts";
import { actionLabel, reasonLabel } from "../lib/words.ts";
import type { AuditorState, EventFilters, EventLogReport, EventLogRow } from "./reports.ts";
import { typeTitle } from "./tree.ts";

const CATEGORIES: readonly (readonly [EventLogRow["category"], MessageKey])[] = [
  ["governance", "auditorCatGovernance"],
  ["accreditation", "auditorCatAccreditation"],
  ["status", "auditorCatStatus"],
  ["list", "auditorCatList"],
  ["relyingParty", "auditorCatRelyingParty"],
];

const RP_ACTIONS: Readonly<Record<string, MessageKey>> = {
  RelyingPartyRegistered: "auditorRpRegistered",
  RelyingPartyGranted: "auditorRpGranted",
  RelyingPartyRenewed: "auditorRpRenewed",
  RelyingPartySuspended: "auditorRpSuspended",
  RelyingPartyReinstated: "auditorRpReinstated",
  RelyingPartyRevoked: "auditorRpRevoked",
  RelyingPartyClaimsSet: "auditorRpClaimsSet",
};

/** The query string of the filters (dates as local days: from 00:00:00 to 23:59:59). Pure. */
export function eventQuery(f: EventFilters, format?: "csv"): string {
  const q = new URLSearchParams();
  if (f.category !== "") q.set("category", f.category);
  if (f.actor !== "") q.set("actor", f.actor);
  if (f.type !== "") q.set("type", f.type);
  if (f.from !== "") q.set("from", String(Math.floor(new Date(`${f.from}T00:00:00`).getTime() / 1000)));
  if (f.to !== "") q.set("to", String(Math.floor(new Date(`${f.to}T23:59:59`).getTime() / 1000)));
  if (format !== undefined) q.set("format", format);
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

/** Reads the events with the filters (the first, unfiltered read also gives the actor and type choices). */
export async function loadEvents(store: Store<AuditorState>, filters: EventFilters): Promise<void> {
  store.set({ eventFilters: filters, eventsLoading: true });
  try {
    const report = await api<EventLogReport>(`/auditor/events${eventQuery(filters)}`);
    store.set((s) => ({ events: report, allEvents: s.allEvents ?? (eventQuery(filters) === "" ? report : undefined) }));
  } catch (e) {
    store.set({ error: describeError(e) });
  }
  store.set({ eventsLoading: false });
}

function what(s: AuditorState, r: EventLogRow): string {
  const rp = RP_ACTIONS[r.action];
  if (rp !== undefined) return t(rp);
  if (r.action === "CredentialsRevoked") return t("auditorStatusRevoked");
  if (r.action === "CredentialsSuspended") return t("auditorStatusSuspended");
  if (r.action === "CredentialsReinstated") return t("auditorStatusReinstated");
  if (r.action === "StatusListCreated") return t("auditorCatList");
  if (r.action === "StatusListOperatorSet") return t("auditorListOperator", { allowed: "" }).trim();
  return actionLabel(r.action, lang());
}

function detail(r: EventLogRow): string {
  if (r.action === "RelyingPartyClaimsSet") return r.entries === 0 ? t("auditorClaimsWithdrawn") : t("auditorClaimsCount", { count: r.entries ?? 0 });
  if (r.action === "RelyingPartyRegistered") return r.detail.replace(/^purpose: /, "");
  if (r.entries !== null) return t("auditorEntries", { count: r.entries });
  if (r.action === "StatusListCreated") {
    const m = /^(\w+) list of (\d+) entries$/.exec(r.detail);
    return m === null ? r.detail : t("auditorListCreated", { purpose: m[1] === "Revocation" ? t("auditorPurposeRevocation") : t("auditorPurposeSuspension"), size: Number(m[2]).toLocaleString(lang() === "ko" ? "ko-KR" : "en-GB") });
  }
  if (r.action === "StatusListOperatorSet") return t("auditorListOperator", { allowed: r.detail.endsWith("named") ? t("auditorListOperatorOn") : t("auditorListOperatorOff") });
  return "";
}

const short = (address: string) => (address.length > 14 ? `${address.slice(0, 8)}…${address.slice(-4)}` : address);

export function eventsView(s: AuditorState, store: Store<AuditorState>): Child {
  const source = s.allEvents ?? s.events;
  const actors = new Map<string, string>();
  const types = new Set<string>();
  for (const r of source?.events ?? []) {
    if (r.actor !== "") actors.set(r.actor, r.actorName || short(r.actor));
    if (r.typeName !== "") types.add(r.typeName.replace(/ v\d+$/, ""));
  }
  const f = s.eventFilters;
  const select = (id: string, name: keyof EventFilters, label: MessageKey, options: readonly (readonly [string, string])[]) =>
    h(
      "div",
      null,
      h("label", { for: id }, t(label)),
      h("select", { id, name }, h("option", { value: "" }, t("auditorFilterAll")), options.map(([value, text]) => h("option", { value, selected: f[name] === value }, text))),
    );
  const date = (id: string, name: "from" | "to", label: MessageKey) =>
    h("div", null, h("label", { for: id }, t(label)), h("input", { id, name, type: "date", defaultValue: f[name] }));
  const rows = s.events?.events ?? [];
  return h(
    "section",
    { class: "panel", "aria-labelledby": "events-heading" },
    h("h2", { id: "events-heading" }, t("auditorEvents")),
    h("p", { class: "lead" }, t("auditorEventsLead")),
    h(
      "form",
      {
        id: "events-filters",
        role: "search",
        "aria-label": t("auditorEvents"),
        onsubmit: (e: Event) => {
          e.preventDefault();
          const v = formValues(e.currentTarget as HTMLFormElement);
          void loadEvents(store, {
            category: String(v["category"] ?? "") as EventFilters["category"],
            actor: String(v["actor"] ?? ""),
            type: String(v["type"] ?? ""),
            from: String(v["from"] ?? ""),
            to: String(v["to"] ?? ""),
          });
        },
      },
      h(
        "div",
        { class: "grid" },
        select("events-category", "category", "auditorFilterCategory", CATEGORIES.map(([v, k]) => [v, t(k)] as const)),
        select("events-actor", "actor", "auditorFilterActor", [...actors.entries()].sort((a, b) => a[1].localeCompare(b[1])).map(([a, n]) => [a, n] as const)),
        select("events-type", "type", "auditorFilterType", [...types].sort().map((x) => [x, typeTitle(s, x)] as const)),
        date("events-from", "from", "auditorFilterFrom"),
        date("events-to", "to", "auditorFilterTo"),
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", id: "events-apply", disabled: s.eventsLoading }, t("auditorFilterApply")),
        h(
          "button",
          { type: "reset", class: "secondary", id: "events-reset", onclick: () => void loadEvents(store, { category: "", actor: "", type: "", from: "", to: "" }) },
          t("auditorFilterReset"),
        ),
        h("a", { class: "button secondary", id: "events-csv", href: `/auditor/events${eventQuery(f, "csv")}`, download: "ledger-events.csv" }, t("auditorExportCsv")),
      ),
    ),
    h(
      "p",
      { class: "hint", role: "status", "aria-live": "polite", id: "events-count" },
      s.eventsLoading ? t("auditorEventsLoading") : s.events === undefined ? "" : t("auditorEventsCount", { shown: rows.length, total: s.events.total }),
    ),
    rows.length === 0
      ? s.events === undefined
        ? null
        : h("p", { class: "notice info" }, t("auditorEventsNone"))
      : h(
          "div",
          { class: "table-wrap events-wrap", tabindex: "0", role: "region", "aria-labelledby": "events-heading" },
          h(
            "table",
            { id: "events-table" },
            h("caption", { class: "sr-only" }, t("auditorEvents")),
            h(
              "thead",
              null,
              h("tr", null, [t("auditorColWhen"), t("auditorColWho"), t("auditorColWhat"), t("auditorColSubject"), t("auditorColType"), t("auditorColWhy"), t("auditorColDetail"), t("auditorColBlock")].map((c) => h("th", { scope: "col" }, c))),
            ),
            h(
              "tbody",
              null,
              // Newest first: what an auditor looks at first.
              [...rows].reverse().map((r) =>
                h(
                  "tr",
                  { key: `${r.blockNumber}:${r.logIndex}`, "data-category": r.category, "data-action": r.action },
                  h("td", null, h("time", { datetime: r.time }, formatDateTime(r.timestamp))),
                  h("td", { title: r.actor, class: "wrap" }, r.actorName || (r.actor === "" ? "—" : short(r.actor))),
                  h("td", null, what(s, r)),
                  h("td", { title: r.subject, class: "wrap" }, r.category === "status" || r.category === "list" ? t("auditorListId", { id: r.subject }) : r.subjectName || short(r.subject)),
                  h("td", null, r.typeName === "" ? "" : typeTitle(s, r.typeName)),
                  h("td", null, r.reasonName === "" ? "" : reasonLabel(r.reasonName, lang())),
                  h("td", null, detail(r)),
                  h("td", { class: "mono" }, `#${r.blockNumber}`),
                ),
              ),
            ),
          ),
        ),
  );
}
