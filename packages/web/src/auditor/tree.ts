/** The accreditation tree, with each party's state per credential type. */
import { type Child, h } from "../lib/dom.ts";
import { formatDate, lang, pick, t } from "../lib/i18n.ts";
import { stateLabel } from "../lib/words.ts";
import type { AuditorState, InForceParty } from "./reports.ts";

/** A type's title; the auditor names types as `Name vN`. */
export function typeTitle(s: AuditorState, name: string): string {
  const bare = name.replace(/ v\d+$/, "");
  return pick(s.typeTitles.get(bare), name);
}

export function badge(status: string, inForce?: boolean): Child {
  const tone = inForce === false ? "bad" : status === "Active" ? "ok" : status === "Suspended" || status === "Pending" ? "warn" : "bad";
  return h("span", { class: `badge ${tone}` }, stateLabel(status, lang()), inForce === undefined ? "" : ` · ${inForce ? t("auditorInForce") : t("auditorNotInForce")}`);
}

/** The accreditation tree: root → accreditors (with the types they govern) → the issuers they accredited. */
export function treeView(s: AuditorState): Child {
  if (s.inForce.length === 0) return null;
  // Accreditors with the types they govern, and the issuers they accredited, per type.
  const accreditors = new Map<string, { name: string; entries: { type: string; party: InForceParty }[]; issuers: { type: string; party: InForceParty }[] }>();
  for (const report of s.inForce) {
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
  const g = s.governance;
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
                h("span", { class: "role" }, t("auditorRoleAccreditor")),
                h("strong", null, a.name),
                a.entries.map((e) => [h("span", null, typeTitle(s, e.type)), badge(e.party.status, e.party.inForce)]),
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
                          h("span", { class: "role" }, t("auditorRoleIssuer")),
                          h("strong", null, i.party.name),
                          h("span", null, typeTitle(s, i.type)),
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
