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
}
