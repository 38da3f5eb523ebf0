/**
 * Load generator for the OpenID4VP part of `pnpm bench:http`, run as its own process: each flow is what a counter
 * and a wallet do over HTTP for one presentation: create the request (counter API) → fetch the request object by
 * request_uri → build the SD-JWT VC presentation (KB-JWT: aud = client_id, nonce) → post it (direct_post,
 * form-urlencoded) → poll the result. Prints `{ wallMs, latenciesMs, verified, failures }` as JSON on stdout.
 *
 *   node scripts/lib/openid4vpLoad.ts JOB_FILE CLIENTS
 */
import { readFileSync } from "node:fs";
import { presentSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeP256Signer, nodeSha256 } from "@mobile-id/core/sd-jwt-vc/node";

const [jobFile, clientsArg] = process.argv.slice(2);
if (jobFile === undefined || clientsArg === undefined) {
  console.error("usage: node scripts/lib/openid4vpLoad.ts JOB_FILE CLIENTS");
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobFile, "utf8")) as { url: string; query: unknown; claims: string[][]; flows: { copy: string; seed: string }[] };
const clients = Number(clientsArg);
const latencies: number[] = [];
const failures: Record<string, number> = {};
let verified = 0;
let next = 0;
const fail = (why: string) => (failures[why] = (failures[why] ?? 0) + 1);

async function flow(copy: string, seed: string): Promise<void> {
  const created = await fetch(`${job.url}/verifier/openid4vp/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ dcqlQuery: job.query }),
  });
  if (created.status !== 201) return void fail(`create ${created.status}`);
  const c = (await created.json()) as { id: string; requestUri: string; counterToken: string };
  const jar = await (await fetch(c.requestUri)).text();
  const request = JSON.parse(Buffer.from(jar.split(".")[1] ?? "", "base64url").toString("utf8")) as { nonce: string; client_id: string; state: string; response_uri: string };
  const presentation = await presentSdJwtVc({
    credential: copy,
    claims: job.claims,
    audience: request.client_id,
    nonce: request.nonce,
    issuedAt: Math.floor(Date.now() / 1000),
    holderSigner: nodeP256Signer(Buffer.from(seed, "hex")),
    sha256: nodeSha256,
  });
  const posted = await fetch(request.response_uri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ vp_token: JSON.stringify({ student: [presentation] }), state: request.state }),
  });
  await posted.arrayBuffer();
  if (posted.status !== 200) return void fail(`response ${posted.status}`);
  const result = (await (await fetch(`${job.url}/verifier/openid4vp/requests/${c.id}/result`, { headers: { authorization: `Bearer ${c.counterToken}` } })).json()) as {
    state?: string;
  };
  if (result.state === "verified") verified++;
  else fail(`state ${result.state}`);
}

const started = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (next < job.flows.length) {
      const f = job.flows[next++];
      if (f === undefined) break;
      const t0 = performance.now();
      await flow(f.copy, f.seed).catch((e: unknown) => fail(e instanceof Error ? e.message.slice(0, 80) : "error"));
      latencies.push(performance.now() - t0);
    }
  }),
);
process.stdout.write(JSON.stringify({ wallMs: performance.now() - started, latenciesMs: latencies, verified, failures }));
