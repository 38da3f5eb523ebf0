#!/usr/bin/env node
// @ts-check
/**
 * `mid`, the shipped entry: runs the bundle in ../dist (see ../scripts/bundle.ts), plain JavaScript so that
 * starting it type-strips nothing. In the workspace (dist/build.json lists the sources the bundle came from) it
 * rebuilds the bundle first when it is missing or a source changed since; a packed copy has no build record and
 * runs its bundle as it is.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import module from "node:module";
import { URL } from "node:url";

const dist = new URL("../dist/", import.meta.url);
const entry = new URL("main.js", dist);

/** @returns {boolean} whether dist/ must be (re)built before it runs */
function stale() {
  let record;
  try {
    record = /** @type {{ builtAt: number; inputs: string[] }} */ (JSON.parse(readFileSync(new URL("build.json", dist), "utf8")));
  } catch {
    return !existsSync(entry);
  }
  for (const input of record.inputs) {
    try {
      if (statSync(new URL(input, dist)).mtimeMs > record.builtAt) return true;
    } catch {
      return true;
    }
  }
  return false;
}

// Keep V8's compiled code of the bundle between runs (Node's on-disk compile cache, invalidated by content).
module.enableCompileCache?.();
let url = entry.href;
if (stale()) {
  const { bundleMid } = /** @type {typeof import("../scripts/bundle.ts")} */ (await import("../scripts/bundle.ts"));
  url = (await bundleMid()).entry;
}
const { main } = /** @type {typeof import("../src/main.ts")} */ (await import(url));
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (/** @type {unknown} */ e) => {
    console.error(e);
    process.exit(2);
  },
);
