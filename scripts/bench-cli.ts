/**
 * `pnpm bench:cli`: how long `mid` takes to start, as people run it: each invocation a new Node process (a
 * benchmark that measures and prints; targets are shown beside the figures). Writes bench-results/cli.json.
 *
 *   - helpMs: `mid --help`, median of 10 processes;
 *   - verifyOneMs: `mid --json verify --file vp.jwt …` of one presentation (a fresh one each time: a challenge is
 *     accepted once) against a running ledger node (anvil, deployed and bootstrapped as `pnpm start` does), median
 *     of 10 processes: start, load the verifier, check the signed descriptor, connect, verify (cold: nothing
 *     cached in the process), print.
 * Wall time from spawn to exit, and each process's own CPU time beside it. One run of each is made first and not counted (it builds the bundle if a source
 * changed, and fills Node's compile cache as any first run of an installed program does); the same figures
 * without the compile cache are recorded too. `node -e 0` is measured as the floor.
 *
 * Usage: node scripts/bench-cli.ts [--entry packages/cli/bin/mid.js] [--runs 10] [--out bench-results/cli.json]
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { JsonRpcProvider, type Wallet } from "ethers";
import { devRoster, startLedgerNode } from "@mobile-id/chain";
import { startTestKit } from "@mobile-id/verifier/testing";
import { bootstrapDevRoster, deployToFile } from "./lib/ledger.ts";

const args = parseArgs({
  options: {
    entry: { type: "string", default: "packages/cli/bin/mid.js" },
    runs: { type: "string", default: "10" },
    out: { type: "string", default: "bench-results/cli.json" },
  },
  strict: true,
}).values;
const RUNS = Number(args.runs);
const TARGETS = { helpMs: 150, verifyOneMs: 400 } as const;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Runs `node …argv` to completion; resolves to the wall time in ms (and fails on a non-zero exit). Asynchronous on
 * purpose: this process reads the ledger node's output, which must keep flowing while `mid` runs.
 */
function timeProcess(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CPU_REPORTER, ...argv], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      const cpu = /\nMID_BENCH_CPU_MS (\d+(?:\.\d+)?)\n/.exec(output);
      if (cpu !== null) cpuMs.push(Number(cpu[1]));
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${argv.join(" ")} exited ${code}\n${output}`));
    });
  });
}

/**
 * Each measured process also reports its own CPU time (all threads, user + system) at exit, from a one-line
 * preload: on a machine shared with other work, wall time grows with the load and CPU time much less.
 */
const CPU_REPORTER = `--import=data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nMID_BENCH_CPU_MS "+((u.user+u.system)/1000).toFixed(1)+"\\n")})`;
let cpuMs: number[] = [];
const cpuOf = async (f: () => Promise<number[]>): Promise<{ wall: number[]; cpu: number[] }> => {
  cpuMs = [];
  const wall = await f();
  return { wall, cpu: cpuMs.slice(-wall.length) };
};

async function repeat(n: number, f: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await f(i));
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "mid-bench-cli-"));
const node = await startLedgerNode({ dataDir: join(dir, "ledger") });
const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
try {
  const roster = devRoster(provider);
  const descriptorFile = join(dir, "data", "network.json");
  const quiet = () => undefined;
  const descriptor = await deployToFile({ root: roster.root, out: descriptorFile, chainId: 31337, networkName: "bench", rpcUrl: node.url, log: quiet });
  await bootstrapDevRoster({ descriptor, root: roster.root, provider, log: quiet });
  const kit = await startTestKit({
    network: {
      descriptor,
      roster,
      chain: { provider, increaseTime: () => Promise.reject(new Error("not used")), close: async () => undefined },
    },
  });
  kit.setNow(Math.floor(Date.now() / 1000));
  const global = ["--data-dir", join(dir, "data"), "--descriptor", descriptorFile, "--trust-root", (roster.root as Wallet).address, "--json"];

  /** A fresh presentation in a file, and the `mid verify` arguments of its request. */
  const presentation = (i: number): string[] => {
    const holder = kit.newHolder();
    const issuer = kit.issuers[i % kit.issuers.length]!;
    const credential = kit.issue({ issuer, holder }).jwt;
    const request = kit.request({ expiresAt: kit.now() + 3600 });
    const file = join(dir, `vp-${i}.jwt`);
    writeFileSync(file, kit.present({ holder, credentials: [credential], request, exp: kit.now() + 3600 }));
    return ["verify", "--file", file, "--challenge", request.challenge, "--domain", request.domain, "--types", request.credentialTypes.join(","), "--expires-at", String(request.expiresAt)];
  };

  const measure = async (env: NodeJS.ProcessEnv, offset: number) => {
    await timeProcess([args.entry, "--help"], env);
    const help = await cpuOf(() => repeat(RUNS, () => timeProcess([args.entry, "--help"], env)));
    // Presentations are made before the clock starts; each is verified once.
    const verifyArgs = Array.from({ length: RUNS + 1 }, (_, i) => presentation(offset + i));
    await timeProcess([args.entry, ...global, ...verifyArgs[0]!], env);
    const verify = await cpuOf(() => repeat(RUNS, (i) => timeProcess([args.entry, ...global, ...verifyArgs[i + 1]!], env)));
    return { help, verify };
  };
  const loadBefore = loadavg()[0]!;
  const floor = await cpuOf(() => repeat(RUNS, () => timeProcess(["-e", "0"])));
  const cached = await measure({}, 0);
  const uncached = await measure({ NODE_DISABLE_COMPILE_CACHE: "1" }, 100);
  await kit.close();

  const result = {
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, loadAverage1m: [round(loadBefore), round(loadavg()[0]!)] },
    entry: args.entry,
    runs: RUNS,
    helpMs: round(median(cached.help.wall)),
    verifyOneMs: round(median(cached.verify.wall)),
    targets: TARGETS,
    cpuMs: { help: round(median(cached.help.cpu)), verifyOne: round(median(cached.verify.cpu)), nodeEmpty: round(median(floor.cpu)) },
    withoutCompileCache: { helpMs: round(median(uncached.help.wall)), verifyOneMs: round(median(uncached.verify.wall)), cpuMs: { help: round(median(uncached.help.cpu)), verifyOne: round(median(uncached.verify.cpu)) } },
    nodeEmptyMs: round(median(floor.wall)),
    samples: { helpMs: cached.help.wall.map(round), verifyOneMs: cached.verify.wall.map(round) },
    ...(args.entry.endsWith("mid.js") ? { bundleBytes: bundleBytes() } : {}),
  };
  mkdirSync("bench-results", { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  const verdict = (v: number, t: number) => `target <= ${t} ms: ${v <= t ? "met" : "MISSED"}`;
  console.log(`mid --help                 median of ${RUNS}: ${result.helpMs} ms   (${verdict(result.helpMs, TARGETS.helpMs)})`);
  console.log(`mid verify, one VP, cold   median of ${RUNS}: ${result.verifyOneMs} ms   (${verdict(result.verifyOneMs, TARGETS.verifyOneMs)})`);
  console.log(`CPU time (median): --help ${result.cpuMs.help} ms, verify ${result.cpuMs.verifyOne} ms, node -e 0 ${result.cpuMs.nodeEmpty} ms`);
  console.log(`without the compile cache: --help ${result.withoutCompileCache.helpMs} ms, verify ${result.withoutCompileCache.verifyOneMs} ms (wall)`);
  console.log(`node -e 0 (the floor): ${result.nodeEmptyMs} ms; load average ${result.machine.loadAverage1m.join(" -> ")} on ${result.machine.cpus} CPUs`);
  console.log(`wrote ${args.out}`);
} finally {
  provider.destroy();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}

function bundleBytes(): number {
  const dist = "packages/cli/dist";
  return readdirSync(dist).filter((f) => f.endsWith(".js")).reduce((n, f) => n + statSync(join(dist, f)).size, 0);
}
