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
export {
  type BootstrapRelyingPartiesParameters,
  type BootstrapRelyingParty,
  bootstrapRelyingParties,
} from "./relyingParties/bootstrapRelyingParties.ts";
export {
  type ChangeRelyingPartyStandingParameters,
  type RelyingPartyStandingAction,
  changeRelyingPartyStanding,
} from "./relyingParties/changeRelyingPartyStanding.ts";
export { type CreateRelyingPartyReaderParameters, createRelyingPartyReader } from "./relyingParties/createRelyingPartyReader.ts";
export {
  type RegisterRelyingPartyParameters,
  type RelyingPartyTypeClaims,
  registerRelyingParty,
} from "./relyingParties/registerRelyingParty.ts";
export { type SetRelyingPartyClaimsParameters, setRelyingPartyClaims } from "./relyingParties/setRelyingPartyClaims.ts";
export type { PermittedClaims, RelyingPartyLedger, RelyingPartyRegistration } from "./relyingParties/types.ts";
export {
  type LedgerNode,
  type StartLedgerNodeParameters,
  anvilBinary,
  startLedgerNode,
  stateIntervalFor,
} from "./startLedgerNode.ts";
export {
  type KeepLedgerStateCopiesParameters,
  type LedgerStateCopier,
  type RestoreLedgerStateParameters,
  keepLedgerStateCopies,
  ledgerStateFiles,
  restoreLedgerState,
} from "./stateFile/ledgerStateFile.ts";
export {
  type CopyStateFileOutcome,
  type RestoreStateFileReturnType,
  copyCompleteStateFile,
  readStateSignature,
  restoreStateFile,
} from "./stateFile/copyStateFile.ts";
export { type JsonDocumentScan, createJsonDocumentScan, isCompleteJsonFile } from "./stateFile/scanJsonDocument.ts";
export {
  accreditationRegistryAbi,
  accreditationRegistryBytecode,
  didRegistryAbi,
  didRegistryBytecode,
  relyingPartyRegistryAbi,
  relyingPartyRegistryBytecode,
  statusRegistryAbi,
  statusRegistryBytecode,
} from "./generated/contracts.ts";
export {
  type JournaledWrite,
  type LedgerWriteJournal,
  type RecoverJournaledWritesReturnType,
  openLedgerWriteJournal,
  recoverJournaledWrites,
  watchLedgerWriteJournal,
} from "./journal/ledgerWriteJournal.ts";
export {
  type JournalPassResult,
  type JournalWatchStatus,
  type JournalWatcher,
  type WatchJournalPassesParameters,
  watchJournalPasses,
} from "./journal/journalWatcher.ts";
export {
  type LedgerHeadProbe,
  MAX_QUIET_MS,
  type ObservedLedgerHead,
  type QuietPassGate,
  createQuietPassGate,
  mirrorHeadProbe,
} from "./journal/quietPasses.ts";
export { type SendTransactionParameters, sendTransaction } from "./sendTransaction.ts";
export { type LedgerFailure, describeLedgerError, translateLedgerError } from "./ledgerError.ts";
export {
  type PreparedTransaction,
  type SettleTransactionSettings,
  type TransactionFate,
  prepareTransaction,
  settleTransaction,
  transactionData,
} from "./signedTransaction.ts";
export { ZERO_ADDRESS, bytes32FromText, checksumAddress, isAddress, isBytes32Hex } from "./address.ts";
export { type Secp256k1Key, secp256k1Key } from "./secp256k1Key.ts";
/** The ethers types that appear in this package's API, so that its users need no ethers import of their own. */
export type { Contract, Interface, Provider, Signer, TransactionReceipt } from "ethers";
export {
  ACCREDITATION_STATUS_NAMES,
  AccreditationStatus,
  type AccreditationStatusName,
  PARTY_ROLE_NAMES,
  type PartyRoleName,
  STATUS_PURPOSE_NAMES,
  type StatusPurposeName,
  type AccreditationStanding,
  type CredentialTypeRecord,
  type IdentityAttribute,
  type ResolverKeyCounter,
  type IdentityDelegate,
  type IdentityState,
  type LedgerFacts,
  type LedgerFreshness,
  type LedgerHead,
  type LedgerQuery,
  type LedgerReader,
  type LedgerRpc,
  PartyRole,
  type StandingTime,
  type StatusEntryFact,
  type StatusListInfo,
  StatusPurpose,
} from "./ledger/types.ts";
export { ledgerTransportError } from "./ledger/ledgerTransportError.ts";
export {
  type ContractKey,
  type LedgerEvent,
  type LedgerEventKind,
  type LogLocation,
  type RawLog,
  UndecodableLogError,
  accreditationRegistryInterface,
  addressTopic,
  decodeLedgerLog,
  didRegistryInterface,
  eventTopic,
  statusRegistryInterface,
  uintTopic,
} from "./ledger/events.ts";
export { type AccreditationRecord, AccreditationBook, type AccreditationVersion } from "./ledger/accreditationState.ts";
export {
  MAX_BATCH_WORDS,
  StatusListBook,
  type StatusWriteEffect,
  type WordMasks,
  fromWordMasks,
  popcount,
  toWordMasks,
  wordsToBytes,
} from "./ledger/statusBits.ts";
export { checkNetwork, ledgerRpcOf } from "./ledger/rpc.ts";
export { type CreateLedgerProviderParameters, createLedgerProvider } from "./ledger/createLedgerProvider.ts";
export {
  DEFAULT_MAX_EVENTS_PER_IDENTITY,
  DEFAULT_MAX_LOG_BYTES_PER_IDENTITY,
  RpcLedgerReader,
  type RpcLedgerReaderParameters,
} from "./ledger/RpcLedgerReader.ts";
export {
  LedgerMirror,
  type LedgerMirrorParameters,
  type LedgerMirrorStatus,
  type MirrorReplayRecord,
  type MirrorStateExport,
} from "./ledger/LedgerMirror.ts";
export {
  MIRROR_SNAPSHOT_VERSION,
  type MirrorSnapshotWriter,
  type MirrorSnapshotWriterParameters,
  type SnapshotLoadResult,
  SnapshotRefusedError,
  decodeMirrorSnapshot,
  descriptorFingerprint,
  encodeMirrorSnapshot,
  loadMirrorSnapshot,
  startMirrorSnapshotWriter,
  writeFileAtomic,
  writeFileAtomicAsync,
} from "./ledger/mirrorSnapshot.ts";
export { type CreateFetchLedgerRpcParameters, JsonRpcResponseError, createFetchLedgerRpc } from "./ledger/createFetchLedgerRpc.ts";
export { foldIdentityEvents, untouchedIdentity } from "./ledger/identityState.ts";
export { type CreateEthrDidResolverParameters, createEthrDidResolver } from "./ledger/ethrDidResolver.ts";
export {
  type AccountAllowlist,
  type AllowlistEntry,
  type AllowlistReason,
  type ApplyAccountAllowlistParameters,
  BESU_MAX_TRANSACTION_BYTES,
  type BesuGenesis,
  type BesuNodeIdentity,
  type CreateBesuNetworkFilesParameters,
  type CreateBesuNetworkFilesReturnType,
  type CreateQbftGenesisParameters,
  type CreateQbftGenesisReturnType,
  DEFAULT_GAS_LIMIT,
  GENESIS_CONTRACTS,
  GENESIS_DEPLOYER,
  type GenesisContractSpec,
  type GovernanceLogEvent,
  MIN_GAS_LIMIT,
  type NetworkFile,
  type NodeAllowlistChange,
  type QbftExtraData,
  applyAccountAllowlist,
  createBesuNetworkFiles,
  createQbftGenesis,
  decodeQbftExtraData,
  deriveAccountAllowlist,
  devNetworkKeys,
  encodeQbftExtraData,
  parseNodeIdentity,
  genesisConstructorLogs,
  readAccountAllowlist,
} from "./network/index.ts";
