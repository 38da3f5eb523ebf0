/** Find a card by the agency's own reference and the person's name; suspend, reinstate or revoke it from there. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { errorBox, fieldError, invalidAttributes, statusLine } from "../../lib/layout.ts";
import { askStatusChange, findHolders } from "../actions.ts";
import { type Action, type HolderView, type IssuerApp, type IssuerState, actionKey, personName } from "../app.ts";
import { holderCard } from "./holderCard.ts";

function badge(c: HolderView["credentials"][number]): Child {
  if (c.status === "revoked") return h("span", { class: "badge bad" }, t("stateRevoked"));
  if (c.status === "suspended") return h("span", { class: "badge warn" }, t("stateSuspended"));
  if (c.status === "unknown") return h("span", { class: "badge neutral" }, t("issuerStateUnknown"));
  if (c.expired) return h("span", { class: "badge neutral" }, t("stateExpired"));
  return h("span", { class: "badge ok" }, t("stateActive"));
}

export function findScreen(app: IssuerApp, s: IssuerState): Child {
  const emptyError = s.error?.key === "issuerFindEmpty" ? s.error : undefined;
  return [
    h(
      "form",
      {
        class: "panel",
        role: "search",
        id: "find-form",
        onsubmit: (e: Event) => {
          e.preventDefault();
          void findHolders(app, e.currentTarget as HTMLFormElement);
        },
      },
      h("h2", null, t("issuerTabFind")),
      h("p", { class: "lead" }, t("issuerFindLead")),
      h(
        "div",
        { class: "grid" },
        h(
          "div",
          null,
          h("label", { for: "find-reference" }, t("issuerFindReference"), h("span", { class: "hint", id: "find-reference-hint" }, t("issuerFindReferenceHint"))),
          h("input", {
            id: "find-reference",
            name: "reference",
            type: "text",
            autocomplete: "off",
            spellcheck: false,
            defaultValue: s.holderQuery.reference,
            class: "mono",
            ...invalidAttributes(emptyError, "find-reference", "find-reference-hint"),
          }),
          fieldError(emptyError, "find-reference"),
        ),
        h(
          "div",
          null,
          h("label", { for: "find-name" }, t("issuerFindName"), h("span", { class: "hint", id: "find-name-hint" }, t("issuerFindNameHint"))),
          h("input", { id: "find-name", name: "name", type: "text", autocomplete: "off", defaultValue: s.holderQuery.name, "aria-describedby": "find-name-hint" }),
        ),
      ),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "find-submit", disabled: s.busy !== undefined }, t("issuerFindSubmit"))),
    ),
    h("div", { id: "list-notice", tabindex: "-1" }, s.notice === undefined ? null : h("p", { class: "notice ok", role: "status" }, s.notice), emptyError === undefined ? errorBox(s.error) : null),
    statusLine(s.busy, "find-busy"),
    s.holders === undefined ? null : results(app, s, s.holders),
  ];
}

function results(app: IssuerApp, s: IssuerState, holders: readonly HolderView[]): Child {
  return h(
    "section",
    { class: "panel", "aria-labelledby": "find-results" },
    h("h2", { id: "find-results", tabindex: "-1" }, t("issuerFindResults"), " ", h("span", { class: "hint", role: "status" }, holders.length === 0 ? t("issuerFindNone") : t("issuerFindCount", { count: holders.length }))),
    holders.length === 0
      ? null
      : h(
          "ul",
          { class: "found", id: "found-list" },
          holders.map((holder, i) =>
            h(
              "li",
              { key: `${holder.credentials[0]?.id ?? i}`, "data-reference": holder.reference },
              holderCard(s, holder, "h3"),
              holder.credentials.map((c) => {
                const actions: Action[] = c.status === "revoked" || c.status === "unknown" ? [] : c.status === "suspended" ? ["reinstate", "revoke"] : ["suspend", "revoke"];
                const name = personName(holder.familyName, holder.givenName);
                return h(
                  "div",
                  { class: "actions", "data-credential-id": c.id },
                  badge(c),
                  h("span", { class: "mono hint" }, c.id.replace(/^urn:uuid:/, "").slice(0, 8)),
                  actions.map((a) => {
                    const id = `find-${a}-${c.id.replace(/[^A-Za-z0-9]/g, "")}`;
                    return h(
                      "button",
                      {
                        type: "button",
                        id,
                        class: a === "revoke" ? "danger" : "secondary",
                        "data-action": a,
                        "aria-label": `${t(actionKey(a))}: ${name} (${holder.reference})`,
                        disabled: c.pendingChange || s.busy !== undefined,
                        onclick: () => void askStatusChange(app, { id: c.id, action: a, type: holder.type, opener: id, holder }),
                      },
                      t(actionKey(a)),
                    );
                  }),
                );
              }),
            ),
          ),
        ),
  );
}
