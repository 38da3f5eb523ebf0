/**
 * Every failure that mobile-id reports carries a stable, machine-readable `code`. Callers branch on the
 * code, never on the message text (which may change). Pattern after jose `util/errors.ts` and viem
 * `errors/base.ts`: one base class, a subclass per family, and a union of all codes.
 */

/** Codes for misuse and configuration faults (thrown). */
export const ConfigErrorCode = {
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  DESCRIPTOR_INVALID: "DESCRIPTOR_INVALID",
  DESCRIPTOR_SIGNATURE_INVALID: "DESCRIPTOR_SIGNATURE_INVALID",
  DESCRIPTOR_UNTRUSTED_SIGNER: "DESCRIPTOR_UNTRUSTED_SIGNER",
  CHAIN_MISMATCH: "CHAIN_MISMATCH",
  CONTRACT_MISSING: "CONTRACT_MISSING",
  UNKNOWN_CREDENTIAL_TYPE: "UNKNOWN_CREDENTIAL_TYPE",
  LEDGER_UNAVAILABLE: "LEDGER_UNAVAILABLE",
  LEDGER_REJECTED: "LEDGER_REJECTED",
  /** A ledger reader refused to read more of one identity's registry history than its caps allow. */
  DID_TOO_COMPLEX: "DID_TOO_COMPLEX",
} as const;

export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

export interface MobileIdErrorOptions {
  /** Structured facts about the failure (never secrets or personal data). */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  readonly cause?: unknown;
  /** What the user can do about it, for command-line and HTTP error output. */
  readonly hint?: string | undefined;
}

/**
 * Base class of every error that mobile-id throws.
 *
 * @example
 * ```ts
 * try { await verifyNetworkDescriptor({ descriptor, trustedRootKey }); }
 * catch (e) { if (e instanceof MobileIdError && e.code === "DESCRIPTOR_UNTRUSTED_SIGNER") { ... } }
 * ```
 */
export class MobileIdError<TCode extends string = string> extends Error {
  override readonly name: string = "MobileIdError";
  readonly code: TCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly hint: string | undefined;

  constructor(code: TCode, message: string, options: MobileIdErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    this.hint = options.hint;
  }
}

/** True when `e` is a {@link MobileIdError}, optionally with the given code. */
export function isMobileIdError<TCode extends string>(e: unknown, code?: TCode): e is MobileIdError<TCode> {
  return e instanceof MobileIdError && (code === undefined || e.code === code);
}
