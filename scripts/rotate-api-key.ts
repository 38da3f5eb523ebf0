/**
 * `pnpm api-key:rotate <agency>`: gives one agency a new issuer API key. Its hash replaces the old one in
 * `<data-dir>/services/api-key-hashes.json` (the old key stops working when the services next start) and the
 * key is printed once; it is not stored anywhere. Also the way back when the hash file was lost: rotate every
 * agency's key, then start.
 *
 *   node scripts/rotate-api-key.ts [--data-dir DIR] <agency slug>
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { MobileIdError } from "@mobile-id/core";
import { apiKeyHashesPath, rotateApiKey } from "@mobile-id/server";
import { reportError } from "./lib/ledger.ts";

const USAGE = "usage: node scripts/rotate-api-key.ts [--data-dir DIR] <agency slug>";

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({ options: { "data-dir": { type: "string", default: ".data" } }, allowPositionals: true, strict: true });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const slug = parsed.positionals[0];
  if (slug === undefined || parsed.positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const servicesDir = join(parsed.values["data-dir"], "services");
  const hashesPath = apiKeyHashesPath(servicesDir);
  const known =
    existsSync(join(parsed.values["data-dir"], "issuer", `${slug}.sqlite`)) ||
    (existsSync(hashesPath) && Object.hasOwn(JSON.parse(readFileSync(hashesPath, "utf8")) as object, slug));
  if (!known) {
    throw new MobileIdError("INVALID_ARGUMENT", `no agency "${slug}" in ${parsed.values["data-dir"]}`, {
      details: { slug },
      hint: "name an agency the services run (snu, seoul, seoul-license, jongno on the development roster); check --data-dir",
    });
  }
  const key = rotateApiKey({ dir: servicesDir, slug });
  console.log(`new API key for ${slug} (shown once; only its hash is kept, in ${hashesPath}):`);
  console.log(`  ${key}`);
  console.log("the services use it from their next start (restart pnpm start); the old key then stops working.");
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  process.exitCode = reportError(e);
}
