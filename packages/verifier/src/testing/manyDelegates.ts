import { createRequire } from "node:module";
import { Interface, type JsonRpcProvider, encodeBytes32String } from "ethers";

const didRegistry = new Interface([
  "function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity)",
  "function changeOwner(address identity, address newOwner)",
]);

/**
 * A test-only batcher: while it owns an identity in the ERC-1056 registry it adds delegates by the thousand
 * in one transaction, then hands the identity back to itself. Compiled here with the project's solc (wasm), so
 * that no test contract joins the ledger's build.
 */
const BATCHER_SOURCE = `// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;
interface IRegistry {
    function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity) external;
    function changeOwner(address identity, address newOwner) external;
}
contract DelegateBatcher {
    function add(IRegistry registry, address identity, bytes32 delegateType, address[] calldata delegates, uint256 validity) external {
        for (uint256 i = 0; i < delegates.length; ++i) registry.addDelegate(identity, delegateType, delegates[i], validity);
    }
    function handBack(IRegistry registry, address identity) external {
        registry.changeOwner(identity, identity);
    }
}`;

const batcher = new Interface([
  "function add(address registry, address identity, bytes32 delegateType, address[] delegates, uint256 validity)",
  "function handBack(address registry, address identity)",
]);

let bytecode: string | undefined;
function batcherBytecode(): string {
  if (bytecode !== undefined) return bytecode;
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const out = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "DelegateBatcher.sol": { content: BATCHER_SOURCE } },
        settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["evm.bytecode.object"] } } },
      }),
    ),
  ) as { errors?: { severity: string; message: string }[]; contracts: Record<string, Record<string, { evm: { bytecode: { object: string } } }>> };
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`DelegateBatcher: ${errors.map((e) => e.message).join("; ")}`);
  bytecode = `0x${out.contracts["DelegateBatcher.sol"]?.["DelegateBatcher"]?.evm.bytecode.object ?? ""}`;
  return bytecode;
}

export interface AddManyDelegatesParameters {
  /** A provider on an anvil node (the `anvil_*` / `evm_*` methods are used). */
  readonly provider: JsonRpcProvider;
  /** The ERC-1056 registry's address. */
  readonly registry: string;
  /** The identity that gets the delegates; it must own itself (it is impersonated, no key needed). */
  readonly identity: string;
  readonly delegates: readonly string[];
  readonly delegateType: "sigAuth" | "veriKey";
  /** Seconds of validity. Default one year. */
  readonly validity?: number;
}

/**
 * Test support: gives an identity many ERC-1056 delegates fast, on an anvil node. The identity (impersonated)
 * hands itself to a batcher contract, which adds the delegates 1,000 per transaction and hands the identity
 * back; every transaction lands in one block (automining paused, block gas limit raised). The identity ends
 * with `delegates.length + 2` registry events and owns itself again.
 *
 * @example
 * ```ts
 * await addManyDelegates({ provider, registry, identity, delegates, delegateType: "sigAuth" });
 * ```
 */
export async function addManyDelegates(params: AddManyDelegatesParameters): Promise<void> {
  const { provider, registry, identity, delegates } = params;
  const type = encodeBytes32String(params.delegateType);
  const validity = params.validity ?? 365 * 24 * 3600;
  const [from] = (await provider.send("eth_accounts", [])) as string[];
  if (from === undefined) throw new Error("addManyDelegates: the node has no unlocked account");
  const tx = async (sender: string, to: string | undefined, data: string, gas: bigint): Promise<string> =>
    (await provider.send("eth_sendTransaction", [
      { from: sender, ...(to === undefined ? {} : { to }), data, gas: `0x${gas.toString(16)}`, gasPrice: "0x0" },
    ])) as string;
  type Receipt = { status: string; contractAddress: string | null };
  const receipt = async (hash: string): Promise<Receipt> => {
    // anvil may answer eth_sendTransaction a moment before the automined block is queryable.
    for (let attempt = 0; attempt < 100; attempt++) {
      const r = (await provider.send("eth_getTransactionReceipt", [hash])) as Receipt | null;
      if (r !== null) {
        if (r.status !== "0x1") throw new Error(`addManyDelegates: transaction ${hash} failed`);
        return r;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`addManyDelegates: transaction ${hash} was not mined`);
  };

  const deployed = await receipt(await tx(from, undefined, batcherBytecode(), 1_000_000n));
  const contract = deployed.contractAddress as string;
  const block = (await provider.send("eth_getBlockByNumber", ["latest", false])) as { gasLimit: string };
  const CHUNK = 1_000;
  const perChunk = BigInt(CHUNK) * 40_000n;
  await provider.send("anvil_impersonateAccount", [identity]);
  await provider.send("evm_setAutomine", [false]);
  await provider.send("evm_setBlockGasLimit", [`0x${(perChunk * BigInt(Math.ceil(delegates.length / CHUNK) + 1)).toString(16)}`]);
  const hashes: string[] = [];
  try {
    hashes.push(await tx(identity, registry, didRegistry.encodeFunctionData("changeOwner", [identity, contract]), 100_000n));
    for (let start = 0; start < delegates.length; start += CHUNK) {
      const data = batcher.encodeFunctionData("add", [registry, identity, type, delegates.slice(start, start + CHUNK), validity]);
      hashes.push(await tx(from, contract, data, perChunk));
    }
    hashes.push(await tx(from, contract, batcher.encodeFunctionData("handBack", [registry, identity]), 100_000n));
    await provider.send("evm_mine", []);
  } finally {
    await provider.send("evm_setAutomine", [true]);
    await provider.send("evm_setBlockGasLimit", [block.gasLimit]);
    await provider.send("anvil_stopImpersonatingAccount", [identity]);
  }
  for (const h of hashes) await receipt(h);
}
