import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Contract, getAddress } from "ethers";
import { connectContracts } from "@mobile-id/chain";
import { ReasonCode, isMobileIdError } from "@mobile-id/core";
import type { Issuer } from "./createIssuer.ts";
import { IssuerErrorCode } from "./errors.ts";
import type { IssuedCredential } from "./issueCredential.ts";
import { statusRegistryInterface } from "./ledger.ts";
import { type Testbed, devWallet, newHolder, startTestbed, studentClaims } from "./testing.ts";
import { fromWordMasks } from "@mobile-id/chain";

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (isMobileIdError(e)) {
      expect(e.code).toBe(code);
      return;
    }
    throw e;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

describe("revoking, suspending and reinstating (in-process chain)", () => {
  let tb: Testbed;
  let status: Contract;
  const opened: Issuer[] = [];
  const open: Testbed["open"] = async (o) => {
    const i = await tb.open(o);
    opened.push(i);
    return i;
  };
  const request = () => ({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() });
  const bit = async (listId: string, index: string): Promise<boolean> =>
    (await status.getFunction("entryStatus")(listId, index))[0] as boolean;

  beforeAll(async () => {
    tb = await startTestbed();
    status = connectContracts({ descriptor: tb.net.descriptor, runner: tb.provider }).statusRegistry;
  });
  afterAll(async () => {
    for (const i of opened) await i.close();
    await tb.net.chain.close();
  });

  it("revokes many credentials in ONE transaction per list, and the ledger's bits match exactly", async () => {
    // 131 entries per pair: 300 credentials span three pairs.
    const issuer = await open({ statusLists: { sizeLog2: 17, fillThreshold: 0.001, sparePairs: 2 } });
    await issuer.ensureStatusLists();
    const issued = await issuer.issueMany(Array.from({ length: 300 }, request));
    const bystanders = await issuer.issueMany(Array.from({ length: 20 }, request));
    const byList = new Map<string, IssuedCredential[]>();
    for (const c of issued) byList.set(c.credentialStatus.revocationListId, [...(byList.get(c.credentialStatus.revocationListId) ?? []), c]);
    expect(byList.size).toBe(3);

    const blockBefore = await tb.provider.getBlockNumber();
    const result = await issuer.revoke({ ids: issued.map((c) => c.id), reason: ReasonCode.CESSATION });
    expect(await tb.provider.getBlockNumber()).toBe(blockBefore + 3);
    expect(result.changed).toHaveLength(300);
    expect(result.unchanged).toHaveLength(0);
    expect(result.transactions).toHaveLength(3);
    for (const t of result.transactions) {
      const tx = (await tb.provider.getTransaction(t.txHash))!;
      expect(tx.from).toBe(tb.operator.address);
      const call = statusRegistryInterface.parseTransaction({ data: tx.data })!;
      expect(call.name).toBe("revokeBatch");
      expect(call.args[0].toString()).toBe(t.listId);
      const words = call.args[1] as bigint[];
      expect(words.every((w, k) => k === 0 || w > words[k - 1]!)).toBe(true);
      expect(fromWordMasks({ wordIndexes: words, masks: call.args[2] as bigint[] })).toStrictEqual(
        byList.get(t.listId)!.map((c) => Number(c.credentialStatus.statusListIndex)).sort((a, b) => a - b),
      );
      expect(Number(call.args[3])).toBe(ReasonCode.CESSATION);
      expect(t.entries).toBe(byList.get(t.listId)!.length);
    }
    // Every revoked entry is set, no suspension bit is, and credentials not revoked are untouched.
    for (const c of issued) {
      expect(await bit(c.credentialStatus.revocationListId, c.credentialStatus.statusListIndex)).toBe(true);
      expect(await bit(c.credentialStatus.suspensionListId, c.credentialStatus.statusListIndex)).toBe(false);
    }
    for (const c of bystanders) expect(await bit(c.credentialStatus.revocationListId, c.credentialStatus.statusListIndex)).toBe(false);
    // ...and the whole lists hold exactly those bits.
    for (const [listId, group] of byList) {
      const words = [...((await status.getFunction("words")(listId, 0, 512)) as bigint[])];
      const set = words.flatMap((w, k) => fromWordMasks({ wordIndexes: [BigInt(k)], masks: [w] }));
      expect(set).toStrictEqual(group.map((c) => Number(c.credentialStatus.statusListIndex)).sort((a, b) => a - b));
    }
    // Records and history.
    const record = issuer.getCredential(issued[42]!.id)!;
    expect(record.status).toBe("revoked");
    expect(record.pendingChange).toBe(false);
    expect(record.history).toHaveLength(1);
    expect(record.history[0]).toMatchObject({ action: "revoke", reason: ReasonCode.CESSATION, source: "issuer", state: "confirmed" });
    expect(result.transactions.map((t) => t.txHash)).toContain(record.history[0]!.txHash);
    expect(issuer.listCredentials({ status: "revoked", limit: 1000 }).items).toHaveLength(300);

    // Revoking again is idempotent: nothing is sent.
    const again = await issuer.revoke({ ids: [issued[0]!.id, issued[0]!.id], reason: ReasonCode.CESSATION });
    expect(again).toStrictEqual({ changed: [], unchanged: [issued[0]!.id], transactions: [] });
    expect(await tb.provider.getBlockNumber()).toBe(blockBefore + 3);
  });

  it("splits a list's change into several transactions only past the words-per-transaction cap", async () => {
    const issuer = await open({ ledger: { maxBatchWords: 2 } });
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const cs = await issuer.issueMany(Array.from({ length: 9 }, request));
    const words = new Set(cs.map((c) => Math.floor(Number(c.credentialStatus.statusListIndex) / 256))).size;
    const result = await issuer.suspend({ ids: cs.map((c) => c.id), reason: ReasonCode.ADMINISTRATIVE });
    expect(result.transactions).toHaveLength(Math.ceil(words / 2));
    expect(result.transactions.reduce((n, t) => n + t.entries, 0)).toBe(9);
    for (const c of cs) expect(await bit(c.credentialStatus.suspensionListId, c.credentialStatus.statusListIndex)).toBe(true);
  });

  it("writes a single change with the single-entry function", async () => {
    const issuer = await open();
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const c = await issuer.issue(request());
    const result = await issuer.revoke({ ids: c.id, reason: ReasonCode.KEY_COMPROMISE });
    const tx = (await tb.provider.getTransaction(result.transactions[0]!.txHash))!;
    const call = statusRegistryInterface.parseTransaction({ data: tx.data })!;
    expect([call.name, call.args[0].toString(), call.args[1].toString()]).toStrictEqual([
      "revoke",
      c.credentialStatus.revocationListId,
      c.credentialStatus.statusListIndex,
    ]);
  });

  it("suspends and reinstates (round trip, batch and single), recording reasons and transactions", async () => {
    const issuer = await open();
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const cs = await issuer.issueMany(Array.from({ length: 4 }, request));
    const ids = cs.map((c) => c.id);
    const s = await issuer.suspend({ ids, reason: ReasonCode.DEVICE_LOST });
    expect(s.transactions).toHaveLength(1);
    for (const c of cs) expect(await bit(c.credentialStatus.suspensionListId, c.credentialStatus.statusListIndex)).toBe(true);
    expect(issuer.listCredentials({ status: "suspended" }).items.map((r) => r.id)).toStrictEqual(ids);
    // Suspending again changes nothing.
    expect((await issuer.suspend({ ids: ids[0]!, reason: ReasonCode.DEVICE_LOST })).unchanged).toStrictEqual([ids[0]]);

    const r1 = await issuer.reinstate({ ids: ids[0]!, reason: ReasonCode.REVIEW_CLEARED });
    const r2 = await issuer.reinstate({ ids: ids.slice(1), reason: ReasonCode.REVIEW_CLEARED });
    expect([r1.changed.length, r2.changed.length]).toStrictEqual([1, 3]);
    for (const c of cs) {
      expect(await bit(c.credentialStatus.suspensionListId, c.credentialStatus.statusListIndex)).toBe(false);
      expect(await bit(c.credentialStatus.revocationListId, c.credentialStatus.statusListIndex)).toBe(false);
    }
    const record = issuer.getCredential(ids[0]!)!;
    expect(record.status).toBe("active");
    expect(record.history.map((h) => [h.action, h.reason, h.state, h.txHash])).toStrictEqual([
      ["suspend", ReasonCode.DEVICE_LOST, "confirmed", s.transactions[0]!.txHash],
      ["reinstate", ReasonCode.REVIEW_CLEARED, "confirmed", r1.transactions[0]!.txHash],
    ]);
    expect(record.history.every((h) => h.blockNumber !== null && h.resolvedAt !== null)).toBe(true);
    // Reinstating an active credential changes nothing.
    expect((await issuer.reinstate({ ids: ids[0]!, reason: ReasonCode.REVIEW_CLEARED })).unchanged).toStrictEqual([ids[0]]);
  });

  it("refuses unknown ids, suspending or reinstating a revoked credential, and bad reasons, sending nothing", async () => {
    const issuer = await open();
    await issuer.ensureStatusLists({ sparePairs: 0 });
    const [a, b] = await issuer.issueMany([request(), request()]);
    await issuer.suspend({ ids: a!.id, reason: ReasonCode.MISCONDUCT });
    // Revoking a suspended credential is allowed; it is then revoked for good.
    await issuer.revoke({ ids: a!.id, reason: ReasonCode.MISCONDUCT });
    expect(issuer.getCredential(a!.id)!.status).toBe("revoked");
    const block = await tb.provider.getBlockNumber();

    await expectCode(issuer.revoke({ ids: [b!.id, "urn:uuid:00000000-0000-4000-8000-000000000000"], reason: ReasonCode.CESSATION }), IssuerErrorCode.CREDENTIAL_NOT_FOUND);
    await expectCode(issuer.suspend({ ids: [b!.id, a!.id], reason: ReasonCode.DEVICE_LOST }), IssuerErrorCode.CREDENTIAL_REVOKED);
    await expectCode(issuer.reinstate({ ids: a!.id, reason: ReasonCode.REVIEW_CLEARED }), IssuerErrorCode.CREDENTIAL_REVOKED);
    await expectCode(issuer.revoke({ ids: b!.id, reason: 0 as ReasonCode }), "INVALID_ARGUMENT");
    await expectCode(issuer.revoke({ ids: b!.id, reason: 999 as ReasonCode }), "INVALID_ARGUMENT");
    await expectCode(issuer.revoke({ ids: [], reason: ReasonCode.CESSATION }), "INVALID_ARGUMENT");
    expect(await tb.provider.getBlockNumber()).toBe(block);
    expect(issuer.getCredential(b!.id)!.status).toBe("active");
    // The ledger itself refuses clearing a revocation bit: the contract's own guard.
    expect(await bit(a!.credentialStatus.revocationListId, a!.credentialStatus.statusListIndex)).toBe(true);
  });

  it("needs an operator key the lists name; the owner can name (and un-name) another", async () => {
    const path = `${tb.dir}/operators.db`;
    const first = await tb.open({ databasePath: path });
    await first.ensureStatusLists({ sparePairs: 0 });
    const [c1, c2] = await first.issueMany([request(), request()]);
    await first.close();

    const noOperator = await tb.open({ databasePath: path, operator: undefined as never });
    await expectCode(noOperator.revoke({ ids: c1!.id, reason: ReasonCode.CESSATION }), IssuerErrorCode.OPERATOR_KEY_REQUIRED);
    await noOperator.close();

    const newKey = devWallet(12, tb.provider);
    const rotated = await tb.open({ databasePath: path, operator: newKey });
    await expectCode(rotated.revoke({ ids: c1!.id, reason: ReasonCode.CESSATION }), IssuerErrorCode.OPERATOR_NOT_AUTHORIZED);
    expect(rotated.getCredential(c1!.id)!.history).toHaveLength(0); // refused before anything was journaled
    const granted = await rotated.setListOperator({ operator: newKey.address, allowed: true });
    expect(granted.transactions).toHaveLength(2);
    expect((await rotated.setListOperator({ operator: newKey.address, allowed: true })).transactions).toHaveLength(0);
    const r = await rotated.revoke({ ids: c1!.id, reason: ReasonCode.CESSATION });
    expect((await tb.provider.getTransaction(r.transactions[0]!.txHash))!.from).toBe(newKey.address);
    await rotated.setListOperator({ operator: newKey.address, allowed: false });
    await expectCode(rotated.suspend({ ids: c2!.id, reason: ReasonCode.DEVICE_LOST }), IssuerErrorCode.OPERATOR_NOT_AUTHORIZED);
    await rotated.close();
  });

  it("adopts lists created elsewhere after checking them, and refuses unfit ones", async () => {
    const issuer = await open();
    const owned = connectContracts({ descriptor: tb.net.descriptor, runner: tb.owner }).statusRegistry;
    const create = async (purpose: number, sizeLog2 = 17, signer = tb.owner): Promise<string> => {
      const c = connectContracts({ descriptor: tb.net.descriptor, runner: signer }).statusRegistry;
      const receipt = await (await c.getFunction("createList")(await signer.getAddress(), purpose, sizeLog2, [tb.operator.address])).wait();
      const log = receipt.logs.map((l: { topics: string[]; data: string }) => statusRegistryInterface.parseLog(l)).find((l: { name: string } | null) => l?.name === "StatusListCreated");
      return log.args.listId.toString();
    };
    const rev = await create(1);
    const susp = await create(2);
    const other = await create(2, 17, devWallet(6, tb.provider)); // Seoul Metropolitan Government's
    const big = await create(2, 18);
    const dirty = await create(2);
    await (await owned.getFunction("suspend")(dirty, 5, ReasonCode.ADMINISTRATIVE)).wait();

    await expectCode(issuer.adoptStatusLists({ revocationListId: rev, suspensionListId: rev }), IssuerErrorCode.STATUS_LIST_INVALID);
    await expectCode(issuer.adoptStatusLists({ revocationListId: rev, suspensionListId: other }), IssuerErrorCode.STATUS_LIST_INVALID);
    await expectCode(issuer.adoptStatusLists({ revocationListId: rev, suspensionListId: big }), IssuerErrorCode.STATUS_LIST_INVALID);
    await expectCode(issuer.adoptStatusLists({ revocationListId: rev, suspensionListId: dirty }), IssuerErrorCode.STATUS_LIST_INVALID);
    await expectCode(issuer.adoptStatusLists({ revocationListId: rev, suspensionListId: "999999" }), IssuerErrorCode.STATUS_LIST_INVALID);
    const pair = await issuer.adoptStatusLists({ revocationListId: rev, suspensionListId: BigInt(susp) });
    expect(pair).toMatchObject({ revocationListId: rev, suspensionListId: susp, size: 2 ** 17, used: 0, accepting: true });
    await expectCode(issuer.adoptStatusLists({ revocationListId: rev, suspensionListId: susp }), IssuerErrorCode.STATUS_LIST_INVALID);
    const c = await issuer.issue(request());
    expect([c.credentialStatus.revocationListId, c.credentialStatus.suspensionListId]).toStrictEqual([rev, susp]);
    await issuer.suspend({ ids: c.id, reason: ReasonCode.DEVICE_LOST });
    expect(getAddress((await status.getFunction("statusList")(susp)).issuer)).toBe(tb.owner.address);
    expect(await bit(susp, c.credentialStatus.statusListIndex)).toBe(true);
  });
});
