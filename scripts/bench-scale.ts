/**
 * `pnpm bench:scale`: the verifier's ledger replica at nation scale, on the embedded ledger node (anvil). Writes
 * bench-results/scale.json; progress on stderr. A benchmark, not a test: it measures and prints.
 *
 * Revocation lists of 2^22 entries each (one issuer), 1 % of each list's entries revoked at random in
 * `revokeBatch` transactions of 1,024 words (the contract's cap, `STATUS_BATCH_WORDS`: 65,871 bytes of calldata,
 * the largest batch under Besu's 128 KiB transaction limit). At 2^22, 2^23 and 2^24 entries in total it measures:
 * - the replica's sync time from zero (`LedgerMirror` over fetch, `eth_getLogs` from the deployment blocks);
 * - its retained bytes: the snapshot file's size and the heap delta (`--expose-gc`: heapUsed + external after a
 *   full GC, before and after the sync, the mirror held);
 * - its sync time from a saved snapshot (read, check, replay, then catch up by events past the saved head).
 * At 2^24: the verification rate (`createVerifier` in-process) over the big replica against a small one (the same
 * presentations, alternating rounds), and revocations per second on chain, single `revoke` and batched.
 * The 260-million-entry figures are extrapolated from least-squares lines through the three measured sizes.
 *
 * Environment: BENCH_LIST_LOG2 (default 22), BENCH_LISTS (default 4), BENCH_PRESENTATIONS (default 300),
 * BENCH_SINGLES (default 200).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HDNodeWallet, Interface, JsonRpcProvider } from "ethers";
import {
  LedgerMirror,
  bootstrapNetwork,
  createFetchLedgerRpc,
  deployNetwork,
  devRoster,
  encodeMirrorSnapshot,
  loadMirrorSnapshot,
  startLedgerNode,
  statusRegistryAbi,
  toWordMasks,
  writeFileAtomic,
} from "@mobile-id/chain";
import { STATUS_BATCH_WORDS } from "@mobile-id/core";
import { createMemoryNonceStore, createVerifier } from "@mobile-id/verifier";
import { startTestKit } from "@mobile-id/verifier/testing";

const LIST_LOG2 = Number(process.env["BENCH_LIST_LOG2"] ?? 22);
const LISTS = Number(process.env["BENCH_LISTS"] ?? 4);
const PRESENTATIONS = Number(process.env["BENCH_PRESENTATIONS"] ?? 300);
const SINGLES = Number(process.env["BENCH_SINGLES"] ?? 200);
const REVOKED_FRACTION = 0.01;
const TARGET_ENTRIES = 260_000_000;
const LIST_SIZE = 2 ** LIST_LOG2;

const t0 = performance.now();
const progress = (line: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc (pnpm bench:scale does)");
const retained = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, digits = 3) => Number(n.toFixed(digits));

/** Least-squares line y = a + b·x. */
function fit(points: readonly (readonly [number, number])[]): { a: number; b: number } {
  const n = points.length;
  const sx = points.reduce((s, [x]) => s + x, 0);
  const sy = points.reduce((s, [, y]) => s + y, 0);
  const sxx = points.reduce((s, [x]) => s + x * x, 0);
  const sxy = points.reduce((s, [x, y]) => s + x * y, 0);
  const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { a: (sy - b * sx) / n, b };
}

const dir = mkdtempSync(join(tmpdir(), "mid-bench-scale-"));
// A long dump interval: the benchmark measures the replica, not anvil's state file.
const node = await startLedgerNode({ dataDir: join(dir, "ledger"), stateIntervalSeconds: 3600, startTimeoutMs: 600_000 });
const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
try {
  progress(`ledger node ${node.url} (anvil); deploying and bootstrapping`);
  const roster = devRoster(provider);
  const { descriptor } = await deployNetwork({ deployer: roster.root, rootName: roster.rootName, networkName: "bench", rpcUrl: node.url });
  await bootstrapNetwork({ descriptor, root: roster.root, accreditors: roster.accreditors, issuers: roster.issuers });
  const kit = await startTestKit({
    network: {
      descriptor,
      roster,
      chain: {
        provider,
        increaseTime: async (s) => {
          await provider.send("evm_increaseTime", [s]);
          await provider.send("evm_mine", []);
        },
        close: async () => undefined,
      },
    },
  });
  kit.setNow(Math.floor(Date.now() / 1000));
  const rpc = () => createFetchLedgerRpc({ url: node.url });
  const iface = new Interface(statusRegistryAbi);
  const issuer = kit.issuers[0]!.wallet.connect(provider) as HDNodeWallet;
  const registry = descriptor.contracts.statusRegistry.address;
  let nonce = await provider.getTransactionCount(issuer.address, "latest");
  const send = async (data: string, gasLimit: bigint) => {
    const signed = await issuer.signTransaction({ to: registry, data, nonce: nonce++, gasLimit, gasPrice: 0n, chainId: BigInt(descriptor.chainId), type: 0 });
    const hash = (await provider.send("eth_sendRawTransaction", [signed])) as string;
    // Polled here at 2 ms: ethers' tx.wait() falls back to a 4 s block poll when the receipt is not there at once.
    for (;;) {
      const receipt = (await provider.send("eth_getTransactionReceipt", [hash])) as { status: string; gasUsed: string } | null;
      if (receipt !== null) {
        if (receipt.status !== "0x1") throw new Error(`transaction failed: ${hash}`);
        return { gasUsed: Number(receipt.gasUsed), calldataBytes: (data.length - 2) / 2 };
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  };

  // ---- presentations, and the small replica (before any big list exists) ----------------------------------------
  const samples = Array.from({ length: PRESENTATIONS }, (_, i) => {
    const holder = kit.newHolder();
    const credential = kit.issue({ issuer: kit.issuers[i % kit.issuers.length]!, holder }).jwt;
    const request = kit.request({ expiresAt: kit.now() + 86_400 });
    return { request, presentation: kit.present({ holder, credentials: [credential], request, exp: kit.now() + 86_400 }) };
  });
  const small = new LedgerMirror({ rpc: rpc(), descriptor, maxStalenessSeconds: 86_400 });
  await small.sync();
  progress(`small replica synced (the dev issuers' 2^17-entry lists); ${PRESENTATIONS} presentations made`);

  // ---- big lists, 1 % revoked in batches -------------------------------------------------------------------------
  const sizes: Record<string, number>[] = [];
  let batchEntries = 0;
  let batchMs = 0;
  let batchTxs = 0;
  let batchGas = 0;
  let maxCalldata = 0;
  const measureAt = new Set([1, 2, LISTS]);
  let big: LedgerMirror | undefined;
  for (let l = 1; l <= LISTS; l++) {
    await send(iface.encodeFunctionData("createList", [issuer.address, 1, LIST_LOG2, []]), 2_000_000n);
    const listId = BigInt(iface.decodeFunctionResult("listCount", await provider.call({ to: registry, data: iface.encodeFunctionData("listCount", []) }))[0] as bigint);
    const ids = new Set<number>();
    while (ids.size < Math.round(LIST_SIZE * REVOKED_FRACTION)) ids.add(Math.floor(Math.random() * LIST_SIZE));
    const chunks = toWordMasks(ids, STATUS_BATCH_WORDS);
    const start = performance.now();
    for (const c of chunks) {
      const r = await send(iface.encodeFunctionData("revokeBatch", [listId, c.wordIndexes, c.masks, 11]), 29_000_000n);
      batchGas += r.gasUsed;
      maxCalldata = Math.max(maxCalldata, r.calldataBytes);
    }
    batchMs += performance.now() - start;
    batchEntries += ids.size;
    batchTxs += chunks.length;
    progress(`list ${l}/${LISTS} (id ${listId}): ${ids.size} entries revoked in ${chunks.length} batches`);
    if (!measureAt.has(l)) continue;

    // Sync from zero, retained bytes.
    big = undefined;
    // Median of 3 syncs from zero (the machine is shared); the last replica is kept.
    let mirror!: LedgerMirror;
    const zeroTimes: number[] = [];
    for (let k = 0; k < 3; k++) {
      mirror = new LedgerMirror({ rpc: rpc(), descriptor, maxStalenessSeconds: 86_400 });
      const s0 = performance.now();
      await mirror.sync();
      zeroTimes.push((performance.now() - s0) / 1000);
    }
    const fromZero = median(zeroTimes);
    const state = mirror.exportState();
    if (state === undefined) throw new Error("the mirror has no state to save");
    const file = join(dir, "replica.bin");
    const w0 = performance.now();
    writeFileAtomic(file, encodeMirrorSnapshot(state, descriptor));
    const writeMs = performance.now() - w0;
    const snapshotBytes = statSync(file).size;
    // Sync from the snapshot: a few blocks were added since it was saved.
    for (let k = 0; k < 5; k++) await send(iface.encodeFunctionData("revoke", [listId, (k * 7919) % LIST_SIZE, 3]), 200_000n);
    let restored: LedgerMirror | undefined;
    const snapTimes: number[] = [];
    for (let k = 0; k < 3; k++) {
      restored = new LedgerMirror({ rpc: rpc(), descriptor, maxStalenessSeconds: 86_400 });
      const r0 = performance.now();
      const loaded = loadMirrorSnapshot(restored, file, descriptor);
      if (!loaded.loaded) throw new Error(loaded.message);
      await restored.start();
      snapTimes.push((performance.now() - r0) / 1000);
      await restored.stop();
    }
    const fromSnapshot = median(snapTimes);
    // The replica's retained bytes: memory with the restored replica held, less memory once it is dropped (the same
    // moment otherwise, so that the benchmark's own garbage does not count).
    const held = retained();
    restored = undefined;
    const heapDelta = held - retained();
    const entries = l * LIST_SIZE;
    sizes.push({ entries, lists: l, revokedEntries: batchEntries, mirrorSyncSecondsFromZero: round(fromZero), mirrorSyncSecondsFromSnapshot: round(fromSnapshot), snapshotWriteMs: round(writeMs, 1), snapshotBytes, mirrorHeapDeltaBytes: heapDelta });
    progress(`${entries} entries: sync from zero ${fromZero.toFixed(2)} s, from snapshot ${fromSnapshot.toFixed(2)} s; snapshot ${snapshotBytes} B, heap delta ${heapDelta} B`);
    big = mirror;
  }
  if (big === undefined) throw new Error("no big replica");
  await big.sync();

  // ---- verification: big replica next to the small one, same presentations, alternating rounds --------------------
  // Each presentation is verified over both replicas back to back (order alternating), so that load from other
  // processes on the machine falls on both alike; the rate is presentations over the summed time per replica.
  const ROUNDS = 5;
  const spent = { small: 0, big: 0 };
  const bigMirror = big;
  for (let round = 0; round <= ROUNDS; round++) {
    const verifiers = {
      small: createVerifier({ descriptor, ledger: small, nonceStore: createMemoryNonceStore(), clock: kit.clock }),
      big: createVerifier({ descriptor, ledger: bigMirror, nonceStore: createMemoryNonceStore(), clock: kit.clock }),
    };
    for (const [i, p] of samples.entries()) {
      for (const which of i % 2 === round % 2 ? (["small", "big"] as const) : (["big", "small"] as const)) {
        const s = performance.now();
        const r = await verifiers[which].verifyPresentation({ presentation: p.presentation, request: p.request });
        // Round 0 warms both up and is not counted.
        if (round > 0) spent[which] += performance.now() - s;
        if (!r.verified) throw new Error(`presentation refused over the ${which} replica: ${r.code}`);
      }
    }
  }
  const smallRate = (ROUNDS * samples.length) / (spent.small / 1000);
  const bigRate = (ROUNDS * samples.length) / (spent.big / 1000);
  progress(`verification: ${bigRate.toFixed(0)}/s over the big replica, ${smallRate.toFixed(0)}/s over the small one`);

  // ---- single revocations -----------------------------------------------------------------------------------------
  const singleList = BigInt(iface.decodeFunctionResult("listCount", await provider.call({ to: registry, data: iface.encodeFunctionData("listCount", []) }))[0] as bigint);
  let singleGas = 0;
  const sStart = performance.now();
  for (let k = 0; k < SINGLES; k++) singleGas += (await send(iface.encodeFunctionData("revoke", [singleList, (1_000_003 + k * 997) % LIST_SIZE, 3]), 200_000n)).gasUsed;
  const singlesPerSecond = SINGLES / ((performance.now() - sStart) / 1000);
  progress(`${SINGLES} single revocations: ${singlesPerSecond.toFixed(0)}/s`);

  // ---- figures ------------------------------------------------------------------------------------------------------
  const largest = sizes.at(-1)!;
  const perM = (bytes: number) => Math.round(bytes / (largest.entries! / 1e6));
  const mirrorBytesPerMillionEntries = Math.max(perM(largest.snapshotBytes!), perM(largest.mirrorHeapDeltaBytes!));
  const line = (key: string) => fit(sizes.map((s) => [s.entries!, s[key]!] as const));
  const at260 = (key: string) => {
    const { a, b } = line(key);
    return { value: a + b * TARGET_ENTRIES, a, b };
  };
  const zero = at260("mirrorSyncSecondsFromZero");
  const snap = at260("mirrorSyncSecondsFromSnapshot");
  const snapBytes = at260("snapshotBytes");
  const heap = at260("mirrorHeapDeltaBytes");
  const curve = (f: { a: number; b: number }, unit: string) => `${f.a.toPrecision(4)} + ${(f.b * 1e6).toPrecision(4)} ${unit} per million entries`;
  const result = {
    date: new Date().toISOString(),
    command: "pnpm bench:scale",
    machine: "2 cores (shared by other work); anvil 1.7.1 with automine; one Node 24 process for the verifier side",
    method:
      `revocation lists of 2^${LIST_LOG2} entries, ${REVOKED_FRACTION * 100} % of each revoked at random in revokeBatch transactions of up to ${STATUS_BATCH_WORDS} words; ` +
      "replica = LedgerMirror over fetch (eth_getLogs, 2,000-block ranges), times are medians of 3; bytes = snapshot file size and heap delta (heapUsed + external after gc, --expose-gc); " +
      "from-snapshot time = read + checksum + replay + head check + catch-up over 5 new blocks",
    measured: {
      entries: largest.entries,
      lists: largest.lists,
      revokedEntries: largest.revokedEntries,
      sizes,
      mirrorBytesPerMillionEntries,
      snapshotBytesPerMillionEntries: perM(largest.snapshotBytes!),
      heapBytesPerMillionEntries: perM(largest.mirrorHeapDeltaBytes!),
      mirrorSyncSecondsFromZero: largest.mirrorSyncSecondsFromZero,
      mirrorSyncSecondsFromSnapshot: largest.mirrorSyncSecondsFromSnapshot,
      verificationsPerSecondBigReplica: round(bigRate, 1),
      verificationsPerSecondSmallReplica: round(smallRate, 1),
      verificationRateRatio: round(bigRate / smallRate),
      verificationMethod: `${PRESENTATIONS} presentations (one credential each, status in the dev issuers' lists) verified by createVerifier in-process over each replica, each presentation over both back to back (order alternating), 5 rounds after a warm-up round; rate = presentations / summed time`,
      revocationsPerSecondSingle: round(singlesPerSecond, 1),
      revocationsPerSecondBatched: round(batchEntries / (batchMs / 1000), 1),
      revocationMethod: "sequential transactions, each awaited (anvil automine: one block each); batched = revoked entries / time of all revokeBatch transactions",
      gasPerSingleRevocation: Math.round(singleGas / SINGLES),
      gasPerBatchedRevocation: Math.round(batchGas / batchEntries),
      gasPerBatchTransaction: Math.round(batchGas / batchTxs),
      largestBatchCalldataBytes: maxCalldata,
    },
    mirrorBytesPerMillionEntries,
    extrapolated260M: {
      entries: TARGET_ENTRIES,
      mirrorSyncSecondsFromZero: round(zero.value, 1),
      mirrorSyncSecondsFromSnapshot: round(snap.value, 1),
      snapshotBytes: Math.round(snapBytes.value),
      mirrorHeapBytes: Math.round(heap.value),
      method:
        `extrapolated, not measured: least-squares lines through the ${sizes.length} measured sizes (${sizes.map((s) => s.entries).join(", ")} entries) at 260,000,000 entries, ` +
        `1 % revoked in full batches. Sync from zero: ${curve(zero, "s")}; from snapshot: ${curve(snap, "s")}; snapshot: ${curve(snapBytes, "B")}; heap: ${curve(heap, "B")}. ` +
        "Verification rate and revocations per second do not depend on the list sizes (a status read is one array index; a revocation writes its own words) and are carried over as measured.",
    },
    targets: {
      mirrorBytesPerMillionEntries: { target: 300_000, met: mirrorBytesPerMillionEntries <= 300_000 },
      verificationRateRatio: { target: 0.9, met: bigRate / smallRate >= 0.9 },
      extrapolated260MMirrorSyncSecondsFromZero: { target: 60, met: zero.value <= 60 },
    },
  };
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/scale.json", `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await big.stop();
  await small.stop();
  await kit.close();
} finally {
  provider.destroy();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}
