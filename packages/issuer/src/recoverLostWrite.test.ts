import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserProvider, Contract, Provider } from "ethers";
import { connectContracts } from "@mobile-id/chain";
import { ReasonCode, isMobileIdError } from "@mobile-id/core";
import type { Issuer } from "./createIssuer.ts";
import { IssuerErrorCode } from "./errors.ts";
import type { IssuedCredential } from "./issueCredential.ts";
import { createIssuanceStore } from "./store/createIssuanceStore.ts";
import { SCHEMA_VERSION, openIssuerDatabase } from "./store/openIssuerDatabase.ts";
import { type Testbed, devWallet, newHolder, startTestbed, studentClaims } from "./testing.ts";

/**
 * A ledger node that persists on a timer (anvil with `--state-interval`) and is killed loses the transactions
 * of its last moments, after the issuer had them confirmed and acknowledged. Simulated here with `evm_snapshot`
 * / `evm_revert` on the in-process chain: everything mined after the snapshot is gone, as after such a crash.
 * The real thing (anvil and the services SIGKILLed) is `test/services/crash.test.ts`.
 */
describe("writes the ledger lost after confirming them are written again (in-process chain)", () => {
  let tb: Testbed;
  let status: Contract;
  const opened: Issuer[] = [];
  const open: Testbed["open"] = async (o) => {
    const i = await tb.open(o);
    opened.push(i);
    return i;
  };
  const rpc = () => tb.provider as BrowserProvider;
  const snapshot = async (): Promise<string> => (await rpc().send("evm_snapshot", [])) as string;
  /** The node "crashes": everything after the snapshot is gone. */
  const loseSince = async (id: string): Promise<void> => {
    expect(await rpc().send("evm_revert", [id])).toBe(true);
  };
  const request = () => ({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() });
  const onLedger = async (c: IssuedCredential): Promise<"active" | "suspended" | "revoked"> => {
    const { revocationListId, suspensionListId, statusListIndex } = c.credentialStatus;
    if ((await status.getFunction("entryStatus")(revocationListId, statusListIndex))[0] === true) return "revoked";
    return (await status.getFunction("entryStatus")(suspensionListId, statusListIndex))[0] === true ? "suspended" : "active";
  };
  /** An issuer with its lists in place and `n` credentials, all confirmed before any snapshot. */
  const withCredentials = async (n: number, overrides: Parameters<Testbed["open"]>[0] = {}) => {
    const issuer = await open(overrides);
    await issuer.ensureStatusLists({ sparePairs: 0 });
    return { issuer, issued: await issuer.issueMany(Array.from({ length: n }, request)) };
  };

  beforeAll(async () => {
    tb = await startTestbed();
    status = connectContracts({ descriptor: tb.net.descriptor, runner: tb.provider }).statusRegistry;
  });
  afterAll(async () => {
    for (const i of opened) await i.close();
    await tb.net.chain.close();
  });

  it("a confirmed revocation and suspension the ledger lost are broadcast again under their own hashes", async () => {
    const { issuer, issued } = await withCredentials(4);
    const [a, b, c, d] = issued as [IssuedCredential, IssuedCredential, IssuedCredential, IssuedCredential];
    const id = await snapshot();
    const revoked = await issuer.revoke({ ids: [a.id, b.id], reason: ReasonCode.KEY_COMPROMISE });
    const suspended = await issuer.suspend({ ids: c.id, reason: ReasonCode.DEVICE_LOST });
    await loseSince(id);
    expect([await onLedger(a), await onLedger(b), await onLedger(c)]).toStrictEqual(["active", "active", "active"]);

    const result = await issuer.reconcile();
    expect(result.recovered.map((r) => [r.kind, r.via, r.outcome.state, r.lostTxHash])).toStrictEqual([
      ["revoke", "rebroadcast", "confirmed", revoked.transactions[0]!.txHash],
      ["suspend", "rebroadcast", "confirmed", suspended.transactions[0]!.txHash],
    ]);
    expect(result).toMatchObject({ corrected: [], reapplied: [], discrepancies: [] });
    expect([await onLedger(a), await onLedger(b), await onLedger(c), await onLedger(d)]).toStrictEqual(["revoked", "revoked", "suspended", "active"]);
    // The records point at where the transactions are now.
    const history = issuer.getCredential(a.id)!.history;
    expect(history.map((h) => [h.action, h.state, h.txHash])).toStrictEqual([["revoke", "confirmed", revoked.transactions[0]!.txHash]]);
    expect(history[0]!.blockNumber).toBe((await tb.provider.getTransactionReceipt(revoked.transactions[0]!.txHash))!.blockNumber);
    // Idempotent: nothing lost any more, nothing sent.
    const block = await tb.provider.getBlockNumber();
    expect(await issuer.reconcile({ full: true })).toStrictEqual({
      operations: [],
      recovered: [],
      corrected: [],
      reapplied: [],
      discrepancies: [],
      operators: { restored: [], unrestored: [] },
    });
    expect(await tb.provider.getBlockNumber()).toBe(block);
  });

  it("on open, before anything else: a reopened issuer has rewritten what the ledger lost", async () => {
    const path = join(tb.dir, `reopen-${Date.now()}.db`);
    const { issuer, issued } = await withCredentials(2, { databasePath: path });
    const id = await snapshot();
    await issuer.revoke({ ids: issued.map((c) => c.id), reason: ReasonCode.MISCONDUCT });
    await issuer.close();
    await loseSince(id);
    await open({ databasePath: path });
    for (const c of issued) expect(await onLedger(c)).toBe("revoked");
  });

  it("when the lost transaction's nonce was used meanwhile, the same call is signed again and journaled as its replacement", async () => {
    const { issuer, issued } = await withCredentials(2);
    const [a, b] = issued as [IssuedCredential, IssuedCredential];
    const id = await snapshot();
    const first = await issuer.revoke({ ids: a.id, reason: ReasonCode.KEY_COMPROMISE });
    await loseSince(id);
    // The operator key moves on (another tool): the lost transaction can never be mined as it was.
    await (await tb.operator.sendTransaction({ to: tb.operator.address, value: 0 })).wait();

    const result = await issuer.reconcile();
    expect(result.recovered).toHaveLength(1);
    const [r] = result.recovered;
    expect([r!.via, r!.outcome.state, r!.lostTxHash]).toStrictEqual(["resent", "confirmed", first.transactions[0]!.txHash]);
    expect(r!.outcome.txHash).not.toBe(first.transactions[0]!.txHash);
    expect(await onLedger(a)).toBe("revoked");
    expect(await onLedger(b)).toBe("active");
    // The history tells what happened: confirmed, lost by the ledger, written again.
    const history = issuer.getCredential(a.id)!.history;
    expect(history.map((h) => [h.action, h.state, h.reason, h.txHash])).toStrictEqual([
      ["revoke", "lost", ReasonCode.KEY_COMPROMISE, first.transactions[0]!.txHash],
      ["revoke", "confirmed", ReasonCode.KEY_COMPROMISE, r!.outcome.txHash],
    ]);
    expect(issuer.getCredential(a.id)!.pendingChange).toBe(false);
    // A second loss of the replacement is recovered the same way.
    const again = await snapshot();
    await issuer.suspend({ ids: b.id, reason: ReasonCode.DEVICE_LOST });
    await loseSince(again);
    expect((await issuer.reconcile()).recovered.map((x) => x.via)).toStrictEqual(["rebroadcast"]);
    expect(await onLedger(b)).toBe("suspended");
  });

  it("a lost reinstatement is written again; a change made outside the issuer while its own is on the ledger is adopted", async () => {
    const { issuer, issued } = await withCredentials(2);
    const [a, b] = issued as [IssuedCredential, IssuedCredential];
    await issuer.suspend({ ids: [a.id, b.id], reason: ReasonCode.DEVICE_LOST });
    const id = await snapshot();
    await issuer.reinstate({ ids: a.id, reason: ReasonCode.REVIEW_CLEARED });
    await loseSince(id);
    expect(await onLedger(a)).toBe("suspended");
    // Meanwhile the owner lifts b's suspension with another tool: our suspension of b IS on the ledger.
    const asOwner = connectContracts({ descriptor: tb.net.descriptor, runner: tb.owner }).statusRegistry;
    await (await asOwner.getFunction("reinstate")(b.credentialStatus.suspensionListId, b.credentialStatus.statusListIndex, ReasonCode.REVIEW_CLEARED)).wait();

    const result = await issuer.reconcile({ full: true });
    expect(result.recovered.map((r) => [r.kind, r.outcome.state])).toStrictEqual([["reinstate", "confirmed"]]);
    expect(result.corrected).toStrictEqual([{ id: b.id, from: "suspended", to: "active" }]);
    expect([await onLedger(a), await onLedger(b)]).toStrictEqual(["active", "active"]);
    expect([issuer.getCredential(a.id)!.status, issuer.getCredential(b.id)!.status]).toStrictEqual(["active", "active"]);
  });

  it("a revocation missing on the ledger is always written again, whatever the journal says", async () => {
    const path = join(tb.dir, `journal-${Date.now()}.db`);
    const { issuer, issued } = await withCredentials(3, { databasePath: path });
    const [a, b] = issued as [IssuedCredential, IssuedCredential];
    const id = await snapshot();
    await issuer.revoke({ ids: [a.id, b.id], reason: ReasonCode.GRADUATION });
    await issuer.close();
    await loseSince(id);
    // A journal that no longer says the transaction was confirmed (a database restored from a backup, say):
    // only the credentials' statuses remain.
    const db = new DatabaseSync(path);
    db.exec("UPDATE ledger_ops SET state = 'failed' WHERE kind = 'revoke'");
    db.close();

    const reopened = await open({ databasePath: path, reconcileOnOpen: false });
    const result = await reopened.reconcile({ full: true });
    expect(result.recovered).toStrictEqual([]);
    expect(new Set(result.reapplied.map((r) => r.id))).toStrictEqual(new Set([a.id, b.id]));
    expect(result.reapplied.every((r) => r.from === "active" && r.to === "revoked")).toBe(true);
    expect([await onLedger(a), await onLedger(b), await onLedger(issued[2]!)]).toStrictEqual(["revoked", "revoked", "active"]);
    // Written with the reason of the recorded revocation.
    expect(reopened.getCredential(a.id)!.history.at(-1)).toMatchObject({ action: "revoke", state: "confirmed", reason: ReasonCode.GRADUATION, source: "issuer" });
  });

  it("lists lost with the writes on them come back under the same ids, then the writes", async () => {
    const id = await snapshot();
    const issuer = await open();
    const { created } = await issuer.ensureStatusLists({ sparePairs: 0 });
    const [c1, c2] = await issuer.issueMany([request(), request()]);
    await issuer.revoke({ ids: c1!.id, reason: ReasonCode.KEY_COMPROMISE });
    await loseSince(id);
    await expect(onLedger(c1!)).rejects.toThrow(); // the lists themselves are gone

    const result = await issuer.reconcile();
    expect(result.recovered.map((r) => [r.kind, r.outcome.state])).toStrictEqual([
      ["createList", "confirmed"],
      ["createList", "confirmed"],
      ["revoke", "confirmed"],
    ]);
    const pair = created[0]!;
    for (const [listId, purpose] of [[pair.revocationListId, 1n], [pair.suspensionListId, 2n]] as const) {
      const list = await status.getFunction("statusList")(listId);
      expect([list.issuer, list.purpose]).toStrictEqual([tb.owner.address, purpose]);
      expect(await status.getFunction("isOperator")(listId, tb.operator.address)).toBe(true);
    }
    expect([await onLedger(c1!), await onLedger(c2!)]).toStrictEqual(["revoked", "active"]);
  });

  it("a lost list whose id another issuer took meanwhile fails loudly (STATUS_LIST_LOST, taken)", async () => {
    const path = join(tb.dir, `taken-${Date.now()}.db`);
    const id = await snapshot();
    const issuer = await open({ databasePath: path });
    await issuer.ensureStatusLists({ sparePairs: 0 });
    await issuer.close();
    await loseSince(id);
    await createForeignList(); // takes the lost revocation list's id

    await expect(open({ databasePath: path })).rejects.toSatisfy(
      (e) => isMobileIdError(e, IssuerErrorCode.STATUS_LIST_LOST) && e.details["reason"] === "taken",
    );
  });

  it("a lost list behind another issuer's lost list waits for it (STATUS_LIST_LOST, gap), then comes back under its id", async () => {
    const path = join(tb.dir, `gap-${Date.now()}.db`);
    const id = await snapshot();
    const foreign = await createForeignList();
    const issuer = await open({ databasePath: path });
    const { created } = await issuer.ensureStatusLists({ sparePairs: 0 });
    const [c] = await issuer.issueMany([request()]);
    await issuer.close();
    await loseSince(id);

    await expect(open({ databasePath: path })).rejects.toSatisfy(
      (e) => isMobileIdError(e, IssuerErrorCode.STATUS_LIST_LOST) && e.details["reason"] === "gap" && e.details["nextListId"] === foreign,
    );
    expect(await createForeignList()).toBe(foreign); // the other issuer recovers its list first
    await open({ databasePath: path });
    expect((await status.getFunction("statusList")(created[0]!.revocationListId)).issuer).toBe(tb.owner.address);
    expect(await onLedger(c!)).toBe("active");
  });

  it("verifying a journal already checked costs a block look-up or two, not one per operation", async () => {
    const { issuer, issued } = await withCredentials(6);
    for (const c of issued) await issuer.suspend({ ids: c.id, reason: ReasonCode.DEVICE_LOST });
    await issuer.reconcile();
    const counted = countingProvider(tb.provider);
    const path = join(tb.dir, `count-${Date.now()}.db`);
    const counting = await open({ databasePath: path, provider: counted.provider, reconcileOnOpen: false });
    await counting.ensureStatusLists({ sparePairs: 0 });
    const more = await counting.issueMany(Array.from({ length: 6 }, request));
    for (const c of more) await counting.suspend({ ids: c.id, reason: ReasonCode.DEVICE_LOST });
    await counting.reconcile(); // first pass: every operation's block, then a checkpoint
    counted.reset();
    await counting.reconcile();
    expect(counted.calls("getBlock") + counted.calls("getTransactionReceipt")).toBeLessThanOrEqual(2);
  });

  /** The Seoul Metropolitan Government (account 6, an issuer too) creates a revocation list; returns its id. */
  async function createForeignList(): Promise<string> {
    const seoul = devWallet(6, tb.provider);
    const asSeoul = connectContracts({ descriptor: tb.net.descriptor, runner: seoul }).statusRegistry;
    const receipt = await (await asSeoul.getFunction("createList")(seoul.address, 1, 17, [])).wait();
    const log = receipt.logs.map((l: { topics: string[]; data: string }) => asSeoul.interface.parseLog(l)).find((p: { name: string } | null) => p?.name === "StatusListCreated");
    return (log.args.getValue("listId") as bigint).toString(10);
  }
});

describe("issuer database schema migration", () => {
  it("brings a version 1 database to the current version, keeping every row", () => {
    const dir = join(process.env["TMPDIR"] ?? "/tmp", `mid-migrate-${process.pid}-${Date.now()}`);
    const path = `${dir}.db`;
    const v1 = new DatabaseSync(path);
    v1.exec(readFileSync(new URL("./testdata/schema-v1.sql", import.meta.url), "utf8"));
    const identity = { issuer: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc", chainId: "31337", statusRegistry: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0" };
    const meta = v1.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
    for (const [k, v] of Object.entries({ schemaVersion: "1", ...identity })) meta.run(k, v);
    v1.exec(`INSERT INTO list_pairs VALUES (1, '7', '8', 17, 100);
      INSERT INTO status_lists VALUES ('7', 'revocation', 17, '0xaa', 1), ('8', 'suspension', 17, '0xbb', 1);
      INSERT INTO ledger_ops (op_id, kind, list_id, reason, state, tx_hash, sender, nonce, raw_tx, prepared_at, resolved_at, block_number, outcome)
        VALUES (1, 'revoke', '7', 3, 'confirmed', '0xcc', '0x01', 5, '0x', 200, 201, 42, 'mined');
      INSERT INTO credentials (seq, jti, type, type_version, holder, pair_id, list_index, issued_at, valid_from, expires_at, status)
        VALUES (1, 'urn:uuid:1', 'StudentIDCredential', 1, 'did:ethr:0x7a69:0x02', 1, 99, 150, 150, 999, 'revoked');
      INSERT INTO status_history (credential_seq, action, reason, source, op_id, state, requested_at, resolved_at, tx_hash, block_number)
        VALUES (1, 'revoke', 3, 'issuer', 1, 'confirmed', 200, 201, '0xcc', 42);`);
    v1.close();

    const store = createIssuanceStore(openIssuerDatabase(path, identity).db, { maxBatch: 8 });
    expect(store.journal.op(1)).toMatchObject({ kind: "revoke", state: "confirmed", txHash: "0xcc", blockNumber: 42, blockHash: null });
    expect(store.records.history(1)).toMatchObject([{ action: "revoke", state: "confirmed", txHash: "0xcc", blockNumber: 42 }]);
    expect(store.records.credentialsByJti(["urn:uuid:1"])[0]).toMatchObject({ status: "revoked", revocationListId: "7", index: 99 });
    // The new states are accepted.
    store.journal.markOpLost(1, "test", 300);
    expect(store.journal.op(1)?.state).toBe("lost");
    expect(store.records.history(1)[0]?.state).toBe("lost");
    store.close();
    const check = new DatabaseSync(path);
    expect(check.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get()?.["value"]).toBe(String(SCHEMA_VERSION));
    check.close();
  });
});

/** Wraps a provider, counting calls per method. */
function countingProvider(provider: Provider): { provider: Provider; calls(method: string): number; reset(): void } {
  const counts = new Map<string, number>();
  const proxy = new Proxy(provider, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function" || typeof prop !== "string") return value;
      return (...args: unknown[]) => {
        counts.set(prop, (counts.get(prop) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { provider: proxy, calls: (m) => counts.get(m) ?? 0, reset: () => counts.clear() };
}
