/**
 * The browser-safe part of `@mobile-id/core`, for the web app (`packages/web`). Everything here is pure code
 * that runs unchanged in a browser: error and verification codes, reason codes, the clock, base64url, strict
 * compact-JWS parsing, `did:ethr` helpers, the credential type list, and the credential format modules (JWT-VC,
 * JWT-VP: build, sign through an injected signer, parse) with browser-safe signers (ES256K in memory, ES256 via
 * WebCrypto). The format modules here parse DIDs with `parseEthrDid`; the Node entry's use OpenSSL. Node-only
 * signers (`createNodeEs256kSigner`, `createNodeEs256Signer`) are not here.
 *
 * Left out on purpose: `loadSchema` and `validateClaims` (they read the schema files from disk; the browser
 * fetches the schemas from the services' `GET /credential-types` instead) and the network descriptor's
 * `loadNetworkDescriptor` / `verifyNetworkDescriptor` (file access and Ajv).
 *
 * Nothing reachable from here imports a `node:` module (`loadSchema` lives in `schemaFiles.ts`), so a bundler
 * needs no stub or alias for it; the web build checks that by bundling without any.
 *
 * @example
 * ```ts
 * import { findCredentialType } from "@mobile-id/core/browser";
 * findCredentialType("StudentIDCredential")?.title.ko // "학생증"
 * ```
 */
export { type Clock, type SettableClock, fixedClock, settableClock, systemClock } from "./clock.ts";
export { CREDENTIAL_TYPES, type CredentialTypeDefinition, type GoverningAuthority, credentialTypeId, findCredentialType } from "./credentialTypes.ts";
export { decodeBase64url, decodeBase64urlOrThrow, encodeBase64url } from "./base64url.ts";
export { type EthrDid, PUBLIC_KEY_ETHR_DID_PATTERN, parseEthrDid, toEthrDid, toPublicKeyEthrDid } from "./did.ts";
export { ACCEPTED_ALGORITHM, type ParseJwsResult, type ParsedJws, hasDuplicateKeys, parseCompactJws, parseJsonObject } from "./jws.ts";
export { ConfigErrorCode, MobileIdError, type MobileIdErrorOptions, isMobileIdError } from "./errors.ts";
export { ReasonCode, reasonName } from "./reasons.ts";
export {
  MAX_CLAIMS_PER_TYPE,
  MAX_CLAIM_IDENTIFIER_BYTES,
  claimIdentifier,
  claimsDigest,
  decodeClaimIdentifiers,
  encodeClaimIdentifiers,
} from "./relyingParty/claimIdentifiers.ts";
export { RelyingPartyCode } from "./relyingParty/relyingPartyCodes.ts";
export { VerificationCode } from "./verification.ts";
export type { PresentationRequest, RequestedClaim } from "./presentationRequest.ts";
export type {
  CredentialDraft,
  CredentialFormat,
  CredentialFormatHandler,
  FormatContext,
  FormatResult,
  HolderBinding,
  JwsKeySigner,
  JwsSigner,
  NormalizedCredential,
  NormalizedPresentation,
  PresentationDraft,
  PresentationFormat,
  PresentationFormatContext,
  PresentationFormatHandler,
  PublicJwk,
  SignatureAlgorithm,
  SignedEnvelope,
  StatusEntryField,
  StatusEntryRef,
} from "./formats/types.ts";
export { JWT_VC_CONTEXTS, JWT_VC_FORMAT, type JwtVcFormat, type JwtVcPayload, buildJwtVcPayload, createJwtVcFormat } from "./formats/jwtVc.ts";
export {
  MOBILE_ID_CONTEXT_DOCUMENT,
  MOBILE_ID_CONTEXT_V1,
  MOBILE_ID_CONTEXT_V1_PATH,
  MOBILE_ID_DOCUMENT_BASE,
  mobileIdSchemaUri,
} from "./formats/mobileIdContext.ts";
export { JWT_VP_FORMAT, type JwtVpFormat, type JwtVpPayload, buildJwtVpPayload, createJwtVpFormat } from "./formats/jwtVp.ts";
export { defaultFormats, jwtVcFormat, jwtVpFormat, parseJwtVc, parseJwtVp } from "./formats/browserFormats.ts";
export {
  type CreateSdJwtVcFormatParameters,
  type SdJwtVcCopyDraft,
  type SdJwtVcFormat,
  createSdJwtVcFormat,
  sdJwtVcFormat,
} from "./formats/sdJwtVcFormat.ts";
export { type CreateFormatRegistryParameters, type FormatRegistry, createFormatRegistry } from "./formats/registry.ts";
export { signCompactJwt } from "./formats/signJws.ts";
export { createEs256kSigner, createWebCryptoEs256Signer } from "./formats/signers.ts";
export {
  MOBILE_ID_STATUS_ENTRY_TYPE,
  type MobileIdStatusEntry,
  createMobileIdStatusEntry,
  parseMobileIdStatusEntry,
} from "./formats/statusEntry.ts";
export { toChecksumAddress } from "./formats/checksum.ts";
export { type SigningKeyAttribute, signingKeyAttribute } from "./signingKeyAttribute.ts";
export {
  DEV_CHAIN_ID,
  ISSUER_METADATA_JWT_TYPE,
  MAX_CREDENTIAL_BYTES,
  MAX_PRESENTATION_BYTES,
  MAX_PRESENTATION_CREDENTIALS,
  STATUS_BATCH_WORDS,
  STATUS_READ_WORDS,
} from "./protocol.ts";
