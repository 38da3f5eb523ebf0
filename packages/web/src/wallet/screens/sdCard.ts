/**
 * One card held as SD-JWT VC copies, in full (issue 12): the card face with its portrait, every claim in words,
 * who issued it, validity, copies left, the last status check (the last known one while offline), "get more
 * copies", and "remove this card" behind a confirmation dialog.
 */
import { type Child, h } from "../../lib/dom.ts";
import { type Lang, formatDate, formatDateTime, lang, t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import type { WalletApp, WalletState } from "../app.ts";
import { idCard, statusText, titleOf } from "../card.ts";
import { LOW_COPIES, getMoreCopiesFor, removeSdJwtCard } from "../care.ts";
import { FACE_FIELDS, displayName, labelOf, valueOf } from "../cardWords.ts";
import type { SdJwtCard } from "../sdjwt/copies.ts";
import { busyLine, heading } from "./parts.ts";

/** "Get more copies" (when the issuer gave a refresh grant), with a word on why when copies run low. */
export function moreCopiesAction(app: WalletApp, s: WalletState, card: SdJwtCard, where: "list" | "details"): Child {
  if (!s.refreshable.has(card.batch)) return null;
  const low = card.remaining <= LOW_COPIES;
  if (where === "list" && !low) return null;
  // A revoked or expired card gets no new copies: say so instead of offering a button that cannot work.
  const state = s.statuses.get(card.batch)?.state;
  if (state === "revoked" || state === "expired") return h("p", { class: "notice info", "data-no-more-copies": "" }, t("careNoLongerIssued"));
  const hintId = `more-hint-${where}-${card.batch.slice(0, 12)}`;
  const working = s.busy === t("careMoreCopiesBusy");
  return h(
    "div",
    { class: "more-copies" },
    low ? h("p", { class: "hint", id: hintId }, t("careMoreCopiesLow", { n: card.remaining })) : null,
    h(
      "button",
      {
        type: "button",
        class: low ? "" : "secondary",
        "data-more-copies": card.batch,
        "aria-describedby": low ? hintId : undefined,
        disabled: s.busy !== undefined,
        "aria-busy": working ? "true" : undefined,
        onclick: () => void getMoreCopiesFor(app, card.batch),
      },
      // The card list has no busy line: the button itself says the copies are on their way.
      working ? t("careMoreCopiesBusy") : t("careMoreCopies"),
    ),
  );
}

/**
 * Every claim of a card in words, in the order a person reads a card: the name (in the language's order), the
 * type's main fields, then the rest; each age threshold as its own yes/no line. The portrait is on the face.
 */
export function claimsInWords(claims: Readonly<Record<string, unknown>>, type: string, l: Lang): [string, string][] {
  const rows: [string, string][] = [[l === "ko" ? "이름" : "Name", displayName(claims, l)]];
  const main = FACE_FIELDS[type] ?? [];
  const rest = Object.keys(claims)
    .filter((k) => !main.includes(k) && !["familyName", "givenName", "portrait", "age_equal_or_over"].includes(k))
    .sort((a, b) => labelOf(a, l).localeCompare(labelOf(b, l), l));
  for (const k of [...main.filter((k) => k in claims), ...rest]) rows.push([labelOf(k, l), valueOf(k, claims[k], l)]);
  const ages = claims["age_equal_or_over"];
  if (typeof ages === "object" && ages !== null) {
    for (const [n, v] of Object.entries(ages as Record<string, unknown>).sort(([a], [b]) => Number(a) - Number(b))) {
      if (typeof v === "boolean") rows.push([l === "ko" ? `만 ${n}세 이상` : `${n} or older`, valueOf("", v, l)]);
    }
  }
  return rows;
}

export function sdCardScreen(app: WalletApp, s: WalletState, card: SdJwtCard): Child {
  const title = titleOf(card.type, s.cards)?.[lang()] ?? card.type;
  const status = s.statuses.get(card.batch);
  const issuerName = s.issuerNames.get(card.issuer) ?? status?.issuerName;
  const fact = (label: string, value: Child, attrs: Record<string, string> = {}) => [h("dt", null, label), h("dd", attrs, value)];
  return [
    heading(title),
    s.notice === undefined ? null : h("p", { class: "notice ok", role: "status", id: "care-notice" }, s.notice),
    errorBox(s.error, "care-error"),
    busyLine(s),
    idCard({
      credential: { id: card.batch, type: card.type, title: titleOf(card.type, s.cards), claims: card.claims, validFrom: card.validFrom, validUntil: card.validUntil },
      status,
      issuerName,
      copies: { remaining: card.remaining, total: card.copies },
    }),
    h(
      "section",
      { class: "panel", "aria-labelledby": "care-claims" },
      h("h2", { id: "care-claims" }, t("careClaimsHeading")),
      h(
        "dl",
        { class: "claims care-claims" },
        claimsInWords(card.claims, card.type, lang()).flatMap(([label, value]) => [h("dt", null, label), h("dd", null, value)]),
      ),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "care-facts" },
      h("h2", { id: "care-facts" }, t("careFactsHeading")),
      h(
        "dl",
        { class: "claims care-facts" },
        fact(t("careIssuer"), issuerName ?? "…", { "data-fact": "issuer" }),
        fact(t("careValidity"), t("careValidityRange", { from: formatDate(card.validFrom), until: formatDate(card.validUntil) }), { "data-fact": "validity" }),
        fact(t("careCopies"), t("careCopiesCount", { n: card.remaining, total: card.copies }), { "data-fact": "copies" }),
        fact(
          t("careLastCheck"),
          status?.checkedAt === undefined
            ? t("careNeverChecked")
            : `${statusText(status.state)} · ${status.stale === true ? t("statusLastKnown", { time: formatDateTime(status.checkedAt) }) : t("statusCheckedAt", { time: formatDateTime(status.checkedAt) })}`,
          { "data-fact": "last-check" },
        ),
      ),
      h("p", { class: "hint" }, t("careCopiesWhy")),
      moreCopiesAction(app, s, card, "details"),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => app.router.back({ name: "cards" }) }, t("back")),
      h("button", { type: "button", class: "danger", id: "care-remove", disabled: s.busy !== undefined, onclick: () => void removeSdJwtCard(app, card.batch) }, t("careRemove")),
    ),
  ];
}
