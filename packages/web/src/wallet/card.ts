/** An ID card as the wallet draws it: type band (Korean and English title), holder, issuer, validity, status. */
import type { CredentialDetails } from "@mobile-id/wallet/browser";
import { type Child, h } from "../lib/dom.ts";
import { type MessageKey, formatDate, formatDateTime, lang, t } from "../lib/i18n.ts";
import { claimLabel, claimValue } from "../lib/words.ts";
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
  const family = typeof claims["familyName"] === "string" ? claims["familyName"] : "";
  const given = typeof claims["givenName"] === "string" ? claims["givenName"] : "";
  return lang() === "ko" ? `${family}${given}` : `${given} ${family}`.trim();
}

/** The claims as a definition list. */
export function claimList(claims: Readonly<Record<string, unknown>>): Child {
  return h(
    "dl",
    { class: "claims" },
    Object.entries(claims).flatMap(([k, v]) => [h("dt", null, claimLabel(k, lang())), h("dd", null, claimValue(v, lang()))]),
  );
}

/** When the status was established, in words (never a block number): live, or the last known one while offline. */
function checkedLine(status: CardStatus | undefined): Child {
  if (status?.checkedAt === undefined) return null;
  const time = formatDateTime(status.checkedAt);
  return h("span", { class: "hint", "data-checked-at": String(status.checkedAt), "data-stale": String(status.stale === true) }, status.stale === true ? t("statusLastKnown", { time }) : t("statusCheckedAt", { time }));
}

const KEY_CLAIMS = ["studentNumber", "institution", "employeeNumber", "agency", "licenseNumber", "licenseClasses", "birthDate"];

export function idCard(params: {
  readonly credential: Pick<CredentialDetails, "id" | "type" | "title" | "claims" | "validFrom" | "validUntil">;
  readonly status: CardStatus | undefined;
  readonly issuerName: string | undefined;
  readonly full?: boolean;
  readonly actions?: Child;
}): Child {
  const c = params.credential;
  const headingId = `card-${c.id.slice(0, 12)}`;
  const claims = params.full === true ? claimList(c.claims) : h(
    "p",
    { class: "meta" },
    KEY_CLAIMS.filter((k) => c.claims[k] !== undefined).slice(0, 2).map((k) => `${claimLabel(k, lang())} ${claimValue(c.claims[k], lang())}`).join(" · "),
  );
  return h(
    "article",
    { class: `idcard type-${c.type}`, "aria-labelledby": headingId, "data-credential-id": c.id, "data-type": c.type },
    h("div", { class: "band" }, h("span", { class: "ko", id: headingId, lang: "ko" }, c.title?.ko ?? c.type), h("span", { class: "en", lang: "en" }, c.title?.en ?? "")),
    h(
      "div",
      { class: "body" },
      h("p", { class: "name" }, holderName(c.claims)),
      claims,
      h("p", { class: "meta" }, `${t("cardIssuer")}: `, h("span", { "data-issuer-name": "" }, params.issuerName ?? params.status?.issuerName ?? "…")),
      h("p", { class: "meta" }, `${t("cardValidity")}: ${c.validFrom === undefined ? "" : formatDate(c.validFrom)} – ${formatDate(c.validUntil)}`),
      h(
        "div",
        { class: "row" },
        statusBadge(params.status),
        checkedLine(params.status),
      ),
      params.actions ?? null,
    ),
  );
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
