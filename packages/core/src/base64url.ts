import { MobileIdError } from "./errors.ts";

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Strict base64url (RFC 4648 §5, no padding) to bytes. Node's own decoder skips invalid characters silently;
 * a verifier must not, or two different strings would verify as the same token.
 * Returns `undefined` for anything that is not canonical unpadded base64url.
 *
 * @example
 * ```ts
 * decodeBase64url("eyJhbGciOiJFUzI1NksifQ") // Uint8Array of '{"alg":"ES256K"}'
 * ```
 */
export function decodeBase64url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1 || !BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64url");
  // Reject non-canonical encodings (non-zero trailing bits): re-encoding must give the same text.
  if (bytes.toString("base64url") !== text) return undefined;
  return bytes;
}

/**
 * Bytes or a UTF-8 string to unpadded base64url.
 *
 * @example
 * ```ts
 * encodeBase64url('{"alg":"ES256K"}')
 * ```
 */
export function encodeBase64url(data: Uint8Array | string): string {
  return (typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data)).toString("base64url");
}

/** Like {@link decodeBase64url} but throws `INVALID_ARGUMENT` (for trusted-path callers). */
export function decodeBase64urlOrThrow(text: string): Uint8Array {
  const bytes = decodeBase64url(text);
  if (bytes === undefined) throw new MobileIdError("INVALID_ARGUMENT", "not base64url");
  return bytes;
}
