/**
 * The wallet for browsers: the same code as the package's main entry (same at-rest envelope, same KDF floor,
 * same presentation rules), minus what needs Node or a ledger connection: `fileWalletStorage` (the browser app
 * brings an IndexedDB `WalletStorage`) and `rotateKey`. The low-level envelope and KDF pieces are exported too,
 * so that the browser's storage can be checked against the format byte for byte.
 *
 * Every module re-exported here imports `@mobile-id/core`; a browser bundle points that import at
 * `@mobile-id/core/browser` (see `packages/web/vite.config.ts`).
 *
 * @example
 * ```ts
 * import { createWallet, openWallet } from "@mobile-id/wallet/browser";
 * const wallet = await createWallet({ storage: indexedDbWalletStorage(), passphrase, chainId: 31337 });
 * ```
 */
export { type ChangePassphraseParameters, changePassphrase } from "./changePassphrase.ts";
export { type CreatePresentationParameters, type CreatePresentationReturnType, PRESENTATION_TTL_SECONDS, createPresentation } from "./createPresentation.ts";
export { type CreateWalletParameters, type CreateWalletReturnType, createWallet } from "./createWallet.ts";
export { type CredentialDetails, type CredentialSummary, type CredentialValidity } from "./credentialViews.ts";
export { ENVELOPE_MAGIC, ENVELOPE_VERSION, EnvelopeKind, type EnvelopeHeader, openEnvelope, readEnvelopeHeader, sealEnvelope } from "./envelope.ts";
export { WalletError, WalletErrorCode } from "./errors.ts";
export { type ExportBackupParameters, type ExportBackupReturnType, exportBackup } from "./exportBackup.ts";
export {
  type CredentialVerificationResult,
  type CredentialVerifier,
  type ImportCredentialParameters,
  type ImportCredentialReturnType,
  importCredential,
} from "./importCredential.ts";
export { type ImportBackupParameters, type ImportBackupReturnType, importBackup } from "./importBackup.ts";
export {
  DEFAULT_KDF_COST,
  type DerivedKeys,
  type KdfFloor,
  MIN_PASSPHRASE_LENGTH,
  PRODUCTION_KDF_FLOOR,
  type ScryptCost,
  type ScryptParameters,
  deriveKeys,
} from "./kdf.ts";
export { type ListCredentialsParameters, type ListCredentialsReturnType, listCredentials } from "./listCredentials.ts";
export { type OpenWalletParameters, type OpenWalletReturnType, openWallet } from "./openWallet.ts";
export { MAX_CREDENTIAL_BYTES, type ParseCredentialJwtResult, type ParsedCredential, parseCredentialJwt } from "./parseCredentialJwt.ts";
export {
  CHALLENGE_BYTES,
  type ParsePresentationRequestParameters,
  type ParsePresentationRequestResult,
  type PresentationRequest,
  parsePresentationRequest,
} from "./parsePresentationRequest.ts";
export { type PreparePresentationParameters, type PreparePresentationReturnType, type PresentationItem, preparePresentation } from "./preparePresentation.ts";
export { type RemoveCredentialParameters, removeCredential } from "./removeCredential.ts";
export { type RestoreWalletParameters, type RestoreWalletReturnType, restoreWallet } from "./restoreWallet.ts";
export { type LockWalletParameters, type Wallet, lockWallet } from "./session.ts";
export { type ShowCredentialParameters, type ShowCredentialReturnType, showCredential } from "./showCredential.ts";
export { STATE_FORMAT, type WalletState, decodeState } from "./state.ts";
export { type WalletStorage, memoryWalletStorage } from "./storage.ts";
export {
  type DeletePresentationHistoryParameters,
  type ExportPresentationHistoryReturnType,
  type ListPresentationHistoryParameters,
  deletePresentationHistory,
  exportPresentationHistory,
  listPresentationHistory,
  recordPresentation,
} from "./history/presentationHistory.ts";
export {
  MAX_PRESENTATION_RECORDS,
  PresentationOutcome,
  type PresentationRecord,
  type PresentationRecordCredential,
} from "./history/presentationRecord.ts";
export { type HolderKeyStore, holderKeyId, webCryptoHolderKeyStore } from "./holderKeyStore.ts";
export { type WalletFetch } from "./openid4vci/oauthCallbacks.ts";
export { type CheckSignedIssuerMetadataParameters, type IssuerMetadataJws, checkSignedIssuerMetadata } from "./openid4vci/signedIssuerMetadata.ts";
export { LOW_COPIES, type RefreshSdJwtVcCopiesParameters, refreshSdJwtVcCopies } from "./openid4vci/refreshSdJwtVcCopies.ts";
export {
  type CredentialOfferPreview,
  type IssuerCheck,
  type IssuerCheckResult,
  type ReceivableFormat,
  type ReceiveCredentialOfferParameters,
  type ReceiveCredentialOfferReturnType,
  type ReceivedCredential,
  receiveCredentialOffer,
} from "./openid4vci/receiveCredentialOffer.ts";
export {
  type AnswerPresentationRequestParameters,
  type AnswerPresentationRequestReturnType,
  answerPresentationRequest,
} from "./openid4vp/answerPresentationRequest.ts";
export {
  MAX_DCQL_CLAIMS,
  MAX_DCQL_CREDENTIALS,
  type PlannedClaim,
  type PlannedCredential,
  type PresentationPlan,
  type RelyingPartyCheck,
  type RelyingPartyDecision,
  type ResolvePresentationRequestParameters,
  resolvePresentationRequest,
} from "./openid4vp/resolvePresentationRequest.ts";
export {
  DECENTRALIZED_IDENTIFIER_PREFIX,
  type DidDocumentLike,
  type DidResolver,
  MAX_REQUEST_OBJECT_BYTES,
} from "./openid4vp/verifyRequestObject.ts";
export { type ResponseEnc, type ResponseKey, encryptResponse, responseEncryptionOf } from "./openid4vp/encryptResponse.ts";
