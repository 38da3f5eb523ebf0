/**
 * The presentation request a verifier hands to a wallet (core README, "Presentation request"): the one
 * definition shared by the verifier that creates it and the wallet that answers it.
 */
export interface PresentationRequest {
  readonly type: "MobileIdPresentationRequest";
  /** base64url of 32 random bytes; becomes the VP's `nonce`. */
  readonly challenge: string;
  /** The verifier's host name; becomes the VP's `aud`. */
  readonly domain: string;
  readonly credentialTypes: readonly string[];
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  /**
   * Optional (issue 10, SD-JWT VC): the claims asked for, as dotted paths (`age_equal_or_over.19`, `givenName`).
   * A wallet answering with an SD-JWT VC discloses these and nothing else; the verifier reports those not
   * disclosed as withheld and refuses (`CLAIM_WITHHELD`) when one marked `required` (the default) is missing.
   * Absent: today's behaviour (a JWT-VC discloses everything; an SD-JWT VC answer discloses nothing personal).
   */
  readonly claims?: readonly RequestedClaim[];
}

/**
 * One claim a request asks for.
 *
 * @example
 * ```ts
 * const over19: RequestedClaim = { path: "age_equal_or_over.19" };
 * const portrait: RequestedClaim = { path: "portrait", required: false };
 * ```
 */
export interface RequestedClaim {
  /** Dotted path into the disclosed claims, e.g. `age_equal_or_over.19`. */
  readonly path: string;
  /** Refuse the presentation when this claim is withheld. Default `true`. */
  readonly required?: boolean;
}
