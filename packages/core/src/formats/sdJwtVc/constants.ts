/**
 * Wire constants and caps of the SD-JWT VC format (IETF SD-JWT, RFC 9901; SD-JWT VC). One module so the
 * issuer, the wallet and the verifier agree on every limit.
 */

/** The format's name in the format layer and its issuer-signed JWT's `typ` (SD-JWT VC, `dc+sd-jwt`). */
export const SD_JWT_VC_FORMAT = "dc+sd-jwt";
/** The key binding JWT's `typ` (RFC 9901 §4.3). */
export const KB_JWT_TYP = "kb+jwt";
/** The only disclosure digest algorithm accepted (`_sd_alg`). */
export const SD_ALG = "sha-256";

/** Issuer-signed JWT algorithms accepted by default: the issuer's did:ethr keys are secp256k1. */
export const ISSUER_ALGORITHMS = ["ES256K"] as const;
/** Key binding JWT algorithms accepted: P-256, as phone secure hardware and HAIP require. */
export const KEY_BINDING_ALGORITHMS = ["ES256"] as const;

/** A JPEG portrait's cap (bytes of the image, before base64). */
export const MAX_PORTRAIT_BYTES = 24 * 1024;
/**
 * Cap of one SD-JWT VC as issued or presented, checked before any decoding. A 24 KB portrait grows to ~43 KB
 * as a disclosure (base64 data URI inside base64url JSON); the rest of a credential is ~3 KB.
 */
export const MAX_SD_JWT_VC_BYTES = 65_536;
/** Most disclosures one SD-JWT VC may carry (a full credential has ~20). */
export const MAX_DISCLOSURES = 64;
/** Deepest JSON nesting of the payload and of any disclosure value (objects and arrays). */
export const MAX_NESTING_DEPTH = 6;
/** How far a key binding JWT's `iat` may lie in the past (seconds) before it is stale. */
export const KEY_BINDING_MAX_AGE_SECONDS = 300;
/** Clock skew tolerated for `iat`/`nbf` in the future (seconds). */
export const CLOCK_SKEW_SECONDS = 60;
/** Copies one issuance yields by default (each with fresh salts, its own `cnf` key and status entry). */
export const DEFAULT_BATCH_SIZE = 10;
/** Default age predicates (`age_equal_or_over`): 14 (criminal responsibility), 19 (Korean adulthood), 65. */
export const DEFAULT_AGE_THRESHOLDS = [14, 19, 65] as const;

/**
 * Claims the issuer never makes disclosable and a disclosure may never introduce: the registered JWT/SD-JWT VC
 * claims and the SD-JWT control keys. A disclosure naming one of them is refused (it would shadow or add a
 * claim the issuer did not sign in the clear).
 */
export const NON_DISCLOSABLE_CLAIMS: ReadonlySet<string> = new Set([
  "iss",
  "vct",
  "vct#integrity",
  "iat",
  "nbf",
  "exp",
  "cnf",
  "status",
  "sub",
  "jti",
  "aud",
  "_sd",
  "_sd_alg",
  "...",
]);
