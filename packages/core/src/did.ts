import { SigningKey, computeAddress, getAddress, isAddress, isHexString } from "ethers";
import { MobileIdError } from "./errors.ts";

/** A parsed `did:ethr` identifier. */
export interface EthrDid {
  readonly did: string;
  readonly chainId: bigint;
  /** The ERC-1056 identity address, checksummed (for a public-key DID: the address of that key). */
  readonly address: string;
  /** For a public-key DID (`did:ethr:<chain>:0x02…`): the compressed secp256k1 key, lower-case hex. */
  readonly publicKey?: string;
}

// The did:ethr grammar, written once: every parser of a did:ethr (`parseEthrDid` here, `parseEthrDidFast` and
// `isPublicKeyEthrDid` in formats/ethrDid.ts, the web issuer form's input pattern) reads it from here.
const CHAIN_ID = "0x[0-9a-fA-F]{1,16}";
const ADDRESS = "0x[0-9a-fA-F]{40}";
const COMPRESSED_KEY = "0x0[23][0-9a-fA-F]{64}";
const DID_ETHR = new RegExp(`^did:ethr:(?:(${CHAIN_ID}):)?(${ADDRESS}|${COMPRESSED_KEY})$`);

/**
 * A public-key `did:ethr` with a chain id, as a pattern without anchors (for an HTML `pattern` attribute, which
 * anchors it). Syntax only: whether the key is a point of secp256k1 is checked by the parsers.
 *
 * @example
 * ```ts
 * h("input", { pattern: PUBLIC_KEY_ETHR_DID_PATTERN })
 * ```
 */
export const PUBLIC_KEY_ETHR_DID_PATTERN = `did:ethr:${CHAIN_ID}:${COMPRESSED_KEY}`;

/** The syntax step shared by every did:ethr parser: the chain id and the identifier (address or compressed key). */
export interface EthrDidSyntax {
  readonly chainId: bigint;
  /** `0x` + 40 hex digits (an address, case as written) or `0x02`/`0x03` + 64 hex digits (a compressed key). */
  readonly id: string;
}

/**
 * Splits a `did:ethr` with an explicit chain id into chain id and identifier, without checking the identifier
 * further (checksum, curve point). `undefined` for anything else, including a DID without a chain id (mainnet).
 * Used by `parseEthrDid` and core's Node-only fast parsers; call those, not this, to accept a DID.
 *
 * @example
 * ```ts
 * matchEthrDid("did:ethr:0x7a69:0xf39f...")?.chainId // 31337n
 * ```
 */
export function matchEthrDid(did: string): EthrDidSyntax | undefined {
  const m = DID_ETHR.exec(did);
  if (m === null || m[1] === undefined || m[2] === undefined) return undefined;
  return { chainId: BigInt(m[1]), id: m[2] };
}

/**
 * The `did:ethr` of `address` on chain `chainId`, in the form ethr-did-resolver expects for a chain it
 * knows by id: `did:ethr:0x<chainId hex>:0x<address>`.
 *
 * @example
 * ```ts
 * toEthrDid(31337n, "0xf39F...") // "did:ethr:0x7a69:0xf39f..."
 * ```
 */
export function toEthrDid(chainId: bigint | number, address: string): string {
  if (!isAddress(address)) {
    throw new MobileIdError("INVALID_ARGUMENT", "not an Ethereum address", { details: { address } });
  }
  return `did:ethr:0x${BigInt(chainId).toString(16)}:${getAddress(address).toLowerCase()}`;
}

/**
 * The public-key form of `did:ethr` for a secp256k1 key: `did:ethr:0x<chain>:0x02…` (compressed). Its
 * ERC-1056 identity is the key's address, so it rotates like any other did:ethr, and a verifier gets the key
 * from the DID itself instead of recovering it from a signature. Holders' wallets use this form.
 *
 * @example
 * ```ts
 * toPublicKeyEthrDid(31337, wallet.signingKey.publicKey)
 * ```
 */
export function toPublicKeyEthrDid(chainId: bigint | number, publicKey: string): string {
  if (!isHexString(publicKey) || (publicKey.length !== 68 && publicKey.length !== 132)) {
    throw new MobileIdError("INVALID_ARGUMENT", "not a secp256k1 public key", { details: { publicKey } });
  }
  const compressed = SigningKey.computePublicKey(publicKey, true).toLowerCase();
  return `did:ethr:0x${BigInt(chainId).toString(16)}:${compressed}`;
}

/**
 * Parses a `did:ethr` with an explicit chain id. A DID without one means Ethereum mainnet in the
 * did:ethr method; mobile-id never uses mainnet, so such a DID is refused rather than guessed at.
 * Returns `undefined` for anything that is not such a DID.
 *
 * @example
 * ```ts
 * parseEthrDid("did:ethr:0x7a69:0xf39f...")?.chainId // 31337n
 * ```
 */
export function parseEthrDid(did: string): EthrDid | undefined {
  const m = matchEthrDid(did);
  if (m === undefined) return undefined;
  const { chainId, id } = m;
  if (id.length === 42) return { did, chainId, address: getAddress(id) };
  let address: string;
  try {
    address = computeAddress(id);
  } catch {
    return undefined; // not a point on the curve
  }
  return { did, chainId, address, publicKey: id.toLowerCase() };
}
