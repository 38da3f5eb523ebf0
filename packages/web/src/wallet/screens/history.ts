/**
 * The presentation history (issue 11, "the wallet remembers what it shared"): when, to whom (registered name), which
 * claims, the outcome; export as JSON, delete one or all. Read from the wallet package's encrypted state.
 */
import { type PresentationRecord, deletePresentationHistory, exportPresentationHistory, listPresentationHistory } from "@mobile-id/wallet/browser";
import { h as component } from "preact";
import { useEffect, useState } from "preact/hooks";
import { type Child, h } from "../../lib/dom.ts";
import { type MessageKey, formatDateTime, lang, t } from "../../lib/i18n.ts";
import type { WalletApp, WalletState } from "../app.ts";
import { claimSentence } from "../cardWords.ts";
import { backButton, heading } from "./parts.ts";

const OUTCOME_WORDS: Readonly<Record<PresentationRecord["outcome"], MessageKey>> = {
  shared: "historyShared",
  declined: "historyDeclined",
  failed: "historyFailed",
  refused: "historyRefused",
};

function recordItem(r: PresentationRecord, onDelete: () => void): Child {
  return h(
    "li",
    { class: "history-record", "data-outcome": r.outcome, "data-record-id": r.id },
    h("p", { class: "history-when" }, formatDateTime(r.at)),
    h("p", { class: "party-name" }, r.relyingParty.name === "" ? t("presentRefusedUnknownParty") : r.relyingParty.name),
    r.purpose === "" ? null : h("p", { class: "hint" }, r.purpose),
    h("p", { class: `badge history-outcome ${r.outcome === "shared" ? "ok" : r.outcome === "declined" ? "neutral" : "warn"}` }, [t(OUTCOME_WORDS[r.outcome]), r.code === undefined ? "" : ` (${r.code})`].join("")),
    r.credentials.length === 0
      ? null
      : h(
          "ul",
          { class: "history-claims" },
          r.credentials.flatMap((c) => c.claims.map((claim) => h("li", { "data-claim": claim }, claimSentence(claim, lang())))),
        ),
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", "data-delete": r.id, "aria-label": t("historyDeleteOne", { when: formatDateTime(r.at) }), onclick: onDelete }, t("historyDelete"))),
  );
}

function History(props: { readonly app: WalletApp }): Child {
  const { app } = props;
  const [records, setRecords] = useState<readonly PresentationRecord[] | undefined>(undefined);
  const [confirmAll, setConfirmAll] = useState(false);
  const wallet = app.store.get().wallet;
  const reload = () => {
    if (wallet !== undefined) void listPresentationHistory({ wallet }).then(setRecords, () => setRecords([]));
  };
  useEffect(reload, [wallet]);
  if (wallet === undefined || records === undefined) return h("p", { role: "status" }, t("loading"));
  const exportJson = async () => {
    const doc = await exportPresentationHistory({ wallet });
    const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "mobile-id-presentation-history.json";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return h(
    "div",
    null,
    h("p", null, t("historyLead")),
    records.length === 0
      ? h("p", { class: "notice info", id: "history-empty" }, t("historyEmpty"))
      : [
          h(
            "ul",
            { class: "history-list", id: "history-list" },
            records.map((r) => recordItem(r, () => void deletePresentationHistory({ wallet, id: r.id }).then(reload))),
          ),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", class: "secondary", id: "history-export", onclick: () => void exportJson() }, t("historyExport")),
            confirmAll
              ? h("button", { type: "button", class: "danger", id: "history-delete-all-confirm", onclick: () => void deletePresentationHistory({ wallet, all: true }).then(() => { setConfirmAll(false); reload(); }) }, t("historyDeleteAllConfirm"))
              : h("button", { type: "button", class: "secondary", id: "history-delete-all", onclick: () => setConfirmAll(true) }, t("historyDeleteAll")),
          ),
        ],
  );
}

export function historyScreen(app: WalletApp, _s: WalletState): Child {
  return [heading(t("historyTitle")), component(History, { app }), backButton(app)];
}
