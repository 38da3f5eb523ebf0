/**
 * Stable codes of the verifier's checks. A verification outcome lists every check that ran with one of
 * these codes; tests assert on codes, never on messages.
 */
export const VerificationCode = {
  /** Not a well-formed compact JWS / JWT, bad JSON, wrong field types, or an ambiguous payload. */
  MALFORMED: "MALFORMED",
  /** The JOSE header names an algorithm other than ES256K, or carries parameters outside the allow-list. */
  UNSUPPORTED_ALGORITHM: "UNSUPPORTED_ALGORITHM",
  /** The token or the number of credentials exceeds the configured caps (checked before any cryptography). */
  TOO_LARGE: "TOO_LARGE",
  SIGNATURE_INVALID: "SIGNATURE_INVALID",
  /** The presentation's signer is not the subject of a credential, or identity fields disagree. */
  HOLDER_MISMATCH: "HOLDER_MISMATCH",
  CHALLENGE_MISMATCH: "CHALLENGE_MISMATCH",
  DOMAIN_MISMATCH: "DOMAIN_MISMATCH",
  /** The challenge was already used (each is accepted once). */
  REPLAYED: "REPLAYED",
  EXPIRED: "EXPIRED",
  NOT_YET_VALID: "NOT_YET_VALID",
  DID_DEACTIVATED: "DID_DEACTIVATED",
  /** The DID is not a `did:ethr` of this network's chain, or cannot be resolved. */
  DID_INVALID: "DID_INVALID",
  ISSUER_NOT_ACCREDITED: "ISSUER_NOT_ACCREDITED",
  ISSUER_SUSPENDED: "ISSUER_SUSPENDED",
  ISSUER_REVOKED: "ISSUER_REVOKED",
  TYPE_NOT_ACCEPTED: "TYPE_NOT_ACCEPTED",
  CREDENTIAL_REVOKED: "CREDENTIAL_REVOKED",
  CREDENTIAL_SUSPENDED: "CREDENTIAL_SUSPENDED",
  /** The status entry is missing, malformed, out of range, or in a list the issuer does not own. */
  STATUS_INVALID: "STATUS_INVALID",
  SCHEMA_INVALID: "SCHEMA_INVALID",
  /** A claim the request marked required was not disclosed (SD-JWT VC: the holder withheld it). */
  CLAIM_WITHHELD: "CLAIM_WITHHELD",
  /** The ledger could not be read (or the local copy is too stale): fail closed. */
  LEDGER_UNAVAILABLE: "LEDGER_UNAVAILABLE",
  /**
   * A DID costs more to check than a verifier spends on one: its token names no key (`kid`) and the DID has
   * more acceptable keys than `MAX_SIGNER_CANDIDATES`, or a reader without a local copy of the ledger would
   * have to read more of the identity's registry history than its caps (events, bytes). Fail closed; the
   * signer should name its key in `kid` (core README, "Key ids").
   */
  DID_TOO_COMPLEX: "DID_TOO_COMPLEX",
  /** The verification did not finish within its time budget (`maxVerificationMs`): fail closed. */
  TIME_BUDGET_EXCEEDED: "TIME_BUDGET_EXCEEDED",
  /**
   * OpenID4VP (issue 11): a presentation does not satisfy the DCQL query it answers: it is keyed by a credential
   * query id the request does not have, is of another format or type than that query asks, carries claim values
   * the query excludes, or the answer does not satisfy the query's credential sets.
   */
  DCQL_MISMATCH: "DCQL_MISMATCH",
  /** OpenID4VP: the answer carries a credential the query did not ask for (another option, a second credential). */
  UNREQUESTED_CREDENTIAL: "UNREQUESTED_CREDENTIAL",
  /** OpenID4VP: a presentation discloses claims beyond those its credential query asks for. */
  UNREQUESTED_CLAIM: "UNREQUESTED_CLAIM",
  /** OpenID4VP: the response's `state` is not the request's. */
  STATE_MISMATCH: "STATE_MISMATCH",
} as const;

export type VerificationCode = (typeof VerificationCode)[keyof typeof VerificationCode];
