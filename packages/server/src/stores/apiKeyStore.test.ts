import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import { hashApiKey } from "../auth.ts";
import { apiKeyHashesPath, loadApiKeys, rotateApiKey } from "./apiKeyStore.ts";

const dirs: string[] = [];
const fresh = () => {
  const d = join(mkdtempSync(join(tmpdir(), "mid-keys-")), "services");
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(join(d, ".."), { recursive: true, force: true });
});

describe("API key hashes", () => {
  it("makes keys for new agencies only, stores only their hashes (0600), and never a plain copy", () => {
    const dir = fresh();
    const first = loadApiKeys({ dir, agencies: [{ slug: "snu", established: false }, { slug: "seoul", established: false }] });
    expect(Object.keys(first.created).sort()).toStrictEqual(["seoul", "snu"]);
    expect(readdirSync(dir)).toStrictEqual(["api-key-hashes.json"]);
    const text = readFileSync(apiKeyHashesPath(dir), "utf8");
    expect(text).not.toContain(first.created["snu"]!);
    expect(JSON.parse(text)).toStrictEqual({ snu: hashApiKey(first.created["snu"]!), seoul: hashApiKey(first.created["seoul"]!) });
    expect(statSync(apiKeyHashesPath(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // A later start: nothing made; an agency added later gets its key.
    const later = loadApiKeys({ dir, agencies: [{ slug: "snu", established: true }, { slug: "jongno", established: false }] });
    expect(Object.keys(later.created)).toStrictEqual(["jongno"]);
  });

  it("refuses (DATA_FILE_MISSING) an agency with state whose hash is gone, instead of minting a key", () => {
    const dir = fresh();
    expect(() => loadApiKeys({ dir, agencies: [{ slug: "snu", established: true }] })).toThrow(
      expect.objectContaining({ code: "DATA_FILE_MISSING" }),
    );
    expect(existsSync(apiKeyHashesPath(dir))).toBe(false);
    mkdirSync(dir, { recursive: true });
    writeFileSync(apiKeyHashesPath(dir), "{ torn");
    let e: unknown;
    try {
      loadApiKeys({ dir, agencies: [{ slug: "snu", established: true }] });
    } catch (err) {
      e = err;
    }
    expect(isMobileIdError(e, "DATA_FILE_DAMAGED")).toBe(true);
  });

  it("rotates one agency's key: its hash is replaced, the others kept", () => {
    const dir = fresh();
    const { created } = loadApiKeys({ dir, agencies: [{ slug: "snu", established: false }, { slug: "seoul", established: false }] });
    const key = rotateApiKey({ dir, slug: "snu" });
    expect(key).not.toBe(created["snu"]);
    expect(JSON.parse(readFileSync(apiKeyHashesPath(dir), "utf8"))).toStrictEqual({ snu: hashApiKey(key), seoul: hashApiKey(created["seoul"]!) });
    // Restores a lost file too: rotating every agency, then a start with state, needs no new key.
    rmSync(apiKeyHashesPath(dir));
    rotateApiKey({ dir, slug: "snu" });
    expect(Object.keys(loadApiKeys({ dir, agencies: [{ slug: "snu", established: true }] }).created)).toStrictEqual([]);
  });
});
