/**
 * The auditor dashboard, read-only, from the auditor API (events and contract state read at one block): the
 * accreditation tree with states, the governance timeline, revocation and suspension activity per issuer, and the
 * consistency check.
 */
import "../lib/style.css";
import { api } from "../lib/api.ts";
import { type Child, h } from "../lib/dom.ts";
import { formatDate, formatDateTime, lang, pick, t } from "../lib/i18n.ts";
import { describeError, errorBox, page, statusLine } from "../lib/layout.ts";
import { credentialTypes } from "../lib/types.ts";
import { actionLabel, reasonLabel, stateLabel } from "../lib/words.ts";
import { barChart } from "./chart.ts";

interface InForceParty {
  readonly party: string;
  readonly name: string;
  readonly role: "Accreditor" | "Issuer" | string;
  readonly inForce: boolean;
  readonly status: string;
  readonly accreditor: string;
  readonly accreditorName: string;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly since: number;
  readonly reasonName: string;
}
interface InForceReport {
  readonly atBlock: number;
  readonly atBlockTimestamp: number;
  readonly credentialType: { readonly name: string; readonly governingAccreditor: string; readonly governingAccreditorName: string };
  readonly parties: readonly InForceParty[];
}
interface GovernanceReport {
  readonly atBlock: number;
  readonly atBlockTimestamp: number;
  readonly root: string;
  readonly rootName: string;
  readonly changes: readonly {
    readonly blockNumber: number;
    readonly logIndex: number;
    readonly timestamp: number;
    readonly action: string;
    readonly actorName: string;
    readonly subjectName: string;
    readonly subject: string;
    readonly typeName: string;
    readonly reasonName: string;
    readonly detail: string;
  }[];
}
interface ActivityReport {
  readonly rows: readonly { readonly day: string; readonly issuer: string; readonly issuerName: string; readonly revoked: number; readonly suspended: number; readonly reinstated: number }[];
  readonly totals: { readonly revoked: number; readonly suspended: number; readonly reinstated: number };
}
interface ConsistencyReport {
  readonly atBlock: number;
  readonly consistent: boolean;
  readonly checked: { readonly records: number; readonly words: number };
  readonly mismatches: readonly { readonly subject?: string; readonly key?: string; readonly field?: string; readonly expected?: unknown; readonly actual?: unknown }[];
  readonly summary: string;
}

const state = {
  inForce: [] as InForceReport[],
  governance: undefined as GovernanceReport | undefined,
  activity: undefined as ActivityReport | undefined,
  consistency: undefined as ConsistencyReport | undefined,
  checking: false,
  loading: true,
  error: undefined as string | undefined,
  typeTitles: new Map<string, { ko: string; en: string }>(),
};

const ui = page({ title: "auditorTitle", view: () => view() });

async function load(): Promise<void> {
  state.loading = true;
  state.error = undefined;
  ui.update();
  try {
    const types = await credentialTypes();
    for (const x of types) state.typeTitles.set(x.name, x.title);
    const [inForce, governance, activity] = await Promise.all([
      Promise.all(types.map((x) => api<InForceReport>(`/auditor/types/${encodeURIComponent(x.name)}/in-force`))),
      api<GovernanceReport>("/auditor/governance"),
      api<ActivityReport>(`/auditor/activity?utcOffsetMinutes=${-new Date().getTimezoneOffset()}`),
    ]);
    state.inForce = inForce;
    state.governance = governance;
    state.activity = activity;
  } catch (e) {
    state.error = describeError(e);
  }
  state.loading = false;
  ui.update();
  void runCheck();
}

async function runCheck(): Promise<void> {
  state.checking = true;
  ui.update();
  try {
    state.consistency = await api<ConsistencyReport>("/auditor/consistency");
  } catch (e) {
    state.error = describeError(e);
  }
  state.checking = false;
  ui.update();
}

/** A type's title; the auditor names types as `Name vN`. */
function typeTitle(name: string): string {
  const bare = name.replace(/ v\d+$/, "");
  return pick(state.typeTitles.get(bare), name);
}

function badge(status: string, inForce?: boolean): Child {
  const tone = inForce === false ? "bad" : status === "Active" ? "ok" : status === "Suspended" || status === "Pending" ? "warn" : "bad";
  return h("span", { class: `badge ${tone}` }, stateLabel(status, lang()), inForce === undefined ? "" : ` · ${inForce ? t("auditorInForce") : t("auditorNotInForce")}`);
}

function view(): Child {
  const g = state.governance;
  return [
    h("h1", null, t("auditorTitle")),
    g === undefined ? null : h("p", { class: "lead" }, t("auditorAtBlock", { block: g.atBlock, time: formatDateTime(g.atBlockTimestamp) })),
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", id: "refresh", onclick: () => void load() }, t("auditorRefresh"))),
    statusLine(state.loading ? t("loading") : undefined, "auditor-loading"),
    errorBox(state.error),
    treeView(),
    activityView(),
    consistencyView(),
    timelineView(),
  ];
}

function treeView(): Child {
  if (state.inForce.length === 0) return null;
  // Accreditors with the types they govern, and the issuers they accredited, per type.
  const accreditors = new Map<string, { name: string; entries: { type: string; party: InForceParty }[]; issuers: { type: string; party: InForceParty }[] }>();
  for (const report of state.inForce) {
    for (const p of report.parties) {
      if (p.role === "Accreditor") {
        const a = accreditors.get(p.party) ?? { name: p.name, entries: [], issuers: [] };
        a.entries.push({ type: report.credentialType.name, party: p });
        accreditors.set(p.party, a);
      }
    }
    for (const p of report.parties) {
      if (p.role !== "Accreditor") {
        const a = accreditors.get(p.accreditor) ?? { name: p.accreditorName, entries: [], issuers: [] };
        a.issuers.push({ type: report.credentialType.name, party: p });
        accreditors.set(p.accreditor, a);
      }
    }
  }
  const g = state.governance;
  return h(
    "section",
    { class: "panel", "aria-labelledby": "tree-heading" },
    h("h2", { id: "tree-heading" }, t("auditorTree")),
    h("p", { class: "lead" }, t("auditorTreeLead")),
    h(
      "ul",
      { class: "tree", id: "accreditation-tree" },
      h(
        "li",
        null,
        h("span", { class: "node" }, h("span", { class: "role" }, t("auditorRoot")), h("strong", null, g?.rootName ?? ""), h("span", { class: "mono hint" }, g?.root ?? "")),
        h(
          "ul",
          null,
          [...accreditors.entries()].map(([address, a]) =>
            h(
              "li",
              null,
              h(
                "span",
                { class: "node" },
                h("span", { class: "role" }, "Accreditor"),
                h("strong", null, a.name),
                a.entries.map((e) => [h("span", null, typeTitle(e.type)), badge(e.party.status, e.party.inForce)]),
                h("span", { class: "mono hint" }, address),
              ),
              a.issuers.length === 0
                ? null
                : h(
                    "ul",
                    null,
                    a.issuers.map((i) =>
                      h(
                        "li",
                        { "data-party": i.party.party },
                        h(
                          "span",
                          { class: "node" },
                          h("span", { class: "role" }, "Issuer"),
                          h("strong", null, i.party.name),
                          h("span", null, typeTitle(i.type)),
                          badge(i.party.status, i.party.inForce),
                          h("span", { class: "hint" }, `${t("auditorValidity")} ${formatDate(i.party.validFrom)} – ${formatDate(i.party.validUntil)}`),
                        ),
                      ),
                    ),
                  ),
            ),
          ),
        ),
      ),
    ),
  );
}

function timelineView(): Child {
  const g = state.governance;
  if (g === undefined) return null;
  const changes = [...g.changes].reverse();
  return h(
    "section",
    { class: "panel", "aria-labelledby": "timeline-heading" },
    h("h2", { id: "timeline-heading" }, t("auditorTimeline")),
    h(
      "ol",
      { class: "timeline", id: "governance-timeline", tabindex: "0", "aria-labelledby": "timeline-heading" },
      changes.map((c) =>
        h(
          "li",
          null,
          h("time", { datetime: new Date(c.timestamp * 1000).toISOString() }, `${formatDateTime(c.timestamp)} · #${c.blockNumber}`),
          h("strong", null, actionLabel(c.action, lang())),
          c.typeName === "" ? "" : ` · ${typeTitle(c.typeName)}`,
          h("div", null, c.subjectName || c.subject, c.actorName === "" ? "" : ` ← ${c.actorName}`),
          c.reasonName === "" ? null : h("div", { class: "hint" }, reasonLabel(c.reasonName, lang())),
        ),
      ),
    ),
  );
}

function activityView(): Child {
  const a = state.activity;
  if (a === undefined) return null;
  const perIssuer = new Map<string, { name: string; revoked: number; suspended: number; reinstated: number }>();
  for (const r of a.rows) {
    const x = perIssuer.get(r.issuer) ?? { name: r.issuerName, revoked: 0, suspended: 0, reinstated: 0 };
    x.revoked += r.revoked;
    x.suspended += r.suspended;
    x.reinstated += r.reinstated;
    perIssuer.set(r.issuer, x);
  }
  const series = (x: { revoked: number; suspended: number; reinstated: number }) => [
    { key: "revoked", value: x.revoked, color: "#b3121f", name: t("auditorRevoked") },
    { key: "suspended", value: x.suspended, color: "#c76a00", name: t("auditorSuspended") },
    { key: "reinstated", value: x.reinstated, color: "#0d6b34", name: t("auditorReinstated") },
  ];
  return h(
    "section",
    { class: "panel", "aria-labelledby": "activity-heading" },
    h("h2", { id: "activity-heading" }, t("auditorActivity")),
    h("p", { class: "lead" }, t("auditorActivityLead")),
    a.rows.length === 0
      ? h("p", { class: "notice info" }, t("auditorNoActivity"))
      : [
          h(
            "div",
            { class: "legend", "aria-hidden": "true" },
            h("span", null, h("span", { class: "swatch sw-revoked" }), t("auditorRevoked")),
            h("span", null, h("span", { class: "swatch sw-suspended" }), t("auditorSuspended")),
            h("span", null, h("span", { class: "swatch sw-reinstated" }), t("auditorReinstated")),
          ),
          h(
            "figure",
            { id: "activity-chart" },
            barChart({
              title: t("auditorChartTitle"),
              description: [...perIssuer.values()].map((x) => `${x.name}: ${t("auditorRevoked")} ${x.revoked}, ${t("auditorSuspended")} ${x.suspended}, ${t("auditorReinstated")} ${x.reinstated}`).join("; "),
              groups: [...perIssuer.values()].map((x) => ({ label: x.name, values: series(x) })),
            }),
          ),
          h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              { id: "activity-table" },
              h("caption", { class: "sr-only" }, t("auditorActivity")),
              h("thead", null, h("tr", null, [t("auditorDay"), t("auditorIssuer"), t("auditorRevoked"), t("auditorSuspended"), t("auditorReinstated")].map((c) => h("th", { scope: "col" }, c)))),
              h("tbody", null, a.rows.map((r) => h("tr", null, h("td", null, r.day), h("td", null, r.issuerName), h("td", null, r.revoked), h("td", null, r.suspended), h("td", null, r.reinstated)))),
            ),
          ),
        ],
  );
}

function consistencyView(): Child {
  const c = state.consistency;
  return h(
    "section",
    { class: "panel", "aria-labelledby": "consistency-heading" },
    h("h2", { id: "consistency-heading" }, t("auditorConsistency")),
    h("p", { class: "lead" }, t("auditorConsistencyLead")),
    h(
      "div",
      { id: "consistency-result", "aria-live": "polite" },
      state.checking
        ? h("p", { class: "notice info" }, t("auditorChecking"))
        : c === undefined
          ? null
          : c.consistent
            ? h("p", { class: "notice ok", "data-consistent": "true" }, `✓ ${t("auditorConsistent", { records: c.checked.records, words: c.checked.words })} (#${c.atBlock})`)
            : [
                h("p", { class: "notice error", "data-consistent": "false" }, `✕ ${t("auditorInconsistent", { count: c.mismatches.length })}`),
                h("ul", null, c.mismatches.slice(0, 50).map((m) => h("li", { class: "mono" }, JSON.stringify(m)))),
              ],
    ),
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", disabled: state.checking, onclick: () => void runCheck() }, t("auditorRunCheck"))),
  );
}

void load();
