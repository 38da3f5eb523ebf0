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
export {
  type CreateOfferParameters,
  type CreateOpenid4vciIssuerParameters,
  type CreatedOffer,
  DEFAULT_OFFER_TTL_SECONDS,
  type Openid4vciIssuerEndpoints,
  PRE_AUTHORIZED_CODE_GRANT,
  type TokenResponse,
  createOpenid4vciIssuer,
} from "./openid4vci/createOpenid4vciIssuer.ts";
export {
  type CredentialIssuerMetadataParameters,
  OPENID4VCI_BATCH_SIZE,
  authorizationServerMetadata,
  credentialConfigurationId,
  credentialIssuerMetadata,
  parseCredentialConfigurationId,
} from "./openid4vci/credentialIssuerMetadata.ts";
export { Openid4vciError, Openid4vciErrorCode } from "./openid4vci/openid4vciError.ts";
export {
  type GrantView,
  type IssuedGrant,
  type IssuedOnGrant,
  type NonceResult,
  type OfferContent,
  type OfferStatus,
  type Openid4vciFormat,
  type Openid4vciStore,
  type Openid4vciStoreOptions,
  type RedeemFailure,
  type RedeemResult,
  createOpenid4vciStore,
} from "./openid4vci/openid4vciStore.ts";
