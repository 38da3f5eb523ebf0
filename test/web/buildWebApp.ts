import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../support/run.ts";

/** Builds the web pages if they are missing or stale (as `pnpm start` does). */
export function buildWebApp(): void {
  const r = spawnSync(process.execPath, [join(repoRoot, "packages/web/scripts/build.ts"), "--if-stale"], { cwd: repoRoot, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`web build failed:\n${r.stdout}\n${r.stderr}`);
}
