import {
  type NetworkContractSet,
  type Provider,
  checkNetwork,
  connectContracts,
  createLedgerProvider,
  ledgerRpcOf,
} from "@mobile-id/chain";
import { MobileIdError, type NetworkDescriptor, verifyNetworkDescriptor } from "@mobile-id/core";
import { AuditorError } from "./errors.ts";
import { ledgerCall, mapLimit, withTimeout } from "./internal/rpc.ts";
import type { ProgressListener } from "./progress.ts";

export interface OpenLedgerParameters {
  /**
   * The network descriptor: the auditor reads only the contracts it names. Verify it against the root key you
   * trust, with `loadNetworkDescriptor` / `verifyNetworkDescriptor` or by passing `trustedRootKeys` here.
   */
  readonly descriptor: NetworkDescriptor;
  /** When given, the descriptor is verified against these root keys first (core's `DESCRIPTOR_*` codes). */
  readonly trustedRootKeys?: readonly string[];
  /** The ledger to read. Give a provider, or an `rpcUrl` (default: the descriptor's), not both. */
  readonly provider?: Provider;
  readonly rpcUrl?: string;
  /** Blocks per `eth_getLogs` request. Default 10,000 (Besu's `--rpc-max-logs-range` default is 5,000:
   * a refused range is halved automatically, up to 16 times smaller). */
  readonly logChunkSize?: number;
  /** Requests in flight at once (block times, view calls). Default 8. */
  readonly concurrency?: number;
  /** How long the opening checks may take before the ledger counts as unreachable. Default 10,000 ms. */
  readonly timeoutMs?: number;
}

/**
 * An opened, checked ledger: the descriptor's contracts on a provider whose chain id and contract code were
 * verified, with caches of block times and transaction senders (both immutable once final, so shared by every
 * report made with this object).
 */
export interface AuditLedger {
  readonly descriptor: NetworkDescriptor;
  readonly provider: Provider;
  readonly contracts: NetworkContractSet;
  readonly logChunkSize: number;
  readonly concurrency: number;
  /** The last of the deploy blocks: state as of an earlier block is incomplete. */
  readonly deployedAtBlock: number;
  /** The latest block number. */
  headBlock(): Promise<number>;
  /** `atBlock` checked against the deployment and the head, or the head when omitted. */
  resolveBlock(atBlock?: number): Promise<number>;
  /** The timestamp of each block, each fetched once for the life of this object. */
  blockTimestamps(blocks: Iterable<number>, onProgress?: ProgressListener): Promise<ReadonlyMap<number, number>>;
  /** The sending key of each transaction, each fetched once. */
  transactionSenders(hashes: Iterable<string>, onProgress?: ProgressListener): Promise<ReadonlyMap<string, string>>;
  /** Releases the provider if `openLedger` created it (from `rpcUrl`). */
  close(): void;
}

const DEFAULT_CHUNK = 10_000;
const DEFAULT_CONCURRENCY = 8;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Connects the auditor to a ledger and checks, before any report, that it is the descriptor's chain and that
 * each contract has the recorded runtime code. Throws `LEDGER_UNAVAILABLE`, `CHAIN_MISMATCH`,
 * `CONTRACT_MISSING` or `INVALID_ARGUMENT` (and core's `DESCRIPTOR_*` codes with `trustedRootKeys`).
 *
 * @example
 * ```ts
 * const descriptor = await loadNetworkDescriptor({ path: "network.json", trustedRootKeys: [rootKey] });
 * const ledger = await openLedger({ descriptor, rpcUrl: "http://127.0.0.1:8545" });
 * try { console.log(formatReport({ report: await getGovernanceChanges({ ledger }), format: "table" })); }
 * finally { ledger.close(); }
 * ```
 */
export async function openLedger(params: OpenLedgerParameters): Promise<AuditLedger> {
  const descriptor =
    params.trustedRootKeys === undefined
      ? params.descriptor
      : verifyNetworkDescriptor({ descriptor: params.descriptor, trustedRootKeys: params.trustedRootKeys });
  const logChunkSize = positiveInteger("logChunkSize", params.logChunkSize ?? DEFAULT_CHUNK);
  const concurrency = positiveInteger("concurrency", params.concurrency ?? DEFAULT_CONCURRENCY);
  const timeoutMs = positiveInteger("timeoutMs", params.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (params.provider !== undefined && params.rpcUrl !== undefined) {
    throw new AuditorError("INVALID_ARGUMENT", "give a provider or an rpcUrl, not both");
  }
  let provider: Provider;
  let owned = false;
  if (params.provider !== undefined) {
    provider = params.provider;
  } else {
    const url = params.rpcUrl ?? descriptor.rpcUrl;
    if (!/^(https?|wss?):\/\//.test(url)) {
      throw new AuditorError("INVALID_ARGUMENT", "no usable RPC URL: pass rpcUrl or a provider", {
        details: { rpcUrl: url },
      });
    }
    provider = createLedgerProvider({ rpcUrl: url, chainId: descriptor.chainId });
    owned = true;
  }
  try {
    await withTimeout("opening checks", timeoutMs, checkLedger(provider, descriptor));
  } catch (e) {
    if (owned) provider.destroy();
    throw e;
  }

  const contracts = connectContracts({ descriptor, runner: provider });
  const c = descriptor.contracts;
  const deployedAtBlock = Math.max(c.didRegistry.deployBlock, c.accreditationRegistry.deployBlock, c.statusRegistry.deployBlock);
  const times = new Map<number, Promise<number>>();
  const senders = new Map<string, Promise<string>>();

  const headBlock = () => ledgerCall("eth_blockNumber", {}, () => provider.getBlockNumber());

  const cached = async <K, V>(
    cache: Map<K, Promise<V>>,
    keys: Iterable<K>,
    fetch: (key: K) => Promise<V>,
    phase: "blocks" | "transactions",
    onProgress: ProgressListener | undefined,
  ): Promise<ReadonlyMap<K, V>> => {
    const get = (key: K): Promise<V> => {
      let p = cache.get(key);
      if (p === undefined) {
        p = fetch(key);
        cache.set(key, p);
        // A failed read is not remembered: a later report may retry it.
        p.catch(() => cache.delete(key));
      }
      return p;
    };
    const unique = [...new Set(keys)];
    const values = await mapLimit(unique, concurrency, get, (done) =>
      onProgress?.({ phase, done, total: unique.length }),
    );
    return new Map(unique.map((k, i) => [k, values[i] as V]));
  };

  return {
    descriptor,
    provider,
    contracts,
    logChunkSize,
    concurrency,
    deployedAtBlock,
    headBlock,
    resolveBlock: async (atBlock) => {
      const head = await headBlock();
      if (atBlock === undefined) return head;
      if (!Number.isSafeInteger(atBlock) || atBlock < deployedAtBlock || atBlock > head) {
        throw new AuditorError("BLOCK_OUT_OF_RANGE", "the block is not between the deployment and the head", {
          details: { atBlock, deployedAtBlock, head },
        });
      }
      return atBlock;
    },
    blockTimestamps: (blocks, onProgress) =>
      cached(
        times,
        blocks,
        async (n) => {
          const block = await ledgerCall("eth_getBlockByNumber", { block: n }, () => provider.getBlock(n));
          if (block === null) {
            throw new AuditorError("LEDGER_DATA_INVALID", "the ledger has no such block", { details: { block: n } });
          }
          return block.timestamp;
        },
        "blocks",
        onProgress,
      ),
    transactionSenders: (hashes, onProgress) =>
      cached(
        senders,
        hashes,
        async (hash) => {
          const tx = await ledgerCall("eth_getTransactionByHash", { hash }, () => provider.getTransaction(hash));
          if (tx === null) {
            throw new AuditorError("LEDGER_DATA_INVALID", "the ledger has no such transaction", { details: { hash } });
          }
          return tx.from;
        },
        "transactions",
        onProgress,
      ),
    close: () => {
      if (owned) provider.destroy();
    },
  };
}

/** chain's node/descriptor check (the one the verifier's readers run), its failures as auditor errors. */
async function checkLedger(provider: Provider, descriptor: NetworkDescriptor): Promise<void> {
  try {
    await checkNetwork(ledgerRpcOf(provider), descriptor);
  } catch (e) {
    if (!(e instanceof MobileIdError) || e instanceof AuditorError) throw e;
    const code = e.code === "CHAIN_MISMATCH" || e.code === "CONTRACT_MISSING" ? e.code : "LEDGER_UNAVAILABLE";
    throw new AuditorError(code, e.message, { details: e.details, cause: e.cause, ...(e.hint === undefined ? {} : { hint: e.hint }) });
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new AuditorError("INVALID_ARGUMENT", `${name} must be a positive integer`, { details: { [name]: value } });
  }
  return value;
}
