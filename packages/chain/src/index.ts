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
export { type SendTransactionParameters, sendTransaction, translateLedgerError } from "./sendTransaction.ts";
export {
  AccreditationStatus,
  type AccreditationStanding,
  type CredentialTypeRecord,
  type IdentityAttribute,
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
  DEFAULT_MAX_EVENTS_PER_IDENTITY,
  DEFAULT_MAX_LOG_BYTES_PER_IDENTITY,
  RpcLedgerReader,
  type RpcLedgerReaderParameters,
} from "./ledger/RpcLedgerReader.ts";
export { LedgerMirror, type LedgerMirrorParameters, type LedgerMirrorStatus } from "./ledger/LedgerMirror.ts";
export { type CreateFetchLedgerRpcParameters, JsonRpcResponseError, createFetchLedgerRpc } from "./ledger/createFetchLedgerRpc.ts";
export { foldIdentityEvents, untouchedIdentity } from "./ledger/identityState.ts";
export { type CreateEthrDidResolverParameters, createEthrDidResolver } from "./ledger/ethrDidResolver.ts";
