/**
 * Load generator for `pnpm bench:http`, run as its own process so that it does not share the server's core:
 * reads a job file of `{ url, body }` posts, runs them with N concurrent clients over keep-alive connections,
 * and prints `{ wallMs, latenciesMs, statuses, verified }` as JSON on stdout.
 *
 *   node scripts/lib/httpLoad.ts JOB_FILE CLIENTS
 */
import { readFileSync } from "node:fs";

const [jobFile, clientsArg] = process.argv.slice(2);
if (jobFile === undefined || clientsArg === undefined) {
  console.error("usage: node scripts/lib/httpLoad.ts JOB_FILE CLIENTS");
  process.exit(2);
}
const jobs = JSON.parse(readFileSync(jobFile, "utf8")) as { url: string; body: string }[];
const clients = Number(clientsArg);
const latencies = new Array<number>(jobs.length);
const statuses: Record<number, number> = {};
let verified = 0;
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i];
      if (job === undefined) break;
      const t0 = performance.now();
      const response = await fetch(job.url, { method: "POST", headers: { "content-type": "application/json" }, body: job.body });
      const body = (await response.json()) as { verified?: boolean };
      latencies[i] = performance.now() - t0;
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (body.verified === true) verified++;
    }
  }),
);
process.stdout.write(JSON.stringify({ wallMs: performance.now() - started, latenciesMs: latencies, statuses, verified }));
