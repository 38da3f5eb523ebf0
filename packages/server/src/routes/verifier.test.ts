import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SettableClock, settableClock } from "@mobile-id/core";
import { installErrorHandling } from "../errors.ts";
import { openDatabase } from "../stores/database.ts";
import { type RequestStore, createRequestStore } from "../stores/requestStore.ts";
import { SECRET_CLAIMS, stubVerifier } from "../testing.ts";
import { registerVerifierRoutes } from "./verifier.ts";

describe("verifier routes: what is kept, and for how long", () => {
  let dir: string;
  let db: DatabaseSync;
  let store: RequestStore;
  let app: FastifyInstance;
  let clock: SettableClock;
  let verifier: ReturnType<typeof stubVerifier>;
  const dbPath = () => join(dir, "verifier.sqlite");

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "mid-verifier-routes-"));
    clock = settableClock(1_800_000_000);
    db = openDatabase(dbPath());
    store = createRequestStore(db, { outcomeTtlSeconds: 300 });
    verifier = stubVerifier(clock);
    app = Fastify({ logger: false });
    installErrorHandling(app);
    registerVerifierRoutes(app, { verifier, requests: store, publicBaseUrl: "http://127.0.0.1:8080", domain: "verifier.test", clock });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Counter tokens by request id, as the counter keeps them. */
  const tokens = new Map<string, string>();
  const create = async (ttlSeconds = 120): Promise<string> => {
    const r = await app.inject({ method: "POST", url: "/verifier/requests", payload: { credentialTypes: ["StudentIDCredential"], ttlSeconds } });
    expect(r.statusCode).toBe(201);
    const { id, counterToken } = r.json() as { id: string; counterToken: string };
    tokens.set(id, counterToken);
    return id;
  };
  const answer = (id: string, presentation: string) => app.inject({ method: "POST", url: `/verifier/requests/${id}/presentation`, payload: { presentation } });
  const counterReads = (id: string) => app.inject({ method: "GET", url: `/verifier/requests/${id}`, headers: { authorization: `Bearer ${tokens.get(id) ?? "none"}` } });
  const walletReads = (id: string) => app.inject({ method: "GET", url: `/verifier/requests/${id}` });
  /** Whether the claims are anywhere on disk: in a row, in the database file or in its WAL. */
  const claimsOnDisk = (): { inRows: number; inFile: boolean } => {
    const inRows = Number((db.prepare("SELECT count(*) AS n FROM presentation_requests WHERE outcome LIKE ?").get(`%${SECRET_CLAIMS.givenName}%`) as { n: number }).n);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const bytes = Buffer.concat([readFileSync(dbPath()), readFileSync(`${dbPath()}-wal`, { flag: "a+" })]);
    return { inRows, inFile: ["Retention-Canary-7f3a9c", "2026-CANARY-4411", "Portrait-Canary-"].some((canary) => bytes.includes(canary)) };
  };

  it("hands the holder's claims to the counter once, then erases them from the database and its file", async () => {
    const id = await create();
    const answered = await answer(id, "good");
    expect(answered.json()).toMatchObject({ verified: true });
    // Before the counter read it, the outcome is stored (so the counter can get it).
    expect(claimsOnDisk().inRows).toBe(1);
    const first = await counterReads(id);
    expect(first.json()).toMatchObject({ state: "verified", outcome: { verified: true, credentials: [{ claims: SECRET_CLAIMS }] } });
    const second = await counterReads(id);
    expect(second.json().state).toBe("verified");
    expect(second.json().outcome).toBeUndefined();
    expect(claimsOnDisk()).toEqual({ inRows: 0, inFile: false });
  });

  it("shows the outcome only to the counter that holds the request's token; others neither see nor erase it", async () => {
    const id = await create();
    const other = await create();
    await answer(id, "good");
    const wallet = await walletReads(id);
    expect(wallet.json()).toMatchObject({ state: "verified" });
    expect(wallet.json().outcome).toBeUndefined();
    const wrong = await app.inject({ method: "GET", url: `/verifier/requests/${id}`, headers: { authorization: `Bearer ${tokens.get(other) ?? ""}` } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe("FORBIDDEN");
    // Still there for the counter.
    expect((await counterReads(id)).json().outcome.credentials[0].claims).toEqual(SECRET_CLAIMS);
  });

  it("erases an outcome nobody read once its time is up, and forgets expired requests", async () => {
    const answeredId = await create(60);
    await answer(answeredId, "good");
    const unansweredId = await create(60);
    expect(claimsOnDisk().inRows).toBe(1);
    clock.advance(301); // past the requests' expiry and the outcome's 300 s
    store.purge(clock());
    expect(claimsOnDisk()).toEqual({ inRows: 0, inFile: false });
    expect(Number((db.prepare("SELECT count(*) AS n FROM presentation_requests").get() as { n: number }).n)).toBe(0);
    expect((await counterReads(answeredId)).statusCode).toBe(404);
    expect((await counterReads(unansweredId)).json().error.code).toBe("REQUEST_NOT_FOUND");
  });

  it("creating a request purges what has expired, with no timer needed", async () => {
    const old = await create(60);
    clock.advance(61);
    await create(60);
    expect((await counterReads(old)).statusCode).toBe(404);
  });

  it("closes a request after three failed answers; the counter sees it closed", async () => {
    const id = await create();
    for (let i = 0; i < 3; i++) expect((await answer(id, `forged-${i}`)).json()).toMatchObject({ verified: false, code: "SIGNATURE_INVALID" });
    const fourth = await answer(id, "good");
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().error.code).toBe("REQUEST_CLOSED");
    expect(verifier.calls.verify).toBe(3);
    expect((await counterReads(id)).json()).toMatchObject({ state: "rejected", closed: true, failedAnswers: 3, outcome: { verified: false } });
  });

  it("bounds failed answers that arrive all at once", async () => {
    const id = await create();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => answer(id, `forged-${i}`)));
    expect(verifier.calls.verify).toBe(3);
    const refused = answers.filter((a) => a.statusCode === 409).map((a) => a.json().error.code as string);
    expect(refused).toHaveLength(9);
    expect(refused.every((code) => code === "REQUEST_BUSY" || code === "REQUEST_CLOSED")).toBe(true);
    expect((await answer(id, "good")).json().error.code).toBe("REQUEST_CLOSED");
  });

  it("a verified request stays verified whatever comes after", async () => {
    const id = await create();
    await answer(id, "forged");
    expect((await answer(id, "good")).json().verified).toBe(true);
    for (let i = 0; i < 4; i++) await answer(id, "forged");
    expect((await counterReads(id)).json()).toMatchObject({ state: "verified", closed: false, failedAnswers: 1 });
  });
});
