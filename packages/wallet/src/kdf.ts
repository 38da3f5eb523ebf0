/**
 * The passphrase KDF: scrypt (RFC 7914), then HKDF-SHA-256 to split the result into an encryption key and a
 * passphrase check value. Pure @noble code with no Node built-ins, so the browser wallet runs the very same
 * module.
 */
import { expand } from "@noble/hashes/hkdf";
import { scryptAsync } from "@noble/hashes/scrypt";
import { sha256 } from "@noble/hashes/sha2";
import { randomBytes } from "@noble/hashes/utils";
import { walletError } from "./errors.ts";

/** The cost of one scrypt run. N = 2^log2N; memory is 128·r·N bytes (128 MiB at the default). */
export interface ScryptCost {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/** scrypt parameters as stored in a file: the cost plus the salt. */
export interface ScryptParameters extends ScryptCost {
  readonly salt: Uint8Array;
}

/** The least cost a file may have to be created or opened. */
export interface KdfFloor {
  readonly minLog2N: number;
  readonly minR: number;
  readonly minP: number;
  readonly minSaltBytes: number;
}

/**
 * The production floor: scrypt N >= 2^17, r >= 8, p >= 1, salt >= 16 bytes (OWASP's scrypt minimum for
 * N = 2^17 is r = 8, p = 1). Every create, open, export and import enforces it unless a caller injects a lower
 * floor explicitly (`unsafeKdfFloor`, meant for tests only).
 *
 * @example
 * ```ts
 * PRODUCTION_KDF_FLOOR.minLog2N // 17
 * ```
 */
export const PRODUCTION_KDF_FLOOR: KdfFloor = Object.freeze({ minLog2N: 17, minR: 8, minP: 1, minSaltBytes: 16 });

/**
 * The cost new files get by default: exactly the floor. Higher costs are accepted up to the ceiling.
 *
 * @example
 * ```ts
 * await createWallet({ storage, passphrase, chainId: 31337, kdf: DEFAULT_KDF_COST });
 * ```
 */
export const DEFAULT_KDF_COST: ScryptCost = Object.freeze({ log2N: 17, r: 8, p: 1 });

/** Salt length written by this code. */
export const SALT_BYTES = 16;

/**
 * The ceiling: a file naming a larger cost is refused before any work, so that a modified file cannot make the
 * device allocate gigabytes or spin for minutes. 1 GiB of memory (128·r·N) and 64 times the default work.
 */
const MAX_LOG2N = 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 2 ** 30;
const MAX_WORK = 2 ** 17 * 8 * 1 * 64;
const MAX_SALT_BYTES = 64;

/** Passphrases shorter than this (NFKC code points) are refused for new files. */
export const MIN_PASSPHRASE_LENGTH = 8;

/**
 * Refuses KDF parameters below `floor` (`WALLET_KDF_TOO_WEAK`) or above the ceiling (`WALLET_KDF_UNSUPPORTED`).
 * Floors lower than the production floor are honoured only because a caller passed one explicitly.
 */
export function checkKdfParameters(params: ScryptCost & { readonly saltBytes: number }, floor: KdfFloor): void {
  const { log2N, r, p, saltBytes } = params;
  const details = { log2N, r, p, saltBytes };
  if (![log2N, r, p, saltBytes].every((v) => Number.isSafeInteger(v) && v >= 0)) {
    throw walletError("WALLET_KDF_UNSUPPORTED", "KDF parameters are not integers", { details });
  }
  if (log2N < floor.minLog2N || r < floor.minR || p < floor.minP || p < 1 || saltBytes < floor.minSaltBytes) {
    throw walletError("WALLET_KDF_TOO_WEAK", "KDF parameters are below the floor", {
      details: { ...details, floor: { ...floor } },
      hint: "a legacy file: open it once with an explicit lower floor, then changePassphrase re-encrypts it at the current cost",
    });
  }
  const N = 2 ** log2N;
  if (log2N > MAX_LOG2N || r > MAX_R || p > MAX_P || saltBytes > MAX_SALT_BYTES || 128 * r * N > MAX_MEMORY || N * r * p > MAX_WORK) {
    throw walletError("WALLET_KDF_UNSUPPORTED", "KDF parameters exceed the resource ceiling", { details });
  }
}

/** The NFKC-normalised passphrase as UTF-8: Hangul typed as composed or decomposed jamo gives the same key. */
export function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== "string" || passphrase.length === 0) {
    throw walletError("WALLET_PASSPHRASE_INVALID", "passphrase is empty");
  }
  return new TextEncoder().encode(passphrase.normalize("NFKC"));
}

/** Refuses a passphrase too short for a new file. */
export function checkNewPassphrase(passphrase: string): void {
  if (typeof passphrase !== "string" || [...passphrase.normalize("NFKC")].length < MIN_PASSPHRASE_LENGTH) {
    throw walletError("WALLET_PASSPHRASE_TOO_WEAK", `passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
}

/** What one KDF run yields. `encryptionKey` is zeroed by {@link wipeKeys}. */
export interface DerivedKeys {
  readonly kdf: ScryptParameters;
  readonly encryptionKey: Uint8Array;
  readonly passphraseCheck: Uint8Array;
}

const INFO_KEY = new TextEncoder().encode("mobile-id wallet v1 encryption key");
const INFO_CHECK = new TextEncoder().encode("mobile-id wallet v1 passphrase check");

/** scrypt then HKDF-Expand-SHA-256 into a 32-byte XChaCha20-Poly1305 key and a 16-byte check value. */
export async function deriveKeys(passphrase: string, kdf: ScryptParameters): Promise<DerivedKeys> {
  const password = passphraseBytes(passphrase);
  const N = 2 ** kdf.log2N;
  const prk = await scryptAsync(password, kdf.salt, {
    N,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32,
    maxmem: 128 * kdf.r * N + 2 ** 20,
  });
  password.fill(0);
  const encryptionKey = expand(sha256, prk, INFO_KEY, 32);
  const passphraseCheck = expand(sha256, prk, INFO_CHECK, 16);
  prk.fill(0);
  return { kdf: { log2N: kdf.log2N, r: kdf.r, p: kdf.p, salt: Uint8Array.from(kdf.salt) }, encryptionKey, passphraseCheck };
}

/** A fresh salt and the given cost, after checking the cost against `floor`. */
export function newScryptParameters(cost: ScryptCost, floor: KdfFloor): ScryptParameters {
  checkKdfParameters({ ...cost, saltBytes: SALT_BYTES }, floor);
  return { log2N: cost.log2N, r: cost.r, p: cost.p, salt: randomBytes(SALT_BYTES) };
}

/** Overwrites the key material in memory (best effort: JavaScript may have copied it). */
export function wipeKeys(keys: DerivedKeys): void {
  keys.encryptionKey.fill(0);
  keys.passphraseCheck.fill(0);
}
