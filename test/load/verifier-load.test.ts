/**
 * A bounded load test of the verifier API on loopback: many concurrent clients, a fixed number of
 * presentations, each from a different holder. It asserts correctness under load — no errors, no lost and no
 * double-accepted challenges — not speed (that is `pnpm bench:http`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type OpenRequest,
  type TestHolder,
  type TestServices,
  createRequest,
  inParallel,
  issueStudentIds,
  presentationFor,
  startTestServices,
} from "@mobile-id/server/testing";

const HOLDERS = 300;
const CLIENTS = 50;

interface Answer {
  readonly status: number;
  readonly verified: boolean;
  readonly code: string | undefined;
}

async function post(req: OpenRequest, presentation: string): Promise<Answer> {
  const response = await fetch(req.responseUri, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ presentation }),
  });
  const body = (await response.json()) as { verified?: boolean; code?: string };
  return { status: response.status, verified: body.verified === true, code: body.code };
}

describe(`verifier API under load: ${HOLDERS} holders, ${CLIENTS} concurrent clients`, () => {
  let services: TestServices;
  let holders: TestHolder[];
  let requests: OpenRequest[];
  let presentations: string[];

  beforeAll(async () => {
    services = await startTestServices();
    holders = await issueStudentIds(services, HOLDERS);
    requests = await inParallel(HOLDERS, 16, () => createRequest(services.url));
    presentations = await Promise.all(holders.map((h, i) => presentationFor(h, requests[i]!.request)));
  }, 180_000);
  afterAll(async () => {
    await services?.close();
  });

  it("verifies every presentation once, with no error", async () => {
    const answers = await inParallel(HOLDERS, CLIENTS, (i) => post(requests[i]!, presentations[i]!));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => !a.verified).map((a) => a.code)).toEqual([]);
  });

  it("refuses every replay with REPLAYED, still under load, and no request flips from verified", async () => {
    const answers = await inParallel(HOLDERS, CLIENTS, (i) => post(requests[i]!, presentations[i]!));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(new Set(answers.map((a) => a.code))).toEqual(new Set(["REPLAYED"]));
    const states = await inParallel(HOLDERS, CLIENTS, async (i) => {
      const r = await fetch(`${services.url}/verifier/requests/${requests[i]!.id}`);
      return ((await r.json()) as { state: string }).state;
    });
    expect(new Set(states)).toEqual(new Set(["verified"]));
  });

  it("accepts exactly one of two simultaneous answers to the same challenge", async () => {
    const fresh = await inParallel(60, 16, () => createRequest(services.url));
    const vps = await Promise.all(fresh.map((r, i) => presentationFor(holders[i]!, r.request)));
    // Each presentation is posted twice at the same moment.
    const answers = await inParallel(120, CLIENTS, (i) => post(fresh[i % 60]!, vps[i % 60]!));
    for (let r = 0; r < 60; r++) {
      const pair = [answers[r]!, answers[r + 60]!];
      expect(pair.filter((a) => a.verified)).toHaveLength(1);
      expect(pair.find((a) => !a.verified)?.code).toBe("REPLAYED");
    }
  });
});
