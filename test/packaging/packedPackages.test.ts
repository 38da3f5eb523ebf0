/**
 * The published packages, as another project gets them: `pnpm pack` of core, chain and verifier (pack compiles
 * src/ to dist/ first), unpacked into a project of their own next to their npm dependencies, then imported by
 * plain Node with type stripping switched off, and type-checked through their `types` conditions by tsc.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/run.ts";

const PACKAGES = ["core", "chain", "verifier"] as const;

describe("the packed packages work without TypeScript", () => {
  const project = mkdtempSync(join(tmpdir(), "mid-consumer-"));
  const modules = join(project, "node_modules");
  const manifests: Record<string, { exports: Record<string, unknown>; dependencies: Record<string, string> }> = {};
  const files: Record<string, string[]> = {};

  beforeAll(() => {
    const packs = join(project, "packs");
    mkdirSync(packs, { recursive: true });
    for (const name of PACKAGES) {
      execFileSync("pnpm", ["--filter", `@mobile-id/${name}`, "pack", "--pack-destination", packs], { cwd: repoRoot, stdio: "pipe" });
      const tarball = readdirSync(packs).find((f) => f.startsWith(`mobile-id-${name}-`));
      if (tarball === undefined) throw new Error(`pnpm pack wrote no tarball for ${name}`);
      const dir = join(modules, "@mobile-id", name);
      mkdirSync(dir, { recursive: true });
      execFileSync("tar", ["xzf", join(packs, tarball), "-C", dir, "--strip-components=1"]);
      manifests[name] = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as (typeof manifests)[string];
      files[name] = execFileSync("tar", ["tzf", join(packs, tarball)], { encoding: "utf8" }).split("\n").filter((f) => f !== "");
    }
    // Their npm dependencies, as an install would lay them out (the workspace's copies).
    for (const name of PACKAGES) {
      for (const dep of Object.keys(manifests[name]!.dependencies)) {
        if (dep.startsWith("@mobile-id/") || existsSync(join(modules, dep))) continue;
        mkdirSync(dirname(join(modules, dep)), { recursive: true });
        symlinkSync(realpathSync(join(repoRoot, "packages", name, "node_modules", dep)), join(modules, dep));
      }
    }
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  }, 240_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("each tarball holds compiled JavaScript and declarations, no TypeScript source, and points exports at them", () => {
    for (const name of PACKAGES) {
      const list = files[name]!;
      expect(list).toContain("package/dist/index.js");
      expect(list).toContain("package/dist/index.d.ts");
      expect(list.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
      expect(manifests[name]!.exports["."]).toEqual({ types: "./dist/index.d.ts", import: "./dist/index.js" });
      // workspace:* became the version another project installs.
      for (const [dep, range] of Object.entries(manifests[name]!.dependencies)) if (dep.startsWith("@mobile-id/")) expect(range).toBe("0.1.0");
    }
  });

  it("plain Node (type stripping off) imports them and they work: schema files, DIDs, the verifier", () => {
    const script = `
      import { findCredentialType, validateClaims, toEthrDid } from "@mobile-id/core";
      import { RpcLedgerReader } from "@mobile-id/chain";
      import { createVerifier, createMemoryNonceStore } from "@mobile-id/verifier";
      const type = findCredentialType("StudentIDCredential");
      const bad = validateClaims(type, { id: "did:ethr:0x7a69:0x0000000000000000000000000000000000000001" });
      console.log(JSON.stringify({
        did: toEthrDid(31337, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
        claimsRejected: bad.ok === false && bad.errors.length > 0,
        reader: typeof RpcLedgerReader,
        verifier: typeof createVerifier,
        nonceStore: typeof createMemoryNonceStore().consume,
      }));`;
    const r = spawnSync(process.execPath, ["--no-experimental-strip-types", "--input-type=module", "-e", script], { cwd: project, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      did: "did:ethr:0x7a69:0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
      claimsRejected: true,
      reader: "function",
      verifier: "function",
      nonceStore: "function",
    });
  });

  it("a TypeScript project type-checks against their declarations (and a misuse fails)", () => {
    const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const check = (source: string) => {
      writeFileSync(join(project, "consumer.ts"), source);
      return spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2023", "--skipLibCheck", "--types", "node", "--typeRoots", join(repoRoot, "node_modules", "@types"), "consumer.ts"], { cwd: project, encoding: "utf8" });
    };
    const good = check(`import { type NetworkDescriptor, findCredentialType } from "@mobile-id/core";
import { createVerifier } from "@mobile-id/verifier";
export const t: string | undefined = findCredentialType("StudentIDCredential")?.name;
export type V = ReturnType<typeof createVerifier>;
export const d = (x: NetworkDescriptor): number => x.chainId;
`);
    expect(good.stdout + good.stderr).toBe("");
    expect(good.status).toBe(0);
    const bad = check(`import { findCredentialType } from "@mobile-id/core";\nexport const n: number = findCredentialType("StudentIDCredential");\n`);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain("TS2322");
  });
});
