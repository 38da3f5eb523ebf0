import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from "node:crypto";
import { decodeBase64url, encodeBase64url } from "@mobile-id/core";

/**
 * Encrypted responses (`response_mode=direct_post.jwt`, OpenID4VP 1.0 §8.3, HAIP): a JWE with `alg: ECDH-ES`
 * (direct key agreement, P-256, Concat KDF of RFC 7518 §4.6) and `enc: A128GCM` or `A256GCM`, to an ephemeral key
 * the verifier makes per request and publishes in `client_metadata.jwks`. Node's crypto only (jose cannot be
 * installed here, and ECDH-ES with AES-GCM is a page of code).
 */

/** The `enc` values accepted, strongest last. */
export const RESPONSE_ENC_VALUES = ["A128GCM", "A256GCM"] as const;
export type ResponseEnc = (typeof RESPONSE_ENC_VALUES)[number];
/** Largest JWE accepted (characters), checked before any decoding. */
export const MAX_RESPONSE_JWE_BYTES = 600_000;

export interface P256Jwk {
  readonly kty: "EC";
  readonly crv: "P-256";
  readonly x: string;
  readonly y: string;
  readonly d?: string;
  readonly kid?: string;
  readonly use?: "enc";
  readonly alg?: "ECDH-ES";
}

/**
 * A fresh P-256 key for one request's encrypted response: the private JWK (keep it with the request, never send
 * it) and the public JWK for `client_metadata.jwks` (`use: enc`, `alg: ECDH-ES`, a random `kid`).
 *
 * @example
 * ```ts
 * const { privateJwk, publicJwk } = createResponseEncryptionKey();
 * ```
 */
export function createResponseEncryptionKey(): { privateJwk: P256Jwk; publicJwk: P256Jwk } {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = privateKey.export({ format: "jwk" }) as { x: string; y: string; d: string };
  const kid = randomBytes(8).toString("base64url");
  const publicJwk: P256Jwk = { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid, use: "enc", alg: "ECDH-ES" };
  return { privateJwk: { ...publicJwk, d: jwk.d }, publicJwk };
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const lengthPrefixed = (bytes: Uint8Array) => Buffer.concat([u32(bytes.length), bytes]);

/** RFC 7518 §4.6.2: the content key of direct ECDH-ES (one SHA-256 round covers 128 and 256 bits). */
function concatKdf(z: Buffer, enc: ResponseEnc, apu: Uint8Array, apv: Uint8Array): Buffer {
  const bits = enc === "A128GCM" ? 128 : 256;
  const otherInfo = Buffer.concat([lengthPrefixed(Buffer.from(enc, "ascii")), lengthPrefixed(apu), lengthPrefixed(apv), u32(bits)]);
  return createHash("sha256").update(Buffer.concat([u32(1), z, otherInfo])).digest().subarray(0, bits / 8);
}

const publicKeyOf = (jwk: P256Jwk) => createPublicKey({ key: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, format: "jwk" });

/**
 * Encrypts `plaintext` to `recipient` as a compact JWE (`ECDH-ES`, `enc`), as a wallet does for `direct_post.jwt`.
 *
 * @example
 * ```ts
 * const jwe = encryptResponseJwe({ recipient: publicJwk, plaintext: JSON.stringify({ vp_token, state }), apv: nonce });
 * ```
 */
export function encryptResponseJwe(params: {
  readonly recipient: P256Jwk;
  readonly plaintext: string;
  readonly enc?: ResponseEnc;
  /** base64url */
  readonly apu?: string;
  /** base64url */
  readonly apv?: string;
}): string {
  const enc = params.enc ?? "A128GCM";
  const eph = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const epk = eph.publicKey.export({ format: "jwk" }) as { x: string; y: string };
  const z = diffieHellman({ privateKey: eph.privateKey, publicKey: publicKeyOf(params.recipient) });
  const apu = params.apu === undefined ? new Uint8Array() : (decodeBase64url(params.apu) ?? new Uint8Array());
  const apv = params.apv === undefined ? new Uint8Array() : (decodeBase64url(params.apv) ?? new Uint8Array());
  const cek = concatKdf(z, enc, apu, apv);
  const header = {
    alg: "ECDH-ES",
    enc,
    epk: { kty: "EC", crv: "P-256", x: epk.x, y: epk.y },
    ...(params.recipient.kid === undefined ? {} : { kid: params.recipient.kid }),
    ...(params.apu === undefined ? {} : { apu: params.apu }),
    ...(params.apv === undefined ? {} : { apv: params.apv }),
  };
  const protectedHeader = encodeBase64url(new TextEncoder().encode(JSON.stringify(header)));
  const iv = randomBytes(12);
  const cipher = createCipheriv(enc === "A128GCM" ? "aes-128-gcm" : "aes-256-gcm", cek, iv);
  cipher.setAAD(Buffer.from(protectedHeader, "ascii"));
  const ciphertext = Buffer.concat([cipher.update(params.plaintext, "utf8"), cipher.final()]);
  return `${protectedHeader}..${iv.toString("base64url")}.${ciphertext.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
}

/**
 * Decrypts a compact JWE of {@link encryptResponseJwe}'s form with the request's private key: `alg` must be
 * `ECDH-ES` (no encrypted key), `enc` one of {@link RESPONSE_ENC_VALUES}, `epk` a P-256 key, `kid` (when present)
 * the key's. `undefined` for anything else, a wrong key or a failed tag: the caller refuses with its code.
 *
 * @example
 * ```ts
 * const plaintext = decryptResponseJwe(form.response, request.responseEncryptionKey);
 * ```
 */
export function decryptResponseJwe(jwe: unknown, privateJwk: P256Jwk): string | undefined {
  if (typeof jwe !== "string" || jwe.length > MAX_RESPONSE_JWE_BYTES || privateJwk.d === undefined) return undefined;
  const parts = jwe.split(".");
  if (parts.length !== 5 || parts[1] !== "") return undefined;
  const [protectedHeader, , ivText, ctText, tagText] = parts as [string, string, string, string, string];
  try {
    const header = JSON.parse(Buffer.from(protectedHeader, "base64url").toString("utf8")) as Record<string, unknown>;
    const enc = header["enc"];
    const epk = header["epk"] as { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown } | undefined;
    if (header["alg"] !== "ECDH-ES" || !(RESPONSE_ENC_VALUES as readonly unknown[]).includes(enc)) return undefined;
    if (header["zip"] !== undefined || header["crit"] !== undefined) return undefined;
    if (header["kid"] !== undefined && header["kid"] !== privateJwk.kid) return undefined;
    if (epk?.kty !== "EC" || epk.crv !== "P-256" || typeof epk.x !== "string" || typeof epk.y !== "string") return undefined;
    const apu = typeof header["apu"] === "string" ? Buffer.from(header["apu"], "base64url") : new Uint8Array();
    const apv = typeof header["apv"] === "string" ? Buffer.from(header["apv"], "base64url") : new Uint8Array();
    const privateKey = createPrivateKey({ key: { kty: "EC", crv: "P-256", x: privateJwk.x, y: privateJwk.y, d: privateJwk.d }, format: "jwk" });
    // An epk off the curve makes createPublicKey throw: refused below.
    const z = diffieHellman({ privateKey, publicKey: publicKeyOf({ kty: "EC", crv: "P-256", x: epk.x, y: epk.y }) });
    const cek = concatKdf(z, enc as ResponseEnc, apu, apv);
    const iv = Buffer.from(ivText, "base64url");
    const tag = Buffer.from(tagText, "base64url");
    if (iv.length !== 12 || tag.length !== 16) return undefined;
    const decipher = createDecipheriv(enc === "A128GCM" ? "aes-128-gcm" : "aes-256-gcm", cek, iv);
    decipher.setAAD(Buffer.from(protectedHeader, "ascii"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ctText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
