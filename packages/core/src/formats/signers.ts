import { secp256k1 } from "@noble/curves/secp256k1";
import { sha256 } from "@noble/hashes/sha2";
import { SigningKey } from "ethers";
import { MobileIdError } from "../errors.ts";
import type { JwsKeySigner } from "./types.ts";

// Browser-safe signers (no node: import): the wallet signs presentations with these, in Node and in the browser.
// Node-only counterparts that hash with OpenSSL live in nodeSigners.ts.

/** `r || s` of an ethers signature (each 32 bytes, big-endian) as 64 raw bytes. */
export function rawSignature(r: string, s: string): Uint8Array {
  const out = new Uint8Array(64);
  for (let i = 0; i < 32; i++) {
    out[i] = Number.parseInt(r.slice(2 + 2 * i, 4 + 2 * i), 16);
    out[32 + i] = Number.parseInt(s.slice(2 + 2 * i, 4 + 2 * i), 16);
  }
  return out;
}

/** ethers' SigningKey, with the library's message turned into one of ours (the key never appears in it). */
export function secp256k1Key(privateKey: string | Uint8Array): SigningKey {
  try {
    const key = new SigningKey(privateKey);
    // ethers checks the length only; 0 and values ≥ n are not keys.
    if (!secp256k1.utils.isValidPrivateKey(key.privateKey.slice(2))) throw new Error("out of range");
    return key;
  } catch {
    // No cause: the library's error may quote the key.
    throw new MobileIdError("INVALID_ARGUMENT", "not a secp256k1 private key");
  }
}

/**
 * An ES256K signer (ECDSA secp256k1 over SHA-256 of the signing input; RFC 6979 deterministic nonces, low-S) for a
 * private key in memory: the same signatures as did-jwt's `ES256KSigner`. Browser-safe (ethers + @noble/hashes);
 * in Node, `createNodeEs256kSigner` gives the same bytes with OpenSSL's SHA-256.
 *
 * @example
 * ```ts
 * const signer = { ...createEs256kSigner(privateKey), kid: `${did}#controller` };
 * ```
 */
export function createEs256kSigner(privateKey: string | Uint8Array): JwsKeySigner {
  const key = secp256k1Key(privateKey);
  return {
    alg: "ES256K",
    sign: async (signingInput) => {
      const sig = key.sign(sha256(signingInput));
      return rawSignature(sig.r, sig.s);
    },
  };
}

/**
 * An ES256 signer (ECDSA P-256 over SHA-256) for a WebCrypto private key, which may be non-extractable (as a
 * phone's or browser's key store keeps it). WebCrypto returns IEEE P1363 `r || s`, which is what JWS wants.
 * Browser-safe; Node 20+ has the same `crypto.subtle`.
 *
 * @example
 * ```ts
 * const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
 * const signer = { ...createWebCryptoEs256Signer(privateKey), kid: "holder-key" };
 * ```
 */
export function createWebCryptoEs256Signer(privateKey: CryptoKey): JwsKeySigner {
  const algorithm = privateKey.algorithm as EcKeyAlgorithm;
  if (privateKey.type !== "private" || algorithm.name !== "ECDSA" || algorithm.namedCurve !== "P-256" || !privateKey.usages.includes("sign")) {
    throw new MobileIdError("INVALID_ARGUMENT", "an ES256 signer needs an ECDSA P-256 private key usable for signing");
  }
  return {
    alg: "ES256",
    sign: async (signingInput) =>
      new Uint8Array(await globalThis.crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, signingInput as Uint8Array<ArrayBuffer>)),
  };
}
