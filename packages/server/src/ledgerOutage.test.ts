import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLedgerNode } from "@mobile-id/chain";
import { type TestServices, createRequest, issueStudentIds, presentationFor, startTestServices } from "./testing.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The ledger node alone dies while the services run, and comes back: /health and every ledger-backed route say
 * 503 LEDGER_UNAVAILABLE meanwhile, and all is served again once it answers, with no restart of the services.
 */
describe("services while the ledger node is down and after it returns", () => {
  let t: TestServices;
  const restarted: { stop(): Promise<void> }[] = [];
  const get = async (path: string) => {
    const r = await fetch(`${t.url}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const code = (body: Record<string, unknown>) => (body["error"] as { code?: string } | undefined)?.code;
  const waitFor = async (what: string, ms: number, ok: () => Promise<boolean>): Promise<number> => {
    const start = Date.now();
    while (!(await ok())) {
      if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
      await sleep(50);
    }
    return Date.now() - start;
  };

  beforeAll(async () => {
    t = await startTestServices();
  });
  afterAll(async () => {
    await t.services.close();
    for (const n of restarted) await n.stop();
  });

  it("answers 503 LEDGER_UNAVAILABLE on /health, /parties and /status-lists at once, and recovers", async () => {
    const [holder] = await issueStudentIds(t, 1);
    const snu = await t.roster.issuers[0]!.signer.getAddress();
    const other = await t.roster.issuers[1]!.signer.getAddress();
    expect((await get("/health")).status).toBe(200);
    expect((await get(`/parties/${snu}`)).status).toBe(200);
    expect((await get("/status-lists/1")).status).toBe(200);

    await t.node.stop(); // saves its state: nothing is lost, the node is only away
    const down = await waitFor("/health 503 after the node stopped", 5_000, async () => (await get("/health")).status === 503);
    expect(down).toBeLessThan(5_000);
    const health = await get("/health");
    expect(health.body["ok"]).toBe(false);
    expect((health.body["ledger"] as { reason?: string }).reason).toBe("ledger-unreachable");
    for (const path of [`/parties/${other}`, `/parties/${snu}`, "/status-lists/1"]) {
      const r = await get(path);
      expect([path, r.status, code(r.body)]).toStrictEqual([path, 503, "LEDGER_UNAVAILABLE"]);
    }
    // The verifier fails closed: the student ID is not verified while the ledger cannot be read.
    const request = await createRequest(t.url);
    const presentation = await presentationFor(holder!, request.request);
    const outcome = await fetch(`${t.url}/verifier/requests/${request.id}/presentation`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ presentation }),
    });
    // 503 like every ledger-backed route, and the answer is not counted against the request: the holder retries.
    expect(outcome.status).toBe(503);
    expect(outcome.headers.get("retry-after")).not.toBeNull();
    expect(code((await outcome.json()) as Record<string, unknown>)).toBe("LEDGER_UNAVAILABLE");
    const afterOutage = await get(`/verifier/requests/${request.id}`);
    expect(afterOutage.body).toMatchObject({ state: "pending", failedAnswers: 0 });

    const node = await startLedgerNode({ dataDir: t.node.stateFile.replace(/\/state\.json$/, ""), port: t.node.port });
    restarted.push(node);
    await waitFor("/health 200 after the node returned", 10_000, async () => (await get("/health")).status === 200);
    expect((await get(`/parties/${other}`)).status).toBe(200);
    expect((await get("/status-lists/1")).status).toBe(200);
    // The same request and presentation now verify: the outage used up neither the challenge nor an attempt.
    const retry = await fetch(`${t.url}/verifier/requests/${request.id}/presentation`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ presentation }),
    });
    expect(((await retry.json()) as { verified: boolean })).toMatchObject({ verified: true });
  });
});
