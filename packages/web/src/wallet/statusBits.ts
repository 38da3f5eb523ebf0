/** Pure helpers for the wallet's local status check. */

/** Decodes base64 (standard alphabet) to bytes. */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Entry `index` of a status list in the services' byte order (bit `index mod 8` of byte `floor(index / 8)`,
 * which is the contract's bit `index mod 256` of word `floor(index / 256)`); `undefined` when out of range.
 *
 * @example
 * ```ts
 * statusBit(Uint8Array.of(0b0000_0100), 2) // true
 * ```
 */
export function statusBit(bits: Uint8Array, index: number): boolean | undefined {
  if (!Number.isSafeInteger(index) || index < 0 || index >= bits.length * 8) return undefined;
  return (((bits[index >>> 3] ?? 0) >>> (index & 7)) & 1) === 1;
}
