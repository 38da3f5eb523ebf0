/** The confirmation before a status change: whose card (name, portrait, reference, type), the reason, then act. */
import { type Child, formValues, h } from "../../lib/dom.ts";
import { lang, pick, t } from "../../lib/i18n.ts";
import { modalDialog } from "../../lib/dialog.ts";
import { REASON_LABELS, reasonLabel } from "../../lib/words.ts";
import { cancelStatusChange, changeStatus } from "../actions.ts";
import { type IssuerApp, type IssuerState, type PendingAction, actionKey } from "../app.ts";
import { holderCard } from "./holderCard.ts";

export function confirmDialog(app: IssuerApp, s: IssuerState, pending: PendingAction): Child {
  const label = t(actionKey(pending.action));
  const typeTitle = pick(s.types.find((x) => x.name === pending.type)?.title, pending.type);
  return modalDialog(
    { id: "confirm-dialog", headingId: "confirm-heading", onClose: () => cancelStatusChange(app) },
    h("h2", { id: "confirm-heading" }, t("issuerConfirmTitle", { action: label })),
    h(
      "section",
      { "aria-label": t("issuerConfirmWhose"), id: "confirm-holder", "aria-busy": pending.holder === undefined ? "true" : "false" },
      pending.holder === undefined
        ? h("p", { class: "notice info", role: "status" }, t("issuerConfirmLoading"))
        : pending.holder === null
          ? h("p", { class: "notice warn" }, t("issuerConfirmUnknownHolder"))
          : holderCard(s, pending.holder),
      h("p", { class: "hint" }, `${typeTitle} · ${t("issuerCardNumber")}: `, h("span", { class: "mono" }, pending.id.replace(/^urn:uuid:/, ""))),
    ),
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void changeStatus(app, pending.id, pending.action, String(formValues(e.currentTarget as HTMLFormElement)["reason"]));
        },
      },
      h("label", { for: "confirm-reason" }, t("issuerReason")),
      h(
        "select",
        { id: "confirm-reason", name: "reason" },
        Object.keys(REASON_LABELS)
          .filter((k) => k !== "GRANTED" && k !== "RENEWED")
          .map((k) => h("option", { value: k, selected: k === (pending.action === "reinstate" ? "REVIEW_CLEARED" : "ADMINISTRATIVE") }, reasonLabel(k, lang()))),
      ),
      pending.action === "revoke" ? h("p", { class: "notice warn" }, t("issuerRevokeWarning")) : null,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", id: "confirm-submit", class: pending.action === "revoke" ? "danger" : "", "data-confirm": pending.action, disabled: s.busy !== undefined }, t("issuerConfirm", { action: label })),
        h("button", { type: "button", id: "confirm-cancel", class: "secondary", onclick: () => cancelStatusChange(app) }, t("issuerCancel")),
      ),
    ),
  );
}
