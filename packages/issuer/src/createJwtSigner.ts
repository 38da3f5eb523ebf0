import { type JwsKeySigner, createNodeEs256kSigner } from "@mobile-id/core";
import { secp256k1Key } from "@mobile-id/chain";

/**
 * The key that signs credential JWTs (ES256K): the issuer identity's owner key, or, better, a key the owner
 * delegated as `veriKey` in the ERC-1056 registry, so that the owner key can stay offline. It is a core
 * {@link JwsKeySigner} (the JWT-VC format module signs through it, adding the `kid`), so a key held in an HSM or KMS
 * fits as long as `sign` returns the raw 64-byte `r || s` over SHA-256 of the signing input.
 */
export interface IssuerJwtSigner extends JwsKeySigner {
  /** The signing key's Ethereum address (checked against the DID registry before issuing). */
  readonly address: string;
}

/**
 * An {@link IssuerJwtSigner} for a secp256k1 private key held in memory: core's `createNodeEs256kSigner` (SHA-256
 * by Node's native crypto, ECDSA by ethers' `SigningKey`, RFC 6979 deterministic nonces, low-S; the same
 * signatures as did-jwt's `ES256KSigner`), with the key's address.
 *
 * @example
 * ```ts
 * const jwtSigner = createJwtSigner(process.env.ISSUER_SIGNING_KEY!); // 0x + 64 hex digits
 * ```
 */
export function createJwtSigner(privateKey: string): IssuerJwtSigner {
  const signer = createNodeEs256kSigner(privateKey);
  return { alg: signer.alg, sign: signer.sign, address: secp256k1Key(privateKey).address };
}
