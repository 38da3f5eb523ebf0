/**
 * The browser tests' accessibility check, in one place: axe-core (WCAG 2.0/2.1 A and AA) on a page as it is and in
 * the other language (the header's switch), then back; serious and critical violations are collected for one
 * assertion at the end of a file.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[]; readonly failureSummary?: string }[];
}

/** The serious and critical axe violations on `page` now, one line each (`id (impact) at target: summary`). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Injected through the debugging protocol, which the pages' Content-Security-Policy does not govern.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(() =>
    (window as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[] }> } }).axe
      .run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
      .then((r) => r.violations),
  )) as Violation[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) at ${n.target.join(" ")}: ${n.failureSummary ?? v.help}`));
}

/**
 * An audit function for one test file: each call runs axe on the page in its language and in the other one (then
 * switches back), adding `<name>/<lang>` to `checked` and every serious or critical violation to `found`;
 * `onEach(lang)` runs after each language's check (e.g. a screenshot).
 */
export function createAxeAudit(found: string[], checked: string[], onEach?: (page: Page, name: string, lang: string) => Promise<unknown>) {
  return async (page: Page, name: string): Promise<void> => {
    for (const round of [0, 1]) {
      const lang = await page.evaluate(() => document.documentElement.lang);
      for (const v of await seriousViolations(page)) found.push(`${name}/${lang}: ${v}`);
      checked.push(`${name}/${lang}`);
      await onEach?.(page, name, lang);
      // Through the DOM: a modal dialog's backdrop covers the header (the language still switches under it).
      await page.evaluate(() => document.querySelector<HTMLButtonElement>("header button.lang")?.click());
      await page.waitForFunction((l) => document.documentElement.lang !== l, lang);
      if (round === 1) break;
    }
  };
}
