import { domainToASCII, domainToUnicode } from "node:url";

/** Why a human-readable string was refused. */
export const TextProblem = {
  LONE_SURROGATE: "LONE_SURROGATE",
  CONTROL_CHARACTER: "CONTROL_CHARACTER",
  BIDI_CONTROL: "BIDI_CONTROL",
  INVISIBLE_ONLY: "INVISIBLE_ONLY",
} as const;
export type TextProblem = (typeof TextProblem)[keyof typeof TextProblem];

// In a `u` regex a well-formed surrogate pair is one code point, so \p{Cs} matches only a lone half.
const LONE_SURROGATE = /\p{Cs}/u;
// C0 and C1 controls and DEL (general category Cc). Names and claim values are single-line text: no tab or
// newline either.
const CONTROL = /\p{Cc}/u;
// Bidi embeddings and overrides (U+202A-202E) and isolates (U+2066-2069): they reorder what a reader sees,
// so that a name can display as another one (Trojan Source, CVE-2021-42574).
const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
// What renders as nothing: white space and format characters (zero-width space/joiners, BOM, tags...), and
// default-ignorable or blank characters outside Cf: Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the
// combining grapheme joiner, Khmer inherent vowels, Mongolian selectors, the Braille blank, variation selectors.
const BLANK_FORMAT = /[\p{White_Space}\p{Cf}]/gu;
const isOtherInvisible = (cp: number): boolean =>
  cp === 0x115f ||
  cp === 0x1160 ||
  cp === 0x3164 ||
  cp === 0xffa0 ||
  cp === 0x034f ||
  cp === 0x17b4 ||
  cp === 0x17b5 ||
  (cp >= 0x180b && cp <= 0x180f) ||
  cp === 0x2800 ||
  (cp >= 0xfe00 && cp <= 0xfe0f) ||
  (cp >= 0xe0100 && cp <= 0xe01ef);

/**
 * Checks a human-readable string (a name, a claim value): refuses lone surrogates, control characters, bidi
 * overrides and isolates, and a non-empty string made only of invisible characters. Returns the problem, or
 * `undefined` when the text is acceptable. Pure.
 *
 * @example
 * ```ts
 * checkHumanText("김민준");         // undefined
 * checkHumanText("\u3164");         // "INVISIBLE_ONLY"
 * checkHumanText("abc\u202edcba");  // "BIDI_CONTROL"
 * ```
 */
export function checkHumanText(text: string): TextProblem | undefined {
  if (LONE_SURROGATE.test(text)) return TextProblem.LONE_SURROGATE;
  if (CONTROL.test(text)) return TextProblem.CONTROL_CHARACTER;
  if (BIDI.test(text)) return TextProblem.BIDI_CONTROL;
  if (text.length > 0 && [...text.replace(BLANK_FORMAT, "")].every((c) => isOtherInvisible(c.codePointAt(0) ?? 0))) {
    return TextProblem.INVISIBLE_ONLY;
  }
  return undefined;
}

/**
 * The first refused string anywhere inside a JSON value (object values and array items, at any depth), with its
 * JSON pointer; object keys are checked too. `undefined` when every string is acceptable.
 *
 * @example
 * ```ts
 * findBadText({ givenName: "a\u0000" }); // { path: "/givenName", problem: "CONTROL_CHARACTER" }
 * ```
 */
export function findBadText(value: unknown, path = ""): { readonly path: string; readonly problem: TextProblem } | undefined {
  if (typeof value === "string") {
    const problem = checkHumanText(value);
    return problem === undefined ? undefined : { path: path === "" ? "/" : path, problem };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], `${path}/${i}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      const pointer = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      const keyProblem = checkHumanText(key);
      if (keyProblem !== undefined) return { path: pointer, problem: keyProblem };
      const bad = findBadText(v, pointer);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain name in its ASCII (punycode) form, or `undefined` if it is not one: internationalised names are
 * converted (`서울대.kr` → `xn--vk1bo1ydle.kr`), case is folded, and the result must be a host name by RFC 1123
 * (labels of 1-63 letters, digits and inner hyphens, 253 characters at most, no empty label, no trailing dot) that
 * is not an IP address (the last label is not numeric). Pure.
 *
 * @example
 * ```ts
 * normalizeDomain("Library.SNU.ac.kr"); // "library.snu.ac.kr"
 * normalizeDomain("a..b");              // undefined
 * ```
 */
export function normalizeDomain(input: string): string | undefined {
  if (input.length === 0 || input.length > 253 || checkHumanText(input) !== undefined) return undefined;
  // Letters, marks, digits, dots and hyphens only: the WHATWG host parser would otherwise cut `exa/mple.com` to
  // `exa`, map `%`-escapes and read IPv6 brackets.
  if (/[^\p{L}\p{M}\p{N}.-]/u.test(input)) return undefined;
  // WHATWG host parsing: IDNA (UTS 46) mapping and punycode; '' when the name cannot be converted.
  const ascii = domainToASCII(input);
  if (ascii === "" || ascii.length > 253) return undefined;
  const labels = ascii.split(".");
  if (!labels.every((l) => LABEL.test(l))) return undefined;
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? "")) return undefined;
  // A punycode label must decode to non-ASCII text: Node passes malformed `xn--` labels through unchanged, and
  // domainToUnicode then returns them as they are.
  if (labels.some((l) => l.startsWith("xn--") && domainToUnicode(l) === l)) return undefined;
  return ascii;
}
