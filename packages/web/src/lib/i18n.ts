/**
 * Korean and English interface text. Korean is the default; the choice is kept in localStorage. Every string
 * a page shows comes from here (or from the ledger, in the language it was recorded in).
 * The tables themselves are in `messages/`.
 */
import { en } from "./messages/en.ts";
import { type MessageKey, ko } from "./messages/ko.ts";

export type { MessageKey };

export type Lang = "ko" | "en";
const STORAGE_KEY = "mobile-id.lang";
const tables: Record<Lang, Record<MessageKey, string>> = { ko, en };
let current: Lang = readLang();
const listeners = new Set<() => void>();

function readLang(): Lang {
  if (typeof location === "undefined") return "ko";
  try {
    const fromUrl = new URLSearchParams(location.search).get("lang");
    if (fromUrl === "en" || fromUrl === "ko") return fromUrl;
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "ko";
  } catch {
    return "ko";
  }
}

/** The current language. */
export function lang(): Lang {
  return current;
}

/** Switches the language, remembers it, updates `<html lang>` and tells the page to re-render. */
export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: the choice lasts for this page only
  }
  if (typeof document !== "undefined") document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function onLangChange(listener: () => void): void {
  listeners.add(listener);
}

/** A message in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars: Readonly<Record<string, string | number>> = {}): string {
  return tables[current][key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Picks the text of a `{ ko, en }` pair. */
export function pick(pair: { readonly ko: string; readonly en: string } | undefined, fallback = ""): string {
  return pair === undefined ? fallback : pair[current];
}

/** Dates as people read them here: 2026. 11. 29. / 29 Nov 2026. */
export function formatDate(seconds: number): string {
  return new Date(seconds * 1000).toLocaleDateString(current === "ko" ? "ko-KR" : "en-GB", { year: "numeric", month: "short", day: "numeric" });
}

export function formatDateTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString(current === "ko" ? "ko-KR" : "en-GB", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** The language tables, for the completeness test. */
export const MESSAGES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = tables;
if (typeof document !== "undefined") document.documentElement.lang = current;
