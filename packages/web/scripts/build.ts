/**
 * Builds the web app into `packages/web/dist` with Vite.
 *
 *   node packages/web/scripts/build.ts             build
 *   node packages/web/scripts/build.ts --if-stale  build only when dist is missing or older than a source
 *
 * `pnpm build:web` runs the first; `scripts/start.ts` runs the second before serving the pages, so a fresh
 * clone gets its pages built on the first `pnpm start`.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeWalletPrecache } from "./precache.ts";

const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the built pages go. */
export const WEB_DIST = join(webDir, "dist");

/** Sources whose change makes the build stale: the app, and the wallet and core code it bundles. */
const SOURCES = [
  join(webDir, "src"),
  join(webDir, "public"),
  join(webDir, "index.html"),
  join(webDir, "wallet"),
  join(webDir, "verifier"),
  join(webDir, "issuer"),
  join(webDir, "auditor"),
  join(webDir, "vite.config.ts"),
  join(webDir, "..", "wallet", "src"),
  join(webDir, "..", "core", "src"),
];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry === "dist") continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

/** Whether the built pages are missing or older than their sources. */
export function webBuildIsStale(): boolean {
  const built = join(WEB_DIST, "index.html");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newest(s) > builtAt);
}

/**
 * Runs the Vite build (production mode); resolves with the output directory. The build goes to a private
 * directory first and is then swapped in with renames, so that two processes building at once (two test files
 * starting the network, say) never serve or delete each other's half-written output.
 */
export async function buildWeb(options: { readonly quiet?: boolean } = {}): Promise<string> {
  const { build } = await import("vite");
  const tmp = `${WEB_DIST}.tmp-${process.pid}-${Date.now()}`;
  try {
    await build({
      configFile: join(webDir, "vite.config.ts"),
      mode: "production",
      logLevel: options.quiet === true ? "warn" : "info",
      // Vite's manifest lists every chunk the wallet's page loads: the service worker's precache is made from it.
      build: { outDir: tmp, emptyOutDir: true, manifest: true },
    });
    writeWalletPrecache(tmp);
    const old = `${WEB_DIST}.old-${process.pid}-${Date.now()}`;
    try {
      renameSync(WEB_DIST, old);
    } catch {
      // no previous build (or another process just moved it away)
    }
    try {
      renameSync(tmp, WEB_DIST);
    } catch (e) {
      // Another process swapped its build in first: theirs is as good as ours.
      if (!existsSync(join(WEB_DIST, "index.html"))) throw e;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return WEB_DIST;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes("--if-stale");
  if (ifStale && !webBuildIsStale()) {
    console.log(`web app is up to date (${WEB_DIST})`);
  } else {
    const started = Date.now();
    buildWeb({ quiet: ifStale }).then(
      (dir) => console.log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dir}`),
      (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
      },
    );
  }
}
