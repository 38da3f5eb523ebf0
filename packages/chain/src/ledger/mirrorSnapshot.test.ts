import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Contract, type HDNodeWallet, encodeBytes32String } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReasonCode, credentialTypeId } from "@mobile-id/core";
import { connectContracts } from "../contracts.ts";
import { type TestNetwork, startTestNetwork } from "../testing.ts";
import { LedgerMirror } from "./LedgerMirror.ts";
import { SnapshotRefusedError, decodeMirrorSnapshot, encodeMirrorSnapshot, loadMirrorSnapshot, startMirrorSnapshotWriter } from "./mirrorSnapshot.ts";
import { type LedgerRpc, StatusPurpose } from "./types.ts";

describe("the ledger replica's snapshot file", () => {
  let net: TestNetwork;
  let rpc: LedgerRpc;
  let c: ReturnType<typeof connectContracts>;
  let list: bigint;
  const dir = mkdtempSync(join(tmpdir(), "mid-replica-"));
  const studentType = credentialTypeId("StudentIDCredential", 1);

  /** An RPC that records the `fromBlock` of every `eth_getLogs`. */
  const counting = () => {
    const fromBlocks: number[] = [];
    const wrapped: LedgerRpc = {
      send: (method: string, params: unknown[]) => {
        if (method === "eth_getLogs") fromBlocks.push(Number((params[0] as { fromBlock: string }).fromBlock));
        return rpc.send(method, params);
      },
    } as LedgerRpc;
    return { rpc: wrapped, fromBlocks };
  };
  const send = async (method: string, args: unknown[]) => {
    const issuer = net.roster.issuers[0]!.signer;
    await (await (c.statusRegistry.connect(issuer) as Contract).getFunction(method)(...args)).wait();
  };
  const sameReads = (a: LedgerMirror, b: LedgerMirror) => {
    const issuer = (net.roster.issuers[0]!.signer as HDNodeWallet).address;
    for (const i of [0n, 5n, 300n, 301n, 4095n]) expect([i, b.statusEntry(list, i)]).toEqual([i, a.statusEntry(list, i)]);
    expect(b.statusList(list)).toEqual(a.statusList(list));
    expect(b.identity(issuer)).toEqual(a.identity(issuer));
    const now = a.freshness()!.head.timestamp;
    expect(b.standingAt(issuer, studentType, now)).toEqual(a.standingAt(issuer, studentType, now));
    expect(b.credentialType(studentType)).toEqual(a.credentialType(studentType));
  };

  beforeAll(async () => {
    net = await startTestNetwork();
    rpc = net.chain.provider as unknown as LedgerRpc;
    c = connectContracts({ descriptor: net.descriptor, runner: net.chain.provider });
    const issuer = net.roster.issuers[0]!.signer as HDNodeWallet;
    await send("createList", [issuer.address, StatusPurpose.Revocation, 17, []]);
    list = (await c.statusRegistry.getFunction("listCount")()) as bigint;
    await send("revoke", [list, 5, ReasonCode.ADMINISTRATIVE]);
    await send("revokeBatch", [list, [1n, 15n], [(1n << 44n) | (1n << 45n), 1n << 255n], ReasonCode.ADMINISTRATIVE]);
    // An identity event, so that the replay carries the DID registry too.
    await (
      await (c.didRegistry.connect(issuer) as Contract).getFunction("setAttribute")(issuer.address, encodeBytes32String("did/svc/x"), "0x01", 1000)
    ).wait();

  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await net.chain.close();
  });

  it("is written 0600 and atomically, and a restart answers as before, then catches up from the saved head by events", async () => {
    const file = join(dir, "replica.bin");
    const live = new LedgerMirror({ rpc, descriptor: net.descriptor });
    await live.sync();
    const writer = startMirrorSnapshotWriter({ mirror: live, path: file, descriptor: net.descriptor });
    expect(writer.saveNow()).toBe(true);
    // Nothing moved: no second write.
    expect(writer.saveNow()).toBe(false);
    await writer.stop();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const savedHead = live.freshness()!.head;
    // Written after the save: the restored mirror must learn it from events past the saved head.
    await send("revoke", [list, 4095, ReasonCode.ADMINISTRATIVE]);

    const { rpc: watched, fromBlocks } = counting();
    const restored = new LedgerMirror({ rpc: watched, descriptor: net.descriptor });
    const r = loadMirrorSnapshot(restored, file, net.descriptor);
    expect(r).toMatchObject({ loaded: true, head: savedHead });
    // Closed until start has checked the saved head against the node.
    expect(() => restored.statusEntry(list, 5n)).toThrow(expect.objectContaining({ code: "LEDGER_UNAVAILABLE" }));
    await restored.start();
    await restored.stop();
    expect(Math.min(...fromBlocks)).toBe(savedHead.blockNumber + 1);
    await live.sync();
    expect(restored.statusEntry(list, 4095n)).toBe(true);
    expect(restored.statusEntry(list, 300n)).toBe(true);
    sameReads(live, restored);
  });

  it("saves periodically once the head moved by everyBlocks, off the verification path (asynchronous writes)", async () => {
    const file = join(dir, "periodic.bin");
    const live = new LedgerMirror({ rpc, descriptor: net.descriptor });
    await live.sync();
    const saves: number[] = [];
    const writer = startMirrorSnapshotWriter({ mirror: live, path: file, descriptor: net.descriptor, everyBlocks: 2, everyMs: 3_600_000, checkMs: 10, onSaved: (s) => saves.push(s.blockNumber) });
    const first = live.freshness()!.head.blockNumber;
    await waitUntil(() => saves.length === 1);
    expect(saves).toEqual([first]);
    await send("revoke", [list, 1000, ReasonCode.ADMINISTRATIVE]);
    await live.sync();
    // One block moved: not due yet.
    await new Promise((r) => setTimeout(r, 100));
    await writer.settled();
    expect(saves).toEqual([first]);
    await send("revoke", [list, 1001, ReasonCode.ADMINISTRATIVE]);
    await live.sync();
    await waitUntil(() => saves.length === 2);
    expect(saves[1]).toBe(live.freshness()!.head.blockNumber);
    expect(decodeMirrorSnapshot(readFileSync(file), net.descriptor).head.blockNumber).toBe(saves[1]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writer.cancel();
  });

  it("refuses a damaged, foreign-chain or foreign-descriptor snapshot, and the mirror then syncs from zero", async () => {
    const live = new LedgerMirror({ rpc, descriptor: net.descriptor });
    await live.sync();
    const bytes = encodeMirrorSnapshot(live.exportState()!, net.descriptor);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100] = flipped[flipped.length - 100]! ^ 1;
    expect(() => decodeMirrorSnapshot(flipped, net.descriptor)).toThrow(expect.objectContaining({ reason: "damaged" }));
    expect(() => decodeMirrorSnapshot(bytes.subarray(0, bytes.length - 1), net.descriptor)).toThrow(SnapshotRefusedError);
    expect(() => decodeMirrorSnapshot(bytes, { ...net.descriptor, chainId: 1 })).toThrow(expect.objectContaining({ reason: "foreign-chain" }));
    const otherContracts = {
      ...net.descriptor,
      contracts: { ...net.descriptor.contracts, statusRegistry: { ...net.descriptor.contracts.statusRegistry, deployBlock: 0 } },
    };
    expect(() => decodeMirrorSnapshot(bytes, otherContracts)).toThrow(expect.objectContaining({ reason: "foreign-descriptor" }));

    const file = join(dir, "damaged.bin");
    writeFileSync(file, flipped, { mode: 0o600 });
    const { rpc: watched, fromBlocks } = counting();
    const fresh = new LedgerMirror({ rpc: watched, descriptor: net.descriptor });
    expect(loadMirrorSnapshot(fresh, file, net.descriptor)).toMatchObject({ loaded: false, reason: "damaged" });
    await fresh.start();
    await fresh.stop();
    const c0 = net.descriptor.contracts;
    expect(Math.min(...fromBlocks)).toBe(Math.min(c0.didRegistry.deployBlock, c0.accreditationRegistry.deployBlock, c0.statusRegistry.deployBlock));
    sameReads(live, fresh);
  });

  it("drops a snapshot whose head is no longer on the node and rebuilds from zero", async () => {
    const before = await rpc.send("evm_snapshot", []);
    await send("revoke", [list, 77, ReasonCode.ADMINISTRATIVE]);
    const live = new LedgerMirror({ rpc, descriptor: net.descriptor });
    await live.sync();
    expect(live.statusEntry(list, 77n)).toBe(true);
    const file = join(dir, "replaced.bin");
    const writer = startMirrorSnapshotWriter({ mirror: live, path: file, descriptor: net.descriptor });
    await writer.stop();
    // The saved block is replaced by another at the same height (the revocation is gone from the node).
    await rpc.send("evm_revert", [before]);
    await net.chain.increaseTime(1);
    await send("revoke", [list, 78, ReasonCode.ADMINISTRATIVE]);
    const dropped: string[] = [];
    const restored = new LedgerMirror({ rpc, descriptor: net.descriptor, onReplicaDropped: (r) => dropped.push(r) });
    expect(loadMirrorSnapshot(restored, file, net.descriptor).loaded).toBe(true);
    await restored.start();
    await restored.stop();
    expect(dropped).toHaveLength(1);
    expect(restored.statusEntry(list, 77n)).toBe(false);
    expect(restored.statusEntry(list, 78n)).toBe(true);
  });
});

async function waitUntil(ok: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
