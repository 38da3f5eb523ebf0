export {
  type AssertRelyingPartyMayRequestParameters,
  type AssertRelyingPartyMayRequestReturnType,
  assertRelyingPartyMayRequest,
} from "./assertRelyingPartyMayRequest.ts";
export {
  type CreatePresentationRequestParameters,
  type CreateVerifierParameters,
  DEFAULT_ISSUER_POLICY,
  DEFAULT_LIMITS,
  type Verifier,
  createVerifier,
} from "./createVerifier.ts";
export { type MemoryNonceStoreParameters, type NonceStore, createMemoryNonceStore } from "./nonceStore.ts";
export {
  CheckId,
  SdJwtVcCheckId,
  type IssuerPolicy,
  type PresentationRequest,
  type VerificationCheck,
  type VerificationOutcome,
  type LedgerAsOf,
  type VerificationRequest,
  type VerifiedCredential,
  type VerifierLimits,
  type VerifyCredentialReturnType,
  type VerifyPresentationReturnType,
} from "./types.ts";
export { type VerifyCredentialParameters } from "./verifyCredential.ts";
export { type VerifyPresentationParameters } from "./verifyPresentation.ts";
export { isCanonicalSignature } from "./crypto/es256k.ts";
export { createSqliteNonceStore, openDurableNonceStore, openNonceDatabase } from "./sqliteNonceStore.ts";
export { jwkThumbprintUri, statusEntryOfStatusList } from "./verifySdJwtVcPresentation.ts";
