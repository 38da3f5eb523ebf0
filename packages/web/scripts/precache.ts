/**
 * The wallet's precache manifest, made at build time: every file the wallet page loads (its HTML, the scripts and
 * styles of its entry and of every chunk they import, statically or lazily, the web app manifest and the icons),
 * so that the service worker stores all of them when it installs and the wallet opens without a network even when
 * the browser's HTTP cache has been cleared. The cache's name carries a hash of the files' bytes: a new build
 * installs a new cache and the old one is deleted when the new worker activates.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One entry of Vite's `.vite/manifest.json` (the fields used here). */
export interface ViteManifestChunk {
  readonly file: string;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly css?: readonly string[];
  readonly assets?: readonly string[];
}

/**
 * The output files (paths relative to the build directory) that the page of `entry` loads: its chunk, the chunks
 * it imports (statically and dynamically, transitively), their styles and assets. Sorted, without duplicates.
 *
 * @example
 * ```ts
 * chunkFiles({ "wallet/index.html": { file: "assets/wallet-1.js", imports: ["_shared.js"] }, "_shared.js": { file: "assets/shared-2.js", css: ["assets/shared-3.css"] } }, "wallet/index.html");
 * // ["assets/shared-2.js", "assets/shared-3.css", "assets/wallet-1.js"]
 * ```
 */
export function chunkFiles(manifest: Readonly<Record<string, ViteManifestChunk>>, entry: string): string[] {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (chunk === undefined) throw new Error(`precache: ${key} is not in Vite's manifest`);
    files.add(chunk.file);
    for (const f of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(f);
    for (const k of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(k);
  };
  visit(entry);
  return [...files].sort();
}

/** The line of `sw.js` the build replaces with the manifest (in the sources it declares no precache: dev mode). */
export const PRECACHE_PLACEHOLDER = "const PRECACHE = { version: \"dev\", urls: [] };";

/**
 * Writes the precache manifest into the built `wallet/sw.js` of `outDir` (base URL `/app/`), from Vite's manifest,
 * which is then removed from the output (it is not a page's file). Returns the manifest written.
 *
 * @example
 * ```ts
 * const { version, urls } = writeWalletPrecache("packages/web/dist"); // urls: ["/app/assets/…js", …, "/app/wallet/"]
 * ```
 */
export function writeWalletPrecache(outDir: string): { readonly version: string; readonly urls: readonly string[] } {
  const manifestPath = join(outDir, ".vite", "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, ViteManifestChunk>;
  const files = [
    ...chunkFiles(manifest, "wallet/index.html"),
    "wallet/index.html",
    ...readdirSync(join(outDir, "wallet"))
      .filter((f) => f !== "sw.js" && f !== "index.html")
      .map((f) => `wallet/${f}`)
      .sort(),
  ];
  const hash = createHash("sha256");
  for (const f of files) {
    if (!existsSync(join(outDir, f))) throw new Error(`precache: ${f} was not built`);
    hash.update(f).update("\0").update(readFileSync(join(outDir, f))).update("\0");
  }
  // The page itself is fetched at its directory URL (/app/wallet/), as the browser asks for it.
  const urls = files.map((f) => (f === "wallet/index.html" ? "/app/wallet/" : `/app/${f}`));
  const precache = { version: hash.digest("hex").slice(0, 16), urls };
  const swPath = join(outDir, "wallet", "sw.js");
  const sw = readFileSync(swPath, "utf8");
  if (!sw.includes(PRECACHE_PLACEHOLDER)) throw new Error(`precache: ${swPath} lacks the line ${PRECACHE_PLACEHOLDER}`);
  writeFileSync(swPath, sw.replace(PRECACHE_PLACEHOLDER, `const PRECACHE = ${JSON.stringify(precache)};`));
  rmSync(join(outDir, ".vite"), { recursive: true, force: true });
  return precache;
}
