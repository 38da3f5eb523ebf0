/**
 * `pnpm bench:http`: presentations verified per second through the verifier API, 50 concurrent clients on
 * loopback, and p95 latency; written to bench-results/http.json (`vpPerSecond`, `p95Ms`). The whole network
 * runs here (anvil ledger, services with their ledger mirror); the clients run in a second process. Every
 * presentation comes from a different holder and answers its own request, as at real counters. The
 * in-process rate from `pnpm bench:verify` (bench-results/verify.json) is printed beside it.
 * A benchmark, not a test: it measures and prints.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createRequest, inParallel, issueStudentIds, presentationFor, startTestServices } from "@mobile-id/server/testing";

const PRESENTATIONS = Number(process.env["BENCH_PRESENTATIONS"] ?? 2000);
const WARMUP = 200;
const CLIENTS = 50;

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

console.log(`starting the network (anvil, contracts, services) ...`);
const services = await startTestServices();
try {
  console.log(`issuing ${PRESENTATIONS + WARMUP} student IDs to as many holders, through the issuer API ...`);
  const holders = await issueStudentIds(services, PRESENTATIONS + WARMUP, 32);
  console.log(`creating requests and signing presentations ...`);
  const requests = await inParallel(holders.length, 32, () => createRequest(services.url));
  const jobs = await Promise.all(
    holders.map(async (h, i) => ({ url: requests[i]!.responseUri, body: JSON.stringify({ presentation: await presentationFor(h, requests[i]!.request) }) })),
  );
  const dir = mkdtempSync(join(tmpdir(), "mid-bench-http-"));
  // The load generator runs in a child process; while it runs this process serves. execFileSync would
  // block our event loop, so run the child asynchronously instead.
  const runAsync = async (slice: typeof jobs, name: string) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(slice));
    const child = spawn(process.execPath, [new URL("./lib/httpLoad.ts", import.meta.url).pathname, file, String(CLIENTS)], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`load generator exited ${code}`);
    return JSON.parse(text) as { wallMs: number; latenciesMs: number[]; statuses: Record<string, number>; verified: number };
  };
  console.log(`warm-up: ${WARMUP} presentations ...`);
  await runAsync(jobs.slice(0, WARMUP), "warmup");
  console.log(`measuring: ${PRESENTATIONS} presentations, ${CLIENTS} concurrent clients ...`);
  // BENCH_PROFILE=FILE writes a CPU profile of this process (the server) during the measured phase only.
  const profileFile = process.env["BENCH_PROFILE"];
  const session = profileFile === undefined ? undefined : new (await import("node:inspector/promises")).Session();
  if (session !== undefined) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const result = await runAsync(jobs.slice(WARMUP), "measure");
  if (session !== undefined && profileFile !== undefined) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const vpPerSecond = Math.round((PRESENTATIONS * 1000) / result.wallMs);
  const p50Ms = Number(quantile(sorted, 0.5).toFixed(2));
  const p95Ms = Number(quantile(sorted, 0.95).toFixed(2));
  const verifyFile = "bench-results/verify.json";
  const inProcess = existsSync(verifyFile)
    ? (JSON.parse(readFileSync(verifyFile, "utf8")) as { ours?: { vpPerSecond?: number }; generatedAt?: string })
    : undefined;
  const inProcessRate = inProcess?.ours?.vpPerSecond;
  console.log("");
  console.log(`verifier API over HTTP   ${vpPerSecond} presentations/s   p50 ${p50Ms} ms   p95 ${p95Ms} ms   (${CLIENTS} clients, ${PRESENTATIONS} presentations)`);
  console.log(`responses                ${JSON.stringify(result.statuses)}   verified ${result.verified}/${PRESENTATIONS}`);
  if (inProcessRate !== undefined) {
    const ratio = vpPerSecond / inProcessRate;
    console.log(`in-process (bench:verify) ${inProcessRate} presentations/s (measured ${inProcess?.generatedAt ?? "?"})   HTTP/in-process ${(ratio * 100).toFixed(0)}%   target >= 60%: ${ratio >= 0.6 ? "met" : "MISSED"}`);
  } else {
    console.log(`in-process rate: run \`pnpm bench:verify\` first to print it beside this one`);
  }
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} (2 cores; other work on the machine lowers the figures)`);
  mkdirSync("bench-results", { recursive: true });
  writeFileSync(
    "bench-results/http.json",
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        command: "pnpm bench:http",
        clients: CLIENTS,
        presentations: PRESENTATIONS,
        vpPerSecond,
        p50Ms,
        p95Ms,
        statuses: result.statuses,
        verified: result.verified,
        inProcessVpPerSecond: inProcessRate ?? null,
        ratioToInProcess: inProcessRate === undefined ? null : Number((vpPerSecond / inProcessRate).toFixed(3)),
        target: "HTTP rate >= 60% of the in-process rate",
      },
      null,
      2,
    )}\n`,
  );
  console.log("wrote bench-results/http.json");
} finally {
  await services.close();
}
