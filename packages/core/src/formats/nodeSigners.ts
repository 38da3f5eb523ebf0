import { type JsonWebKey, KeyObject, createHash, createPrivateKey, sign as nodeSign } from "node:crypto";
import { MobileIdError } from "../errors.ts";
import { rawSignature, secp256k1Key } from "./signers.ts";
import type { JwsKeySigner } from "./types.ts";

// Node-only signers (node:crypto): exported from `@mobile-id/core`, never from `@mobile-id/core/browser`.

/**
 * An ES256K signer for a secp256k1 private key in memory: SHA-256 by Node's native crypto, ECDSA by ethers'
 * `SigningKey` (RFC 6979, low-S): the same signatures as `createEs256kSigner` and did-jwt's `ES256KSigner`, with
 * ~7% less CPU (their SHA-256 is JavaScript; signing is the bulk of issuance cost). The issuer's path.
 *
 * @example
 * ```ts
 * const signer = { ...createNodeEs256kSigner(process.env.ISSUER_SIGNING_KEY!), kid };
 * ```
 */
export function createNodeEs256kSigner(privateKey: string | Uint8Array): JwsKeySigner & { readonly publicKey: string } {
  const key = secp256k1Key(privateKey);
  return {
    alg: "ES256K",
    publicKey: key.publicKey,
    sign: async (signingInput) => {
      const sig = key.sign(createHash("sha256").update(signingInput).digest());
      return rawSignature(sig.r, sig.s);
    },
  };
}

/**
 * An ES256 signer (ECDSA P-256, SHA-256) for a Node key: a `KeyObject`, a PEM string or a private JWK. Returns
 * IEEE P1363 `r || s` as JWS requires (not DER).
 *
 * @example
 * ```ts
 * const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
 * const signer = { ...createNodeEs256Signer(privateKey), kid: "did:web:issuer.example#key-1" };
 * ```
 */
export function createNodeEs256Signer(privateKey: KeyObject | string | JsonWebKey): JwsKeySigner {
  let key: KeyObject;
  try {
    key =
      privateKey instanceof KeyObject
        ? privateKey
        : typeof privateKey === "string"
          ? createPrivateKey(privateKey)
          : createPrivateKey({ key: privateKey, format: "jwk" });
  } catch {
    throw new MobileIdError("INVALID_ARGUMENT", "not a private key");
  }
  if (key.type !== "private" || key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new MobileIdError("INVALID_ARGUMENT", "an ES256 signer needs a P-256 private key");
  }
  return {
    alg: "ES256",
    sign: async (signingInput) => new Uint8Array(nodeSign("sha256", signingInput, { key, dsaEncoding: "ieee-p1363" })),
  };
}
