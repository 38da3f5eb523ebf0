import { MobileIdError } from "@mobile-id/core";

/**
 * The OAuth 2.0 / OpenID4VCI 1.0 error codes the issuer's protocol endpoints answer with (RFC 6749 §5.2,
 * RFC 6750 §3.1, OpenID4VCI 1.0 §6.3, §7.3, §8.3.1.2).
 */
export const Openid4vciErrorCode = {
  INVALID_REQUEST: "invalid_request",
  INVALID_GRANT: "invalid_grant",
  UNSUPPORTED_GRANT_TYPE: "unsupported_grant_type",
  INVALID_TOKEN: "invalid_token",
  INVALID_CREDENTIAL_REQUEST: "invalid_credential_request",
  UNKNOWN_CREDENTIAL_CONFIGURATION: "unknown_credential_configuration",
  INVALID_PROOF: "invalid_proof",
  INVALID_NONCE: "invalid_nonce",
  CREDENTIAL_REQUEST_DENIED: "credential_request_denied",
  /** RFC 9449: a DPoP proof is missing, malformed or does not match the request or the token's key. */
  INVALID_DPOP_PROOF: "invalid_dpop_proof",
  /** Not an OAuth code: the issuer or the ledger cannot serve now (HTTP 503). */
  TEMPORARILY_UNAVAILABLE: "temporarily_unavailable",
} as const;
export type Openid4vciErrorCode = (typeof Openid4vciErrorCode)[keyof typeof Openid4vciErrorCode];

const STATUS: Readonly<Record<Openid4vciErrorCode, number>> = {
  invalid_request: 400,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  invalid_token: 401,
  invalid_credential_request: 400,
  unknown_credential_configuration: 400,
  invalid_proof: 400,
  invalid_nonce: 400,
  credential_request_denied: 400,
  invalid_dpop_proof: 400,
  temporarily_unavailable: 503,
};

/**
 * A protocol error with its OAuth code and HTTP status: the HTTP front end answers
 * `{ error: code, error_description: message }` (OAuth's shape, which any wallet parses), never a 500.
 *
 * @example
 * ```ts
 * throw new Openid4vciError("invalid_grant", "the pre-authorized code was already used");
 * ```
 */
export class Openid4vciError extends MobileIdError<Openid4vciErrorCode> {
  override readonly name = "Openid4vciError";
  readonly status: number;
  constructor(code: Openid4vciErrorCode, message: string, options: ConstructorParameters<typeof MobileIdError>[2] = {}) {
    super(code, message, options);
    // RFC 9449 §7.1: a resource answers a bad DPoP proof 401 (the token endpoint 400).
    this.status = code === "invalid_dpop_proof" && this.details["atResource"] === true ? 401 : STATUS[code];
  }
}
