import { type KeyObject, createHash, createPublicKey, verify } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1";
import { keccak_256 } from "@noble/hashes/sha3";
import { LRUCache } from "lru-cache";

/**
 * ES256K as mobile-id uses it: ECDSA over secp256k1 with SHA-256, 64-byte r||s signatures, low-s only.
 *
 * Verification runs in OpenSSL (node:crypto) against a known public key. Public keys come from the DID itself
 * (holders' public-key DIDs) or, for address-only verification methods (an issuer's owner key, delegates),
 * are recovered once with @noble/curves and cached as address → key. The cache holds mathematical facts only
 * (an address is the hash of its key): whether an address may sign for an identity is decided from the
 * ledger on every verification, never from the cache.
 */

const N = secp256k1.CURVE.n;
const HALF_N = N >> 1n;
/** DER SubjectPublicKeyInfo prefixes for a compressed and an uncompressed secp256k1 point (id-ecPublicKey, secp256k1). */
const SPKI_COMPRESSED = Buffer.from("3036301006072a8648ce3d020106052b8104000a032200", "hex");
const SPKI_UNCOMPRESSED = Buffer.from("3056301006072a8648ce3d020106052b8104000a034200", "hex");

function readScalar(sig: Uint8Array, offset: number): bigint {
  return BigInt(`0x${Buffer.from(sig.buffer, sig.byteOffset + offset, 32).toString("hex")}`);
}

/**
 * `r` and `s` in range and `s` in the lower half: the one canonical form of a signature. A high-s twin
 * `(r, n - s)` verifies too; accepting both would give every token two encodings.
 *
 * @example
 * ```ts
 * isCanonicalSignature(signature) // false for a high-s signature
 * ```
 */
export function isCanonicalSignature(sig: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  const r = readScalar(sig, 0);
  const s = readScalar(sig, 32);
  return r > 0n && r < N && s > 0n && s <= HALF_N;
}

/** The Ethereum address of a public key (compressed or uncompressed bytes), checksummed-free lower case. */
export function addressOfPublicKey(publicKey: Uint8Array): string {
  const uncompressed = publicKey.length === 65 ? publicKey : secp256k1.ProjectivePoint.fromHex(publicKey).toRawBytes(false);
  return `0x${Buffer.from(keccak_256(uncompressed.subarray(1)).subarray(12)).toString("hex")}`;
}

/**
 * An OpenSSL key object for a secp256k1 public key, compressed (33 bytes) or uncompressed (65 bytes; imported
 * about twice as fast, as OpenSSL need not decompress the point).
 */
export function keyObjectOf(publicKey: Uint8Array): KeyObject {
  const prefix = publicKey.length === 65 ? SPKI_UNCOMPRESSED : SPKI_COMPRESSED;
  return createPublicKey({ key: Buffer.concat([prefix, publicKey]), format: "der", type: "spki" });
}

/** OpenSSL ECDSA verification of `signature` (r||s) over SHA-256(`signingInput`). Never throws. */
export function verifyEs256k(signingInput: string, signature: Uint8Array, key: KeyObject): boolean {
  try {
    return verify("sha256", Buffer.from(signingInput, "latin1"), { key, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}

/**
 * The candidate public keys (compressed) that `signature` could have come from, recovery id 0 then 1, computed
 * lazily (a caller that finds its signer with the first stops there: one point recovery instead of two).
 */
export function* recoverPublicKeys(signingInput: string, signature: Uint8Array): Generator<Uint8Array> {
  const digest = createHash("sha256").update(signingInput, "latin1").digest();
  let sig: ReturnType<typeof secp256k1.Signature.fromCompact>;
  try {
    sig = secp256k1.Signature.fromCompact(signature);
  } catch {
    return;
  }
  for (const bit of [0, 1]) {
    let key: Uint8Array | undefined;
    try {
      key = sig.addRecoveryBit(bit).recoverPublicKey(digest).toRawBytes(true);
    } catch {
      key = undefined; // no point for this recovery id
    }
    if (key !== undefined) yield key;
  }
}

/** A signer the verifier will accept for one signature: an address, and its public key when known. */
export interface SignerCandidate {
  /** Lower-case address. */
  readonly address: string;
  /** The public key (compressed or uncompressed), when the verification method names it (a public-key DID). */
  readonly publicKey?: Uint8Array;
}

/**
 * Verifies ES256K signatures against a set of acceptable signers, with an address → key cache (bounded LRU).
 *
 * @example
 * ```ts
 * const keys = new SignatureVerifier({ maxKeys: 10_000 });
 * const signer = keys.verify(signingInput, signature, [{ address: owner }]); // the matching address, or undefined
 * ```
 */
export class SignatureVerifier {
  readonly #byAddress: LRUCache<string, KeyObject>;

  constructor(options: { readonly maxKeys: number }) {
    this.#byAddress = new LRUCache({ max: options.maxKeys });
  }

  /**
   * The candidate that produced `signature` over `signingInput`, or `undefined`. Non-canonical (high-s)
   * signatures never verify. Candidates with a known key cost one OpenSSL verification each; recovery (two
   * point recoveries) runs only when some candidate's key is not known yet, and only for those candidates.
   */
  verify(signingInput: string, signature: Uint8Array, candidates: readonly SignerCandidate[]): string | undefined {
    if (!isCanonicalSignature(signature)) return undefined;
    let unknown = false;
    for (const c of candidates) {
      let key = this.#byAddress.get(c.address);
      if (key === undefined && c.publicKey !== undefined) {
        key = keyObjectOf(c.publicKey);
        this.#byAddress.set(c.address, key);
      }
      if (key === undefined) {
        unknown = true;
        continue;
      }
      if (verifyEs256k(signingInput, signature, key)) return c.address;
    }
    if (!unknown) return undefined;
    // Some acceptable signer is an address whose key we have not seen: recover, and learn the key if it matches.
    const wanted = new Set(candidates.filter((c) => !this.#byAddress.has(c.address)).map((c) => c.address));
    for (const publicKey of recoverPublicKeys(signingInput, signature)) {
      const address = addressOfPublicKey(publicKey);
      if (!wanted.has(address)) continue;
      const key = keyObjectOf(publicKey);
      // Recovery yields a key the signature verifies under; checking with OpenSSL too costs one verification
      // per new key and keeps a single implementation as the judge of validity.
      if (!verifyEs256k(signingInput, signature, key)) return undefined;
      this.#byAddress.set(address, key);
      return address;
    }
    return undefined;
  }
}
