import { ECDH } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3";
import { type EthrDid, matchEthrDid } from "../did.ts";
import { toChecksumAddress } from "./checksum.ts";

export { toChecksumAddress };

/**
 * `parseEthrDid` (core `did.ts`) for the verification hot path: the same answers, computed with OpenSSL's point
 * decompression and @noble/hashes' keccak instead of ethers' JavaScript point arithmetic (≈ 60 µs instead of
 * ≈ 150 µs per public-key DID), and remembered per DID string (a holder's DID appears twice in every
 * presentation; issuers' DIDs in every one). The property test checks it against `parseEthrDid`. Both read
 * the one did:ethr grammar, `matchEthrDid` in `did.ts`. Node-only (node:crypto): not in the browser entry.
 */

const CACHE_MAX = 4096;
const cache = new Map<string, EthrDid | null>();
/** The uncompressed point of each public-key DID parsed here (65 bytes), for callers that import the key. */
const points = new WeakMap<EthrDid, Uint8Array>();

/**
 * The uncompressed public key (65 bytes, `04 || x || y`) of a public-key DID returned by
 * {@link parseEthrDidFast}, already computed while parsing; `undefined` for other DIDs. Saves a verifier a
 * second point decompression when it imports the key.
 *
 * @example
 * ```ts
 * const point = uncompressedPublicKeyOf(parseEthrDidFast(did)!);
 * ```
 */
export function uncompressedPublicKeyOf(did: EthrDid): Uint8Array | undefined {
  return points.get(did);
}

/** The uncompressed point of a compressed secp256k1 key (`0x02…`/`0x03…`), or `undefined` if it is not on the curve. */
function decompress(compressedKey: string): Buffer | undefined {
  try {
    return ECDH.convertKey(Buffer.from(compressedKey.slice(2), "hex"), "secp256k1", undefined, undefined, "uncompressed") as Buffer;
  } catch {
    return undefined; // not a point on the curve
  }
}

function compute(did: string): EthrDid | null {
  const m = matchEthrDid(did);
  if (m === undefined) return null;
  const { chainId, id } = m;
  if (id.length === 42) return { did, chainId, address: toChecksumAddress(id.slice(2).toLowerCase()) };
  const uncompressed = decompress(id);
  if (uncompressed === undefined) return null;
  const address = Buffer.from(keccak_256(uncompressed.subarray(1)).subarray(12)).toString("hex");
  const parsed: EthrDid = { did, chainId, address: toChecksumAddress(address), publicKey: id.toLowerCase() };
  points.set(parsed, uncompressed);
  return parsed;
}

/**
 * A `did:ethr` with an explicit chain id, parsed as `parseEthrDid` does (address checksummed; for a
 * public-key DID the key's address and the key), or `undefined`. Results are cached (bounded).
 *
 * @example
 * ```ts
 * parseEthrDidFast("did:ethr:0x7a69:0x02…")?.address
 * ```
 */
export function parseEthrDidFast(did: string): EthrDid | undefined {
  let r = cache.get(did);
  if (r === undefined) {
    r = compute(did);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(did, r);
  }
  return r ?? undefined;
}

/**
 * Whether `did` is a public-key `did:ethr` of chain `chainId` whose key is a point of secp256k1: the answer
 * `parseEthrDidFast(did)?.publicKey !== undefined && …chainId === chainId` gives, without hashing the key to an
 * address or caching (≈ 25 µs instead of ≈ 50 µs for a DID seen once, as an issuer sees each holder's DID).
 *
 * @example
 * ```ts
 * isPublicKeyEthrDid("did:ethr:0x7a69:0x02…", 31337) // true
 * ```
 */
export function isPublicKeyEthrDid(did: string, chainId: bigint | number): boolean {
  const m = matchEthrDid(did);
  return m !== undefined && m.id.length === 68 && m.chainId === BigInt(chainId) && decompress(m.id) !== undefined;
}
