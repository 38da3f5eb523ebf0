/**
 * The packages' import graph, read from the sources: every `@mobile-id/*` import of a non-test file must be a
 * declared dependency and point down the layers drawn in the README ("What runs where"), so the graph has no
 * circle and no upward arrow; the auditor and the issuer reach the ledger only through `@mobile-id/chain`; the
 * web pages reach only the browser-safe entries, and nothing below those entries imports a `node:` module.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const PACKAGES = join(ROOT, "packages");

/** Layer of each package: a package may import only packages of a lower layer. */
const LAYER: Readonly<Record<string, number>> = {
  core: 0,
  chain: 1,
  issuer: 2,
  verifier: 2,
  auditor: 2,
  wallet: 2,
  cli: 3,
  server: 3,
  web: 3,
};

const isTestFile = (path: string) => /\.test\.ts$|(^|\/)testing\.ts$|\/testdata\/|\/testing\//.test(path);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** `from "x"`, `import("x")` and `import "x"` specifiers of one file, outside comments. */
function importsOf(path: string): string[] {
  // Comments out (TSDoc @example blocks show imports that the file does not make).
  const text = readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)) specs.push(m[1] as string);
  return specs;
}

/** The package entries a web page may import: no `node:` module anywhere below them (tested). */
const BROWSER_ENTRIES: readonly string[] = ["@mobile-id/core/browser", "@mobile-id/core/sd-jwt-vc", "@mobile-id/wallet/browser"];

/** The source file a workspace specifier (`@mobile-id/pkg` or `@mobile-id/pkg/sub`) resolves to, per its package.json `exports`. */
function workspaceEntry(spec: string): string | undefined {
  const [, pkg, ...sub] = spec.split("/");
  if (pkg === undefined) return undefined;
  const manifest = JSON.parse(readFileSync(join(PACKAGES, pkg, "package.json"), "utf8")) as { exports?: Record<string, unknown> };
  const target = manifest.exports?.[sub.length === 0 ? "." : `./${sub.join("/")}`];
  return typeof target === "string" && target.endsWith(".ts") ? join(PACKAGES, pkg, target) : undefined;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly spec: string;
}

function productionEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const pkg of Object.keys(LAYER)) {
    for (const file of sourceFiles(join(PACKAGES, pkg, "src"))) {
      const rel = relative(ROOT, file);
      if (isTestFile(rel)) continue;
      for (const spec of importsOf(file)) {
        const m = /^@mobile-id\/([a-z]+)/.exec(spec);
        if (m !== null && m[1] !== pkg) edges.push({ from: pkg, to: m[1] as string, file: rel, spec });
      }
    }
  }
  return edges;
}

describe("the packages' import graph", () => {
  const edges = productionEdges();

  it("reads a graph (the scan finds the imports it must)", () => {
    // A scanner that found nothing would pass every rule below.
    expect(edges.some((e) => e.from === "server" && e.to === "verifier")).toBe(true);
    expect(edges.some((e) => e.from === "chain" && e.to === "core")).toBe(true);
  });

  it("has only downward arrows: each import goes to a lower layer (so no circle)", () => {
    const upward = edges.filter((e) => LAYER[e.to] === undefined || (LAYER[e.to] as number) >= (LAYER[e.from] as number));
    expect(upward.map((e) => `${e.file} imports ${e.spec}`)).toEqual([]);
  });

  it("imports only declared dependencies (devDependencies serve tests only)", () => {
    const undeclared = edges.filter((e) => {
      const manifest = JSON.parse(readFileSync(join(PACKAGES, e.from, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
      return manifest.dependencies?.[`@mobile-id/${e.to}`] === undefined;
    });
    expect(undeclared.map((e) => `${e.file} imports ${e.spec}`)).toEqual([]);
  });

  it("keeps ethers out of the auditor's and the issuer's sources: they reach the ledger through chain", () => {
    const direct: string[] = [];
    for (const pkg of ["auditor", "issuer"]) {
      for (const file of sourceFiles(join(PACKAGES, pkg, "src"))) {
        const rel = relative(ROOT, file);
        if (!isTestFile(rel) && importsOf(file).some((s) => s === "ethers" || s.startsWith("ethers/"))) direct.push(rel);
      }
    }
    expect(direct).toEqual([]);
  });

  it("keeps the browser-safe entries browser-safe: nothing they load, in the workspace, imports a node: module", () => {
    const offenders: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string, via: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith("node:")) offenders.push(`${relative(ROOT, file)} (from ${via}): ${spec}`);
        else if (spec.startsWith(".")) visit(join(dirname(file), spec), via);
        else if (spec.startsWith("@mobile-id/")) {
          const target = workspaceEntry(spec);
          if (target !== undefined) visit(target, via);
        }
      }
    };
    for (const entry of BROWSER_ENTRIES) {
      const file = workspaceEntry(entry);
      expect(file, entry).toBeDefined();
      visit(file as string, entry);
    }
    expect(offenders).toEqual([]);
  });

  it("gives the web pages only browser-safe entries and no app another app's module", () => {
    const web = edges.filter((e) => e.from === "web");
    expect(web.filter((e) => !BROWSER_ENTRIES.includes(e.spec)).map((e) => `${e.file}: ${e.spec}`)).toEqual([]);
    const apps = ["wallet", "issuer", "verifier", "auditor", "landing"];
    const crossApp: string[] = [];
    for (const app of apps) {
      for (const file of sourceFiles(join(PACKAGES, "web", "src", app))) {
        for (const spec of importsOf(file)) {
          const other = apps.find((a) => a !== app && new RegExp(`^\\.\\./(\\.\\./)*${a}/`).test(spec));
          if (other !== undefined) crossApp.push(`${relative(ROOT, file)} imports ${spec}`);
        }
      }
    }
    expect(crossApp).toEqual([]);
  });
});
