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
export { type EthrDid, parseEthrDid, toEthrDid } from "./did.ts";
export { ConfigErrorCode, MobileIdError, type MobileIdErrorOptions, isMobileIdError } from "./errors.ts";
export { ReasonCode, reasonName } from "./reasons.ts";
