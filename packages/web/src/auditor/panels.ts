/** The dashboard's other panels: governance timeline, revocation activity per issuer, consistency check. */
import { type Child, h } from "../lib/dom.ts";
import { formatDateTime, lang, t } from "../lib/i18n.ts";
import { actionLabel, reasonLabel } from "../lib/words.ts";
import { barChart } from "./chart.ts";
import type { AuditorState } from "./reports.ts";
import { typeTitle } from "./tree.ts";

export function timelineView(s: AuditorState): Child {
  const g = s.governance;
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
          c.typeName === "" ? "" : ` · ${typeTitle(s, c.typeName)}`,
          h("div", null, c.subjectName || c.subject, c.actorName === "" ? "" : ` ← ${c.actorName}`),
          c.reasonName === "" ? null : h("div", { class: "hint" }, reasonLabel(c.reasonName, lang())),
        ),
      ),
    ),
  );
}

export function activityView(s: AuditorState): Child {
  const a = s.activity;
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

export function consistencyView(s: AuditorState, runCheck: () => Promise<void>): Child {
  const c = s.consistency;
  return h(
    "section",
    { class: "panel", "aria-labelledby": "consistency-heading" },
    h("h2", { id: "consistency-heading" }, t("auditorConsistency")),
    h("p", { class: "lead" }, t("auditorConsistencyLead")),
    h(
      "div",
      { id: "consistency-result", "aria-live": "polite" },
      s.checking
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
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", disabled: s.checking, onclick: () => void runCheck() }, t("auditorRunCheck"))),
  );
}
