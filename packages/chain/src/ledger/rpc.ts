import { type ErrorDescription, type Interface, type Provider, keccak256, toQuantity } from "ethers";
import { MobileIdError, type NetworkDescriptor } from "@mobile-id/core";
import { quantity, type RawLog } from "./events.ts";
import type { LedgerHead, LedgerRpc } from "./types.ts";

/**
 * JSON-RPC helpers over {@link LedgerRpc}, shared by the RPC reader and the mirror. This file is the one seam
 * where the node's and ethers' error shapes are translated into ours.
 */

export function unavailable(message: string, cause?: unknown, details?: Record<string, unknown>): MobileIdError {
  return new MobileIdError("LEDGER_UNAVAILABLE", message, {
    ...(cause === undefined ? {} : { cause }),
    ...(details === undefined ? {} : { details }),
    hint: "check that the ledger node is running and reachable",
  });
}

function isHex(value: unknown): value is string {
  return typeof value === "string" && /^0x[0-9a-fA-F]*$/.test(value);
}

/** The block as `eth_getBlockByNumber` returns it, reduced to what we use. */
export async function getBlock(rpc: LedgerRpc, tag: "latest" | number): Promise<LedgerHead> {
  const block = (await rpc.send("eth_getBlockByNumber", [typeof tag === "number" ? quantity(tag) : tag, false])) as {
    number?: unknown;
    hash?: unknown;
    timestamp?: unknown;
  } | null;
  if (block === null || !isHex(block.number) || !isHex(block.hash) || !isHex(block.timestamp)) {
    throw unavailable(`the node returned no usable block for ${String(tag)}`);
  }
  return { blockNumber: Number(BigInt(block.number)), blockHash: block.hash.toLowerCase(), timestamp: Number(BigInt(block.timestamp)) };
}

/** `eth_getLogs`, checked for shape. */
export async function getLogs(
  rpc: LedgerRpc,
  filter: { address: string | readonly string[]; topics?: readonly (string | readonly string[] | null)[]; fromBlock: number; toBlock: number },
): Promise<RawLog[]> {
  const result = await rpc.send("eth_getLogs", [
    {
      address: filter.address,
      ...(filter.topics === undefined ? {} : { topics: filter.topics }),
      fromBlock: quantity(filter.fromBlock),
      toBlock: quantity(filter.toBlock),
    },
  ]);
  if (!Array.isArray(result)) throw unavailable("eth_getLogs did not return an array");
  for (const log of result as RawLog[]) {
    if (
      log === null ||
      typeof log !== "object" ||
      !isHex(log.blockNumber) ||
      !isHex(log.logIndex) ||
      !isHex(log.data) ||
      !isHex(log.blockHash) ||
      !Array.isArray(log.topics)
    ) {
      throw unavailable("eth_getLogs returned a malformed log");
    }
    if (log.removed === true) throw unavailable("eth_getLogs returned a removed log (reorganisation)");
  }
  return result as RawLog[];
}

/** Logs over [from, to] in ranges of at most `maxRange` blocks, fetched in parallel, in chain order. */
export async function getLogsChunked(
  rpc: LedgerRpc,
  filter: { address: string | readonly string[]; topics?: readonly (string | readonly string[] | null)[] },
  fromBlock: number,
  toBlock: number,
  maxRange: number,
): Promise<RawLog[]> {
  if (toBlock < fromBlock) return [];
  const ranges: [number, number][] = [];
  for (let from = fromBlock; from <= toBlock; from += maxRange) ranges.push([from, Math.min(toBlock, from + maxRange - 1)]);
  const parts = await Promise.all(ranges.map(([from, to]) => getLogs(rpc, { ...filter, fromBlock: from, toBlock: to })));
  return parts.flat();
}

/** The outcome of an `eth_call`: the return data, or the revert decoded against `iface` (if it decodes). */
export type CallOutcome =
  | { readonly ok: true; readonly data: string }
  | { readonly ok: false; readonly error: ErrorDescription | null; readonly data: string };

/** Finds revert data in a thrown error: ethers' CALL_EXCEPTION (`data`) or a raw JSON-RPC error (`data`). */
function revertData(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): string | undefined => {
    if (x === null || typeof x !== "object" || depth > 4 || seen.has(x)) return undefined;
    seen.add(x);
    const o = x as Record<string, unknown>;
    if (isHex(o["data"]) && (o["data"] as string).length >= 10) return o["data"] as string;
    for (const k of ["data", "error", "info", "cause"]) {
      const found = visit(o[k], depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(e, 0);
}

/**
 * `eth_call` of `iface.method(args)` on `to` at `block`. A revert with data comes back as a value (the caller
 * decides whether it means "unknown"); anything else (connection refused, timeouts, a revert without data)
 * throws `LEDGER_UNAVAILABLE`.
 */
export async function call(
  rpc: LedgerRpc,
  iface: Interface,
  to: string,
  method: string,
  args: readonly unknown[],
  block: number,
): Promise<CallOutcome> {
  const data = iface.encodeFunctionData(method, args);
  let result: unknown;
  try {
    result = await rpc.send("eth_call", [{ to, data }, quantity(block)]);
  } catch (e) {
    const revert = revertData(e);
    if (revert !== undefined) {
      let error: ErrorDescription | null = null;
      try {
        error = iface.parseError(revert);
      } catch {
        error = null;
      }
      return { ok: false, error, data: revert };
    }
    throw unavailable(`eth_call ${method} failed`, e);
  }
  if (!isHex(result)) throw unavailable(`eth_call ${method} returned no data`);
  return { ok: true, data: result };
}

/**
 * Checks that the node serves the descriptor's chain and contracts (chain id and runtime code hashes), so that
 * a reader or writer pointed at the wrong node refuses to start instead of trusting whatever answers. The one
 * node/descriptor check: the verifier's readers, the issuer and the auditor all call it. Throws
 * `LEDGER_UNAVAILABLE`, `CHAIN_MISMATCH` or `CONTRACT_MISSING`.
 *
 * @example
 * ```ts
 * await checkNetwork(ledgerRpcOf(provider), descriptor);
 * ```
 */
export async function checkNetwork(
  rpc: LedgerRpc,
  descriptor: Pick<NetworkDescriptor, "chainId" | "contracts">,
): Promise<void> {
  let chainId: unknown;
  let codes: unknown[];
  const contracts = Object.entries(descriptor.contracts);
  try {
    [chainId, ...codes] = await Promise.all([
      rpc.send("eth_chainId", []),
      ...contracts.map(([, ref]) => rpc.send("eth_getCode", [ref.address, "latest"])),
    ]);
  } catch (cause) {
    throw unavailable("cannot reach the ledger node", cause);
  }
  if (!isHex(chainId) || BigInt(chainId) !== BigInt(descriptor.chainId)) {
    throw new MobileIdError("CHAIN_MISMATCH", "the ledger node serves another chain than the descriptor's", {
      details: { node: chainId, descriptor: descriptor.chainId },
      hint: "point it at a node of the network the descriptor describes",
    });
  }
  contracts.forEach(([name, ref], i) => {
    const code = codes[i];
    if (!isHex(code) || code === "0x" || keccak256(code) !== ref.codeHash) {
      throw new MobileIdError("CONTRACT_MISSING", `the ${name} contract on the node is not the descriptor's`, {
        details: { name, address: ref.address, expectedCodeHash: ref.codeHash, found: isHex(code) && code !== "0x" ? keccak256(code) : null },
        hint: "the descriptor belongs to another deployment, or the node is not synchronised",
      });
    }
  });
}

/**
 * The JSON-RPC transport of an ethers provider: its own `send` when it has one (a `JsonRpcProvider`), else the
 * two reads {@link checkNetwork} needs answered through the provider's methods.
 *
 * @example
 * ```ts
 * await checkNetwork(ledgerRpcOf(provider), descriptor);
 * ```
 */
export function ledgerRpcOf(provider: Provider): LedgerRpc {
  const withSend = provider as Provider & { send?: unknown };
  if (typeof withSend.send === "function") {
    return { send: (method, params) => (withSend.send as LedgerRpc["send"]).call(provider, method, params) };
  }
  return {
    send: async (method, params) => {
      if (method === "eth_chainId") return toQuantity((await provider.getNetwork()).chainId);
      if (method === "eth_getCode") return provider.getCode(params[0] as string, params[1] as string);
      throw unavailable(`the provider cannot answer ${method}`);
    },
  };
}
