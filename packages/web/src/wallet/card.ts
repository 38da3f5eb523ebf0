/** An ID card as the wallet draws it: type band (Korean and English title), holder, issuer, validity, status. */
import type { CredentialDetails } from "@mobile-id/wallet/browser";
import { type Child, h } from "../lib/dom.ts";
import { type MessageKey, formatDateTime, lang, t } from "../lib/i18n.ts";
import { cardFace } from "./cardFace.ts";
import { displayName, labelOf, valueOf } from "./cardWords.ts";
import type { CardState, CardStatus } from "./status.ts";

const BADGE: Readonly<Record<CardState, { readonly key: MessageKey; readonly tone: "ok" | "bad" | "warn" | "neutral" }>> = {
  valid: { key: "statusValid", tone: "ok" },
  revoked: { key: "statusRevoked", tone: "bad" },
  suspended: { key: "statusSuspended", tone: "warn" },
  expired: { key: "statusExpired", tone: "bad" },
  "not-yet-valid": { key: "statusNotYetValid", tone: "warn" },
  "issuer-not-in-force": { key: "statusIssuerNotInForce", tone: "bad" },
  "bad-signature": { key: "statusBadSignature", tone: "bad" },
  unknown: { key: "statusUnknown", tone: "neutral" },
};

export function statusText(state: CardState): string {
  return t(BADGE[state].key);
}

/** The status badge: text first (colour is never the only signal). */
export function statusBadge(status: CardStatus | undefined): Child {
  if (status === undefined) return h("span", { class: "badge neutral", "data-status": "checking" }, `… ${t("statusChecking")}`);
  const b = BADGE[status.state];
  const mark = b.tone === "ok" ? "●" : b.tone === "neutral" ? "?" : "▲";
  return h("span", { class: `badge ${b.tone}`, "data-status": status.state, "data-stale": String(status.stale === true) }, `${mark} ${t(b.key)}`);
}

/** The holder's name as the card shows it (Korean order: family name first). */
export function holderName(claims: Readonly<Record<string, unknown>>): string {
  return displayName(claims, lang());
}

/** The claims as a definition list. */
export function claimList(claims: Readonly<Record<string, unknown>>): Child {
  return h(
    "dl",
    { class: "claims" },
    // The portrait is on the card face; the list says what every other item is, in words.
    Object.entries(claims)
      .filter(([k]) => k !== "portrait")
      .flatMap(([k, v]) => [h("dt", null, labelOf(k, lang())), h("dd", null, valueOf(k, v, lang()))]),
  );
}

/** When the status was established, in words (never a block number): live, or the last known one while offline. */
function checkedLine(status: CardStatus | undefined): Child {
  if (status?.checkedAt === undefined) return null;
  const time = formatDateTime(status.checkedAt);
  return h("span", { class: "hint", "data-checked-at": String(status.checkedAt), "data-stale": String(status.stale === true) }, status.stale === true ? t("statusLastKnown", { time }) : t("statusCheckedAt", { time }));
}


export function idCard(params: {
  readonly credential: Pick<CredentialDetails, "id" | "type" | "title" | "claims" | "validFrom" | "validUntil">;
  readonly status: CardStatus | undefined;
  readonly issuerName: string | undefined;
  readonly full?: boolean;
  readonly actions?: Child;
  readonly copies?: { readonly remaining: number; readonly total: number };
}): Child {
  const c = params.credential;
  return cardFace({
    id: c.id,
    type: c.type,
    title: c.title,
    claims: c.claims,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    status: params.status,
    issuerName: params.issuerName ?? params.status?.issuerName,
    ...(params.copies === undefined ? {} : { copies: params.copies }),
    // Copies' status (Token Status List) is checked by the verifier at presentation; no badge pretends otherwise here.
    statusRow: params.copies !== undefined && params.status === undefined ? null : h("div", { class: "row" }, statusBadge(params.status), checkedLine(params.status)),
    details: params.full === true ? claimList(c.claims) : null,
    actions: params.actions,
  });
}

const KNOWN_TITLES: Readonly<Record<string, { readonly en: string; readonly ko: string }>> = {
  StudentIDCredential: { en: "Student ID", ko: "학생증" },
  CivilServantIDCredential: { en: "Civil-servant ID", ko: "공무원증" },
  DriversLicenseCredential: { en: "Driver's licence", ko: "운전면허증" },
  ResidentIDCredential: { en: "Resident ID", ko: "주민등록증" },
};

/** A credential type's title: as a held card of that type has it, else the four types' own titles. */
export function titleOf(type: string, cards: readonly Pick<CredentialDetails, "type" | "title">[]): { readonly en: string; readonly ko: string } | undefined {
  return cards.find((c) => c.type === type)?.title ?? KNOWN_TITLES[type];
}
