import type { InterfaceAbi } from "ethers";
import type { NetworkContracts } from "@mobile-id/core";
import {
  accreditationRegistryAbi,
  accreditationRegistryBytecode,
  didRegistryAbi,
  didRegistryBytecode,
  relyingPartyRegistryAbi,
  relyingPartyRegistryBytecode,
  statusRegistryAbi,
  statusRegistryBytecode,
} from "../generated/contracts.ts";

/** What a contract's constructor may depend on: the root and the contracts placed before it. */
export interface GenesisContractContext {
  readonly root: string;
  readonly rootName: string;
  readonly rootTransferDelay: number;
  /** Addresses of the contracts listed before this one. */
  readonly addresses: Readonly<Partial<Record<keyof NetworkContracts, string>>>;
}

/** One contract of the network, as genesis places it. */
export interface GenesisContractSpec {
  readonly name: keyof NetworkContracts;
  readonly abi: InterfaceAbi;
  readonly bytecode: string;
  readonly args: (ctx: GenesisContractContext) => readonly unknown[];
}

const addressOf = (ctx: GenesisContractContext, name: keyof NetworkContracts): string => {
  const a = ctx.addresses[name];
  // The list below is ordered so that this cannot happen; a new entry placed too early fails loudly here.
  if (a === undefined) throw new Error(`genesis contract order: ${name} must come earlier in GENESIS_CONTRACTS`);
  return a;
};

/**
 * The network's contracts, in deployment order (a contract's constructor may name only those before it). This is
 * the one list `mid network init` places in the genesis `alloc`: adding a contract to the network is one entry.
 *
 * @example
 * ```ts
 * for (const c of GENESIS_CONTRACTS) console.log(c.name);
 * ```
 */
export const GENESIS_CONTRACTS: readonly GenesisContractSpec[] = [
  { name: "didRegistry", abi: didRegistryAbi, bytecode: didRegistryBytecode, args: () => [] },
  {
    name: "accreditationRegistry",
    abi: accreditationRegistryAbi,
    bytecode: accreditationRegistryBytecode,
    args: (c) => [addressOf(c, "didRegistry"), c.root, c.rootName, c.rootTransferDelay],
  },
  {
    name: "statusRegistry",
    abi: statusRegistryAbi,
    bytecode: statusRegistryBytecode,
    args: (c) => [addressOf(c, "didRegistry"), addressOf(c, "accreditationRegistry")],
  },
  {
    name: "relyingPartyRegistry",
    abi: relyingPartyRegistryAbi,
    bytecode: relyingPartyRegistryBytecode,
    args: (c) => [addressOf(c, "accreditationRegistry")],
  },
];
