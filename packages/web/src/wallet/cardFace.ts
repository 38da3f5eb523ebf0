/**
 * The card face (issue 12 "The card"): the type's band, the issuer's seal, the portrait, the holder's name in the
 * order of the language on screen, the type's main fields in words, validity, and a live strip a screenshot cannot
 * fake: a sheen whose position follows the clock, the time to the second and "checked N s ago", updated every
 * second. A card that is not valid (revoked, suspended, expired, ...) is greyed with a banner that says why in
 * words and whom to contact. No ledger block numbers.
 */
import { type Child, h } from "../lib/dom.ts";
import { type MessageKey, formatDate, lang, t } from "../lib/i18n.ts";
import { FACE_FIELDS, displayName, labelOf, valueOf } from "./cardWords.ts";
import type { CardState, CardStatus } from "./status.ts";

/** One second of the sheen's cycle is this many milliseconds of wall-clock time. */
const SHEEN_PERIOD_MS = 4000;

const BANNER: Partial<Record<CardState, { readonly title: MessageKey; readonly reason: MessageKey }>> = {
  revoked: { title: "faceRevokedTitle", reason: "faceRevokedReason" },
  suspended: { title: "faceSuspendedTitle", reason: "faceSuspendedReason" },
  expired: { title: "faceExpiredTitle", reason: "faceExpiredReason" },
  "not-yet-valid": { title: "faceNotYetTitle", reason: "faceNotYetReason" },
  "issuer-not-in-force": { title: "faceIssuerTitle", reason: "faceIssuerReason" },
  "bad-signature": { title: "faceBadSigTitle", reason: "faceBadSigReason" },
};

/** Whether a card in this state must look unusable. */
export function isUnusable(state: CardState | undefined): boolean {
  return state !== undefined && BANNER[state] !== undefined;
}

/** The issuer's seal: a round stamp with the first characters of its name (decorative; the name is in text). */
function seal(issuerName: string | undefined): Child {
  const mark = [...(issuerName ?? "").replace(/\s+/g, "")].slice(0, 2).join("") || "·";
  return h(
    "svg",
    { class: "seal", viewBox: "0 0 48 48", width: 44, height: 44, "aria-hidden": "true", focusable: "false" },
    h("circle", { cx: 24, cy: 24, r: 21, fill: "none", stroke: "currentColor", "stroke-width": 3 }),
    h("circle", { cx: 24, cy: 24, r: 16, fill: "none", stroke: "currentColor", "stroke-width": 1 }),
    h("text", { x: 24, y: 29, "text-anchor": "middle", "font-size": 13, "font-weight": 700, fill: "currentColor" }, mark),
  );
}

function portrait(claims: Readonly<Record<string, unknown>>, name: string): Child {
  const src = claims["portrait"];
  if (typeof src === "string" && src.startsWith("data:image/jpeg;base64,")) {
    return h("img", { class: "portrait", src, alt: t("facePortraitAlt", { name }), width: 96, height: 120 });
  }
  return h(
    "div",
    { class: "portrait none", role: "img", "aria-label": t("faceNoPortrait") },
    h("svg", { viewBox: "0 0 96 120", width: 96, height: 120, "aria-hidden": "true", focusable: "false" }, h("circle", { cx: 48, cy: 44, r: 22, fill: "#9aa3b2" }), h("path", { d: "M10 120c4-30 20-44 38-44s34 14 38 44z", fill: "#9aa3b2" })),
  );
}

function clockText(ms: number): string {
  return new Date(ms).toLocaleTimeString(lang() === "ko" ? "ko-KR" : "en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function agoText(checkedAt: number | undefined, nowMs: number): string {
  if (checkedAt === undefined) return t("faceNotChecked");
  return t("faceCheckedAgo", { n: Math.max(0, Math.floor(nowMs / 1000) - checkedAt) });
}

/** The live strip: sheen phase = wall clock, the time to the second, and how long ago the status was checked. */
function liveStrip(status: CardStatus | undefined): Child {
  const now = Date.now();
  return h(
    "div",
    { class: "live", "data-live": "" },
    h("span", { class: "sheen", "aria-hidden": "true", style: `animation-delay: -${now % SHEEN_PERIOD_MS}ms` }),
    h("time", { class: "clock", "data-live-clock": "" }, clockText(now)),
    h("span", { class: "ago", "data-checked-ago": status?.checkedAt === undefined ? "" : String(status.checkedAt) }, agoText(status?.checkedAt, now)),
  );
}

/**
 * Updates every card's live strip once a second (outside the redraw cycle, so a quiet screen stays live).
 *
 * @example
 * ```ts
 * startLiveTicker(); // once, in main.ts
 * ```
 */
export function startLiveTicker(): () => void {
  // The text node Preact made is updated in place (setting textContent would replace it, and the next redraw, say
  // after a language switch, would then write into a node no longer on screen).
  const write = (el: HTMLElement, text: string) => {
    const node = el.firstChild;
    if (node instanceof Text && node.nextSibling === null) node.data = text;
    else el.textContent = text;
  };
  const tick = () => {
    const now = Date.now();
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("[data-live-clock]"))) write(el, clockText(now));
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("[data-checked-ago]"))) {
      const at = el.dataset["checkedAgo"];
      write(el, agoText(at === undefined || at === "" ? undefined : Number(at), now));
    }
  };
  const timer = window.setInterval(tick, 1000);
  return () => window.clearInterval(timer);
}

/** What a card face shows. */
export interface CardFaceParameters {
  readonly id: string;
  readonly type: string;
  readonly title: { readonly ko: string; readonly en: string } | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly validFrom: number | undefined;
  readonly validUntil: number;
  readonly status: CardStatus | undefined;
  readonly issuerName: string | undefined;
  /** SD-JWT VC: unused copies left of how many. */
  readonly copies?: { readonly remaining: number; readonly total: number };
  /** The status badge and checked line of the caller (card.ts). */
  readonly statusRow?: Child;
  readonly details?: Child;
  readonly actions?: Child;
}

/**
 * Draws a card face.
 *
 * @example
 * ```ts
 * cardFace({ id, type: "DriversLicenseCredential", title, claims, validFrom, validUntil, status, issuerName })
 * ```
 */
export function cardFace(p: CardFaceParameters): Child {
  const l = lang();
  const headingId = `card-${p.id.slice(0, 12)}`;
  const name = displayName(p.claims, l);
  const state = p.status?.state;
  const banner = state === undefined ? undefined : BANNER[state];
  const issuer = p.issuerName ?? "…";
  const fields = (FACE_FIELDS[p.type] ?? []).filter((k) => p.claims[k] !== undefined && p.claims[k] !== "");
  return h(
    "article",
    {
      class: `idcard type-${p.type}${banner === undefined ? "" : " unusable"}`,
      "aria-labelledby": headingId,
      "data-credential-id": p.id,
      "data-type": p.type,
      "data-state": state ?? "checking",
    },
    h("div", { class: "band" }, h("span", { class: "ko", id: headingId, lang: "ko" }, p.title?.ko ?? p.type), h("span", { class: "en", lang: "en" }, p.title?.en ?? "")),
    banner === undefined
      ? null
      : h(
          "div",
          { class: "card-banner", "data-banner": state ?? "" },
          h("p", { class: "banner-title" }, `▲ ${t(banner.title)}`),
          h("p", null, t(banner.reason, { date: formatDate(state === "not-yet-valid" ? (p.validFrom ?? p.validUntil) : p.validUntil) })),
          h("p", null, t("faceContact", { issuer })),
        ),
    h(
      "div",
      { class: "face" },
      portrait(p.claims, name),
      h(
        "div",
        { class: "who" },
        h("p", { class: "name", "data-holder-name": "" }, name),
        h(
          "dl",
          { class: "face-fields" },
          fields.flatMap((k) => [h("dt", null, labelOf(k, l)), h("dd", null, valueOf(k, p.claims[k], l))]),
        ),
      ),
    ),
    h(
      "div",
      { class: "body" },
      h("div", { class: "issuer-line" }, seal(p.issuerName), h("p", { class: "meta" }, `${t("cardIssuer")}: `, h("span", { "data-issuer-name": "" }, issuer))),
      h("p", { class: "meta" }, `${t("cardValidity")}: ${p.validFrom === undefined ? "" : formatDate(p.validFrom)} – ${formatDate(p.validUntil)}`),
      p.copies === undefined ? null : h("p", { class: "meta", "data-copies-left": String(p.copies.remaining) }, t("faceCopiesLeft", { n: p.copies.remaining, total: p.copies.total })),
      liveStrip(p.status),
      p.statusRow ?? null,
      p.details ?? null,
      p.actions ?? null,
    ),
  );
}
