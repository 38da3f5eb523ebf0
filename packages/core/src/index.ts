export { type Clock, fixedClock, systemClock } from "./clock.ts";
export {
  CREDENTIAL_TYPES,
  type CredentialTypeDefinition,
  type GoverningAuthority,
  credentialTypeId,
  findCredentialType,
  loadSchema,
  schemaHash,
} from "./credentialTypes.ts";
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
export { type EthrDid, parseEthrDid, toEthrDid, toPublicKeyEthrDid } from "./did.ts";
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
export { VerificationCode } from "./verification.ts";
