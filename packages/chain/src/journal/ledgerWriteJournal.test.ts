import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Role } from "../bootstrapNetwork.ts";
import { connectContracts } from "../contracts.ts";
import { sendTransaction } from "../sendTransaction.ts";
import { type TestNetwork, startTestNetwork } from "../testing.ts";
import { openLedgerWriteJournal, recoverJournaledWrites, watchLedgerWriteJournal } from "./ledgerWriteJournal.ts";

/**
 * A governance change (root registers an accreditor) sent through the journal, then lost by the ledger node
 * (simulated with evm_snapshot / evm_revert, as a node restarted from an older state file): the journal's signed
 * bytes bring it back, without the root key.
 */
describe("journaled governance writes come back after the ledger lost them (in-process chain)", () => {
  let net: TestNetwork;
  const dir = mkdtempSync(join(tmpdir(), "mid-journal-"));
  beforeAll(async () => {
    net = await startTestNetwork();
  });
  afterAll(() => net.chain.close());
  const rpc = () => net.chain.provider as BrowserProvider;

  it("re-broadcasts a lost confirmed write (same hash), and a quiet pass sends nothing", async () => {
    const journal = openLedgerWriteJournal(join(dir, "sub", "journal.sqlite"));
    expect(statSync(journal.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "sub")).mode & 0o777).toBe(0o700);
    const registry = connectContracts({ descriptor: net.descriptor, runner: net.chain.provider }).accreditationRegistry;
    const roleOf = async (a: string) => Number((await registry.getFunction("party")(a)).role);
    const newcomers = [Wallet.createRandom().address, Wallet.createRandom().address];
    expect((await recoverJournaledWrites({ journal, provider: net.chain.provider })).inStep).toBe(true);

    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    const receipts = [];
    for (const [i, a] of newcomers.entries()) {
      receipts.push(await sendTransaction({ contract: registry, signer: net.roster.root, method: "registerAccreditor", args: [a, `Agency ${i}`], journal }));
    }
    expect(await Promise.all(newcomers.map(roleOf))).toStrictEqual([Role.Accreditor, Role.Accreditor]);
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    expect(await Promise.all(newcomers.map(roleOf))).toStrictEqual([Role.None, Role.None]);

    const r = await recoverJournaledWrites({ journal, provider: net.chain.provider });
    expect(r.rewritten.map((w) => [w.label, w.txHash])).toStrictEqual(receipts.map((x) => ["registerAccreditor", x.hash]));
    expect(r.conflicts).toStrictEqual([]);
    expect(r.inStep).toBe(true);
    expect(await Promise.all(newcomers.map(roleOf))).toStrictEqual([Role.Accreditor, Role.Accreditor]);
    const block = await net.chain.provider.getBlockNumber();
    expect(r.confirmedThroughBlock).toBe(block);
    expect((await recoverJournaledWrites({ journal, provider: net.chain.provider })).rewritten).toStrictEqual([]);
    expect(await net.chain.provider.getBlockNumber()).toBe(block);
    journal.close();
  });

  it("reports a write whose nonce another transaction took as a conflict; the watcher runs on its own", async () => {
    const journal = openLedgerWriteJournal(join(dir, "journal-2.sqlite"));
    const registry = connectContracts({ descriptor: net.descriptor, runner: net.chain.provider }).accreditationRegistry;
    const snapshot = (await rpc().send("evm_snapshot", [])) as string;
    const lost = await sendTransaction({ contract: registry, signer: net.roster.root, method: "registerAccreditor", args: [Wallet.createRandom().address, "Lost"], journal });
    expect(await rpc().send("evm_revert", [snapshot])).toBe(true);
    // Not journaled: takes the lost write's nonce.
    await sendTransaction({ contract: registry, signer: net.roster.root, method: "registerAccreditor", args: [Wallet.createRandom().address, "Other"] });
    const recovered: unknown[] = [];
    const watcher = watchLedgerWriteJournal({ journal, provider: net.chain.provider, intervalMs: 50, onRecovered: (x) => recovered.push(x) });
    const s = await watcher.check();
    await watcher.stop();
    expect(recovered).toStrictEqual([{ rewritten: [], conflicts: [{ label: "registerAccreditor", txHash: lost.hash }], inStep: true, confirmedThroughBlock: undefined }]);
    expect(s.inStepAsOf).toBeTypeOf("number");
    journal.close();
  });
});

describe("a damaged governance journal", () => {
  it("is refused with DATA_FILE_DAMAGED, never opened as an empty journal", () => {
    const dir = mkdtempSync(join(tmpdir(), "mid-journal-damaged-"));
    const path = join(dir, "journal.sqlite");
    openLedgerWriteJournal(path).close();
    // Keep SQLite's header, overwrite every page after the first: the schema page survives, the tables do not.
    const bytes = readFileSync(path);
    writeFileSync(path, Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(Math.max(bytes.length, 8192) - 100, 0x5a)]));
    expect(() => openLedgerWriteJournal(path)).toThrow(expect.objectContaining({ code: "DATA_FILE_DAMAGED" }));
  });
});
