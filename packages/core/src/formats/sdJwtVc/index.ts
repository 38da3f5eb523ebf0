/**
 * SD-JWT VC (IETF SD-JWT, RFC 9901; SD-JWT VC `dc+sd-jwt`) for the four card types: issue N unlinkable copies,
 * present selected claims with a key binding JWT, and parse/verify presentations strictly (the gaps of
 * `@sd-jwt` 0.19.0 closed here: unreferenced disclosures, KB `aud`/`nonce`, algorithm allow-lists, caps).
 * Browser-safe; Node-only faster crypto is in `@mobile-id/core/sd-jwt-vc/node`.
 *
 * @example
 * ```ts
 * import { issueSdJwtVc, presentSdJwtVc, verifySdJwtVc } from "@mobile-id/core/sd-jwt-vc";
 * ```
 */
export { type AgeClaims, computeAgeClaims } from "./ageClaims.ts";
export {
  CLOCK_SKEW_SECONDS,
  DEFAULT_AGE_THRESHOLDS,
  DEFAULT_BATCH_SIZE,
  ISSUER_ALGORITHMS,
  KB_JWT_TYP,
  KEY_BINDING_ALGORITHMS,
  KEY_BINDING_MAX_AGE_SECONDS,
  MAX_DISCLOSURES,
  MAX_NESTING_DEPTH,
  MAX_PORTRAIT_BYTES,
  MAX_SD_JWT_VC_BYTES,
  NON_DISCLOSABLE_CLAIMS,
  SD_ALG,
  SD_JWT_VC_FORMAT,
} from "./constants.ts";
export {
  type Es256Verifier,
  type JoseSigner,
  type P256PublicJwk,
  type Sha256,
  createP256Signer,
  createSecp256k1Signer,
  nobleEs256Verify,
  nobleEs256kVerify,
  nobleSha256,
  parseP256PublicJwk,
  randomSalt,
} from "./crypto.ts";
export { type EncodeGrayscaleJpegParameters, encodeGrayscaleJpeg } from "./jpeg.ts";
export {
  type IssueSdJwtVcParameters,
  type IssueSdJwtVcReturnType,
  type SdJwtVcCopySpec,
  type StatusListReference,
  issueSdJwtVc,
} from "./issueSdJwtVc.ts";
export {
  type DecodedJws,
  type ParseSdJwtVcResult,
  type ParsedDisclosure,
  type ParsedSdJwtVc,
  SdJwtVcCheck,
  type SdJwtVcFailure,
  type SdJwtVcLimits,
  acceptsSdJwtVc,
  parseSdJwtVc,
} from "./parseSdJwtVc.ts";
export { type ClaimPath, type PresentSdJwtVcParameters, type PresentationFrame, presentSdJwtVc, presentationFrameOf } from "./presentSdJwtVc.ts";
export { SD_JWT_VC_PROFILES, type SdJwtVcTypeProfile, findSdJwtVcProfile, sdJwtVcProfileOf, vctOf } from "./profiles.ts";
export { maskResidentRegistrationNumber } from "./residentRegistrationNumber.ts";
export { type CreateSyntheticPortraitParameters, createSyntheticPortrait, portraitDataUri } from "./syntheticPortrait.ts";
export {
  type KeyBindingExpectation,
  type SdJwtVcIssuerEnvelope,
  type VerifiedSdJwtVc,
  type VerifySdJwtVcParameters,
  type VerifySdJwtVcReturnType,
  es256kPublicKeyVerifier,
  verifySdJwtVc,
} from "./verifySdJwtVc.ts";
