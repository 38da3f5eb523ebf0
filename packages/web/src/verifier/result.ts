/** The verifier counter's result panel. */
import type { RequestView, VerificationOutcome } from "../lib/api.ts";
import { type Child, h } from "../lib/dom.ts";
import { formatDateTime, lang, t } from "../lib/i18n.ts";
import { claimLabel, claimValue, verificationSentence } from "../lib/words.ts";
import { type TemplateId, isNineteenOrOlder, shownClaims } from "./templates.ts";

/** "as of" the ledger, in words: the time, and how old it was if the ledger could not be reached. Never a block number. */
function asOf(outcome: VerificationOutcome, receivedAt: number): Child {
  const at = outcome.ledgerAsOf?.checkedAt ?? outcome.ledger?.timestamp;
  if (at === undefined) return null;
  const minutes = Math.floor((receivedAt - at) / 60);
  const time = formatDateTime(at);
  return h("p", { class: "as-of", id: "result-as-of", "data-as-of": String(at) }, minutes >= 1 ? t("verifierAsOfOld", { time, minutes }) : t("verifierAsOf", { time }));
}

/** The answer to "19 or older", from the birth date, which itself is not shown. */
function ageVerdict(outcome: VerificationOutcome): Child {
  const answers = (outcome.credentials ?? []).map((c) => isNineteenOrOlder(c.claims["birthDate"], Date.now()));
  const answer = answers.includes(true) ? true : answers.includes(false) ? false : undefined;
  return h(
    "p",
    { class: `big age ${answer === true ? "ok" : "bad"}`, id: "age-verdict", "data-age19": String(answer) },
    answer === true ? `✓ ${t("verifierAge19Yes")}` : answer === false ? `✕ ${t("verifierAge19No")}` : `? ${t("verifierAge19Unknown")}`,
  );
}

/** The outcome: a large green or red state, the reason in words, and what the template shows of the shared card. */
export function resultView(r: RequestView, template: TemplateId, typeTitle: (name: string) => string, issuerNames: ReadonlyMap<string, string>, now: number): Child {
  const outcome = r.outcome;
  const ok = outcome?.verified === true;
  const failed = outcome?.checks.find((c) => !c.passed);
  return [
    h(
      "div",
      { class: `result ${ok ? "ok" : "bad"}`, id: "result-banner", "data-verified": String(ok), "data-code": outcome?.code ?? "" },
      h("span", { class: "big" }, ok ? `✓ ${t("verifierVerified")}` : `✕ ${t("verifierRejected")}`),
      ok ? null : h("p", { class: "reason", id: "result-reason" }, verificationSentence(outcome?.code, lang())),
      ok ? null : h("p", { class: "code" }, [outcome?.code, failed?.message].filter((x) => x !== undefined).join(" · ")),
      outcome === undefined ? null : asOf(outcome, now),
    ),
    ok && outcome !== undefined
      ? h(
          "section",
          { class: "panel" },
          template === "age19" ? ageVerdict(outcome) : null,
          h("h2", null, t("verifierClaims")),
          (outcome.credentials ?? []).map((c) =>
            h(
              "div",
              { class: `idcard type-${c.type}` },
              h("div", { class: "band" }, h("span", { class: "ko" }, typeTitle(c.type))),
              h(
                "div",
                { class: "body" },
                h(
                  "dl",
                  { class: "claims", id: "shared-claims" },
                  shownClaims(template, c.claims).flatMap(([k, v]) => [h("dt", null, claimLabel(k, lang())), h("dd", null, claimValue(v, lang()))]),
                  h("dt", null, t("cardIssuer")),
                  h("dd", null, issuerNames.get(c.issuer) ?? c.issuer),
                ),
              ),
            ),
          ),
          outcome.holder === undefined ? null : h("p", { class: "hint" }, `${t("verifierHolder")}: `, h("span", { class: "mono" }, outcome.holder)),
        )
      : null,
  ];
}
