import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import { startTestServices } from "./testing.ts";

describe("starting the services on damaged data files", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it.each([
    ["verifier/nonces.sqlite", "not a database ".repeat(200)],
    ["services/api-key-hashes.json", '{"snu": "ab'],
  ])("%s damaged: DATA_FILE_DAMAGED with the path, no raw error", async (file, content) => {
    const dataDir = mkdtempSync(join(tmpdir(), "mid-damaged-start-"));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, file, ".."), { recursive: true });
    writeFileSync(join(dataDir, file), content);
    const e = await startTestServices({ dataDir }).then(
      async (s) => {
        await s.close();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect(isMobileIdError(e, "DATA_FILE_DAMAGED")).toBe(true);
    expect(isMobileIdError(e) ? e.details["path"] : undefined).toBe(join(dataDir, file));
  }, 120_000);
});
