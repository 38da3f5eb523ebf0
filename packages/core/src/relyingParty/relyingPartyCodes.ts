/**
 * Stable codes of the relying-party check (`assertRelyingPartyMayRequest` in the verifier package, and the
 * wallet's check of a request): why a party may not ask for what it asks. Shared by the verifier, which refuses
 * to create such a request, and the wallet, which refuses to answer it.
 */
export const RelyingPartyCode = {
  /** The identity was not registered as a relying party at the time asked about (or not yet). */
  RELYING_PARTY_UNREGISTERED: "RELYING_PARTY_UNREGISTERED",
  /** The registration was suspended by its registrar or the root (reversible). */
  RELYING_PARTY_SUSPENDED: "RELYING_PARTY_SUSPENDED",
  /** The registration was revoked (final). */
  RELYING_PARTY_REVOKED: "RELYING_PARTY_REVOKED",
  /** The registration's window had ended, or had not begun. */
  RELYING_PARTY_EXPIRED: "RELYING_PARTY_EXPIRED",
  /**
   * A requested claim is outside the registration for that credential type (or the type is not in it, or the
   * accreditor that granted it was no longer in force for the type).
   */
  CLAIM_NOT_PERMITTED: "CLAIM_NOT_PERMITTED",
} as const;

export type RelyingPartyCode = (typeof RelyingPartyCode)[keyof typeof RelyingPartyCode];
