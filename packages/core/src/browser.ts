/**
 * The browser-safe part of `@mobile-id/core`, for the web app (`packages/web`). Everything here is pure code
 * that runs unchanged in a browser: error and verification codes, reason codes, the clock, base64url, strict
 * compact-JWS parsing, `did:ethr` helpers and the credential type list.
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
export type { PresentationRequest } from "./presentationRequest.ts";
export {
  DEV_CHAIN_ID,
  MAX_CREDENTIAL_BYTES,
  MAX_PRESENTATION_BYTES,
  MAX_PRESENTATION_CREDENTIALS,
  STATUS_BATCH_WORDS,
  STATUS_READ_WORDS,
} from "./protocol.ts";
