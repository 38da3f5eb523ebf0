export {
  type BootstrapAccreditor,
  type BootstrapIssuer,
  type BootstrapNetworkParameters,
  type BootstrapNetworkReturnType,
  Role,
  bootstrapNetwork,
} from "./bootstrapNetwork.ts";
export { type NetworkContractSet, connectContracts } from "./contracts.ts";
export {
  type ContractName,
  type DeployNetworkParameters,
  type DeployNetworkReturnType,
  deployNetwork,
} from "./deployNetwork.ts";
export { DEV_MNEMONIC, devRoster, type DevRoster } from "./devRoster.ts";
export { type LedgerNode, type StartLedgerNodeParameters, anvilBinary, startLedgerNode } from "./startLedgerNode.ts";
export {
  accreditationRegistryAbi,
  accreditationRegistryBytecode,
  didRegistryAbi,
  didRegistryBytecode,
  statusRegistryAbi,
  statusRegistryBytecode,
} from "./generated/contracts.ts";
export { type SendTransactionParameters, sendTransaction, translateLedgerError } from "./sendTransaction.ts";
