/**
 * The shipped `mid`: packages/cli/src bundled with esbuild into packages/cli/dist/ (ESM, one chunk per command
 * group, dependencies included), so that `mid` starts without type-stripping and resolving some 650 modules.
 *
 * `node packages/cli/scripts/bundle.ts` builds it from scratch (`pnpm build:cli`; `pnpm install` runs it as the
 * `prepare` step). The launcher, packages/cli/bin/mid.js, calls {@link bundleMid} itself when dist/ is missing
 * or a source it was built from changed since, so `pnpm mid`, `pnpm start` and the tests always run a fresh
 * bundle of the sources in the tree.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire, isBuiltin } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Plugin, build } from "esbuild";

const cliDir = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = resolve(cliDir, "../..");

/** Where the bundle goes; the launcher imports `dist/main.js`. */
export const DIST_DIR = join(cliDir, "dist");
/** The build record the launcher reads to decide whether the bundle is stale (absent in a packed package). */
export const BUILD_RECORD = "build.json";

/** What {@link BUILD_RECORD} holds. */
export interface BuildRecord {
  /** When the build started (ms since the epoch): a source modified after it makes the bundle stale. */
  readonly builtAt: number;
  /** The workspace files the bundle was built from, relative to dist/ (dependencies' own files excluded). */
  readonly inputs: readonly string[];
  /** The files of this build, in dist/ (older chunks may sit beside them for a while). */
  readonly outputs: readonly string[];
}

/** Chunks that no current entry references are removed once they are this old (a running `mid` may still load one). */
const OLD_CHUNK_MS = 10 * 60_000;

/**
 * Workspace sources locate files next to themselves (`new URL("../schemas/x.json", import.meta.url)`, a worker
 * script, `createRequire`): in a chunk, `import.meta.url` is the chunk's own URL, so each source's
 * `import.meta.url` becomes its original location, relative to the chunk. The bundle stays relocatable together
 * with the tree it was built in.
 */
function sourceLocationPlugin(outdir: string): Plugin {
  return {
    name: "source-import-meta-url",
    setup(b) {
      b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, async (args) => {
        let contents = await readFile(args.path, "utf8");
        if (contents.includes("import.meta.url")) {
          const rel = relative(outdir, args.path).split(sep).join("/");
          contents = contents.replaceAll("import.meta.url", `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
        }
        return { contents, loader: "ts" };
      });
    },
  };
}

/**
 * Node's built-in modules, imported as CommonJS. An ESM `import … from "node:http"` builds the module's ESM facade,
 * which reads every export, including `http`'s lazy WebSocket getters: that loads undici (Node's fetch), some
 * 40 ms of every `mid verify` that talks HTTP through ethers. `require("node:http")` reads nothing. Exports that
 * are getters are left out; an import of one fails the build ("No matching export"), not a run.
 */
function builtinsAsRequirePlugin(): Plugin {
  const namespace = "mid-node-builtin";
  return {
    name: "node-builtins-as-require",
    setup(b) {
      b.onResolve({ filter: /^(node:)?[a-z_/0-9]+$/ }, (args) => {
        const name = args.path.replace(/^node:/, "");
        if (args.namespace === namespace || !isBuiltin(name) || args.kind !== "import-statement") return undefined;
        return { path: name, namespace };
      });
      b.onLoad({ filter: /.*/, namespace }, (args) => {
        const id = `node:${args.path}`;
        const m = createRequire(import.meta.url)(id) as object;
        const names = Object.keys(Object.getOwnPropertyDescriptors(m)).filter((k) => {
          const d = Object.getOwnPropertyDescriptor(m, k);
          return d !== undefined && !("get" in d) && /^[A-Za-z_$][\w$]*$/.test(k) && k !== "default";
        });
        const lines = [`const m = require(${JSON.stringify(id)});`, "export default m;", ...names.map((k) => `export const ${k} = m.${k};`)];
        return { contents: lines.join("\n"), loader: "js", resolveDir: cliDir };
      });
    },
  };
}

/**
 * One copy of each library in the bundle. Packages that ship both builds were bundled twice: ethers' ESM build
 * for our `import`s and its CommonJS build for ethr-did-resolver's and did-jwt's `require("ethers")`, each
 * evaluated at start (ethers is the largest library here). A `require` of these now gets the ESM build too
 * (esbuild hands a CommonJS caller the module namespace, which carries the same names).
 *
 * ethers pins @noble/curves 1.2.0; ours (verifier, core) is 1.9.x, API-compatible within 1.x. Two copies meant two
 * secp256k1 base-point tables computed in every `mid verify` (one to check the descriptor's signature, one for the
 * presentation's): the bundle uses ours for both.
 */
function oneCopyPlugin(): Plugin {
  const dual = /^(ethers|ethr-did-resolver|did-jwt|did-resolver|aes-js)(\/.*)?$/;
  const noble = /^@noble\/curves(\/.*)?$/;
  const ourNobleDir = join(repoRoot, "packages", "verifier");
  return {
    name: "one-copy",
    setup(b) {
      b.onResolve({ filter: /^(ethers|ethr-did-resolver|did-jwt|did-resolver|aes-js|@noble\/curves)(\/.*)?$/ }, async (args) => {
        if ((args.pluginData as { oneCopy?: boolean } | undefined)?.oneCopy === true) return undefined;
        const isNoble = noble.test(args.path);
        if (!isNoble && !(dual.test(args.path) && args.kind === "require-call")) return undefined;
        const r = await b.resolve(args.path, {
          kind: "import-statement",
          resolveDir: isNoble ? ourNobleDir : args.resolveDir,
          importer: args.importer,
          pluginData: { oneCopy: true },
        });
        return r.errors.length > 0 ? { errors: r.errors } : { path: r.path, sideEffects: r.sideEffects };
      });
    },
  };
}

/** Writes `data` to `path` through a temporary file and a rename, so a concurrent reader sees all or nothing. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** What {@link bundleMid} takes. */
export interface BundleMidParameters {
  /** Remove dist/ first (a full build); the launcher's rebuild keeps it, as another `mid` may be running from it. */
  readonly clean?: boolean;
}

/** What {@link bundleMid} returns. */
export interface BundleMidReturnType {
  readonly entry: string;
  readonly milliseconds: number;
  readonly bytes: number;
  readonly inputs: number;
}

/**
 * Bundles the command line. Chunks are named by content hash and the entry and the build record are written
 * last, each by rename: two processes that rebuild at once both leave a complete bundle.
 *
 * @example
 * const { entry } = await bundleMid({ clean: true });
 * const { main } = await import(entry);
 */
export async function bundleMid(params: BundleMidParameters = {}): Promise<BundleMidReturnType> {
  const started = Date.now();
  if (params.clean === true) rmSync(DIST_DIR, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { main: join(cliDir, "src/main.ts") },
    outdir: DIST_DIR,
    bundle: true,
    splitting: true,
    // Chunks sit beside the entry: every chunk then shares the directory that sourceLocationPlugin resolves from.
    chunkNames: "[name]-[hash]",
    platform: "node",
    format: "esm",
    target: "node22",
    write: false,
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
    plugins: [sourceLocationPlugin(DIST_DIR), builtinsAsRequirePlugin(), oneCopyPlugin()],
    // Hardhat is only reached from chain/testing (never from a command) and is a development tool.
    external: ["hardhat"],
    // CommonJS dependencies bundled into ESM call require() for Node's built-ins.
    banner: { js: 'import { createRequire as __midCreateRequire } from "node:module"; const require = __midCreateRequire(import.meta.url);' },
  });
  const entry = join(DIST_DIR, "main.js");
  let bytes = 0;
  for (const file of result.outputFiles) {
    bytes += file.contents.byteLength;
    if (file.path !== entry) writeAtomically(file.path, file.contents);
  }
  const entryFile = result.outputFiles.find((f) => f.path === entry);
  if (entryFile === undefined) throw new Error(`esbuild wrote no ${entry}`);
  writeAtomically(entry, entryFile.contents);
  const inputs = Object.keys(result.metafile.inputs)
    // Files of the workspace only: dependencies change with the lockfile, and virtual modules (namespace:path) are none.
    .filter((p) => !p.includes("node_modules/") && !/^[a-z-]+:/.test(p))
    .map((p) => relative(DIST_DIR, resolve(repoRoot, p)).split(sep).join("/"));
  // Dependencies come from node_modules: a changed lockfile means they may have changed.
  inputs.push(relative(DIST_DIR, join(repoRoot, "pnpm-lock.yaml")).split(sep).join("/"));
  const outputs = result.outputFiles.map((f) => relative(DIST_DIR, f.path));
  const record: BuildRecord = { builtAt: started, inputs, outputs };
  writeAtomically(join(DIST_DIR, BUILD_RECORD), `${JSON.stringify(record, null, 1)}\n`);
  removeOldChunks(new Set(result.outputFiles.map((f) => f.path)));
  return { entry: pathToFileURL(entry).href, milliseconds: Date.now() - started, bytes, inputs: inputs.length };
}

function removeOldChunks(current: ReadonlySet<string>): void {
  for (const name of readdirSync(DIST_DIR)) {
    const path = join(DIST_DIR, name);
    if (current.has(path) || !name.endsWith(".js")) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > OLD_CHUNK_MS) rmSync(path, { force: true });
    } catch {
      // Another build removed it first.
    }
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await bundleMid({ clean: true });
  console.log(`mid bundled: ${relative(repoRoot, fileURLToPath(r.entry))} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.inputs} workspace files, ${r.milliseconds} ms)`);
}
