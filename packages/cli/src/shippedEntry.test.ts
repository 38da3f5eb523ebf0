/**
 * The shipped `mid` (bin/mid.js running the bundle in dist/): what it loads for a command, and when the launcher
 * rebuilds the bundle. The article's story (test/story) runs every actor's commands through the same entry.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cliDir = fileURLToPath(new URL("..", import.meta.url));
const made: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const launcher = join(cliDir, "bin", "mid.js");

function node(args: readonly string[], cwd = cliDir): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the shipped mid loads only the command group it runs", () => {
  const dir = tempDir("mid-entry-");
  const recorder = join(dir, "record.mjs");
  writeFileSync(
    recorder,
    [
      'import module from "node:module";',
      "const loaded = [];",
      "module.registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });",
      'process.on("exit", () => process.stderr.write(`\\nLOADED ${JSON.stringify({ files: loaded, builtins: process.moduleLoadList })}\\n`));',
    ].join("\n"),
  );
  const loadedBy = async (...args: string[]) => {
    const r = await node(["--import", recorder, launcher, ...args]);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stderr.split("\n").find((l) => l.startsWith("LOADED "));
    const { files, builtins } = JSON.parse((line ?? "LOADED {}").slice("LOADED ".length)) as { files: string[]; builtins: string[] };
    const bundle = files.filter((f) => f.includes("/cli/dist/")).map((f) => fileURLToPath(f));
    return {
      stdout: r.stdout,
      chunks: bundle.map((f) => f.split("/").pop() ?? ""),
      bytes: bundle.reduce((n, f) => n + statSync(f).size, 0),
      builtins,
    };
  };

  beforeAll(async () => {
    // Builds the bundle if it is missing or stale, as any first run does.
    expect((await node([launcher, "--help"])).code).toBe(0);
  });

  it("`mid --help` lists every command group but loads none of them, nor ethers' HTTP or SQLite", async () => {
    const r = await loadedBy("--help");
    for (const group of ["network", "gov", "issuer", "wallet", "verify", "request", "audit"]) expect(r.stdout).toMatch(new RegExp(`^  ${group} `, "m"));
    expect(r.chunks).toContain("main.js");
    expect(r.chunks.filter((c) => /^(network|gov|issuer|wallet|audit)-/.test(c))).toEqual([]);
    expect(r.builtins).not.toContain("NativeModule http");
    expect(r.builtins).not.toContain("NativeModule sqlite");
    expect(r.bytes).toBeLessThan(totalBundleBytes() / 10);
  });

  it("`mid gov --help` loads the governance commands and not the wallet's, the issuer's or the auditor's", async () => {
    const r = await loadedBy("gov", "--help");
    expect(r.stdout).toContain("register-accreditor");
    expect(r.chunks.filter((c) => /^(network|gov|issuer|wallet|audit)-/.test(c)).map((c) => c.split("-")[0])).toEqual(["gov"]);
  });

  it("`mid help wallet` loads the wallet commands only", async () => {
    const r = await loadedBy("--json", "help", "wallet");
    expect(r.stdout).toContain("rotate-key");
    expect(r.chunks.filter((c) => /^(network|gov|issuer|wallet|audit)-/.test(c)).map((c) => c.split("-")[0])).toEqual(["wallet"]);
  });

  it("an unknown command still gets commander's suggestion, from every group", async () => {
    const r = await node([launcher, "walet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Did you mean wallet?");
  });
});

function totalBundleBytes(): number {
  const dist = join(cliDir, "dist");
  const record = JSON.parse(readFileSync(join(dist, "build.json"), "utf8")) as { outputs: string[] };
  expect(record.outputs.length).toBeGreaterThan(1);
  return record.outputs.reduce((n, f) => n + statSync(join(dist, f)).size, 0);
}

describe("the launcher runs a fresh bundle", () => {
  /**
   * A copy of bin/mid.js in a tree of its own: a dist/main.js that prints which bundle ran, and a
   * scripts/bundle.ts whose bundleMid writes a new bundle (and counts its calls) instead of running esbuild.
   */
  const layout = () => {
    const root = tempDir("mid-launcher-");
    for (const d of ["bin", "dist", "scripts", "src"]) mkdirSync(join(root, d));
    copyFileSync(launcher, join(root, "bin", "mid.js"));
    const bundle = (label: string) => `export async function main(argv) { console.log(${JSON.stringify(label)} + " " + argv.join(" ")); return 0; }\n`;
    writeFileSync(join(root, "dist", "main.js"), bundle("old bundle"));
    writeFileSync(
      join(root, "scripts", "bundle.ts"),
      [
        'import { appendFileSync, writeFileSync } from "node:fs";',
        "export async function bundleMid() {",
        '  appendFileSync(new URL("../rebuilds.log", import.meta.url), "rebuilt\\n");',
        `  writeFileSync(new URL("../dist/main.js", import.meta.url), ${JSON.stringify(bundle("new bundle"))});`,
        '  return { entry: new URL("../dist/main.js", import.meta.url).href };',
        "}",
      ].join("\n"),
    );
    writeFileSync(join(root, "src", "a.ts"), "export {};\n");
    const source = join(root, "src", "a.ts");
    const builtAt = Date.now();
    utimesSync(source, new Date(builtAt - 60_000), new Date(builtAt - 60_000));
    const record = (inputs: string[]) => writeFileSync(join(root, "dist", "build.json"), JSON.stringify({ builtAt, inputs, outputs: ["main.js"] }));
    const run = () => node([join(root, "bin", "mid.js"), "network", "info"], root);
    const rebuilds = () => {
      try {
        return readFileSync(join(root, "rebuilds.log"), "utf8").split("\n").filter((l) => l !== "").length;
      } catch {
        return 0;
      }
    };
    return { root, source, builtAt, record, run, rebuilds };
  };

  it("runs the bundle as it is while no source changed since it was built", async () => {
    const t = layout();
    t.record(["../src/a.ts"]);
    const r = await t.run();
    expect(r.stdout.trim()).toBe("old bundle network info");
    expect(t.rebuilds()).toBe(0);
  });

  it("rebuilds first when a source is newer than the bundle", async () => {
    const t = layout();
    t.record(["../src/a.ts"]);
    utimesSync(t.source, new Date(t.builtAt + 5_000), new Date(t.builtAt + 5_000));
    const r = await t.run();
    expect(r.stdout.trim()).toBe("new bundle network info");
    expect(t.rebuilds()).toBe(1);
  });

  it("rebuilds when a source it was built from is gone, and when there is no bundle at all", async () => {
    const gone = layout();
    gone.record(["../src/a.ts", "../src/removed.ts"]);
    expect((await gone.run()).stdout.trim()).toBe("new bundle network info");
    const none = layout();
    rmSync(join(none.root, "dist", "main.js"));
    expect((await none.run()).stdout.trim()).toBe("new bundle network info");
    expect(none.rebuilds()).toBe(1);
  });

  it("runs a packed bundle (no build record) without looking for sources", async () => {
    const t = layout();
    const r = await t.run();
    expect(r.stdout.trim()).toBe("old bundle network info");
    expect(t.rebuilds()).toBe(0);
  });
});
