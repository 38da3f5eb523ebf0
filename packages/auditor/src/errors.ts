import { MobileIdError, type MobileIdErrorOptions } from "@mobile-id/core";

/**
 * Stable codes of every failure the auditor throws. Callers and tests branch on these, never on messages.
 * Codes shared with `@mobile-id/core`'s `ConfigErrorCode` keep the same literal.
 *
 * A report whose content is bad news (an issuer not in force, an inconsistency between events and state) is
 * not an error: it is the report. Only misuse and infrastructure faults throw.
 *
 * @example
 * ```ts
 * if (isMobileIdError(e, AuditorErrorCode.LEDGER_UNAVAILABLE)) process.exitCode = 3;
 * ```
 */
export const AuditorErrorCode = {
  /** A parameter is malformed (an address, a block number, a time, an option). */
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  /** The ledger did not answer, or answered with a transport or node error. */
  LEDGER_UNAVAILABLE: "LEDGER_UNAVAILABLE",
  /** The ledger is another chain than the descriptor's. */
  CHAIN_MISMATCH: "CHAIN_MISMATCH",
  /** A contract named by the descriptor has no code, or other code, on this ledger. */
  CONTRACT_MISSING: "CONTRACT_MISSING",
  /** The requested block is before the deployment or after the ledger's head. */
  BLOCK_OUT_OF_RANGE: "BLOCK_OUT_OF_RANGE",
  /** No credential type with this id, or this name (and version), is registered. */
  UNKNOWN_CREDENTIAL_TYPE: "UNKNOWN_CREDENTIAL_TYPE",
  /** The identity is not a registered party and has no accreditation events. */
  UNKNOWN_PARTY: "UNKNOWN_PARTY",
  /** A view call reverted where the ledger should have answered. */
  LEDGER_CALL_REVERTED: "LEDGER_CALL_REVERTED",
  /** The ledger returned something this auditor cannot interpret (undecodable log, unknown enum value). */
  LEDGER_DATA_INVALID: "LEDGER_DATA_INVALID",
} as const;

export type AuditorErrorCode = (typeof AuditorErrorCode)[keyof typeof AuditorErrorCode];

/**
 * Every error the auditor throws: a {@link MobileIdError} with an {@link AuditorErrorCode}.
 *
 * @example
 * ```ts
 * try { await openLedger({ descriptor, rpcUrl }); }
 * catch (e) { if (e instanceof AuditorError && e.code === "LEDGER_UNAVAILABLE") console.error(e.hint); }
 * ```
 */
export class AuditorError extends MobileIdError<AuditorErrorCode> {
  override readonly name: string = "AuditorError";

  constructor(code: AuditorErrorCode, message: string, options: MobileIdErrorOptions = {}) {
    super(code, message, options);
  }
}
