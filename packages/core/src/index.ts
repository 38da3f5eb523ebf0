export { type Clock, type SettableClock, fixedClock, settableClock, systemClock } from "./clock.ts";
export {
  CREDENTIAL_TYPES,
  type CredentialTypeDefinition,
  type GoverningAuthority,
  credentialTypeId,
  findCredentialType,
  schemaHash,
} from "./credentialTypes.ts";
export { loadSchema } from "./schemaFiles.ts";
export { loadSdJwtVcSchema, registeredSchemaHash } from "./registeredSchemaHash.ts";
export {
  type ContractRef,
  DESCRIPTOR_FORMAT,
  type DescriptorProof,
  type NetworkContracts,
  type NetworkDescriptor,
  type SignNetworkDescriptorParameters,
  type TypedDataSigner,
  type UnsignedNetworkDescriptor,
  type VerifyNetworkDescriptorParameters,
  loadNetworkDescriptor,
  signNetworkDescriptor,
  verifyNetworkDescriptor,
} from "./descriptor.ts";
export { decodeBase64url, decodeBase64urlOrThrow, encodeBase64url } from "./base64url.ts";
export { type ValidateClaimsResult, validateClaims } from "./claims.ts";
export { type EthrDid, PUBLIC_KEY_ETHR_DID_PATTERN, parseEthrDid, toEthrDid, toPublicKeyEthrDid } from "./did.ts";
export {
  ACCEPTED_ALGORITHM,
  type ParseJwsResult,
  type ParsedJws,
  hasDuplicateKeys,
  parseCompactJws,
  parseJsonObject,
} from "./jws.ts";
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
export { type EthrKeyRef, MAX_SIGNER_CANDIDATES, ethrKeyId, parseEthrKeyId } from "./keyId.ts";
export {
  type CredentialDraft,
  type CredentialFormat,
  type CredentialFormatHandler,
  type HolderBinding,
  type JwsKeySigner,
  type JwsSigner,
  type PresentationDraft,
  type PresentationFormat,
  type PublicJwk,
  type FormatContext,
  type FormatResult,
  type NormalizedCredential,
  type NormalizedPresentation,
  type PresentationFormatContext,
  type PresentationFormatHandler,
  type SignatureAlgorithm,
  type SignedEnvelope,
  type StatusEntryField,
  type StatusEntryRef,
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
export type { DidParser } from "./formats/jwtFields.ts";
export { defaultFormats, jwtVcFormat, jwtVpFormat, parseJwtVc, parseJwtVp } from "./formats/nodeFormats.ts";
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
export { createNodeEs256Signer, createNodeEs256kSigner } from "./formats/nodeSigners.ts";
export {
  MOBILE_ID_STATUS_ENTRY_TYPE,
  type MobileIdStatusEntry,
  createMobileIdStatusEntry,
  parseMobileIdStatusEntry,
} from "./formats/statusEntry.ts";
export { isPublicKeyEthrDid, parseEthrDidFast, toChecksumAddress, uncompressedPublicKeyOf } from "./formats/ethrDid.ts";
export { type SigningKeyAttribute, signingKeyAttribute } from "./signingKeyAttribute.ts";
export type { PresentationRequest, RequestedClaim } from "./presentationRequest.ts";
export {
  DEV_CHAIN_ID,
  ISSUER_METADATA_JWT_TYPE,
  MAX_CREDENTIAL_BYTES,
  MAX_PRESENTATION_BYTES,
  MAX_PRESENTATION_CREDENTIALS,
  STATUS_BATCH_WORDS,
  STATUS_READ_WORDS,
} from "./protocol.ts";
