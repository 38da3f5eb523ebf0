import type { NetworkContracts } from "@mobile-id/core";
import { Contract, type Provider, ZeroHash } from "ethers";
import { accreditationRegistryAbi } from "../generated/contracts.ts";
import { type RawLog, accreditationRegistryInterface } from "../ledger/events.ts";

/**
 * The logs the registries' constructors would have emitted, for a network whose contracts were placed in the
 * genesis block's `alloc` (`mid network init`) rather than deployed: no transaction ran the constructors, so
 * `RootTransferred(0, root)` and the root's `PartyRegistered` exist only as state. Rebuilt here from that state
 * at block 0 (the genesis state is the network's axiom, vouched for by the signed descriptor's code hashes), in
 * the order the constructors emit them, with a zero transaction hash. Empty when the accreditation registry was
 * deployed by a transaction (`deployBlock > 0`): its real logs are on the chain.
 *
 * Readers that replay events from the deployment block (the auditor's reports and consistency check) put these
 * in front of what `eth_getLogs` returns for block 0.
 *
 * @example
 * ```ts
 * const logs = await genesisConstructorLogs(provider, descriptor.contracts);
 * const events = logs.map((log) => decodeLedgerLog(log, addresses));
 * ```
 */
export async function genesisConstructorLogs(provider: Provider, contracts: NetworkContracts): Promise<RawLog[]> {
  const registry = contracts.accreditationRegistry;
  if (registry.deployBlock !== 0) return [];
  const contract = new Contract(registry.address, accreditationRegistryAbi, provider);
  const [root, block] = await Promise.all([
    contract.getFunction("root").staticCall({ blockTag: 0 }) as Promise<string>,
    provider.getBlock(0),
  ]);
  const blockHash = block?.hash;
  if (blockHash === undefined || blockHash === null) throw new Error("the node has no genesis block");
  const party = (await contract.getFunction("party").staticCall(root, { blockTag: 0 })) as {
    identity: string;
    id: bigint;
    role: bigint;
    registeredBy: string;
    name: string;
  };
  const at = (logIndex: number) => ({ address: registry.address, blockNumber: 0, blockHash, logIndex, transactionHash: ZeroHash });
  const encoded = [
    accreditationRegistryInterface.encodeEventLog("RootTransferred", ["0x0000000000000000000000000000000000000000", root]),
    accreditationRegistryInterface.encodeEventLog("PartyRegistered", [party.identity, party.id, party.registeredBy, party.role, party.name]),
  ];
  return encoded.map((log, i) => ({ ...at(i), topics: log.topics, data: log.data }));
}
