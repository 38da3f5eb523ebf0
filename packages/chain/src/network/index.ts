/** `mid network init` and `mid network allowlist`: a Besu QBFT network's files, and its account allowlist. */
export {
  type AccountAllowlist,
  type AllowlistEntry,
  type AllowlistReason,
  type GovernanceLogEvent,
  deriveAccountAllowlist,
  readAccountAllowlist,
} from "./accountAllowlist.ts";
export { type ApplyAccountAllowlistParameters, type NodeAllowlistChange, applyAccountAllowlist } from "./applyAccountAllowlist.ts";
export { BESU_MAX_TRANSACTION_BYTES } from "./besuLimits.ts";
export { GENESIS_DEPLOYER } from "./computeGenesisAlloc.ts";
export {
  type CreateBesuNetworkFilesParameters,
  type CreateBesuNetworkFilesReturnType,
  type NetworkFile,
  createBesuNetworkFiles,
  devNetworkKeys,
} from "./createBesuNetworkFiles.ts";
export {
  type BesuGenesis,
  type CreateQbftGenesisParameters,
  type CreateQbftGenesisReturnType,
  DEFAULT_GAS_LIMIT,
  MIN_GAS_LIMIT,
  createQbftGenesis,
} from "./createQbftGenesis.ts";
export { genesisConstructorLogs } from "./genesisLogs.ts";
export { GENESIS_CONTRACTS, type GenesisContractSpec } from "./genesisContracts.ts";
export { type QbftExtraData, decodeQbftExtraData, encodeQbftExtraData } from "./qbftExtraData.ts";
export { type BesuNodeIdentity, parseNodeIdentity } from "./validatorKeys.ts";
