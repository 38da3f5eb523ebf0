import { encodeBase64url } from "../base64url.ts";
import { MobileIdError } from "../errors.ts";
import type { JwsSigner } from "./types.ts";

const encoder = new TextEncoder();

/**
 * Signs a JWT as a compact JWS (RFC 7515 §7.1) through an injected signer: header `{"alg","kid","typ":"JWT"}` in
 * that order (the order did-jwt writes, so tokens are byte-identical to what mobile-id issued through did-jwt-vc),
 * then `BASE64URL(JSON(payload))`, then the signer's raw `r || s`. `payload` is serialized as given: key order is
 * the caller's (the format modules fix it). Throws `INVALID_ARGUMENT` if the signer returns anything but 64
 * bytes. Browser-safe.
 *
 * @example
 * ```ts
 * const jwt = await signCompactJwt({ iss: did, exp }, { ...createEs256kSigner(privateKey), kid: `${did}#controller` });
 * ```
 */
export async function signCompactJwt(payload: Readonly<Record<string, unknown>>, signer: JwsSigner): Promise<string> {
  if (typeof signer.kid !== "string" || signer.kid.length === 0) {
    throw new MobileIdError("INVALID_ARGUMENT", "the signer has no kid");
  }
  const header = encodeBase64url(JSON.stringify({ alg: signer.alg, kid: signer.kid, typ: "JWT" }));
  const signingInput = `${header}.${encodeBase64url(JSON.stringify(payload))}`;
  const signature = await signer.sign(encoder.encode(signingInput));
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new MobileIdError("INVALID_ARGUMENT", `the ${signer.alg} signer did not return a 64-byte r || s signature`, {
      details: { alg: signer.alg, length: signature instanceof Uint8Array ? signature.length : undefined },
    });
  }
  return `${signingInput}.${encodeBase64url(signature)}`;
}
