/**
 * `pnpm bench:ledger-growth`: how the embedded ledger's state file grows, and what a large one costs. Written to
 * bench-results/ledger-growth.json:
 * - `bytesPerSingleRevocation`: state file growth per `revoke` (one transaction, one block each);
 * - `bytesPerBatchedRevocation`: growth per revoked id in 1,000-id `revokeBatch` transactions (random ids of a
 *   2^24-entry list, so about 1,000 words per batch: the worst case for a batch);
 * - `idleCpuPercentAt500MB`: CPU of the services process (`scripts/start.ts`: HTTP services and the state copier)
 *   and, separately, of the anvil process, both idle, with a state file of about 500 MB;
 * - `healthP99MsAt500MB`: p99 of sequential `GET /health` then;
 * - `startSecondsAt1MRevocations`: `scripts/start.ts` from spawn to `/health` answering 200, measured at several
 *   state sizes and extrapolated linearly to one million revoked ids (`startMethod` says which).
 * The state is grown with real batched revocations on a node that does not dump meanwhile; at each checkpoint it
 * stops (a full dump), and `scripts/start.ts` runs on that data directory as `pnpm start` would.
 * Environment: BENCH_TARGET_MB (default 620: about 500 MB of state, as batches add less once the lists' words
 * are all written), BENCH_CHECKPOINTS (fractions, default "0.25,0.5,0.75,1"), BENCH_IDLE_SECONDS (default 90),
 * BENCH_VERBOSE (print start.ts's output), BENCH_KEEP (keep the data directory).
 * A benchmark, not a test: it measures and prints.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, Interface, JsonRpcProvider, Mnemonic } from "ethers";
import {
  DEV_MNEMONIC,
  type LedgerNode,
  accreditationRegistryAbi,
  bootstrapNetwork,
  devRoster,
  startLedgerNode,
  stateIntervalFor,
  statusRegistryAbi,
} from "@mobile-id/chain";
import { DEV_CHAIN_ID, deployToFile } from "./lib/ledger.ts";

const TARGET_MB = Number(process.env["BENCH_TARGET_MB"] ?? 620);
const CHECKPOINTS = (process.env["BENCH_CHECKPOINTS"] ?? "0.25,0.5,0.75,1").split(",").map(Number);
const PORT = 28545 + Math.floor(Math.random() * 1000);
const HTTP_PORT = PORT + 2000;
const BATCH = 1000;
const LIST_LOG2 = 24;
const SINGLES = 40;
const MEASURE_BATCHES = 10;
// Longer than the dump interval at ~500 MB (42 s), so that anvil's periodic rewrites are inside the window.
const IDLE_SECONDS = Number(process.env["BENCH_IDLE_SECONDS"] ?? 90);
const HEALTH_REQUESTS = 400;

const t0 = Date.now();
const progress = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MB = 1e6;

const dataDir = mkdtempSync(join(tmpdir(), "mid-bench-growth-"));
const ledgerDir = join(dataDir, "ledger");
mkdirSync(ledgerDir, { recursive: true });
const stateFile = join(ledgerDir, "state.json");
const iface = new Interface(statusRegistryAbi);
const startScript = new URL("./start.ts", import.meta.url).pathname;

/** The pending block number anvil wrote at the head of its state file (it dumps the next block's environment). */
function dumpedBlock(): number | undefined {
  try {
    const head = Buffer.alloc(256);
    const fd = openSync(stateFile, "r");
    try {
      readSync(fd, head, 0, 256, 0);
    } finally {
      closeSync(fd);
    }
    const m = /"number":"0x([0-9a-f]+)"/.exec(head.toString("latin1"));
    return m?.[1] === undefined ? undefined : parseInt(m[1], 16);
  } catch {
    return undefined;
  }
}
/** Waits until the state file holds the node's head (the periodic dump after the last block) and returns its size. */
async function dumpedSize(provider: JsonRpcProvider): Promise<number> {
  const head = await provider.getBlockNumber();
  for (let i = 0; i < 200; i++) {
    const b = dumpedBlock();
    if (b !== undefined && b >= head) {
      await sleep(1500); // the next dump, whole
      return statSync(stateFile).size;
    }
    await sleep(100);
  }
  throw new Error("the node did not dump its state");
}

let node: LedgerNode | undefined;
let servicesChild: ChildProcess | undefined;
// A failure must not leave the node or the services running (they hold the ports and the data directory).
process.on("exit", () => {
  try {
    if (node !== undefined) process.kill(node.pid, "SIGKILL");
  } catch {
    // gone already
  }
  servicesChild?.kill("SIGKILL");
  if (process.env["BENCH_KEEP"] === undefined) rmSync(dataDir, { recursive: true, force: true });
});
let provider!: JsonRpcProvider;
let issuer!: HDNodeWallet;
let nonce = 0;
let listId = 0n;
const used = new Set<number>();

async function openNode(stateIntervalSeconds: number): Promise<void> {
  node = await startLedgerNode({ dataDir: ledgerDir, port: PORT, stateIntervalSeconds, startTimeoutMs: 600_000 });
  provider = new JsonRpcProvider(node.url, undefined, { batchMaxCount: 1, cacheTimeout: -1, staticNetwork: true });
  // Its own issuer (development account 9), so that the services' issuers keep their lists and nonces to themselves.
  issuer = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0/9").connect(provider);
  nonce = await provider.getTransactionCount(issuer.address, "latest");
}
async function closeNode(): Promise<void> {
  provider.destroy();
  await node?.stop();
  node = undefined;
}

async function send(data: string, gasLimit: bigint): Promise<void> {
  const tx = await issuer.sendTransaction({ to: statusRegistry, data, nonce: nonce++, gasLimit, gasPrice: 0n, chainId: BigInt(DEV_CHAIN_ID), type: 0 });
  const receipt = await tx.wait();
  if (receipt?.status !== 1) throw new Error(`transaction failed: ${tx.hash}`);
}
function freshIds(n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const id = Math.floor(Math.random() * 2 ** LIST_LOG2);
    if (used.has(id)) continue;
    used.add(id);
    out.push(id);
  }
  return out;
}
function batchData(ids: readonly number[]): string {
  const words = new Map<number, bigint>();
  for (const id of ids) words.set(id >> 8, (words.get(id >> 8) ?? 0n) | (1n << BigInt(id & 255)));
  const sorted = [...words.keys()].sort((a, b) => a - b);
  return iface.encodeFunctionData("revokeBatch", [listId, sorted, sorted.map((w) => words.get(w)!), 11]);
}
async function sendBatches(count: number): Promise<void> {
  // One at a time: a batch fills most of a block, and anvil's automine leaves what did not fit in a block pending
  // until the next transaction arrives.
  for (let i = 0; i < count; i++) await send(batchData(freshIds(BATCH)), 29_000_000n);
}

// ---- 1. growth per revocation, on a node as `pnpm start` runs it (state dumped every second) ----
progress(`data directory ${dataDir}; ledger node on port ${PORT}`);
await openNode(1);
const roster = devRoster(provider);
const descriptor = await deployToFile({
  root: roster.root,
  out: join(dataDir, "network.json"),
  chainId: DEV_CHAIN_ID,
  networkName: "mobile-id (embedded)",
  rpcUrl: `http://127.0.0.1:${PORT}`,
  log: () => undefined,
});
await bootstrapNetwork({ descriptor, root: roster.root, accreditors: roster.accreditors, issuers: roster.issuers });
const statusRegistry = descriptor.contracts.statusRegistry.address;
{
  const education = roster.accreditors.education.signer;
  const register = new Interface(accreditationRegistryAbi).encodeFunctionData("registerIssuer", [
    await education.getAddress(),
    issuer.address,
    "Benchmark issuer",
  ]);
  await (await education.sendTransaction({ to: descriptor.contracts.accreditationRegistry.address, data: register, gasPrice: 0n, type: 0 })).wait();
}
await send(iface.encodeFunctionData("createList", [issuer.address, 1, LIST_LOG2, []]), 2_000_000n);
listId = BigInt(iface.decodeFunctionResult("listCount", await provider.call({ to: statusRegistry, data: iface.encodeFunctionData("listCount", []) }))[0] as bigint);
progress(`network deployed and bootstrapped; revocation list ${listId} of 2^${LIST_LOG2} entries`);

const s0 = await dumpedSize(provider);
for (let i = 0; i < SINGLES; i++) await send(iface.encodeFunctionData("revoke", [listId, freshIds(1)[0], 3]), 200_000n);
const s1 = await dumpedSize(provider);
const bytesPerSingleRevocation = Math.round((s1 - s0) / SINGLES);
progress(`${SINGLES} single revocations: +${s1 - s0} bytes, ${bytesPerSingleRevocation} bytes each`);
await sendBatches(MEASURE_BATCHES);
const s2 = await dumpedSize(provider);
const bytesPerBatchedRevocation = Math.round((s2 - s1) / (MEASURE_BATCHES * BATCH));
progress(`${MEASURE_BATCHES} batches of ${BATCH}: +${s2 - s1} bytes, ${bytesPerBatchedRevocation} bytes per revoked id`);
for (let i = 0; i < 20; i++) await provider.send("evm_mine", []);
const s3 = await dumpedSize(provider);
const bytesPerEmptyBlock = Math.round((s3 - s2) / 20);
progress(`20 empty blocks: ${bytesPerEmptyBlock} bytes each`);
// Does anvil rewrite the file while nothing happens, and does the rewrite change it?
const idleSignature = () => {
  const st = statSync(stateFile);
  return { mtimeMs: st.mtimeMs, size: st.size, head: dumpedBlock() };
};
const idleA = idleSignature();
await sleep(3500);
const idleB = idleSignature();
const idleRewrites = idleA.mtimeMs !== idleB.mtimeMs;
progress(`idle for 3.5 s: file rewritten ${idleRewrites ? "yes" : "no"}; same size and head ${idleA.size === idleB.size && idleA.head === idleB.head ? "yes" : "no"}`);
await closeNode();

// ---- 2. grow to the target with batches (no dumps meanwhile), checkpoints with scripts/start.ts ----
// A first start provisions the services (their issuers' status lists): later starts are restarts, as measured.
{
  progress("first start of scripts/start.ts (provisions the services) ...");
  const first = await runStart();
  progress(`  answered /health after ${first.seconds.toFixed(1)} s (a first start, not measured)`);
  await stopStart(first.services);
}
const bytesPerBatch = (s2 - s1) / MEASURE_BATCHES;
const totalBatches = Math.ceil(((TARGET_MB * MB) - s3) / bytesPerBatch);
progress(`growing to ~${TARGET_MB} MB: ${totalBatches} batches of ${BATCH} (about ${Math.round(bytesPerBatch / 1000)} kB each)`);

interface Checkpoint {
  revocations: number;
  stateBytes: number;
  startSeconds: number;
  nodeStopSeconds: number;
}
const checkpoints: Checkpoint[] = [];
let sent = 0;
let last: { services: ChildProcess; anvilPid: number } | undefined;

async function runStart(): Promise<{ services: ChildProcess; anvilPid: number; seconds: number }> {
  const started = Date.now();
  const services = (servicesChild = spawn(process.execPath, [startScript, "--data-dir", dataDir, "--port", String(PORT), "--http-port", String(HTTP_PORT), "--quiet"], {
    stdio: ["ignore", "pipe", "pipe"],
  }));
  let output = "";
  const stamp = (d: Buffer) => {
    for (const line of d.toString("utf8").split("\n")) if (line.trim() !== "") output += `  +${((Date.now() - started) / 1000).toFixed(1)} s  ${line}\n`;
  };
  services.stdout?.on("data", stamp);
  services.stderr?.on("data", stamp);
  for (;;) {
    if (services.exitCode !== null) throw new Error(`start.ts exited ${services.exitCode}:\n${output}`);
    try {
      const r = await fetch(`http://127.0.0.1:${HTTP_PORT}/health`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() - started > 600_000) throw new Error(`start.ts did not answer /health:\n${output}`);
    await sleep(100);
  }
  const seconds = (Date.now() - started) / 1000;
  if (process.env["BENCH_VERBOSE"] !== undefined) console.log(output.split("\n").filter((l) => !/^\s*\+[\d.]+ s\s{3,}/.test(l)).join("\n"));
  const anvilPid = Number(execFileSync("pgrep", ["-P", String(services.pid), "anvil"]).toString().trim().split("\n")[0]);
  return { services, anvilPid, seconds };
}
async function stopStart(services: ChildProcess): Promise<void> {
  const exited = new Promise((r) => services.once("exit", r));
  services.kill("SIGINT");
  await exited;
}

for (const fraction of CHECKPOINTS) {
  const until = Math.ceil(totalBatches * fraction);
  await openNode(86_400);
  while (sent < until) {
    const n = Math.min(50, until - sent);
    await sendBatches(n);
    sent += n;
    progress(`  ${sent}/${totalBatches} batches (${((sent * BATCH + SINGLES) / 1e6).toFixed(3)} M revoked ids)`);
  }
  const stopAt = Date.now();
  await closeNode();
  const nodeStopSeconds = (Date.now() - stopAt) / 1000;
  const stateBytes = statSync(stateFile).size;
  progress(`checkpoint: state file ${(stateBytes / MB).toFixed(1)} MB (the node's full dump on stop took ${nodeStopSeconds.toFixed(1)} s); scripts/start.ts ...`);
  const run = await runStart();
  checkpoints.push({ revocations: sent * BATCH + SINGLES + MEASURE_BATCHES * BATCH, stateBytes, startSeconds: run.seconds, nodeStopSeconds });
  progress(`  scripts/start.ts answered /health after ${run.seconds.toFixed(1)} s`);
  if (fraction === CHECKPOINTS.at(-1)) last = run;
  else await stopStart(run.services);
}

// ---- 3. idle CPU and /health latency at the largest state ----
if (last === undefined) throw new Error("no checkpoint");
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
/** CPU seconds of a process and its threads so far. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
};
progress(`settling 10 s (the copier takes its first copy), then ${IDLE_SECONDS} s idle ...`);
await sleep(10_000);
const servicesPid = last.services.pid!;
const c0 = { services: cpuSeconds(servicesPid), anvil: cpuSeconds(last.anvilPid), at: Date.now() };
await sleep(IDLE_SECONDS * 1000);
const c1 = { services: cpuSeconds(servicesPid), anvil: cpuSeconds(last.anvilPid), at: Date.now() };
const wall = (c1.at - c0.at) / 1000;
const idleCpuServices = ((c1.services - c0.services) / wall) * 100;
const idleCpuAnvil = ((c1.anvil - c0.anvil) / wall) * 100;
progress(`idle CPU: services process ${idleCpuServices.toFixed(2)} %, anvil ${idleCpuAnvil.toFixed(2)} % (of one core)`);

const latencies: number[] = [];
for (let i = 0; i < HEALTH_REQUESTS; i++) {
  const t = performance.now();
  const r = await fetch(`http://127.0.0.1:${HTTP_PORT}/health`);
  await r.arrayBuffer();
  latencies.push(performance.now() - t);
  await sleep(20);
}
latencies.sort((a, b) => a - b);
const p99 = latencies[Math.floor(0.99 * latencies.length)] ?? Number.NaN;
const p50 = latencies[Math.floor(0.5 * latencies.length)] ?? Number.NaN;
progress(`/health: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (${HEALTH_REQUESTS} sequential requests, 20 ms apart)`);
await stopStart(last.services);
const files = readdirSync(ledgerDir);

// ---- 4. the start-time curve, extrapolated to 1M revocations ----
const xs = checkpoints.map((c) => c.revocations);
const ys = checkpoints.map((c) => c.startSeconds);
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const mx = mean(xs);
const my = mean(ys);
const slope = xs.length > 1 ? xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0) : my / mx;
const intercept = my - slope * mx;
const startSecondsAt1MRevocations = Math.round((intercept + slope * 1e6) * 10) / 10;
const largest = checkpoints.at(-1)!;
const measuredDirectly = largest.revocations >= 1e6;

const result = {
  date: new Date().toISOString(),
  machine: "2 cores (shared by other work); anvil 1.7.1, --state FILE without --preserve-historical-states",
  growthMethod: `state file size after anvil's next dump: ${SINGLES} single revoke transactions; ${MEASURE_BATCHES} revokeBatch transactions of ${BATCH} random ids of a 2^${LIST_LOG2}-entry list (about ${BATCH} words each); 20 empty blocks`,
  stateIntervalSecondsAtMeasure: stateIntervalFor(largest.stateBytes),
  bytesPerSingleRevocation,
  bytesPerBatchedRevocation,
  bytesPerEmptyBlock,
  idleCpuPercentAt500MB: Math.round(idleCpuServices * 100) / 100,
  idleCpuPercentAt500MBAnvil: Math.round(idleCpuAnvil * 100) / 100,
  idleCpuMethod: `CPU time (/proc utime+stime, all threads) over ${wall.toFixed(0)} s idle (anvil dumps every ${stateIntervalFor(largest.stateBytes)} s at this size), percent of one core; idleCpuPercentAt500MB is the services process (scripts/start.ts: HTTP services and state copier), idleCpuPercentAt500MBAnvil the ledger node`,
  stateBytesAtMeasure: largest.stateBytes,
  healthP99MsAt500MB: Math.round(p99 * 10) / 10,
  healthP50MsAt500MB: Math.round(p50 * 10) / 10,
  startSecondsAt1MRevocations,
  startMethod: measuredDirectly
    ? "measured"
    : `extrapolated: least-squares line through ${checkpoints.length} measured starts of scripts/start.ts (spawn to /health 200) at ${xs.map((x) => `${(x / 1e6).toFixed(3)}M`).join(", ")} revoked ids`,
  startCurve: checkpoints,
  anvilIdleRewritesFile: idleRewrites,
  ledgerDirFiles: files,
  targets: {
    bytesPerSingleRevocation: { target: 2048, met: bytesPerSingleRevocation <= 2048 },
    bytesPerBatchedRevocation: { target: 100, met: bytesPerBatchedRevocation <= 100 },
    idleCpuPercentAt500MB: { target: 2, met: idleCpuServices <= 2, anvilMet: idleCpuAnvil <= 2 },
    startSecondsAt1MRevocations: { target: 10, met: startSecondsAt1MRevocations <= 10 },
    healthP99MsAt500MB: { target: 50, met: p99 <= 50 },
  },
  benchSeconds: Math.round((Date.now() - t0) / 1000),
};
console.log(JSON.stringify(result, null, 2));
const out = new URL("../bench-results/ledger-growth.json", import.meta.url).pathname;
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
progress(`written to ${out}`);
process.exit(0);
