import { ZeroAddress, encodeBytes32String, getAddress, isAddress as ethersIsAddress, isHexString } from "ethers";

/**
 * Address and bytes32 helpers for the packages that reach the ledger only through `@mobile-id/chain` (issuer,
 * auditor): one place that knows how the ledger spells an address, so that none of them imports ethers.
 */

/** The zero address, checksummed (`0x000…0`): "nobody" in the contracts' events and records. */
export const ZERO_ADDRESS: string = ZeroAddress;

/**
 * The EIP-55 checksummed form of an address given in any case. Throws (ethers' `INVALID_ARGUMENT`) for
 * anything that is not a 20-byte hex address, or a mixed-case address whose checksum is wrong.
 *
 * @example
 * ```ts
 * checksumAddress("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc"); // "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"
 * ```
 */
export function checksumAddress(address: string): string {
  return getAddress(address);
}

/**
 * Whether `value` is an address {@link checksumAddress} accepts.
 *
 * @example
 * ```ts
 * isAddress("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc"); // true
 * ```
 */
export function isAddress(value: string): boolean {
  return ethersIsAddress(value);
}

/**
 * Whether `value` is `0x` followed by exactly 32 bytes of hex (a credential type id, a hash).
 *
 * @example
 * ```ts
 * isBytes32Hex(`0x${"11".repeat(32)}`); // true
 * ```
 */
export function isBytes32Hex(value: string): boolean {
  return isHexString(value, 32);
}

/**
 * Text of at most 31 UTF-8 bytes as a right-padded bytes32 (ERC-1056 delegate types such as `veriKey`).
 *
 * @example
 * ```ts
 * bytes32FromText("veriKey"); // "0x7665726920…00"
 * ```
 */
export function bytes32FromText(text: string): string {
  return encodeBytes32String(text);
}
