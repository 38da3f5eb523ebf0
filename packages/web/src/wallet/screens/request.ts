/** A verifier's request: who asks, what exactly would be shared, consent or decline, and the verifier's answer. */
import type { PreparePresentationReturnType } from "@mobile-id/wallet/browser";
import type { RequestView } from "../../lib/api.ts";
import { type Child, h } from "../../lib/dom.ts";
import { formatDateTime, lang, t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import { verificationSentence } from "../../lib/words.ts";
import { type WalletApp, type WalletState, toCards } from "../app.ts";
import { claimList, statusText, titleOf } from "../card.ts";
import { consent, decline } from "../requests.ts";
import { busyLine, heading } from "./parts.ts";

export function requestScreen(app: WalletApp, s: WalletState): Child {
  const r = s.request;
  const back = h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", id: "request-back", onclick: () => toCards(app) }, t("back")));
  if (r?.outcome !== undefined) {
    const ok = r.outcome.verified;
    return [
      heading(t("requestTitle")),
      h(
        "div",
        { class: `result ${ok ? "ok" : "bad"}`, role: "status", id: "present-result", "data-verified": String(ok) },
        h("span", { class: "big" }, ok ? `✓ ${t("verifierVerified")}` : `✕ ${t("verifierRejected")}`),
        h("p", { class: "reason" }, ok ? t("presentedOk") : `${t("presentedRejected")} ${verificationSentence(r.outcome.code, lang())}`),
        ok ? null : h("p", { class: "code" }, r.outcome.code ?? ""),
      ),
      back,
    ];
  }
  if (r?.declined === true) return [heading(t("requestTitle")), h("p", { class: "notice info", role: "status" }, t("requestDeclined")), back];
  const v = r?.view;
  const p = r?.preview;
  const typeNames = (types: readonly string[]) => types.map((x) => titleOf(x, s.cards)?.[lang()] ?? x).join(", ");
  return [
    heading(t("requestTitle")),
    busyLine(s),
    errorBox(s.error),
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
          h("dd", null, typeNames(v.request.credentialTypes)),
          h("dt", null, t("requestExpires")),
          h("dd", null, formatDateTime(v.request.expiresAt)),
        ),
    v === undefined || p === undefined ? (p === undefined && s.busy === undefined ? back : null) : consentForm(app, s, v, p, typeNames),
  ];
}

type Candidate = PreparePresentationReturnType["items"][number]["candidates"][number];

/** One card the holder may show: its choice control, issuer, every item, and a warning if it is not valid. */
function candidate(s: WalletState, c: Candidate, label: string | undefined, control: Child): Child {
  const status = s.statuses.get(c.id);
  const warn = status !== undefined && status.state !== "valid" && status.state !== "unknown";
  return h(
    "div",
    { class: "candidate" },
    label === undefined ? control : h("label", { class: "check" }, control, label),
    h("p", { class: "meta" }, `${t("cardIssuer")}: ${status?.issuerName ?? c.issuer}`),
    claimList(c.claims),
    warn ? h("p", { class: "notice warn" }, t("requestWarnStatus", { status: statusText(status.state) })) : null,
  );
}

function consentForm(app: WalletApp, s: WalletState, v: RequestView, p: PreparePresentationReturnType, typeNames: (types: readonly string[]) => string): Child {
  const anyOne = p.items.length > 1;
  return h(
    "form",
    {
      // Nothing is sent by submitting the form (Enter in a field, a stray key): only a press of the consent button.
      onsubmit: (e: Event) => e.preventDefault(),
    },
    h("h2", null, t("requestShared")),
    h("p", { class: "notice warn" }, t("requestSharedNote")),
    p.missingTypes.length === 0 ? null : h("p", { class: "notice info" }, t("requestMissing", { types: typeNames(p.missingTypes) })),
    anyOne
      ? // The counter accepts any one of several kinds: the holder shows one card, not one of each.
        h(
          "fieldset",
          null,
          h("legend", null, t("requestChooseOne")),
          p.items.flatMap((item) => item.candidates.map((c) => candidate(s, c, item.title[lang()], h("input", { type: "radio", name: "choice", value: c.id, defaultChecked: c.id === p.items[0]?.candidates[0]?.id })))),
        )
      : p.items.map((item) =>
          h(
            "fieldset",
            null,
            h("legend", null, item.title[lang()]),
            item.candidates.map((c, i) =>
              item.candidates.length > 1
                ? candidate(s, c, t("requestChoose"), h("input", { type: "radio", name: `choice-${item.type}`, value: c.id, defaultChecked: i === 0 }))
                : candidate(s, c, undefined, h("input", { type: "hidden", name: `choice-${item.type}`, value: c.id })),
            ),
          ),
        ),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          id: "consent-button",
          class: "ok",
          disabled: s.busy !== undefined,
          onclick: (e: Event) => {
            const form = (e.currentTarget as HTMLElement).closest("form");
            if (form !== null) void consent(app, v, p, form);
          },
        },
        t("requestConsent"),
      ),
      h("button", { type: "button", class: "secondary", id: "decline-button", onclick: () => decline(app) }, t("requestDecline")),
    ),
  );
}
