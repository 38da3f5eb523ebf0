import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestHolder, type TestServices, createRequest, issueStudentIds, presentationFor, startTestServices } from "./testing.ts";

describe("the verifier keeps no claims once the counter has them", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mid-retention-"));
  const dbPath = join(dataDir, "verifier", "verifier.sqlite");
  let services: TestServices;
  let holder: TestHolder;

  beforeAll(async () => {
    services = await startTestServices({ dataDir });
    [holder] = (await issueStudentIds(services, 1)) as [TestHolder];
  }, 120_000);
  afterAll(async () => {
    await services?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Whether the holder's student number is anywhere in the verifier's database file or its WAL. */
  const onDisk = (needle: string): boolean => {
    const db = new DatabaseSync(dbPath);
    try {
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      db.close();
    }
    const files = [dbPath, `${dbPath}-wal`].filter((f) => existsSync(f));
    return files.some((f) => readFileSync(f).includes(Buffer.from(needle, "utf8")));
  };

  it("stores the outcome until the counter reads it, then erases it from the file", async () => {
    const request = await createRequest(services.url);
    const vp = await presentationFor(holder, request.request);
    const answer = await fetch(request.responseUri, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ presentation: vp }) });
    const outcome = (await answer.json()) as { verified: boolean; credentials: { claims: { studentNumber: string } }[] };
    expect(outcome.verified).toBe(true);
    const studentNumber = outcome.credentials[0]?.claims.studentNumber ?? "";
    expect(studentNumber).toMatch(/^2026-/);
    expect(onDisk(studentNumber)).toBe(true);

    const asCounter = { headers: { authorization: `Bearer ${request.counterToken}` } };
    const counter = (await (await fetch(`${services.url}/verifier/requests/${request.id}`, asCounter)).json()) as { outcome?: { credentials: unknown[] } };
    expect(counter.outcome?.credentials).toHaveLength(1);
    const again = (await (await fetch(`${services.url}/verifier/requests/${request.id}`, asCounter)).json()) as { state: string; outcome?: unknown };
    expect(again).toMatchObject({ state: "verified" });
    expect(again.outcome).toBeUndefined();
    expect(onDisk(studentNumber)).toBe(false);
  });
});
