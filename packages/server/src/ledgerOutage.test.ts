import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HDNodeWallet } from "ethers";
import { decodeMirrorSnapshot, encodeMirrorSnapshot, startLedgerNode } from "@mobile-id/chain";
import { startServices } from "./startServices.ts";
import { type TestHolder, type TestServices, createRequest, issueStudentIds, presentationFor, startTestServices } from "./testing.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Head {
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly timestamp: number;
}

function helpers(services: () => TestServices) {
  const get = async (path: string) => {
    const r = await fetch(`${services().url}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const code = (body: Record<string, unknown>) => (body["error"] as { code?: string } | undefined)?.code;
  const ledger = async () => (await get("/health")).body["ledger"] as { reason?: string; freshness?: { head: Head; confirmedAt: number }; offline?: { until: number } };
  const waitFor = async (what: string, ms: number, ok: () => Promise<boolean>): Promise<number> => {
    const start = Date.now();
    while (!(await ok())) {
      if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
      await sleep(50);
    }
    return Date.now() - start;
  };
  /** Presents the holder's credential to a fresh request: the HTTP status and the answer. */
  const present = async (holder: TestHolder) => {
    const request = await createRequest(services().url);
    const presentation = await presentationFor(holder, request.request);
    const r = await fetch(`${services().url}/verifier/requests/${request.id}/presentation`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ presentation }),
    });
    return { status: r.status, retryAfter: r.headers.get("retry-after"), body: (await r.json()) as Record<string, unknown>, request, presentation };
  };
  return { get, code, ledger, waitFor, present };
}

/**
 * The ledger node alone goes away while the services run, and comes back (offline at the counter): the verifier
 * keeps verifying from its replica, as of the last block it confirmed, for the offline policy's time; /health says
 * 503 meanwhile; past the policy, LEDGER_UNAVAILABLE. No restart of the services.
 */
describe("services while the ledger node is down and after it returns", () => {
  let t: TestServices;
  const restarted: { url: string; stop(): Promise<void> }[] = [];
  const h = helpers(() => t);
  let closed = false;

  beforeAll(async () => {
    t = await startTestServices();
  });
  afterAll(async () => {
    if (!closed) await t.services.close();
    for (const n of restarted) await n.stop();
  });

  it("verifies from the replica as of its last block while the node is down, revocations included, and recovers", async () => {
    const [holder, revokedHolder] = await issueStudentIds(t, 2);
    const snu = await t.roster.issuers[0]!.signer.getAddress();
    // A revocation acknowledged by this service before the outage, and seen by the replica.
    const issuedId = await credentialId(t, revokedHolder!);
    const revoked = await fetch(`${t.url}/issuers/snu/credentials/status`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${t.apiKeys["snu"]}` },
      body: JSON.stringify({ action: "revoke", ids: [issuedId], reason: "KEY_COMPROMISE" }),
    });
    expect(revoked.status).toBe(200);
    const revokedAt = ((await revoked.json()) as { transactions: { blockNumber: number }[] }).transactions[0]!.blockNumber;
    await h.waitFor("the replica has the revocation", 10_000, async () => ((await h.ledger()).freshness?.head.blockNumber ?? 0) >= revokedAt);
    expect((await h.get("/health")).status).toBe(200);
    // The route reads a party's name from the contract once, then keeps it; the rest comes from the replica.
    expect((await h.get(`/parties/${snu}`)).status).toBe(200);

    await t.node.stop(); // saves its state: nothing is lost, the node is only away
    await h.waitFor("/health 503 after the node stopped", 5_000, async () => (await h.get("/health")).status === 503);
    const health = await h.get("/health");
    const ledger = health.body["ledger"] as { reason?: string; freshness: { head: Head; confirmedAt: number }; offline?: { until: number } };
    expect(ledger.reason).toBe("ledger-unreachable");
    expect(ledger.offline?.until).toBe(ledger.freshness.confirmedAt + 900);
    // A party's keys and standings are answered from the replica too (its name was read from the contract before).
    expect((await h.get(`/parties/${snu}`)).status).toBe(200);

    // Verified offline, and the outcome says as of which block and when that block was last confirmed.
    const offline = await h.present(holder!);
    expect(offline.status).toBe(200);
    expect(offline.body).toMatchObject({
      verified: true,
      ledgerAsOf: {
        blockNumber: ledger.freshness.head.blockNumber,
        blockHash: ledger.freshness.head.blockHash,
        blockTimestamp: ledger.freshness.head.timestamp,
        checkedAt: ledger.freshness.confirmedAt,
      },
    });
    // The revocation made before the outage is enforced offline.
    const refused = await h.present(revokedHolder!);
    expect(refused.body).toMatchObject({ verified: false, code: "CREDENTIAL_REVOKED" });

    const node = await startLedgerNode({ dataDir: t.node.stateFile.replace(/\/state\.json$/, ""), port: t.node.port });
    restarted.push(node);
    await h.waitFor("/health 200 after the node returned", 10_000, async () => (await h.get("/health")).status === 200);
    const online = await h.present(holder!);
    expect(online.body).toMatchObject({ verified: true });
    expect((online.body["ledgerAsOf"] as Head).blockNumber).toBeGreaterThanOrEqual(ledger.freshness.head.blockNumber);
  });

  it("on a restart, the saved replica is loaded as saved, a damaged one is refused (the replica syncs from zero), and a valid one is written on close", async () => {
    const [holder] = await issueStudentIds(t, 1);
    const node = restarted[0]!;
    const dataDir = t.node.stateFile.replace(/\/ledger\/state\.json$/, "");
    const file = join(dataDir, "verifier", "ledger-replica.bin");
    await t.services.close();
    closed = true;
    const saved = decodeMirrorSnapshot(readFileSync(file), t.descriptor);
    const agencies = t.roster.issuers.map((i) => ({ slug: i.slug, name: i.name, signer: i.signer as HDNodeWallet }));
    const restart = () => startServices({ descriptor: t.descriptor, rpcUrl: node.url, dataDir, port: 0, logger: false, agencies });

    // A valid snapshot whose written lists say every entry is set: loaded as saved (not rebuilt from the node), the
    // holder's credential reads as revoked. Proof that a restart starts from the file and catches up from its head.
    writeFileSync(file, encodeMirrorSnapshot({ ...saved, lists: saved.lists.map((l) => ({ listId: l.listId, bits: new Uint8Array(l.bits.length).fill(0xff) })) }, t.descriptor));
    const fromFile = await restart();
    try {
      t = { ...t, url: fromFile.url, services: fromFile };
      expect((await h.present(holder!)).body).toMatchObject({ verified: false, code: "CREDENTIAL_REVOKED" });
    } finally {
      await fromFile.close();
    }

    const damaged = readFileSync(file);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 1;
    writeFileSync(file, damaged);
    expect(() => decodeMirrorSnapshot(readFileSync(file), t.descriptor)).toThrow(expect.objectContaining({ reason: "damaged" }));
    const again = await restart();
    try {
      t = { ...t, url: again.url, services: again };
      expect((await h.present(holder!)).body).toMatchObject({ verified: true });
    } finally {
      await again.close();
    }
    const rewritten = decodeMirrorSnapshot(readFileSync(file), t.descriptor);
    expect(rewritten.head.blockNumber).toBeGreaterThanOrEqual(saved.head.blockNumber);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("past the offline policy, and the replica on disk", () => {
  let t: TestServices;
  const h = helpers(() => t);
  beforeAll(async () => {
    t = await startTestServices({ maxStalenessSeconds: 6 });
  });
  afterAll(async () => {
    await t.services.close().catch(() => undefined);
  });

  it("refuses with LEDGER_UNAVAILABLE once the replica's head is older than maxStalenessSeconds, and saves the replica 0600 on close", async () => {
    const [holder] = await issueStudentIds(t, 1);
    await sleep(600); // the replica has the issuer's lists
    await t.node.stop();
    await h.waitFor("/health 503 after the node stopped", 5_000, async () => (await h.get("/health")).status === 503);
    const within = await h.present(holder!);
    expect([within.status, within.body["verified"]]).toStrictEqual([200, true]);

    await h.waitFor("past the offline policy", 15_000, async () => (await h.ledger()).reason === "mirror-stale");
    const past = await h.present(holder!);
    expect([past.status, h.code(past.body)]).toStrictEqual([503, "LEDGER_UNAVAILABLE"]);
    expect(past.retryAfter).not.toBeNull();

    await t.services.close();
    const file = join(t.node.stateFile.replace(/\/ledger\/state\.json$/, ""), "verifier", "ledger-replica.bin");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = decodeMirrorSnapshot(readFileSync(file), t.descriptor);
    expect(saved.head.blockNumber).toBe((within.body["ledgerAsOf"] as Head).blockNumber);
  });

  it("refuses a maxStalenessSeconds past 24 hours", async () => {
    const { checkOfflinePolicy } = await import("./ledgerReplica.ts");
    expect(checkOfflinePolicy(undefined)).toBe(900);
    expect(checkOfflinePolicy(86_400)).toBe(86_400);
    expect(() => checkOfflinePolicy(86_401)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => checkOfflinePolicy(0)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

/** The issuer's id of the credential held by `holder` (looked up by holder DID). */
async function credentialId(t: TestServices, holder: TestHolder): Promise<string> {
  const r = await fetch(`${t.url}/issuers/snu/credentials?holder=${encodeURIComponent(holder.did)}`, { headers: { authorization: `Bearer ${t.apiKeys["snu"]}` } });
  const body = (await r.json()) as { items?: { id: string }[]; credentials?: { id: string }[] };
  const id = (body.items ?? body.credentials)?.[0]?.id;
  if (id === undefined) throw new Error(`no credential for ${holder.did}: ${JSON.stringify(body)}`);
  return id;
}
