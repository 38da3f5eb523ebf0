/**
 * @mobile-id/issuer: what a university or a licensing office runs to issue, revoke, suspend and reinstate
 * mobile ID credentials.
 */
export { type CreateIssuerParameters, type Issuer, createIssuer } from "./createIssuer.ts";
export { type IssuerJwtSigner, createJwtSigner } from "./createJwtSigner.ts";
export {
  type IssuerError,
  IssuerErrorCode,
  type IssuerFailureCode,
} from "./errors.ts";
export type { IssueCredentialParameters, IssuedCredential } from "./issueCredential.ts";
export {
  DEFAULT_SD_JWT_VC_COPIES,
  type IssueSdJwtVcBatchParameters,
  type IssuedSdJwtVcBatch,
  MAX_SD_JWT_VC_COPIES,
  jwkThumbprintUri,
  statusListUriOf,
} from "./issueSdJwtVcBatch.ts";
export { type StatusListTokenParameters, TokenStatus, tokenStatusList } from "./statusListToken.ts";
export type { ChangeStatusParameters, ChangeStatusResult, StatusTransaction } from "./changeCredentialStatus.ts";
export type {
  CredentialDetails,
  CredentialPage,
  CredentialRecord,
  ListCredentialsParameters,
} from "./listCredentials.ts";
export type {
  AdoptStatusListsParameters,
  EnsureStatusListsParameters,
  EnsureStatusListsResult,
  SetListOperatorParameters,
  StatusListPairInfo,
} from "./provisionStatusLists.ts";
export type { ReconcileParameters, ReconcileResult, StatusCorrection, StatusDiscrepancy } from "./reconcileWithLedger.ts";
export type { JournalWatchStatus, JournalWatcher, WatchJournalParameters } from "./watchJournal.ts";
export type { RecoveredOperation } from "./recoverLostWrite.ts";
export type { OperatorDiscrepancy, OperatorRestoration } from "./restoreListOperators.ts";
export type { LedgerOpOutcome } from "./resolveLedgerOp.ts";
export {
  type CreateHolderIndexParameters,
  DEFAULT_HOLDER_RETENTION_SECONDS,
  type FindHoldersParameters,
  type HolderEntry,
  type HolderIndex,
  HolderIndexErrorCode,
  type RecordHolderParameters,
  createHolderIndex,
} from "./holders/createHolderIndex.ts";
export type { HolderCredential, HolderMatch } from "./holders/findHolders.ts";
export { type HolderFacts, MAX_THUMBNAIL_BYTES, REFERENCE_CLAIMS, holderFactsOf, normalizeName, normalizeReference, portraitThumbnail } from "./holders/holderFacts.ts";
export type { CredentialStatus, StatusAction, StatusHistoryRow } from "./store/createIssuanceStore.ts";
/** The `credentialStatus` of an issued credential (core's one writer, `createMobileIdStatusEntry`, makes it). */
export type { MobileIdStatusEntry } from "@mobile-id/core";
export {
  type AllocatedEntry,
  type StatusIndexAllocator,
  type Uint32Source,
  createStatusIndexAllocator,
  cryptoUint32Source,
} from "./statusIndexAllocator.ts";
export { MAX_BATCH_WORDS, type WordMasks, fromWordMasks, toWordMasks } from "@mobile-id/chain";
