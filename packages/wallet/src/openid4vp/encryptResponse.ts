/**
 * The encrypted answer of `response_mode=direct_post.jwt` (OpenID4VP 1.0 §8.3, HAIP), made with WebCrypto (the
 * browser's, or Node's `globalThis.crypto`; used by the phone wallet and by `mid wallet answer`): a compact JWE, `alg: ECDH-ES` (direct key agreement on P-256 with a fresh ephemeral key, Concat KDF of
 * RFC 7518 §4.6) and `enc: A128GCM` or `A256GCM`, to the key the verifier published for this request in
 * `client_metadata.jwks`.
 */
import { encodeBase64url } from "@mobile-id/core/browser";

export type ResponseEnc = "A128GCM" | "A256GCM";

/** The verifier's response key as the request object publishes it. */
export interface ResponseKey {
  readonly x: string;
  readonly y: string;
  readonly kid?: string;
}

const u32 = (n: number) => new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const ascii = (s: string) => new TextEncoder().encode(s);

/**
 * Encrypts `plaintext` (the response parameters as JSON) to the verifier's key.
 *
 * @example
 * ```ts
 * const response = await encryptResponse({ x, y, kid }, JSON.stringify({ vp_token, state }), "A128GCM");
 * // POST response=<response> to the response_uri
 * ```
 */
export async function encryptResponse(recipient: ResponseKey, plaintext: string, enc: ResponseEnc): Promise<string> {
  const subtle = crypto.subtle;
  const ephemeral = (await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const theirs = await subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: recipient.x, y: recipient.y }, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const z = new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: theirs }, ephemeral.privateKey, 256));
  const epk = await subtle.exportKey("jwk", ephemeral.publicKey);
  const bits = enc === "A128GCM" ? 128 : 256;
  // RFC 7518 §4.6.2 with empty apu/apv: one SHA-256 round gives up to 256 bits.
  const otherInfo = concat(u32(enc.length), ascii(enc), u32(0), u32(0), u32(bits));
  const digest = new Uint8Array(await subtle.digest("SHA-256", concat(u32(1), z, otherInfo)));
  z.fill(0);
  const cek = await subtle.importKey("raw", digest.slice(0, bits / 8), { name: "AES-GCM" }, false, ["encrypt"]);
  digest.fill(0);
  const header = { alg: "ECDH-ES", enc, epk: { kty: "EC", crv: "P-256", x: epk.x, y: epk.y }, ...(recipient.kid === undefined ? {} : { kid: recipient.kid }) };
  const protectedHeader = encodeBase64url(ascii(JSON.stringify(header)));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv, additionalData: ascii(protectedHeader), tagLength: 128 }, cek, ascii(plaintext)));
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  return `${protectedHeader}..${encodeBase64url(iv)}.${encodeBase64url(ciphertext)}.${encodeBase64url(tag)}`;
}

/**
 * The P-256 ECDH-ES key and the `enc` a `direct_post.jwt` request's `client_metadata` asks the answer to be
 * encrypted with (HAIP): its first `EC`/`P-256` key usable for encryption, and `A128GCM` (preferred) or `A256GCM`
 * among `encrypted_response_enc_values_supported` (default `A128GCM`). `ok: false` with a reason otherwise.
 *
 * @example
 * ```ts
 * const e = responseEncryptionOf(requestObject.client_metadata);
 * if (e.ok) await encryptResponse(e.key, JSON.stringify({ vp_token, state }), e.enc);
 * ```
 */
export function responseEncryptionOf(
  metadata: unknown,
): { readonly ok: true; readonly key: ResponseKey; readonly enc: ResponseEnc } | { readonly ok: false; readonly reason: string } {
  const m = (metadata ?? {}) as { jwks?: { keys?: unknown }; encrypted_response_enc_values_supported?: unknown };
  const keys = Array.isArray(m.jwks?.keys) ? (m.jwks.keys as Record<string, unknown>[]) : [];
  const k = keys.find(
    (x) =>
      x !== null &&
      typeof x === "object" &&
      x["kty"] === "EC" &&
      x["crv"] === "P-256" &&
      typeof x["x"] === "string" &&
      typeof x["y"] === "string" &&
      (x["use"] === undefined || x["use"] === "enc") &&
      (x["alg"] === undefined || x["alg"] === "ECDH-ES"),
  );
  if (k === undefined) return { ok: false, reason: "direct_post.jwt without a P-256 ECDH-ES key in client_metadata.jwks" };
  const offered = Array.isArray(m.encrypted_response_enc_values_supported) ? (m.encrypted_response_enc_values_supported as unknown[]) : ["A128GCM"];
  const enc: ResponseEnc | undefined = offered.includes("A128GCM") ? "A128GCM" : offered.includes("A256GCM") ? "A256GCM" : undefined;
  if (enc === undefined) return { ok: false, reason: "direct_post.jwt with no content encryption this wallet makes (A128GCM, A256GCM)" };
  return { ok: true, key: { x: k["x"] as string, y: k["y"] as string, ...(typeof k["kid"] === "string" ? { kid: k["kid"] } : {}) }, enc };
}
