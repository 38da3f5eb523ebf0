/**
 * The ledger node alone fails while the services keep running (issue 8, item 2), with real processes:
 * - a node started on its own (which `pnpm start` reuses) is SIGKILLed right after a burst of acknowledged
 *   revocations, inside its save interval, so that they are gone from its state file; it is started again on
 *   the same port and state directory;
 * - under `pnpm start` (embedded node), the anvil child alone is SIGKILLed; `start.ts` restarts it.
 * In both: /health says 503 while the node is away and 200 once it is back (meanwhile the verifier answers from
 * its replica only if it holds every acknowledged revocation); the services process is never
 * restarted; no fresh presentation of an acknowledged-revoked credential is ever verified; and within 10 s of
 * the node answering again, every one of them is rejected with CREDENTIAL_REVOKED (the issuers' journal
 * watchers wrote the lost revocations again).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ES256KSigner } from "did-jwt";
import { createVerifiablePresentationJwt } from "did-jwt-vc";
import { JsonRpcProvider, SigningKey, Wallet, getBytes } from "ethers";
import { afterAll, describe, expect, it } from "vitest";
import { type LedgerNode, connectContracts, startLedgerNode } from "@mobile-id/chain";
import { toPublicKeyEthrDid } from "@mobile-id/core";
import { type NetworkDescriptor } from "@mobile-id/core";
import { runNode } from "../support/run.ts";
import { NetworkProcess, freePort, portAnswers } from "../support/networkProcess.ts";

interface Tracked {
  readonly id: string;
  readonly jwt: string;
  readonly key: SigningKey;
  readonly did: string;
}

interface AckedTx {
  readonly txHash: string;
  readonly blockHash: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`[ledger-node] ${line}`);

/** Helpers over one running `start.ts`. */
function client(net: NetworkProcess) {
  // Printed once, by the start that made them (they are stored nowhere): read them from its output once.
  let printed: Record<string, string> | undefined;
  const keys = async () => (printed ??= await net.apiKeys());
  const api = async (method: string, path: string, body?: unknown, agency?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (agency !== undefined) headers["authorization"] = `Bearer ${(await keys())[agency] ?? ""}`;
    const r = await fetch(`${net.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(30_000) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const issue = async (): Promise<Tracked> => {
    const key = new SigningKey(randomBytes(32));
    const did = toPublicKeyEthrDid(31337, key.publicKey);
    const claims = { familyName: "김", givenName: "민준", studentNumber: `2026-${randomBytes(3).toString("hex")}`, institution: "서울대학교", enrollmentStatus: "enrolled" };
    const r = await api("POST", "/issuers/snu/credentials", { type: "StudentIDCredential", holder: did, claims }, "snu");
    if (r.status !== 201) throw new Error(`issuance answered ${r.status}: ${JSON.stringify(r.body)}`);
    return { id: r.body["id"] as string, jwt: r.body["jwt"] as string, key, did };
  };
  /** Revokes one credential; returns its transactions if acknowledged (200), else undefined. */
  const revoke = async (c: Tracked): Promise<{ txHash: string; blockNumber: number }[] | undefined> => {
    const r = await api("POST", "/issuers/snu/credentials/status", { action: "revoke", ids: [c.id], reason: "KEY_COMPROMISE" }, "snu");
    return r.status === 200 ? (r.body["transactions"] as { txHash: string; blockNumber: number }[]) : undefined;
  };
  /** A fresh presentation of `c`: the verifier's outcome, or the HTTP error code. */
  const present = async (c: Tracked): Promise<{ verified: boolean; code: string }> => {
    const created = await api("POST", "/verifier/requests", { credentialTypes: ["StudentIDCredential"] });
    if (created.status !== 201) return { verified: false, code: `HTTP ${created.status} ${String((created.body["error"] as { code?: string } | undefined)?.code)}` };
    const request = created.body["request"] as { challenge: string; domain: string };
    const now = Math.floor(Date.now() / 1000);
    const presentation = await createVerifiablePresentationJwt(
      {
        aud: request.domain,
        nbf: now,
        exp: now + 300,
        vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: [c.jwt] },
      },
      { did: c.did, signer: ES256KSigner(getBytes(c.key.privateKey)), alg: "ES256K" },
      { challenge: request.challenge },
    );
    const r = await api("POST", `/verifier/requests/${created.body["id"] as string}/presentation`, { presentation });
    if (r.status !== 200) return { verified: false, code: `HTTP ${r.status} ${String((r.body["error"] as { code?: string } | undefined)?.code)}` };
    return { verified: r.body["verified"] === true, code: String(r.body["code"]) };
  };
  const health = async (): Promise<number> => {
    try {
      return (await fetch(`${net.url}/health`, { signal: AbortSignal.timeout(2000) })).status;
    } catch {
      return 0;
    }
  };
  return { api, issue, revoke, present, health };
}

/** The block hash of each acknowledged transaction, read at once from the node (before it is killed). */
async function blockHashes(rpcUrl: string, txs: readonly { txHash: string; blockNumber: number }[]): Promise<AckedTx[]> {
  const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  try {
    return await Promise.all(txs.map(async (t) => ({ txHash: t.txHash, blockHash: (await provider.getBlock(t.blockNumber))?.hash ?? "" })));
  } finally {
    provider.destroy();
  }
}

/** Where an acknowledged transaction was mined (read at once, before the node is killed). */
async function receiptOf(rpcUrl: string, txHash: string): Promise<AckedTx> {
  const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  try {
    const receipt = await provider.getTransactionReceipt(txHash);
    return { txHash, blockHash: receipt?.blockHash ?? "" };
  } finally {
    provider.destroy();
  }
}

/** How many acknowledged transactions the restarted node does not hold where they were acknowledged. */
async function lostByNode(rpcUrl: string, acked: readonly AckedTx[], snapshot: Map<string, string | null>): Promise<number> {
  const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  try {
    let lost = 0;
    for (const t of acked) {
      const receipt = await provider.getTransactionReceipt(t.txHash);
      snapshot.set(t.txHash, receipt?.blockHash ?? null);
      if (receipt === null || receipt.blockHash !== t.blockHash) lost++;
    }
    return lost;
  } finally {
    provider.destroy();
  }
}

/** Waits until `predicate` holds; returns the ms it took. */
async function waitUntil(what: string, timeoutMs: number, predicate: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
  return Date.now() - start;
}

/** Waits until anvil has just finished a periodic state dump (the file changed and is whole JSON). */
async function afterStateDump(stateFile: string): Promise<void> {
  const stamp = () => {
    try {
      const s = statSync(stateFile);
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return "";
    }
  };
  const before = stamp();
  await waitUntil("a state dump", 15_000, async () => {
    if (stamp() === before) return false;
    try {
      JSON.parse(readFileSync(stateFile, "utf8"));
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * After the node answers again (at `backAt`): polls fresh presentations of every revoked credential until each
 * is rejected with CREDENTIAL_REVOKED. Fails if any is verified at any point, or if one is still not rejected
 * 10 s after `backAt`. Returns the ms from `backAt` to the last rejection.
 */
async function expectAllRejected(c: ReturnType<typeof client>, revoked: readonly Tracked[], backAt: number): Promise<number> {
  const pending = new Set(revoked);
  const seen = new Map<string, number>();
  let last = 0;
  while (pending.size > 0) {
    for (const cred of [...pending]) {
      const outcome = await c.present(cred);
      seen.set(outcome.code, (seen.get(outcome.code) ?? 0) + 1);
      expect(outcome.verified, `acknowledged-revoked ${cred.id} was verified after the node came back`).toBe(false);
      if (outcome.code === "CREDENTIAL_REVOKED") {
        pending.delete(cred);
        last = Date.now() - backAt;
      }
    }
    if (pending.size > 0 && Date.now() - backAt > 10_000) {
      throw new Error(`${pending.size} acknowledged-revoked credentials not rejected within 10 s; outcomes seen: ${JSON.stringify([...seen])}`);
    }
    if (pending.size > 0) await sleep(100);
  }
  log(`outcomes while waiting: ${JSON.stringify([...seen])}`);
  return last;
}

describe("the ledger node alone fails; the services keep running", () => {
  const workDirs: string[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  let passed = 0;

  afterAll(async () => {
    for (const f of cleanup.reverse()) await f().catch(() => undefined);
    if (passed === 2) for (const d of workDirs) rmSync(d, { recursive: true, force: true });
  });

  it("a separately started node, SIGKILLed inside its save interval after acknowledged revocations, is back: every revocation is enforced again within 10 s", async () => {
    const workDir = mkdtempSync(join(tmpdir(), "mid-ledger-node-"));
    workDirs.push(workDir);
    const dataDir = join(workDir, "data");
    const ledgerDir = join(dataDir, "ledger");
    const rpcPort = await freePort();
    let httpPort = await freePort();
    while (httpPort === rpcPort) httpPort = await freePort();
    // Its own process, persisting every 10 s: a kill a few seconds after a dump loses everything since, and never
    // tears the file.
    let node: LedgerNode = await startLedgerNode({ dataDir: ledgerDir, port: rpcPort, stateIntervalSeconds: 10 });
    cleanup.push(async () => node.stop());
    const net = await NetworkProcess.start({ dataDir, rpcPort, httpPort, reuseLedger: true });
    cleanup.push(async () => net.kill());
    await net.waitHealthy(90_000);
    expect(net.output).toContain("using the ledger node already running");
    const c = client(net);

    const credentials: Tracked[] = [];
    for (let i = 0; i < 10; i++) credentials.push(await c.issue());
    await sleep(300); // the mirror has the issuers' lists
    expect((await c.present(credentials[9]!)).verified).toBe(true);

    await afterStateDump(node.stateFile);
    const burstStart = Date.now();
    const acked: Tracked[] = [];
    const txs: { txHash: string; blockNumber: number }[] = [];
    // A governance change from the command line (journaled in the data directory), during the burst.
    const newAccreditor = Wallet.createRandom().address;
    const gov = runNode("packages/cli/bin/mid.js", ["--data-dir", dataDir, "--json", "gov", "register-accreditor", newAccreditor, "Newly registered agency", "--dev-account", "0"]);
    await Promise.all(
      [0, 1].map(async (lane) => {
        for (let i = lane; i < 8; i += 2) {
          const t = await c.revoke(credentials[i]!);
          if (t !== undefined) {
            acked.push(credentials[i]!);
            txs.push(...t);
          }
        }
      }),
    );
    const govRun = await gov;
    expect(govRun.code, govRun.stderr).toBe(0);
    const govTx = (JSON.parse(govRun.stdout) as { tx: string }).tx;
    const ackedTxs = await blockHashes(node.url, txs);
    const govAcked = await receiptOf(node.url, govTx);
    await node.kill();
    log(`${acked.length} revocations acknowledged in ${Date.now() - burstStart} ms after a state dump; node SIGKILLed`);
    expect(acked.length).toBe(8);

    const down = await waitUntil("/health 503 with the node gone", 5000, async () => (await c.health()) === 503);
    log(`/health 503 ${down} ms after the kill`);
    const dead = await c.api("GET", "/status-lists/1");
    expect([dead.status, (dead.body["error"] as { code?: string } | undefined)?.code]).toStrictEqual([503, "LEDGER_UNAVAILABLE"]);
    // Offline at the counter: the verifier answers from its replica, as of its last block, only if that replica
    // holds every revocation this service acknowledged; else it answers nothing (503). Either way, no
    // acknowledged-revoked credential is verified.
    const offline = (await c.api("GET", "/health")).body["ledger"] as { reason?: string; offline?: unknown };
    log(`offline: ${offline.reason}${offline.offline === undefined ? "" : " (serving from the replica)"}`);
    const expected = offline.offline === undefined ? "HTTP 503 LEDGER_UNAVAILABLE" : "CREDENTIAL_REVOKED";
    if (offline.offline === undefined) expect(offline.reason).toBe("replica-behind-acknowledged-writes");
    for (const a of acked) expect(await c.present(a)).toStrictEqual({ verified: false, code: expected });
    if (offline.offline !== undefined) expect((await c.present(credentials[9]!)).verified).toBe(true);

    node = await startLedgerNode({ dataDir: ledgerDir, port: rpcPort, stateIntervalSeconds: 10 });
    const backAt = Date.now();
    const receipts = new Map<string, string | null>();
    // Read before the issuers write anything again (they wait for their next pass): what the node lost.
    const lost = await lostByNode(node.url, ackedTxs, receipts);
    log(`acknowledged revocation transactions lost by the node: ${lost} of ${ackedTxs.length}`);
    expect(lost).toBeGreaterThan(0);
    expect(await lostByNode(node.url, [govAcked], receipts)).toBe(1);

    const ms = await expectAllRejected(c, acked, backAt);
    log(`every acknowledged-revoked credential rejected ${ms} ms after the node answered again`);
    expect(ms).toBeLessThanOrEqual(10_000);
    await waitUntil("/health 200 with the node back", 10_000, async () => (await c.health()) === 200);
    expect((await c.present(credentials[9]!)).verified).toBe(true);
    // The governance change is back too, written again by the services from the command line's journal.
    const descriptor = JSON.parse(readFileSync(join(dataDir, "network.json"), "utf8")) as NetworkDescriptor;
    const provider = new JsonRpcProvider(node.url, 31337, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const registry = connectContracts({ descriptor, runner: provider }).accreditationRegistry;
    await waitUntil("the lost governance change written again", 10_000, async () => Number((await registry.getFunction("party")(newAccreditor)).role) === 2);
    log(`lost governance change back at most ${Date.now() - backAt} ms after the node answered again`);
    expect((await provider.getTransactionReceipt(govTx))?.status).toBe(1);
    provider.destroy();
    // One services process, started once.
    expect(net.alive).toBe(true);
    expect(net.output.match(/mobile-id is running/g)?.length).toBe(1);
    passed++;
  }, 180_000);

  it("embedded node: `pnpm start` restarts its killed anvil child, the services answer 503 meanwhile, then enforce every revocation", async () => {
    const workDir = mkdtempSync(join(tmpdir(), "mid-ledger-embedded-"));
    workDirs.push(workDir);
    const dataDir = join(workDir, "data");
    const rpcPort = await freePort();
    let httpPort = await freePort();
    while (httpPort === rpcPort) httpPort = await freePort();
    const net = await NetworkProcess.start({ dataDir, rpcPort, httpPort });
    cleanup.push(async () => net.kill());
    await net.waitHealthy(90_000);
    const c = client(net);

    const credentials: Tracked[] = [];
    for (let i = 0; i < 8; i++) credentials.push(await c.issue());
    const acked: Tracked[] = [];
    await Promise.all(
      [0, 1].map(async (lane) => {
        for (let i = lane; i < 6; i += 2) if ((await c.revoke(credentials[i]!)) !== undefined) acked.push(credentials[i]!);
      }),
    );
    const [anvil, ...others] = net.ledgerNodePids();
    expect(others).toStrictEqual([]);
    process.kill(anvil!, "SIGKILL");
    log(`${acked.length} revocations acknowledged; anvil (pid ${anvil}) SIGKILLed`);

    const down = await waitUntil("/health 503 with the node gone", 5000, async () => (await c.health()) === 503);
    log(`/health 503 ${down} ms after the kill`);
    await waitUntil("the node restarted by start.ts", 20_000, async () => (await portAnswers(rpcPort)) && net.ledgerNodePids().length === 1);
    const backAt = Date.now();
    expect(net.ledgerNodePids()).not.toContain(anvil);
    expect(net.output).toMatch(/the ledger node exited unexpectedly/);
    expect(net.output).toMatch(/restarting the ledger node \(restart 1;/);

    const ms = await expectAllRejected(c, acked, backAt);
    log(`every acknowledged-revoked credential rejected ${ms} ms after the node answered again`);
    await waitUntil("/health 200 with the node back", 10_000, async () => (await c.health()) === 200);
    expect((await c.present(credentials[7]!)).verified).toBe(true);
    expect(net.alive).toBe(true);
    expect(net.output.match(/mobile-id is running/g)?.length).toBe(1);
    passed++;
  }, 180_000);
});
