import { MobileIdError, type MobileIdErrorOptions } from "@mobile-id/core/browser";

/**
 * Stable codes of every failure the wallet reports. Callers (the app's screens, the command line) branch on
 * these, never on message text. Rotation may also throw core's `CHAIN_MISMATCH` and `LEDGER_UNAVAILABLE`,
 * and misuse throws core's `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * if (isMobileIdError(e, WalletErrorCode.WALLET_ROLLBACK_REFUSED)) askUserToConfirmRollback(e.details);
 * ```
 */
export const WalletErrorCode = {
  /** No wallet in the storage (open) or no backup bytes given. */
  WALLET_NOT_FOUND: "WALLET_NOT_FOUND",
  /** The storage already holds a wallet: creating or restoring would overwrite its keys. */
  WALLET_EXISTS: "WALLET_EXISTS",
  /** The passphrase does not open this file (its check value does not match). */
  WALLET_PASSPHRASE_INVALID: "WALLET_PASSPHRASE_INVALID",
  /** A new passphrase is too short (fewer than 8 characters after NFKC normalisation). */
  WALLET_PASSPHRASE_TOO_WEAK: "WALLET_PASSPHRASE_TOO_WEAK",
  /** The file is not an intact wallet/backup file: modified, truncated, corrupted, or not one at all. */
  WALLET_TAMPERED: "WALLET_TAMPERED",
  /** An intact file of a format version this code does not read. */
  WALLET_VERSION_UNSUPPORTED: "WALLET_VERSION_UNSUPPORTED",
  /** A backup was given where a wallet file was expected, or the other way round. */
  WALLET_KIND_MISMATCH: "WALLET_KIND_MISMATCH",
  /** KDF parameters below the floor (scrypt N < 2^17, r < 8, p < 1, salt < 16 bytes), on creation or opening. */
  WALLET_KDF_TOO_WEAK: "WALLET_KDF_TOO_WEAK",
  /** An unknown KDF or cipher, or KDF parameters above the resource ceiling (refused before any work). */
  WALLET_KDF_UNSUPPORTED: "WALLET_KDF_UNSUPPORTED",
  /** The wallet was locked; open it again. */
  WALLET_LOCKED: "WALLET_LOCKED",
  /** The stored file changed since this session read it (another session or process wrote it). */
  WALLET_STALE: "WALLET_STALE",
  /** A backup older than the wallet's current generation, without `allowRollback`. */
  WALLET_ROLLBACK_REFUSED: "WALLET_ROLLBACK_REFUSED",
  /** A backup of another DID or chain than this wallet's. */
  WALLET_BACKUP_MISMATCH: "WALLET_BACKUP_MISMATCH",
  /** The credential failed the wallet's own checks or the injected verifier (`details.verificationCode`). */
  WALLET_CREDENTIAL_REJECTED: "WALLET_CREDENTIAL_REJECTED",
  /** The credential's subject (`sub`) is not this wallet's DID. */
  WALLET_NOT_SUBJECT: "WALLET_NOT_SUBJECT",
  WALLET_CREDENTIAL_NOT_FOUND: "WALLET_CREDENTIAL_NOT_FOUND",
  /** SD-JWT VC: every copy that could answer was already shown to another verifier; ask the issuer for more. */
  WALLET_NO_UNUSED_COPY: "WALLET_NO_UNUSED_COPY",
  /** The injected verifier threw instead of answering (an infrastructure fault; nothing was imported). */
  WALLET_VERIFIER_FAILED: "WALLET_VERIFIER_FAILED",
  /** The ledger says the wallet's current key does not own the DID (rotated elsewhere, or a restored old state). */
  WALLET_KEY_NOT_OWNER: "WALLET_KEY_NOT_OWNER",
  /** The current key's address cannot pay the owner-change gas (`details.payer`); nothing was saved or sent. */
  WALLET_INSUFFICIENT_FUNDS: "WALLET_INSUFFICIENT_FUNDS",
  /** The owner-change transaction failed or could not be confirmed; the new key stays pending for a retry. */
  WALLET_ROTATION_FAILED: "WALLET_ROTATION_FAILED",
  /** The presentation request is malformed (shape, challenge, domain, types). */
  REQUEST_INVALID: "REQUEST_INVALID",
  /** The presentation request's `expiresAt` has passed. */
  REQUEST_EXPIRED: "REQUEST_EXPIRED",
  /** No stored, currently valid credential has a requested type. */
  NO_MATCHING_CREDENTIAL: "NO_MATCHING_CREDENTIAL",
  /** The consented credential ids do not fit the request (unrequested type, expired, two of one type, none). */
  CONSENT_INVALID: "CONSENT_INVALID",
  /** OpenID4VCI: the credential offer or the issuer's metadata is malformed, or offers nothing this wallet takes. */
  OFFER_INVALID: "OFFER_INVALID",
  /**
   * OpenID4VCI: the issuer's metadata is not signed (`signed_metadata`) by the key of the DID it names, for this
   * Credential Issuer URL, now: nothing shows that this URL speaks for that issuer (nothing was asked or sent).
   */
  ISSUER_METADATA_UNSIGNED: "ISSUER_METADATA_UNSIGNED",
  /** OpenID4VCI: the offering issuer is not accredited on the ledger for the offered type (nothing was asked or sent). */
  ISSUER_NOT_ACCREDITED: "ISSUER_NOT_ACCREDITED",
  /** OpenID4VCI: the issuer refused a step (`details.error`: the OAuth/OpenID4VCI error, e.g. `invalid_grant`). */
  ISSUANCE_FAILED: "ISSUANCE_FAILED",
  /** OpenID4VP: the request object's signature does not verify against the `client_id`'s DID (or its kid is not that DID's). */
  REQUEST_SIGNATURE_INVALID: "REQUEST_SIGNATURE_INVALID",
  /** OpenID4VP: `request_uri` or `response_uri` points somewhere the `client_id` does not allow. */
  REQUEST_URI_MISMATCH: "REQUEST_URI_MISMATCH",
  /** OpenID4VP: the relying party is not registered on the ledger (nothing was sent). */
  RELYING_PARTY_UNREGISTERED: "RELYING_PARTY_UNREGISTERED",
  /** OpenID4VP: the relying party's registration is suspended (nothing was sent). */
  RELYING_PARTY_SUSPENDED: "RELYING_PARTY_SUSPENDED",
  /** OpenID4VP: the relying party's registration was revoked (nothing was sent). */
  RELYING_PARTY_REVOKED: "RELYING_PARTY_REVOKED",
  /** OpenID4VP: the relying party's registration window is not now (nothing was sent). */
  RELYING_PARTY_EXPIRED: "RELYING_PARTY_EXPIRED",
  /** OpenID4VP: the request asks for claims outside the party's registration (`details.notPermitted`; nothing was sent). */
  CLAIM_NOT_PERMITTED: "CLAIM_NOT_PERMITTED",
  /** OpenID4VP: the verifier's `response_uri` did not accept the answer (`details.status`, `details.error`). */
  RESPONSE_REJECTED: "RESPONSE_REJECTED",
  /** A holder key lives in a platform key store that was not given, or no longer holds it. */
  WALLET_KEY_UNAVAILABLE: "WALLET_KEY_UNAVAILABLE",
  /** OpenID4VCI: the issuer gave no refresh grant for this batch (ask it for a new offer). */
  REFRESH_NOT_AVAILABLE: "REFRESH_NOT_AVAILABLE",
  /** Presentation history: no record with this id. */
  HISTORY_RECORD_NOT_FOUND: "HISTORY_RECORD_NOT_FOUND",
} as const;

export type WalletErrorCode = (typeof WalletErrorCode)[keyof typeof WalletErrorCode];

/**
 * Every error the wallet throws on purpose. `code` is stable; `details` never holds secrets or claims.
 *
 * @example
 * ```ts
 * try { await openWallet({ storage, passphrase }); }
 * catch (e) { if (e instanceof WalletError && e.code === WalletErrorCode.WALLET_PASSPHRASE_INVALID) retry(); }
 * ```
 */
export class WalletError extends MobileIdError<WalletErrorCode> {
  override readonly name: string = "WalletError";
}

/** Shorthand used inside the package. */
export function walletError(code: WalletErrorCode, message: string, options: MobileIdErrorOptions = {}): WalletError {
  return new WalletError(code, message, options);
}
