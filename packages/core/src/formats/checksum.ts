import { keccak_256 } from "@noble/hashes/sha3";

// Browser-safe (no node: import): the status-entry writer and reader use it in the wallet too.

/**
 * EIP-55 checksum of 40 lower-case hex digits (no `0x`).
 *
 * @example
 * ```ts
 * toChecksumAddress("9965507d1a55bcc2695c58ba16fb37d819b0a4dc") // "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"
 * ```
 */
export function toChecksumAddress(lowerHex40: string): string {
  const hash = keccak_256(lowerHex40);
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const c = lowerHex40.charCodeAt(i);
    const nibble = ((hash[i >> 1] ?? 0) >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += c >= 0x61 && nibble >= 8 ? String.fromCharCode(c - 32) : lowerHex40[i];
  }
  return out;
}
