import { createHash, randomBytes } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1";
import { encodeBase64url } from "@mobile-id/core";

/** Test support: sign arbitrary JOSE headers and payloads (including broken ones) with ES256K. */

const N = secp256k1.CURVE.n;

export interface SignJwtOptions {
  /** Produce the high-s twin of the signature (valid ECDSA, non-canonical). */
  readonly highS?: boolean;
  /** Use this exact text as the payload segment's JSON (to test duplicate keys and the like). */
  readonly rawPayloadJson?: string;
  readonly rawHeaderJson?: string;
}

/** A compact JWS over `header`/`payload`, signed ES256K (SHA-256, r||s, low-s unless `highS`). */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKey: Uint8Array,
  options: SignJwtOptions = {},
): string {
  const h = encodeBase64url(options.rawHeaderJson ?? JSON.stringify(header));
  const p = encodeBase64url(options.rawPayloadJson ?? JSON.stringify(payload));
  const signingInput = `${h}.${p}`;
  const digest = createHash("sha256").update(signingInput).digest();
  const sig = secp256k1.sign(digest, privateKey, { lowS: true });
  const s = options.highS === true ? N - sig.s : sig.s;
  const bytes = new Uint8Array(64);
  bytes.set(Buffer.from(sig.r.toString(16).padStart(64, "0"), "hex"), 0);
  bytes.set(Buffer.from(s.toString(16).padStart(64, "0"), "hex"), 32);
  return `${signingInput}.${encodeBase64url(bytes)}`;
}

/** A fresh secp256k1 private key. */
export function randomPrivateKey(): Uint8Array {
  for (;;) {
    const k = randomBytes(32);
    if (secp256k1.utils.isValidPrivateKey(k)) return k;
  }
}

/** Decodes a compact JWS's header and payload (no checks; for tests that edit tokens). */
export function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h = "", p = ""] = jwt.split(".");
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>,
  };
}
