import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserProvider, Contract } from "ethers";
import { connectContracts } from "@mobile-id/chain";
import { ReasonCode } from "@mobile-id/core";
import type { Issuer } from "./createIssuer.ts";
import { IssuerErrorCode } from "./errors.ts";
import type { ReconcileResult } from "./reconcileWithLedger.ts";
import { type Testbed, devWallet, newHolder, startTestbed, studentClaims } from "./testing.ts";

/**
 * Operator changes (`setListOperator`) are journaled like the issuer's other ledger writes: a ledger node that
 * loses the blocks holding them (restarted from an older state file; simulated with `evm_snapshot` /
 * `evm_revert` on the in-process chain) gets them again from the running watcher, or from reconcile at open.
 */
describe("operator changes survive a ledger that lost them", () => {
  let tb: Testbed;
  let status: Contract;
  const opened: Issuer[] = [];
  const rpc = () => tb.provider as BrowserProvider;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const request = () => ({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() });
  const listsOf = (issuer: Issuer) => issuer.statusLists().flatMap((p) => [p.revocationListId, p.suspensionListId]);
  const operatorOn = async (issuer: Issuer, operator: string): Promise<boolean[]> =>
    Promise.all(listsOf(issuer).map(async (id) => (await status.getFunction("isOperator")(id, operator)) as boolean));
  const waitFor = async (issuer: Issuer, operator: string, expected: boolean): Promise<boolean[]> => {
    const deadline = Date.now() + 10_000;
    while ((await operatorOn(issuer, operator)).some((v) => v !== expected) && Date.now() < deadline) await sleep(50);
    return operatorOn(issuer, operator);
  };
  const open = async (overrides: Parameters<Testbed["open"]>[0] = {}) => {
    const issuer = await tb.open(overrides);
    opened.push(issuer);
    return issuer;
  };

  beforeAll(async () => {
    tb = await startTestbed();
    status = connectContracts({ descriptor: tb.net.descriptor, runner: tb.provider }).statusRegistry;
  });
  afterAll(async () => {
    for (const i of opened) await i.close();
    await tb.net.chain.close();
  });

  it("a running watcher names a new operator again after the ledger lost the grant, with no reconcile call", async () => {
    const issuer = await open();
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const newKey = devWallet(13, tb.provider);
    const reconciled: ReconcileResult[] = [];
    const errors: unknown[] = [];
    const watcher = issuer.watchJournal({ intervalMs: 100, onReconciled: (r) => reconciled.push(r), onError: (e) => errors.push(e) });
    expect((await watcher.check()).lastError).toBeUndefined();

    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    expect((await issuer.setListOperator({ operator: newKey.address, allowed: true })).transactions).toHaveLength(2);
    expect(await operatorOn(issuer, newKey.address)).toStrictEqual([true, true]);
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    expect(await operatorOn(issuer, newKey.address)).toStrictEqual([false, false]);

    expect(await waitFor(issuer, newKey.address, true)).toStrictEqual([true, true]);
    const after = await watcher.check();
    expect(errors).toStrictEqual([]);
    expect(after.lastError).toBeUndefined();
    expect(reconciled.flatMap((r) => r.operators.restored.map((o) => [o.listId, o.operator, o.allowed]))).toStrictEqual(
      listsOf(issuer).map((id) => [id, newKey.address, true]),
    );
    // In step: a quiet pass sends nothing more.
    const block = await tb.provider.getBlockNumber();
    await watcher.check();
    expect(await tb.provider.getBlockNumber()).toBe(block);
  });

  it("a running watcher removes a retired operator again after the ledger lost the removal", async () => {
    const issuer = await open();
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const c = await issuer.issue(request());
    const errors: unknown[] = [];
    const watcher = issuer.watchJournal({ intervalMs: 100, onError: (e) => errors.push(e) });
    await watcher.check();
    // The operator key named at creation is retired (say, suspected compromised).
    expect(await operatorOn(issuer, tb.operator.address)).toStrictEqual([true, true]);
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    await issuer.setListOperator({ operator: tb.operator.address, allowed: false });
    expect(await operatorOn(issuer, tb.operator.address)).toStrictEqual([false, false]);
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    // The ledger lost the removal: the retired key could write again.
    expect(await operatorOn(issuer, tb.operator.address)).toStrictEqual([true, true]);

    expect(await waitFor(issuer, tb.operator.address, false)).toStrictEqual([false, false]);
    expect((await watcher.check()).lastError).toBeUndefined();
    expect(errors).toStrictEqual([]);
    // The retired key is refused by the ledger again.
    await expect(issuer.revoke({ ids: c.id, reason: ReasonCode.KEY_COMPROMISE })).rejects.toMatchObject({
      code: IssuerErrorCode.OPERATOR_NOT_AUTHORIZED,
    });
  });

  it("a reopened issuer applies the lost change at open", async () => {
    const path = `${tb.dir}/operators-reopen.db`;
    const first = await tb.open({ databasePath: path });
    await first.ensureStatusLists({ sparePairs: 0 });
    const newKey = devWallet(14, tb.provider);
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    await first.setListOperator({ operator: newKey.address, allowed: true });
    await first.close();
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);

    // Reconcile at open puts the grant back before the issuer serves anything.
    const reopened = await open({ databasePath: path });
    expect(await operatorOn(reopened, newKey.address)).toStrictEqual([true, true]);
    expect((await reopened.reconcile()).operators).toStrictEqual({ restored: [], unrestored: [] });
  });

  it("at open, a lost grant comes back before the lost writes of the key it named are written again", async () => {
    const path = `${tb.dir}/operators-order.db`;
    const first = await tb.open({ databasePath: path });
    await first.ensureStatusLists({ sparePairs: 0 });
    const c = await first.issue(request());
    const newKey = devWallet(18, tb.provider);
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    await first.setListOperator({ operator: newKey.address, allowed: true });
    await first.close();
    // The rotated operator key suspends; then the node loses both the grant and the suspension.
    const rotated = await tb.open({ databasePath: path, operator: newKey });
    await rotated.suspend({ ids: c.id, reason: ReasonCode.DEVICE_LOST });
    await rotated.close();
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);

    const reopened = await open({ databasePath: path, operator: newKey });
    const suspended = ((await status.getFunction("entryStatus")(c.credentialStatus.suspensionListId, c.credentialStatus.statusListIndex)) as [boolean])[0];
    expect(suspended).toBe(true);
    expect(await operatorOn(reopened, newKey.address)).toStrictEqual([true, true]);
    expect(reopened.getCredential(c.id)?.status).toBe("suspended");
    expect((await reopened.reconcile({ full: true })).discrepancies).toStrictEqual([]);
  });

  it("without the owner key a lost change is reported by reconcile and the watcher, and the issuer still opens", async () => {
    const path = `${tb.dir}/operators-no-owner.db`;
    const first = await tb.open({ databasePath: path });
    await first.ensureStatusLists({ sparePairs: 0 });
    const newKey = devWallet(17, tb.provider);
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    await first.setListOperator({ operator: newKey.address, allowed: true });
    await first.close();
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);

    const noOwner = await open({ databasePath: path, owner: undefined as never });
    const reconciled = await noOwner.reconcile();
    expect(reconciled.operators.restored).toStrictEqual([]);
    expect(reconciled.operators.unrestored.map((u) => [u.listId, u.operator, u.allowed, u.code])).toStrictEqual(
      listsOf(noOwner).map((id) => [id, newKey.address, true, IssuerErrorCode.OWNER_KEY_REQUIRED]),
    );
    const errors: unknown[] = [];
    const s = await noOwner.watchJournal({ intervalMs: 3_600_000, onError: (e) => errors.push(e) }).check();
    expect(s.inStepAsOf).toBeUndefined();
    expect((s.lastError as { code?: string }).code).toBe(IssuerErrorCode.OWNER_KEY_REQUIRED);
    expect(errors).toHaveLength(1);
    expect(await operatorOn(noOwner, newKey.address)).toStrictEqual([false, false]);
  });

  it("a change the ledger refuses is not recorded, so nothing keeps retrying it", async () => {
    const path = `${tb.dir}/operators-refused.db`;
    const issuer = await open({ databasePath: path });
    await issuer.ensureStatusLists({ sparePairs: 0 });
    await issuer.close();
    // Another identity's owner key is not this issuer's owner: the registry refuses it.
    const wrongOwner = await open({ databasePath: path, owner: devWallet(6, tb.provider) });
    await expect(wrongOwner.setListOperator({ operator: devWallet(15, tb.provider).address, allowed: true })).rejects.toMatchObject({
      code: IssuerErrorCode.OWNER_KEY_REQUIRED,
    });
    const s = await wrongOwner.watchJournal({ intervalMs: 3_600_000 }).check();
    expect(s.lastError).toBeUndefined();
    expect((await wrongOwner.reconcile()).operators).toStrictEqual({ restored: [], unrestored: [] });
  });

  it("a database from before operator changes were journaled opens and records them", async () => {
    const path = `${tb.dir}/operators-older.db`;
    const issuer = await tb.open({ databasePath: path });
    await issuer.ensureStatusLists({ sparePairs: 0 });
    await issuer.close();
    const db = new DatabaseSync(path);
    db.exec("DROP TABLE list_operators");
    db.close();

    const reopened = await open({ databasePath: path });
    const newKey = devWallet(16, tb.provider);
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    await reopened.setListOperator({ operator: newKey.address, allowed: true });
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    expect((await reopened.reconcile()).operators.restored).toHaveLength(2);
    expect(await operatorOn(reopened, newKey.address)).toStrictEqual([true, true]);
  });
});
