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
export {
  DCQL_LIMITS,
  Openid4vpErrorCode,
  type Openid4vpFormat,
  type ParsedDcqlQuery,
  type RequestedCredential,
  parseDcqlQuery,
} from "./openid4vp/dcqlQuery.ts";
export {
  type AuthorizationRequest,
  type CreateAuthorizationRequestParameters,
  DID_CLIENT_ID_PREFIX,
  REQUEST_OBJECT_TYP,
  SELF_ISSUED_AUDIENCE,
  VP_FORMATS_SUPPORTED,
  createAuthorizationRequest,
} from "./openid4vp/createAuthorizationRequest.ts";
export {
  MAX_VP_TOKEN_PRESENTATIONS,
  type Openid4vpPresentationOutcome,
  type Openid4vpVerifiedCredential,
  type Openid4vpVerifier,
  type VerifyAuthorizationResponseParameters,
  type VerifyAuthorizationResponseReturnType,
  createOpenid4vpVerifier,
  openAuthorizationResponse,
  verifyAuthorizationResponse,
} from "./openid4vp/verifyAuthorizationResponse.ts";
export { type CacheRelyingPartyLedgerParameters, cacheRelyingPartyLedger } from "./openid4vp/cacheRelyingPartyLedger.ts";
export {
  MAX_RESPONSE_JWE_BYTES,
  type P256Jwk,
  RESPONSE_ENC_VALUES,
  type ResponseEnc,
  createResponseEncryptionKey,
  decryptResponseJwe,
  encryptResponseJwe,
} from "./openid4vp/responseEncryption.ts";
