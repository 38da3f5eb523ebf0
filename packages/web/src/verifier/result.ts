/** The verifier counter's result panel: green with the portrait large, red with the reason in words, or declined. */
import { type Child, h } from "../lib/dom.ts";
import { formatDateTime, lang, t } from "../lib/i18n.ts";
import { claimLabel, claimValue, verificationSentence } from "../lib/words.ts";
import type { Openid4vpOutcome, Openid4vpResult } from "./openid4vpApi.ts";
import { type TemplateId, ageOver19, shownClaims } from "./templates.ts";

type Verified = Extract<Openid4vpOutcome, { declined: false }>;

/** "as of" the ledger, in words: the time, and how old it was if the ledger could not be reached. Never a block number. */
function asOf(outcome: Verified, receivedAt: number): Child {
  const at = outcome.ledgerAsOf?.checkedAt;
  if (at === undefined) return null;
  const minutes = Math.floor((receivedAt - at) / 60);
  const time = formatDateTime(at);
  return h("p", { class: "as-of", id: "result-as-of", "data-as-of": String(at) }, minutes >= 1 ? t("verifierAsOfOld", { time, minutes }) : t("verifierAsOf", { time }));
}

/** The answer to "19 or older", as the issuer signed it (`age_equal_or_over.19`): the birth date is never asked. */
function ageVerdict(outcome: Verified): Child {
  const answers = outcome.credentials.map((c) => ageOver19(c.claims));
  const answer = answers.includes(true) ? true : answers.includes(false) ? false : undefined;
  return h(
    "p",
    { class: `big age ${answer === true ? "ok" : "bad"}`, id: "age-verdict", "data-age19": String(answer) },
    answer === true ? `✓ ${t("verifierAge19Yes")}` : answer === false ? `✕ ${t("verifierAge19No")}` : `? ${t("verifierAge19Unknown")}`,
  );
}

/** The outcome: declined, or a large green or red state with the reason in words and what was shared. */
export function resultView(r: Openid4vpResult, template: TemplateId, typeTitle: (name: string) => string, issuerNames: ReadonlyMap<string, string>, now: number): Child {
  const outcome = r.outcome;
  if (r.state === "declined" || outcome?.declined === true) {
    return h(
      "div",
      { class: "result declined", id: "result-banner", "data-verified": "false", "data-declined": "true", "data-code": "access_denied" },
      h("span", { class: "big" }, `— ${t("verifierDeclined")}`),
      h("p", { class: "reason", id: "result-reason" }, t("verifierDeclinedHint")),
    );
  }
  const ok = outcome?.verified === true;
  const code = outcome?.code ?? (outcome === undefined ? "OUTCOME_UNAVAILABLE" : undefined);
  return [
    h(
      "div",
      { class: `result ${ok ? "ok" : "bad"}`, id: "result-banner", "data-verified": String(ok), "data-declined": "false", "data-code": code ?? "" },
      h("span", { class: "big" }, ok ? `✓ ${t("verifierVerified")}` : `✕ ${t("verifierRejected")}`),
      ok ? null : h("p", { class: "reason", id: "result-reason" }, outcome === undefined ? t("verifierOutcomeGone") : verificationSentence(code, lang())),
      // The stable code for a support call; the service's English message stays out of a Korean screen.
      ok || outcome?.code === undefined ? null : h("p", { class: "code" }, outcome.code),
      outcome === undefined ? null : asOf(outcome, now),
    ),
    ok && outcome !== undefined
      ? h(
          "section",
          { class: "panel" },
          template === "age19" ? ageVerdict(outcome) : null,
          h("h2", null, t("verifierClaims")),
          outcome.credentials.map((c) => {
            const portrait = typeof c.claims["portrait"] === "string" && c.claims["portrait"].startsWith("data:image/") ? c.claims["portrait"] : undefined;
            const rows = shownClaims(c.claims);
            return h(
              "div",
              { class: `idcard counter-card type-${c.type}`, "data-type": c.type },
              h("div", { class: "band" }, h("span", { class: "ko" }, typeTitle(c.type))),
              h(
                "div",
                { class: "body" },
                // Large, for comparing with the face in front of the clerk.
                portrait === undefined ? null : h("img", { class: "counter-portrait", id: "result-portrait", src: portrait, alt: t("verifierPortraitAlt"), width: 240, height: 300 }),
                h(
                  "dl",
                  { class: "claims", id: "shared-claims" },
                  rows.flatMap(([k, v]) => [h("dt", null, claimLabel(k, lang())), h("dd", null, claimValue(v, lang()))]),
                  h("dt", null, t("cardIssuer")),
                  h("dd", null, issuerNames.get(c.issuer) ?? c.issuer),
                ),
              ),
            );
          }),
        )
      : null,
  ];
}
