/**
 * What a clerk asks for, in the clerk's words, mapped onto today's request format (the accepted credential types:
 * the holder presents any one of them; the format has no per-claim request yet, so every template asks for whole
 * cards and the counter shows only what the template is about). Pure: no DOM, no clock of its own.
 */

export type TemplateId = "age19" | "student" | "identity" | "custom";

export interface RequestTemplate {
  readonly id: TemplateId;
  /** The accepted types: any one of them answers the request. Empty for `custom` (the clerk ticks them). */
  readonly types: readonly string[];
  /** The claims the result shows; `undefined`: every claim of the card. */
  readonly shows: readonly string[] | undefined;
}

/** The templates, in the order the counter offers them. */
export const TEMPLATES: readonly RequestTemplate[] = [
  // An ID with a birth date: resident registration card or driver's licence. The result shows the answer, not the date.
  { id: "age19", types: ["ResidentIDCredential", "DriversLicenseCredential"], shows: ["familyName", "givenName"] },
  { id: "student", types: ["StudentIDCredential"], shows: ["familyName", "givenName", "studentNumber", "institution", "department", "enrollmentStatus"] },
  { id: "identity", types: ["ResidentIDCredential", "DriversLicenseCredential"], shows: undefined },
  { id: "custom", types: [], shows: undefined },
];

/**
 * The request body for a template (`custom`: the ticked types, in the services' order).
 *
 * @example
 * ```ts
 * requestBody("age19", []); // { credentialTypes: ["ResidentIDCredential", "DriversLicenseCredential"] }
 * ```
 */
export function requestBody(id: TemplateId, ticked: readonly string[]): { readonly credentialTypes: readonly string[] } {
  const template = TEMPLATES.find((x) => x.id === id);
  return { credentialTypes: template === undefined || template.id === "custom" ? [...ticked] : [...template.types] };
}

/**
 * Whether a person born on `birthDate` (YYYY-MM-DD) is "19 or older" under Korea's youth-protection rule (청소년보호법:
 * the year of birth counts, not the birthday: from 1 January of the year one turns 19), on the day `now` (ms,
 * read in Korean time). `undefined` when the date is missing or not a date.
 *
 * @example
 * ```ts
 * isNineteenOrOlder("2007-12-31", Date.UTC(2026, 0, 1)); // true: born in 2007, 2026 - 2007 = 19
 * ```
 */
export function isNineteenOrOlder(birthDate: unknown, now: number): boolean | undefined {
  if (typeof birthDate !== "string") return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const koreaYear = new Date(now + 9 * 3600_000).getUTCFullYear();
  return koreaYear - year >= 19;
}

/** The claims a template's result shows, in the card's order. */
export function shownClaims(id: TemplateId, claims: Readonly<Record<string, unknown>>): [string, unknown][] {
  const shows = TEMPLATES.find((x) => x.id === id)?.shows;
  return Object.entries(claims).filter(([k]) => k !== "id" && (shows === undefined || shows.includes(k)));
}

/** How long a result stays on the counter's screen (seconds), unless the counter chose otherwise. */
export const DEFAULT_CLEAR_SECONDS = 30;
const CLEAR_KEY = "mobile-id.counter.clear-seconds";

/** The counter's chosen result time (seconds, 1 to 600 as stored; else 30). */
export function clearSeconds(storage: { getItem(key: string): string | null }): number {
  let raw: string | null = null;
  try {
    raw = storage.getItem(CLEAR_KEY);
  } catch {
    // no storage: the default
  }
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && n >= 1 && n <= 600 ? n : DEFAULT_CLEAR_SECONDS;
}

/** Stores the counter's result time (seconds, 1 to 600). */
export function setClearSeconds(storage: { setItem(key: string, value: string): void }, seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) throw new RangeError("result time must be 1 to 600 seconds");
  storage.setItem(CLEAR_KEY, String(seconds));
}
