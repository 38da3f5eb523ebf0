import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserProvider, Contract } from "ethers";
import { connectContracts } from "@mobile-id/chain";
import { ReasonCode } from "@mobile-id/core";
import type { Issuer } from "./createIssuer.ts";
import type { IssuedCredential } from "./issueCredential.ts";
import type { ReconcileResult } from "./reconcileWithLedger.ts";
import { type Testbed, newHolder, startTestbed, studentClaims } from "./testing.ts";

/**
 * The ledger node loses its last blocks while the issuer keeps running (a node restarted from an older state
 * file; simulated with `evm_snapshot` / `evm_revert` on the in-process chain). The running issuer's journal
 * watcher must notice and write the lost changes again, with no reconcile call and no reopening.
 */
describe("watchJournal: a running issuer writes again what the ledger lost", () => {
  let tb: Testbed;
  let status: Contract;
  const opened: Issuer[] = [];
  const rpc = () => tb.provider as BrowserProvider;
  const request = () => ({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() });
  const revokedOnLedger = async (c: IssuedCredential): Promise<boolean> =>
    ((await status.getFunction("entryStatus")(c.credentialStatus.revocationListId, c.credentialStatus.statusListIndex)) as [boolean])[0];
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  /** A head probe's reading, as the services' mirror reports the node's head after a poll. */
  const observe = async () => {
    const b = await tb.provider.getBlock("latest");
    return { key: `${b!.number}:${b!.hash}`, blockNumber: b!.number, confirmedAtMs: Date.now() };
  };

  beforeAll(async () => {
    tb = await startTestbed();
    status = connectContracts({ descriptor: tb.net.descriptor, runner: tb.provider }).statusRegistry;
  });
  afterAll(async () => {
    for (const i of opened) await i.close();
    await tb.net.chain.close();
  });

  it("re-sends lost confirmed revocations on its own, and reports being in step again", async () => {
    const issuer = await tb.open();
    opened.push(issuer);
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const issued = await issuer.issueMany(Array.from({ length: 5 }, request));
    const reconciled: ReconcileResult[] = [];
    const errors: unknown[] = [];
    const watcher = issuer.watchJournal({ intervalMs: 100, onReconciled: (r) => reconciled.push(r), onError: (e) => errors.push(e) });
    expect((await watcher.check()).inStepAsOf).toBeTypeOf("number");

    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    // A burst of acknowledged revocations, one transaction each.
    for (const c of issued.slice(0, 4)) await issuer.revoke({ ids: c.id, reason: ReasonCode.KEY_COMPROMISE });
    expect(await Promise.all(issued.map(revokedOnLedger))).toStrictEqual([true, true, true, true, false]);
    const lostAt = Date.now();
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    expect(await Promise.all(issued.map(revokedOnLedger))).toStrictEqual([false, false, false, false, false]);

    // No reconcile call: the watcher finds the loss and writes the revocations again.
    const deadline = Date.now() + 10_000;
    while ((await Promise.all(issued.map(revokedOnLedger))).filter(Boolean).length < 4 && Date.now() < deadline) await sleep(50);
    expect(await Promise.all(issued.map(revokedOnLedger))).toStrictEqual([true, true, true, true, false]);
    // The pass that wrote them again may still be checking the lists: let it finish.
    const after = await watcher.check();
    expect(errors).toStrictEqual([]);
    expect(reconciled.flatMap((r) => r.recovered.map((x) => [x.kind, x.outcome.state]))).toStrictEqual(
      Array.from({ length: 4 }, () => ["revoke", "confirmed"]),
    );
    expect(after.inStepAsOf).toBeGreaterThan(lostAt);
    expect(after.lastError).toBeUndefined();
    const lastRewrite = Math.max(...reconciled.flatMap((r) => r.recovered.map((x) => (x.outcome.state === "confirmed" ? x.outcome.blockNumber : 0))));
    expect(after.confirmedThroughBlock).toBe(lastRewrite);
    // The records still say revoked, and a quiet pass sends nothing more.
    expect(issued.slice(0, 4).map((c) => issuer.getCredential(c.id)?.status)).toStrictEqual(["revoked", "revoked", "revoked", "revoked"]);
    const block = await tb.provider.getBlockNumber();
    await watcher.check();
    expect(await tb.provider.getBlockNumber()).toBe(block);
  });

  it("a status change made after the loss waits for the lost ones, so that it is not undone by them", async () => {
    const issuer = await tb.open();
    opened.push(issuer);
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const [a, c] = await issuer.issueMany([request(), request()]);
    const suspendedOnLedger = async (x: IssuedCredential) =>
      ((await status.getFunction("entryStatus")(x.credentialStatus.suspensionListId, x.credentialStatus.statusListIndex)) as [boolean])[0];
    // A watcher that would not run on its own during the test.
    issuer.watchJournal({ intervalMs: 3_600_000 });
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    await issuer.revoke({ ids: a!.id, reason: ReasonCode.KEY_COMPROMISE });
    await issuer.suspend({ ids: c!.id, reason: ReasonCode.DEVICE_LOST });
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    // The holder found the device: reinstated, after the node lost the suspension (and the revocation).
    await issuer.reinstate({ ids: c!.id, reason: ReasonCode.DEVICE_LOST });
    expect([await revokedOnLedger(a!), await suspendedOnLedger(c!)]).toStrictEqual([true, false]);
    expect(issuer.getCredential(c!.id)?.status).toBe("active");
    expect((await issuer.reconcile({ full: true })).corrected).toStrictEqual([]);
    expect([await revokedOnLedger(a!), await suspendedOnLedger(c!), issuer.getCredential(c!.id)?.status]).toStrictEqual([true, false, "active"]);
  });

  it("a ledger that does not answer is reported, and the issuer still closes", async () => {
    let down = false;
    const failing = new Proxy(tb.provider, {
      get(target, prop, receiver) {
        if (down && prop === "getBlock") return () => Promise.reject(new Error("connection refused"));
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const issuer = await tb.open({ provider: failing, reconcileOnOpen: false });
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const c = await issuer.issue(request());
    await issuer.revoke({ ids: c.id, reason: ReasonCode.KEY_COMPROMISE });
    down = true;
    const errors: unknown[] = [];
    const watcher = issuer.watchJournal({ intervalMs: 50, onError: (e) => errors.push(e) });
    const s = await watcher.check();
    expect(s.inStepAsOf).toBeUndefined();
    expect((s.lastError as { code?: string }).code).toBe("LEDGER_UNAVAILABLE");
    expect(errors.length).toBeGreaterThan(0);
    await issuer.close();
  });

  it("with a head probe, asks the ledger nothing while the head stays, and finds a loss as soon as it moves", async () => {
    let reads = 0;
    const counting = new Proxy(tb.provider, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          reads++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const issuer = await tb.open({ provider: counting });
    opened.push(issuer);
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const [c] = await issuer.issueMany([request()]);
    let head = await observe();
    const watcher = issuer.watchJournal({ intervalMs: 3_600_000, ledgerHead: () => head });
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    await issuer.revoke({ ids: c!.id, reason: ReasonCode.KEY_COMPROMISE });
    head = await observe();
    expect((await watcher.check()).lastError).toBeUndefined(); // a real pass: the revocation is in step
    reads = 0;
    for (let i = 0; i < 5; i++) {
      const before = Date.now();
      head = { ...head, confirmedAtMs: Date.now() };
      const s = await watcher.check();
      expect(s.inStepAsOf).toBeGreaterThanOrEqual(before);
    }
    expect(reads).toBe(0);
    // The node goes back to before the revocation: the probe sees another head, and the next pass writes it again.
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    expect(await revokedOnLedger(c!)).toBe(false);
    head = await observe();
    const after = await watcher.check();
    expect(after.lastError).toBeUndefined();
    expect(reads).toBeGreaterThan(0);
    expect(await revokedOnLedger(c!)).toBe(true);
  });

  it("with a head probe, a write made after the last pass is checked even when the node goes back to the very head that pass vouched for", async () => {
    const issuer = await tb.open();
    opened.push(issuer);
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const [c] = await issuer.issueMany([request()]);
    let head = await observe();
    const watcher = issuer.watchJournal({ intervalMs: 3_600_000, ledgerHead: () => head });
    expect((await watcher.check()).lastError).toBeUndefined(); // in step at head H: the probe's head is remembered
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    // Acknowledged at H+1, and the node dies before any pass and before the probe's next poll: it comes back at H.
    await issuer.revoke({ ids: c!.id, reason: ReasonCode.KEY_COMPROMISE });
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    expect(await revokedOnLedger(c!)).toBe(false);
    head = { ...(await observe()), confirmedAtMs: Date.now() };
    // Same head as the one remembered; the write made since must still be checked, and written again.
    const s = await watcher.check();
    expect(s.lastError).toBeUndefined();
    expect(await revokedOnLedger(c!)).toBe(true);
  });
});
