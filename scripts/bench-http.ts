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
import { randomBytes } from "node:crypto";
import { LedgerMirror, createFetchLedgerRpc } from "@mobile-id/chain";
import { presentSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeP256Signer, nodeSha256 } from "@mobile-id/core/sd-jwt-vc/node";
import { createMemoryNonceStore, createVerifier } from "@mobile-id/verifier";
import { STUDENT_STATUS_QUERY, createRequest, inParallel, issueStudentIds, presentationFor, startTestServices } from "@mobile-id/server/testing";

const PRESENTATIONS = Number(process.env["BENCH_PRESENTATIONS"] ?? 2000);
/** OpenID4VP flows measured (issue 11), after a warm-up of a tenth as many. */
const OPENID4VP_FLOWS = Number(process.env["BENCH_OPENID4VP_FLOWS"] ?? 400);
const OPENID4VP_CLIENTS = 20;
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

  // ---- OpenID4VP 1.0 + DCQL (issue 11): the full direct_post flow, beside the in-process SD-JWT VC rate ----------
  const openid4vp = await benchOpenid4vp();
  console.log("");
  console.log(
    `openid4vp (direct_post)  ${openid4vp.presentationsPerSecond} presentations/s   p50 ${openid4vp.p50Ms} ms   p95 ${openid4vp.p95Ms} ms   ` +
      `(${OPENID4VP_CLIENTS} clients, ${OPENID4VP_FLOWS} flows: create → request_uri → present → post → poll; verified ${openid4vp.verified}/${OPENID4VP_FLOWS} ${JSON.stringify(openid4vp.failures)})`,
  );
  console.log(
    `in-process SD-JWT VC     ${openid4vp.inProcessSdJwtPerSecond} verifications/s (this run, one at a time)   openid4vp/in-process ${(openid4vp.ratio * 100).toFixed(0)}%   target >= 50%: ${openid4vp.ratio >= 0.5 ? "met" : "MISSED"}`,
  );
  const written = JSON.parse(readFileSync("bench-results/http.json", "utf8")) as Record<string, unknown>;
  writeFileSync(
    "bench-results/http.json",
    `${JSON.stringify({ ...written, openid4vp: { ...openid4vp, clients: OPENID4VP_CLIENTS, flows: OPENID4VP_FLOWS, target: "presentationsPerSecond >= 50% of the in-process SD-JWT VC rate" } }, null, 2)}\n`,
  );
  console.log("wrote bench-results/http.json (openid4vp)");
} finally {
  await services.close();
}

/**
 * OpenID4VP over the services: student-ID SD-JWT VC copies issued over HTTP (batches of 50, one P-256 key each),
 * the in-process SD-JWT VC verification rate measured here against a ledger mirror of the same node (the verifier
 * the services run, without HTTP), then the flows from a child process.
 */
async function benchOpenid4vp() {
  const total = OPENID4VP_FLOWS + Math.ceil(OPENID4VP_FLOWS / 10);
  const inProcessCount = Math.min(400, OPENID4VP_FLOWS);
  const seeds: Buffer[] = [];
  const copies: string[] = [];
  console.log(`\nopenid4vp: issuing ${total + inProcessCount} student-ID SD-JWT VC copies over HTTP ...`);
  while (copies.length < total + inProcessCount) {
    const batch = Array.from({ length: Math.min(50, total + inProcessCount - copies.length) }, () => randomBytes(32));
    const r = await fetch(`${services.url}/issuers/snu/sd-jwt-vc`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` },
      body: JSON.stringify({
        type: "StudentIDCredential",
        claims: { familyName: "김", givenName: "민준", birthDate: "2005-03-14", studentNumber: "2026-12345", institution: "서울대학교", enrollmentStatus: "enrolled" },
        holderKeys: batch.map((seed) => nodeP256Signer(seed).publicJwk),
      }),
    });
    if (r.status !== 201) throw new Error(`SD-JWT VC issuance failed: ${r.status} ${await r.text()}`);
    copies.push(...((await r.json()) as { copies: string[] }).copies);
    seeds.push(...batch);
  }
  const claims = STUDENT_STATUS_QUERY.credentials[0].claims.map((c) => [...c.path]);

  // In-process: the one-call verifier on a mirror of the same ledger, one presentation at a time.
  const mirror = new LedgerMirror({ rpc: createFetchLedgerRpc({ url: services.node.url }), descriptor: services.descriptor });
  await mirror.start();
  let inProcessSdJwtPerSecond: number;
  try {
    const verifier = createVerifier({ descriptor: services.descriptor, ledger: mirror, nonceStore: createMemoryNonceStore() });
    const samples = await Promise.all(
      copies.slice(total).map(async (copy, i) => {
        const request = verifier.createPresentationRequest({ domain: "verifier.mobile-id.local", credentialTypes: ["StudentIDCredential"], claims: claims.map((c) => ({ path: c.join(".") })), ttlSeconds: 3600 });
        const presentation = await presentSdJwtVc({ credential: copy, claims, audience: request.domain, nonce: request.challenge, issuedAt: Math.floor(Date.now() / 1000), holderSigner: nodeP256Signer(seeds[total + i]!), sha256: nodeSha256 });
        return { request, presentation };
      }),
    );
    for (const s of samples.slice(0, 20)) await verifier.verifyPresentation(s);
    const t0 = performance.now();
    let refused = 0;
    for (const s of samples.slice(20)) if (!(await verifier.verifyPresentation(s)).verified) refused++;
    if (refused > 0) throw new Error(`${refused} in-process SD-JWT VC presentations refused`);
    inProcessSdJwtPerSecond = Math.round(((samples.length - 20) * 1000) / (performance.now() - t0));
  } finally {
    await mirror.stop();
  }

  const dir = mkdtempSync(join(tmpdir(), "mid-bench-openid4vp-"));
  const run = async (from: number, to: number, name: string) => {
    const file = join(dir, `${name}.json`);
    const flows = copies.slice(from, to).map((copy, i) => ({ copy, seed: seeds[from + i]!.toString("hex") }));
    writeFileSync(file, JSON.stringify({ url: services.url, query: STUDENT_STATUS_QUERY, claims, flows }));
    const child = spawn(process.execPath, [new URL("./lib/openid4vpLoad.ts", import.meta.url).pathname, file, String(OPENID4VP_CLIENTS)], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`openid4vp load generator exited ${code}`);
    return JSON.parse(text) as { wallMs: number; latenciesMs: number[]; verified: number; failures: Record<string, number> };
  };
  console.log(`openid4vp: warm-up ${total - OPENID4VP_FLOWS} flows, then ${OPENID4VP_FLOWS} measured ...`);
  await run(0, total - OPENID4VP_FLOWS, "warmup");
  // BENCH_PROFILE_OPENID4VP=FILE writes a CPU profile of this process (the services) during the measured flows.
  const profileFile = process.env["BENCH_PROFILE_OPENID4VP"];
  const session = profileFile === undefined ? undefined : new (await import("node:inspector/promises")).Session();
  if (session !== undefined) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const result = await run(total - OPENID4VP_FLOWS, total, "measure");
  if (session !== undefined && profileFile !== undefined) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const presentationsPerSecond = Math.round((result.verified * 1000) / result.wallMs);
  return {
    presentationsPerSecond,
    p50Ms: Number(quantile(sorted, 0.5).toFixed(2)),
    p95Ms: Number(quantile(sorted, 0.95).toFixed(2)),
    verified: result.verified,
    failures: result.failures,
    inProcessSdJwtPerSecond,
    ratio: Number((presentationsPerSecond / inProcessSdJwtPerSecond).toFixed(3)),
  };
}
