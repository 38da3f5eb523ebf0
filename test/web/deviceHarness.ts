import { join } from "node:path";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { repoRoot } from "../support/run.ts";

/**
 * The web wallet's device modules (`fixtures/walletDeviceHarness.ts`) bundled for a browser test, and a caller that
 * runs one of them in the wallet's own page (its origin, its IndexedDB): how a test puts SD-JWT VC copies bound to
 * the page's non-extractable keys into the device vault without the OpenID4VCI receive screen.
 */
export async function deviceHarness(): Promise<<T>(page: Page, fn: string, ...args: unknown[]) => Promise<T>> {
  const bundled = await build({
    entryPoints: [join(repoRoot, "test/web/fixtures/walletDeviceHarness.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    absWorkingDir: join(repoRoot, "packages/web"),
    logLevel: "silent",
  });
  const source = bundled.outputFiles[0]!.text;
  return async <T>(page: Page, fn: string, ...args: unknown[]): Promise<T> => {
    if (!(await page.evaluate(() => "midDevice" in window))) await page.evaluate(source);
    return page.evaluate(([name, a]) => (window as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>)["midDevice"]![name as string]!(...(a as unknown[])), [fn, args] as const) as Promise<T>;
  };
}
