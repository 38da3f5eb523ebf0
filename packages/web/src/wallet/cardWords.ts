/**
 * Card contents in words a citizen reads (issue 12 "The card"): licence classes by name, enrolment and rank tracks
 * spelled out, the holder's name in the order of the language on screen, and each disclosable claim of a consent
 * screen as a sentence. Pure.
 */
import type { Lang } from "../lib/i18n.ts";
import { claimLabel, claimValue } from "../lib/words.ts";

type Pair = { readonly ko: string; readonly en: string };

/** Driver's licence classes (도로교통법 시행규칙 별표 18), learner's permits and special sub-classes distinct. */
export const LICENCE_CLASSES: Readonly<Record<string, Pair>> = {
  "1-large": { ko: "1종 대형", en: "Class 1 large" },
  "1-ordinary": { ko: "1종 보통", en: "Class 1 ordinary" },
  "1-small": { ko: "1종 소형", en: "Class 1 small" },
  "1-special": { ko: "1종 특수", en: "Class 1 special" },
  "1-special-large-trailer": { ko: "1종 특수 (대형견인차)", en: "Class 1 special (large trailer)" },
  "1-special-small-trailer": { ko: "1종 특수 (소형견인차)", en: "Class 1 special (small trailer)" },
  "1-special-wrecker": { ko: "1종 특수 (구난차)", en: "Class 1 special (wrecker)" },
  "2-ordinary": { ko: "2종 보통", en: "Class 2 ordinary" },
  "2-small": { ko: "2종 소형", en: "Class 2 small" },
  "2-motorized-bicycle": { ko: "2종 원동기장치자전거", en: "Class 2 moped" },
  "learner-1-ordinary": { ko: "1종 보통 연습면허", en: "Learner's permit, class 1 ordinary" },
  "learner-2-ordinary": { ko: "2종 보통 연습면허", en: "Learner's permit, class 2 ordinary" },
};

const RANK_TRACKS: Readonly<Record<string, Pair>> = {
  general: { ko: "일반직", en: "General service" },
  "senior-executive": { ko: "고위공무원단", en: "Senior Executive Service" },
  research: { ko: "연구직", en: "Research" },
  guidance: { ko: "지도직", en: "Extension (guidance)" },
  specialist: { ko: "전문경력관", en: "Specialist" },
  specific: { ko: "특정직", en: "Special service" },
  "fixed-term": { ko: "임기제", en: "Fixed-term" },
  political: { ko: "정무직", en: "Political" },
};

/** A claim's name in words (the shared labels of `lib/words.ts`). */
export const labelOf = claimLabel;

/** A claim's value in words: licence classes and other codes by name, lists joined. */
export function valueOf(name: string, value: unknown, lang: Lang): string {
  if (name === "licenseClasses" && Array.isArray(value)) return value.map((v) => LICENCE_CLASSES[String(v)]?.[lang] ?? String(v)).join(", ");
  if (name === "rankTrack" && typeof value === "string") return RANK_TRACKS[value]?.[lang] ?? value;
  if (typeof value === "boolean") return lang === "ko" ? (value ? "예" : "아니오") : value ? "Yes" : "No";
  return claimValue(value, lang);
}

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

/**
 * The holder's name as the card shows it in `lang`: Korean family name first with no space (김민준); in English the
 * English name if the card carries one (Minjun Kim), else given then family for Latin names, and a Hangul name as
 * written (a Hangul name is never reordered into "민준 김").
 *
 * @example
 * ```ts
 * displayName({ familyName: "김", givenName: "민준", englishName: "Minjun Kim" }, "en") // "Minjun Kim"
 * ```
 */
export function displayName(claims: Readonly<Record<string, unknown>>, lang: Lang): string {
  const family = typeof claims["familyName"] === "string" ? claims["familyName"] : "";
  const given = typeof claims["givenName"] === "string" ? claims["givenName"] : "";
  const english = typeof claims["englishName"] === "string" ? claims["englishName"] : undefined;
  const hangul = HANGUL.test(family + given);
  if (lang === "en" && english !== undefined) return english;
  if (hangul || lang === "ko") return hangul ? `${family}${given}` : `${given} ${family}`.trim();
  return `${given} ${family}`.trim();
}

/** The main fields a card face shows per type, in order. */
export const FACE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  StudentIDCredential: ["institution", "department", "studentNumber", "enrollmentStatus"],
  DriversLicenseCredential: ["licenseClasses", "licenseNumber", "aptitudeTestUntil", "conditions"],
  CivilServantIDCredential: ["agency", "position", "rankTrack", "grade"],
  ResidentIDCredential: ["birthDate", "residentRegistrationNumber", "address"],
};

/**
 * What a disclosure of `path` tells the verifier, in one sentence (age predicates say they answer yes/no only).
 *
 * @example
 * ```ts
 * claimSentence(["age_equal_or_over", "19"], "en") // "Whether you are 19 or older (yes or no, nothing else)"
 * ```
 */
export function claimSentence(path: string | readonly string[], lang: Lang): string {
  const parts = typeof path === "string" ? path.split(".") : path;
  const [head = "", second] = parts;
  if (head === "age_equal_or_over" && second !== undefined) {
    return lang === "ko" ? `만 ${second}세 이상인지 여부 (예/아니오만, 생년월일은 알리지 않음)` : `Whether you are ${second} or older (yes or no, not your birth date)`;
  }
  if (head === "portrait") return lang === "ko" ? "사진 (얼굴 대조용)" : "Your photo (to compare with your face)";
  if (head === "residentRegistrationNumber") return lang === "ko" ? "주민등록번호 전체 (법에서 요구하는 경우만)" : "Your full resident registration number (only where a law requires it)";
  return labelOf(head, lang);
}
