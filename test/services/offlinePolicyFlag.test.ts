import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runNode } from "../support/run.ts";

/** `pnpm start --max-staleness-seconds N`: the offline policy is bounded to 24 hours, refused before anything starts. */
describe("start.ts --max-staleness-seconds", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-offline-flag-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(["86401", "0", "15m"])("refuses %s with exit code 2 and the bound", async (value) => {
    const r = await runNode("scripts/start.ts", ["--data-dir", join(dir, "data"), "--port", "1", "--max-staleness-seconds", value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--max-staleness-seconds must be a whole number from 1 to 86400 (24 hours)");
  });
});
