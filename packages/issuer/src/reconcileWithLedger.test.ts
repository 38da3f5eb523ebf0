import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Contract } from "ethers";
import { connectContracts } from "@mobile-id/chain";
import { ReasonCode, isMobileIdError } from "@mobile-id/core";
import { IssuerErrorCode } from "./errors.ts";
import type { IssuedCredential } from "./issueCredential.ts";
import { type Testbed, crashingProvider, newHolder, startTestbed, studentClaims } from "./testing.ts";

/**
 * Crash consistency: the process "dies" (its provider stops answering) between signing-and-journaling a
 * status transaction and recording its outcome; a new issuer on the same database must settle it from the
 * ledger, exactly once.
 */
describe("crash consistency of status changes (in-process chain)", () => {
  let tb: Testbed;
  let status: Contract;
  const request = () => ({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() });
  const bits = async (c: IssuedCredential) => {
    const { revocationListId, suspensionListId, statusListIndex } = c.credentialStatus;
    return {
      revoked: (await status.getFunction("entryStatus")(revocationListId, statusListIndex))[0] as boolean,
      suspended: (await status.getFunction("entryStatus")(suspensionListId, statusListIndex))[0] as boolean,
    };
  };

  /** Issues on a fresh database, then runs `change` with a provider that dies at `mode`; returns the path. */
  async function crashDuring(
    mode: "before-broadcast" | "after-broadcast",
    count: number,
    action: "revoke" | "suspend" = "revoke",
  ): Promise<{ path: string; issued: IssuedCredential[] }> {
    const path = `${tb.dir}/crash-${mode}-${Math.random().toString(36).slice(2)}.db`;
    const setup = await tb.open({ databasePath: path });
    await setup.ensureStatusLists({ sparePairs: 0 });
    const issued = await setup.issueMany(Array.from({ length: count }, request));
    await setup.close();

    const doomed = await tb.open({ databasePath: path, provider: crashingProvider(tb.provider, mode) });
    try {
      await doomed[action]({ ids: issued.map((c) => c.id), reason: ReasonCode.KEY_COMPROMISE });
      throw new Error("the change completed");
    } catch (e) {
      expect(isMobileIdError(e, "LEDGER_UNAVAILABLE")).toBe(true);
    }
    // What the dead process left: pending history rows carrying the journaled hash, status unchanged.
    const left = doomed.getCredential(issued[0]!.id)!;
    expect(left.status).toBe("active");
    expect(left.pendingChange).toBe(true);
    expect(left.history).toHaveLength(1);
    expect(left.history[0]).toMatchObject({ action, state: "pending", source: "issuer" });
    expect(left.history[0]!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    // While unsettled, further changes of those credentials are refused.
    await expect(doomed.suspend({ ids: issued[0]!.id, reason: ReasonCode.DEVICE_LOST })).rejects.toMatchObject({
      code: IssuerErrorCode.STATUS_CHANGE_PENDING,
    });
    await doomed.close();
    return { path, issued };
  }

  beforeAll(async () => {
    tb = await startTestbed();
    status = connectContracts({ descriptor: tb.net.descriptor, runner: tb.provider }).statusRegistry;
  });
  afterAll(() => tb.net.chain.close());

  it("crash after the transaction reached the ledger: reopening records it, with its hash, once", async () => {
    const { path, issued } = await crashDuring("after-broadcast", 5);
    for (const c of issued) expect(await bits(c)).toStrictEqual({ revoked: true, suspended: false });
    const pendingHash = (await tb.open({ databasePath: path, reconcileOnOpen: false }).then(async (i) => {
      const h = i.getCredential(issued[0]!.id)!.history[0]!.txHash;
      await i.close();
      return h;
    }))!;
    const block = await tb.provider.getBlockNumber();

    const reopened = await tb.open({ databasePath: path }); // reconciles on open
    for (const c of issued) {
      const r = reopened.getCredential(c.id)!;
      expect(r.status).toBe("revoked");
      expect(r.pendingChange).toBe(false);
      expect(r.history.map((h) => [h.action, h.state, h.txHash, h.reason])).toStrictEqual([
        ["revoke", "confirmed", pendingHash, ReasonCode.KEY_COMPROMISE],
      ]);
      expect(r.history[0]!.blockNumber).toBe((await tb.provider.getTransactionReceipt(pendingHash))!.blockNumber);
    }
    expect(await tb.provider.getBlockNumber()).toBe(block); // nothing was sent again
    // Idempotent: nothing left to do, nothing to correct.
    expect(await reopened.reconcile({ full: true })).toStrictEqual({
      operations: [],
      recovered: [],
      corrected: [],
      reapplied: [],
      discrepancies: [],
      operators: { restored: [], unrestored: [] },
    });
    expect(reopened.getCredential(issued[0]!.id)!.history).toHaveLength(1);
    await reopened.close();
  });

  it("crash before the transaction was broadcast: reopening sends the journaled bytes and records the outcome", async () => {
    const { path, issued } = await crashDuring("before-broadcast", 3, "suspend");
    for (const c of issued) expect(await bits(c)).toStrictEqual({ revoked: false, suspended: false });
    const reopened = await tb.open({ databasePath: path });
    for (const c of issued) {
      expect(await bits(c)).toStrictEqual({ revoked: false, suspended: true });
      const r = reopened.getCredential(c.id)!;
      expect([r.status, r.pendingChange, r.history.map((h) => h.state)]).toStrictEqual(["suspended", false, ["confirmed"]]);
    }
    // And the credentials can change again.
    await reopened.reinstate({ ids: issued.map((c) => c.id), reason: ReasonCode.REVIEW_CLEARED });
    for (const c of issued) expect(await bits(c)).toStrictEqual({ revoked: false, suspended: false });
    await reopened.close();
  });

  it("a journaled transaction whose nonce another transaction spent is recorded as failed; statuses stay as on the ledger", async () => {
    const { path, issued } = await crashDuring("before-broadcast", 2);
    // The operator key moves on (another process, a manual transfer): the journaled nonce is gone.
    await (await tb.operator.sendTransaction({ to: tb.operator.address, value: 0 })).wait();
    const reopened = await tb.open({ databasePath: path, reconcileOnOpen: false });
    const result = await reopened.reconcile();
    expect(result.operations).toHaveLength(1);
    expect(result.operations[0]).toMatchObject({ state: "failed" });
    for (const c of issued) {
      expect(await bits(c)).toStrictEqual({ revoked: false, suspended: false });
      const r = reopened.getCredential(c.id)!;
      expect([r.status, r.pendingChange, r.history.map((h) => h.state)]).toStrictEqual(["active", false, ["failed"]]);
    }
    // The request can simply be made again.
    await reopened.revoke({ ids: issued.map((c) => c.id), reason: ReasonCode.KEY_COMPROMISE });
    for (const c of issued) expect((await bits(c)).revoked).toBe(true);
    expect(reopened.getCredential(issued[0]!.id)!.history.map((h) => h.state)).toStrictEqual(["failed", "confirmed"]);
    await reopened.close();
  });

  it("a full reconcile adopts changes made on the ledger outside this issuer", async () => {
    const issuer = await tb.open();
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const [a, b, c] = await issuer.issueMany([request(), request(), request()]);
    const asOwner = connectContracts({ descriptor: tb.net.descriptor, runner: tb.owner }).statusRegistry;
    await (await asOwner.getFunction("revoke")(a!.credentialStatus.revocationListId, a!.credentialStatus.statusListIndex, ReasonCode.KEY_COMPROMISE)).wait();
    await (await asOwner.getFunction("suspend")(b!.credentialStatus.suspensionListId, b!.credentialStatus.statusListIndex, ReasonCode.DEVICE_LOST)).wait();
    expect((await issuer.reconcile()).corrected).toStrictEqual([]); // only a full pass reads every entry
    const result = await issuer.reconcile({ full: true });
    expect(result.corrected).toStrictEqual([
      { id: a!.id, from: "active", to: "revoked" },
      { id: b!.id, from: "active", to: "suspended" },
    ]);
    expect(issuer.getCredential(a!.id)!.history).toMatchObject([{ action: "revoke", source: "ledger", state: "confirmed" }]);
    expect(issuer.getCredential(c!.id)!.status).toBe("active");
    expect((await issuer.reconcile({ full: true })).corrected).toStrictEqual([]);
    await issuer.close();
  });
});
