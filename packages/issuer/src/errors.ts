import { type ConfigErrorCode, MobileIdError, type MobileIdErrorOptions } from "@mobile-id/core";

/**
 * Stable codes of the issuer's own failures. Callers (the CLI, an HTTP front end, tests) branch on `code`,
 * never on message text. Misuse and infrastructure faults shared with other packages keep core's
 * {@link ConfigErrorCode} (`INVALID_ARGUMENT`, `UNKNOWN_CREDENTIAL_TYPE`, `LEDGER_UNAVAILABLE`, `LEDGER_REJECTED`,
 * `CHAIN_MISMATCH`, `CONTRACT_MISSING`).
 *
 * @example
 * ```ts
 * catch (e) { if (isMobileIdError(e, IssuerErrorCode.STATUS_LISTS_EXHAUSTED)) await issuer.ensureStatusLists(); }
 * ```
 */
export const IssuerErrorCode = {
  /** The claims do not satisfy the type's JSON Schema (`details.errors` lists each violation). */
  CLAIMS_INVALID: "CLAIMS_INVALID",
  /** The holder is not a public-key `did:ethr` of this network's chain. */
  HOLDER_DID_INVALID: "HOLDER_DID_INVALID",
  /** A holder key for an SD-JWT VC copy is not a P-256 public JWK, is repeated, or there are too few or too many. */
  HOLDER_KEY_INVALID: "HOLDER_KEY_INVALID",
  /** The issuer (or its accreditor) is not in force for the type now, per `standingAt` on the ledger. */
  ISSUER_NOT_IN_FORCE: "ISSUER_NOT_IN_FORCE",
  /** The JWT signing key is neither the issuer identity's owner key nor a valid `veriKey`/`sigAuth` delegate. */
  SIGNER_NOT_AUTHORIZED: "SIGNER_NOT_AUTHORIZED",
  /** The ledger refused the operator key for a status list (not named with `setOperator`, or revoked). */
  OPERATOR_NOT_AUTHORIZED: "OPERATOR_NOT_AUTHORIZED",
  /** A status change was asked for, but no operator (ledger write) key is configured. */
  OPERATOR_KEY_REQUIRED: "OPERATOR_KEY_REQUIRED",
  /** Creating status lists needs the issuer identity's owner key, which is not configured. */
  OWNER_KEY_REQUIRED: "OWNER_KEY_REQUIRED",
  /** No provisioned status list pair has room left: run `ensureStatusLists` (or adopt a pair). */
  STATUS_LISTS_EXHAUSTED: "STATUS_LISTS_EXHAUSTED",
  /** A list offered for adoption is unknown, not this issuer's, of the wrong purpose or size, or already used. */
  STATUS_LIST_INVALID: "STATUS_LIST_INVALID",
  /**
   * A status list that issued credentials point at is not on the ledger as this issuer's (the node lost its
   * creation), and it cannot be created again under the same id: `details.reason` is `gap` (lists with lower
   * ids are missing too: they must be recreated first, possibly by another issuer; retry after), `taken`
   * (another list now has the id: credentials on it can no longer be revoked; reissue them) or
   * `ownerKeyRequired` (recreating a list needs the owner key).
   */
  STATUS_LIST_LOST: "STATUS_LIST_LOST",
  /** No credential with this id was issued by this issuer (database). */
  CREDENTIAL_NOT_FOUND: "CREDENTIAL_NOT_FOUND",
  /** The credential is revoked: it cannot be suspended or reinstated (revocation is permanent). */
  CREDENTIAL_REVOKED: "CREDENTIAL_REVOKED",
  /** The credential is suspended or expired: it gets no new SD-JWT VC copies (refresh) until it is active again. */
  CREDENTIAL_NOT_ACTIVE: "CREDENTIAL_NOT_ACTIVE",
  /** A status change of the credential was sent to the ledger and is not resolved yet: run `reconcile`. */
  STATUS_CHANGE_PENDING: "STATUS_CHANGE_PENDING",
  /** The database belongs to another issuer, chain or status registry. */
  DATABASE_MISMATCH: "DATABASE_MISMATCH",
  /** The database cannot be opened (another issuer process holds it, or the file is unusable). */
  DATABASE_UNAVAILABLE: "DATABASE_UNAVAILABLE",
  /** The issuer was closed. */
  ISSUER_CLOSED: "ISSUER_CLOSED",
} as const;

export type IssuerErrorCode = (typeof IssuerErrorCode)[keyof typeof IssuerErrorCode];

/** Every code an issuer operation may throw. */
export type IssuerFailureCode = IssuerErrorCode | ConfigErrorCode;

/**
 * The error the issuer throws: a {@link MobileIdError} whose code is an {@link IssuerFailureCode}.
 *
 * @example
 * ```ts
 * try { await issuer.suspend({ ids: [id], reason: ReasonCode.DEVICE_LOST }); }
 * catch (e) { if (isMobileIdError(e, IssuerErrorCode.CREDENTIAL_REVOKED)) console.log(e.hint); }
 * ```
 */
export type IssuerError = MobileIdError<IssuerFailureCode>;

/** @internal Builds an {@link IssuerError}. */
export function issuerError(code: IssuerFailureCode, message: string, options: MobileIdErrorOptions = {}): IssuerError {
  return new MobileIdError<IssuerFailureCode>(code, message, options);
}
