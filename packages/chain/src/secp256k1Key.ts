import { SigningKey, computeAddress, getAddress } from "ethers";

/** A secp256k1 key held in memory, reduced to what a JWT signer needs. */
export interface Secp256k1Key {
  /** The key's checksummed Ethereum address. */
  readonly address: string;
  /** ECDSA over a 32-byte digest: RFC 6979 deterministic nonce, low-S; `r` and `s` as 0x + 64 hex digits. */
  signDigest(digest: Uint8Array): { readonly r: string; readonly s: string };
}

/**
 * Wraps a private key (0x + 64 hex digits) for signing digests, so that key handling stays inside the
 * ledger package.
 *
 * @example
 * ```ts
 * const key = secp256k1Key(process.env.ISSUER_SIGNING_KEY!);
 * const { r, s } = key.signDigest(createHash("sha256").update(data).digest());
 * ```
 */
export function secp256k1Key(privateKey: string): Secp256k1Key {
  const key = new SigningKey(privateKey);
  return {
    address: getAddress(computeAddress(key.publicKey)),
    signDigest: (digest) => {
      const signature = key.sign(digest);
      return { r: signature.r, s: signature.s };
    },
  };
}
