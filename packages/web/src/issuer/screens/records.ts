/** What the agency issued: search, and revoke, suspend or reinstate (the confirmation dialog: `confirm.ts`). */
import { type Child, formValues, h } from "../../lib/dom.ts";
import { formatDate, lang, pick, t } from "../../lib/i18n.ts";
import { errorBox, statusLine } from "../../lib/layout.ts";
import { askStatusChange, search } from "../actions.ts";
import { type Action, type IssuedRecord, type IssuerApp, type IssuerState, actionKey } from "../app.ts";

function stateBadge(r: IssuedRecord): Child {
  if (r.status === "revoked") return h("span", { class: "badge bad" }, t("stateRevoked"));
  if (r.status === "suspended") return h("span", { class: "badge warn" }, t("stateSuspended"));
  if (r.expired) return h("span", { class: "badge neutral" }, t("stateExpired"));
  return h("span", { class: "badge ok" }, t("stateActive"));
}

function filterForm(app: IssuerApp, s: IssuerState): Child {
  const select = (id: string, name: string, label: string, options: readonly (readonly [string, string])[]) =>
    h(
      "div",
      null,
      h("label", { for: id }, label),
      // `selected` (not the select's value): a choice not yet searched for survives a redraw.
      h("select", { id, name }, h("option", { value: "" }, t("issuerAll")), options.map(([value, text]) => h("option", { value, selected: s.filters[name] === value }, text))),
    );
  return h(
    "form",
    {
      class: "panel",
      role: "search",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const values = formValues(e.currentTarget as HTMLFormElement);
        app.store.set({ filters: { type: String(values["type"] ?? ""), status: String(values["status"] ?? ""), holder: String(values["holder"] ?? "").trim() } });
        await search(app);
      },
    },
    h("h2", null, t("issuerTabList")),
    h(
      "div",
      { class: "grid" },
      select("filter-type", "type", t("issuerFilterType"), s.types.map((x) => [x.name, x.title[lang()]] as const)),
      select("filter-status", "status", t("issuerFilterStatus"), [
        ["active", t("stateActive")],
        ["suspended", t("stateSuspended")],
        ["revoked", t("stateRevoked")],
      ]),
      h("div", null, h("label", { for: "filter-holder" }, t("issuerFilterHolder")), h("input", { id: "filter-holder", name: "holder", type: "text", defaultValue: s.filters["holder"] ?? "", class: "mono" })),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "search-submit" }, t("issuerSearch"))),
  );
}

export function recordsScreen(app: IssuerApp, s: IssuerState): Child {
  const columns = [t("issuerColId"), t("issuerColType"), t("issuerColHolder"), t("issuerColIssued"), t("issuerColStatus"), t("issuerColActions")];
  return [
    filterForm(app, s),
    h("div", { id: "list-notice", tabindex: "-1" }, s.notice === undefined ? null : h("p", { class: "notice ok", role: "status" }, s.notice), errorBox(s.error)),
    statusLine(s.busy, "list-busy"),
    s.issued.length === 0
      ? h("p", { class: "notice info" }, t("issuerNoResults"))
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { id: "issued-table" },
            h("caption", { class: "sr-only" }, t("issuerTabList")),
            h("thead", null, h("tr", null, columns.map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", null, s.issued.map((r) => row(app, s, r))),
          ),
        ),
    s.cursor === undefined ? null : h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => void search(app, true) }, t("issuerMore"))),
  ];
}

function row(app: IssuerApp, s: IssuerState, r: IssuedRecord): Child {
  const typeTitle = pick(s.types.find((x) => x.name === r.type)?.title, r.type);
  const actions: Action[] = r.status === "revoked" ? [] : r.status === "suspended" ? ["reinstate", "revoke"] : ["suspend", "revoke"];
  const label = (a: Action) => t(actionKey(a));
  const buttonId = (a: Action) => `row-${a}-${r.id.replace(/[^A-Za-z0-9]/g, "")}`;
  return h(
    "tr",
    { "data-credential-id": r.id, key: r.id },
    h("td", { class: "mono" }, r.id.replace(/^urn:uuid:/, "").slice(0, 8)),
    h("td", null, typeTitle),
    h("td", { class: "mono", title: r.holder }, `${r.holder.slice(0, 22)}…${r.holder.slice(-6)}`),
    h("td", null, formatDate(r.issuedAt)),
    h("td", null, stateBadge(r)),
    h(
      "td",
      null,
      h(
        "div",
        { class: "actions" },
        actions.map((a) =>
          h(
            "button",
            {
              type: "button",
              id: buttonId(a),
              class: a === "revoke" ? "danger" : "secondary",
              "data-action": a,
              "aria-label": `${label(a)}: ${typeTitle} ${r.id}`,
              "aria-haspopup": "dialog",
              disabled: s.busy !== undefined,
              // The dialog shows whose card it is (looked up by the card's id) before anything is sent.
              onclick: () => void askStatusChange(app, { id: r.id, action: a, type: r.type, opener: buttonId(a) }),
            },
            label(a),
          ),
        ),
      ),
    ),
  );
}
