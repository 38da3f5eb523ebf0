import { Contract, type ContractRunner } from "ethers";
import type { NetworkDescriptor } from "@mobile-id/core";
import { accreditationRegistryAbi, didRegistryAbi, relyingPartyRegistryAbi, statusRegistryAbi } from "./generated/contracts.ts";

/** The contracts of a network, as ethers `Contract`s bound to one runner (provider or signer). */
export interface NetworkContractSet {
  readonly didRegistry: Contract;
  readonly accreditationRegistry: Contract;
  readonly statusRegistry: Contract;
  readonly relyingPartyRegistry: Contract;
}

/**
 * Binds the descriptor's contracts to `runner`.
 *
 * @example
 * ```ts
 * const { statusRegistry } = connectContracts({ descriptor, runner: provider });
 * ```
 */
export function connectContracts(params: {
  readonly descriptor: Pick<NetworkDescriptor, "contracts">;
  readonly runner: ContractRunner;
}): NetworkContractSet {
  const { contracts } = params.descriptor;
  return {
    didRegistry: new Contract(contracts.didRegistry.address, didRegistryAbi, params.runner),
    accreditationRegistry: new Contract(
      contracts.accreditationRegistry.address,
      accreditationRegistryAbi,
      params.runner,
    ),
    statusRegistry: new Contract(contracts.statusRegistry.address, statusRegistryAbi, params.runner),
    relyingPartyRegistry: new Contract(contracts.relyingPartyRegistry.address, relyingPartyRegistryAbi, params.runner),
  };
}
