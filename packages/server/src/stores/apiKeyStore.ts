import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { MobileIdError } from "@mobile-id/core";
import { DataFileErrorCode, ensurePrivateDir } from "@mobile-id/core/data-files";
import { type ApiKeyRecord, generateApiKey, hashApiKey } from "../auth.ts";

/** The file of the agencies' API key hashes, under the services' data directory. Only hashes: no key is kept. */
export function apiKeyHashesPath(servicesDir: string): string {
  return join(servicesDir, "api-key-hashes.json");
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

function readHashes(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new MobileIdError(DataFileErrorCode.DATA_FILE_DAMAGED, `the API key hash file ${path} is damaged`, {
      cause,
      details: { path },
      hint: `restore ${path} from a backup, or remove it and run \`pnpm api-key:rotate <agency>\` for every agency`,
    });
  }
  if (parsed === null || typeof parsed !== "object" || Object.values(parsed).some((v) => typeof v !== "string" || !/^[0-9a-f]{64}$/.test(v))) {
    throw new MobileIdError(DataFileErrorCode.DATA_FILE_DAMAGED, `the API key hash file ${path} is damaged`, {
      details: { path },
      hint: `restore ${path} from a backup, or remove it and run \`pnpm api-key:rotate <agency>\` for every agency`,
    });
  }
  return parsed as Record<string, string>;
}

/** Replaces the file atomically (write 0600, fsync, rename, fsync the directory): a crash leaves old or new. */
function writeHashes(dir: string, path: string, hashes: Readonly<Record<string, string>>): void {
  ensurePrivateDir(dir);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(hashes, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/**
 * Loads the agencies' API key hashes. A key is made (and returned once, in plain, to be printed) only for an
 * agency that is new: no hash and no issuance database yet. An agency whose database exists but whose hash
 * is gone (the file deleted or damaged) is refused, never silently given a new key: whoever holds the old
 * key would be locked out and a new one would be minted unnoticed. Only hashes are written.
 *
 * @example
 * ```ts
 * const { records, created } = loadApiKeys({ dir: ".data/services", agencies: [{ slug: "snu", established: true }] });
 * ```
 */
export function loadApiKeys(params: {
  readonly dir: string;
  /** Each agency, and whether it has state already (its issuance database exists). */
  readonly agencies: readonly { readonly slug: string; readonly established: boolean }[];
}): { records: ApiKeyRecord[]; created: Record<string, string> } {
  const path = apiKeyHashesPath(params.dir);
  const plainCopy = join(params.dir, "agency-api-keys.json");
  if (existsSync(plainCopy)) {
    // Written by earlier versions. Not deleted here (it may be the operator's only copy of the keys).
    process.emitWarning(`${plainCopy} holds the agencies' API keys in plain text (written by an earlier version): keep the keys elsewhere and delete it`, {
      code: "MID_PLAINTEXT_API_KEYS",
    });
  }
  const existed = existsSync(path);
  const hashes = existed ? readHashes(path) : {};
  const orphaned = params.agencies.filter((a) => a.established && hashes[a.slug] === undefined).map((a) => a.slug);
  if (orphaned.length > 0) {
    throw new MobileIdError(
      DataFileErrorCode.DATA_FILE_MISSING,
      existed ? `the API key hash file ${path} has no key for ${orphaned.join(", ")}` : `the API key hash file ${path} is missing`,
      {
        details: { path, agencies: orphaned },
        hint: `restore ${path} from a backup; or give ${orphaned.length === 1 ? "the agency" : "each agency"} a new key with ${orphaned
          .map((s) => `\`pnpm api-key:rotate ${s}\``)
          .join(", ")} (the old key then stops working)`,
      },
    );
  }
  const created: Record<string, string> = {};
  for (const { slug } of params.agencies) {
    if (hashes[slug] === undefined) {
      const key = generateApiKey();
      created[slug] = key;
      hashes[slug] = hashApiKey(key);
    }
  }
  // Written before any key is shown: a crash in between loses the printout (rotate then), never leaves a
  // shown key without its hash.
  if (Object.keys(created).length > 0) writeHashes(params.dir, path, hashes);
  return { records: Object.entries(hashes).map(([tenant, keyHash]) => ({ tenant, keyHash })), created };
}

/**
 * Gives one agency a new API key: its hash replaces the old one (which stops working at the services' next
 * start), and the key is returned once, to be printed; it is not stored.
 *
 * @example
 * ```ts
 * const key = rotateApiKey({ dir: ".data/services", slug: "snu" }); // print it, once
 * ```
 */
export function rotateApiKey(params: { readonly dir: string; readonly slug: string }): string {
  if (!SLUG.test(params.slug)) {
    throw new MobileIdError("INVALID_ARGUMENT", "an agency slug is lowercase letters, digits and dashes", {
      details: { slug: params.slug },
    });
  }
  const path = apiKeyHashesPath(params.dir);
  const hashes = existsSync(path) ? readHashes(path) : {};
  const key = generateApiKey();
  writeHashes(params.dir, path, { ...hashes, [params.slug]: hashApiKey(key) });
  return key;
}
