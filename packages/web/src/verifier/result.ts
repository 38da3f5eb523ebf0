/** The verifier counter's result panel. */
import type { RequestView } from "../lib/api.ts";
import { type Child, h } from "../lib/dom.ts";
import { lang, t } from "../lib/i18n.ts";
import { claimLabel, claimValue, verificationSentence } from "../lib/words.ts";

/** The outcome: a large green or red state, the reason in words, and the claims that were shared. */
export function resultView(r: RequestView, typeTitle: (name: string) => string, issuerNames: ReadonlyMap<string, string>): Child {
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
      outcome?.ledger === undefined ? null : h("p", { class: "code" }, t("verifierCheckedAt", { block: outcome.ledger.blockNumber })),
    ),
    ok && outcome !== undefined
      ? h(
          "section",
          { class: "panel" },
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
                  Object.entries(c.claims).flatMap(([k, v]) => [h("dt", null, claimLabel(k, lang())), h("dd", null, claimValue(v, lang()))]),
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
