import { getAddress, isAddress } from "ethers";
import { MobileIdError } from "./errors.ts";

/** A parsed `did:ethr` identifier. */
export interface EthrDid {
  readonly did: string;
  readonly chainId: bigint;
  /** The ERC-1056 identity address, checksummed. */
  readonly address: string;
}

const DID_ETHR = /^did:ethr:(?:(0x[0-9a-fA-F]{1,16}):)?(0x[0-9a-fA-F]{40})$/;

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
  const m = DID_ETHR.exec(did);
  if (m === null || m[1] === undefined || m[2] === undefined) return undefined;
  return { did, chainId: BigInt(m[1]), address: getAddress(m[2]) };
}
