/**
 * The at-rest envelope shared by wallet files and backups (format version 1; see README "At-rest format").
 * Pure: bytes in, bytes out, @noble only, no Node built-ins, so the browser wallet uses this same module.
 *
 * Layout (big-endian):
 *
 *   0      4  magic "MIDW"
 *   4      1  format version (1)
 *   5      1  kind (1 = wallet file, 2 = backup)
 *   6      1  KDF id (1 = scrypt)
 *   7      1  log2(N)
 *   8      1  r
 *   9      1  p
 *   10     1  salt length S (16..64)
 *   11     S  salt
 *   11+S   1  cipher id (1 = XChaCha20-Poly1305)
 *   12+S  24  nonce
 *   36+S  16  passphrase check value
 *   52+S   8  generation (u64)
 *   60+S   4  ciphertext length L (including the 16-byte tag)
 *   64+S   L  ciphertext
 *   …     32  SHA-256 of every byte before it
 *
 * The associated data of the AEAD is the whole header (bytes 0 .. 64+S), so the version, kind, KDF parameters,
 * salt and generation cannot be changed without the tag failing. The trailing SHA-256 is not a security
 * control (anyone can recompute it); it makes accidental damage and naive edits report WALLET_TAMPERED
 * before any key derivation, instead of looking like a wrong passphrase.
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha";
import { equalBytes } from "@noble/ciphers/utils";
import { sha256 } from "@noble/hashes/sha2";
import { randomBytes } from "@noble/hashes/utils";
import { MobileIdError } from "@mobile-id/core/browser";
import { walletError } from "./errors.ts";
import { type DerivedKeys, type KdfFloor, type ScryptParameters, checkKdfParameters, deriveKeys } from "./kdf.ts";

export const ENVELOPE_MAGIC = Uint8Array.of(0x4d, 0x49, 0x44, 0x57); // "MIDW"
export const ENVELOPE_VERSION = 1;
export const EnvelopeKind = { WALLET: 1, BACKUP: 2 } as const;
export type EnvelopeKind = (typeof EnvelopeKind)[keyof typeof EnvelopeKind];
const KDF_SCRYPT = 1;
const CIPHER_XCHACHA20_POLY1305 = 1;
const NONCE_BYTES = 24;
const CHECK_BYTES = 16;
const TAG_BYTES = 16;
const DIGEST_BYTES = 32;
/** Plaintext is padded to a multiple of this, so the file size tells little about how many credentials it holds. */
export const PADDING_BLOCK = 1024;
/** No wallet needs more; a larger length field is damage, and we refuse before allocating. */
const MAX_CIPHERTEXT = 16 * 1024 * 1024;

/** What can be read from an envelope without the passphrase (after its integrity checksum). */
export interface EnvelopeHeader {
  readonly version: number;
  readonly kind: EnvelopeKind;
  readonly kdf: ScryptParameters;
  readonly generation: number;
  readonly nonce: Uint8Array;
  readonly passphraseCheck: Uint8Array;
  /** The bytes bound as associated data. */
  readonly aad: Uint8Array;
  readonly ciphertext: Uint8Array;
}

const kindName = (kind: number): string => (kind === EnvelopeKind.WALLET ? "wallet file" : kind === EnvelopeKind.BACKUP ? "backup" : `kind ${kind}`);

const tampered = (reason: string) =>
  walletError("WALLET_TAMPERED", "not an intact mobile-id wallet or backup file", {
    details: { reason },
    hint: "restore the file from a backup",
  });

/**
 * Parses and checks an envelope's framing and header against `floor`, without the passphrase. Throws
 * `WALLET_TAMPERED`, `WALLET_VERSION_UNSUPPORTED`, `WALLET_KIND_MISMATCH`, `WALLET_KDF_TOO_WEAK` or
 * `WALLET_KDF_UNSUPPORTED`. Never throws anything else for any input bytes.
 */
export function readEnvelopeHeader(bytes: Uint8Array, expected: { readonly kind: EnvelopeKind; readonly floor: KdfFloor }): EnvelopeHeader {
  if (!(bytes instanceof Uint8Array)) throw tampered("not bytes");
  const minimum = 11 + 1 + NONCE_BYTES + CHECK_BYTES + 8 + 4 + TAG_BYTES + DIGEST_BYTES;
  if (bytes.length < minimum) throw tampered("truncated");
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  if (!equalBytes(sha256(body), bytes.subarray(bytes.length - DIGEST_BYTES))) throw tampered("checksum");
  if (!equalBytes(bytes.subarray(0, 4), ENVELOPE_MAGIC)) throw tampered("magic");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== ENVELOPE_VERSION) {
    throw walletError("WALLET_VERSION_UNSUPPORTED", `format version ${version} is not supported`, {
      details: { version, supported: [ENVELOPE_VERSION] },
      hint: "update the wallet software",
    });
  }
  const kind = view.getUint8(5);
  if (kind !== EnvelopeKind.WALLET && kind !== EnvelopeKind.BACKUP) throw tampered("kind");
  if (kind !== expected.kind) {
    throw walletError("WALLET_KIND_MISMATCH", `expected a ${kindName(expected.kind)}, got a ${kindName(kind)}`, {
      details: { expected: expected.kind, found: kind },
    });
  }
  const kdfId = view.getUint8(6);
  if (kdfId !== KDF_SCRYPT) throw walletError("WALLET_KDF_UNSUPPORTED", `unknown KDF ${kdfId}`, { details: { kdfId } });
  const log2N = view.getUint8(7);
  const r = view.getUint8(8);
  const p = view.getUint8(9);
  const saltBytes = view.getUint8(10);
  checkKdfParameters({ log2N, r, p, saltBytes }, expected.floor);
  let at = 11;
  const headerLength = at + saltBytes + 1 + NONCE_BYTES + CHECK_BYTES + 8 + 4;
  if (body.length < headerLength + TAG_BYTES) throw tampered("truncated");
  const salt = bytes.slice(at, at + saltBytes);
  at += saltBytes;
  const cipherId = view.getUint8(at);
  if (cipherId !== CIPHER_XCHACHA20_POLY1305) {
    throw walletError("WALLET_KDF_UNSUPPORTED", `unknown cipher ${cipherId}`, { details: { cipherId } });
  }
  at += 1;
  const nonce = bytes.slice(at, at + NONCE_BYTES);
  at += NONCE_BYTES;
  const passphraseCheck = bytes.slice(at, at + CHECK_BYTES);
  at += CHECK_BYTES;
  const generation = view.getBigUint64(at);
  at += 8;
  const length = view.getUint32(at);
  at += 4;
  if (generation > BigInt(Number.MAX_SAFE_INTEGER)) throw tampered("generation");
  if (length < TAG_BYTES || length > MAX_CIPHERTEXT || at + length !== body.length) throw tampered("length");
  return {
    version,
    kind,
    kdf: { log2N, r, p, salt },
    generation: Number(generation),
    nonce,
    passphraseCheck,
    aad: bytes.slice(0, at),
    ciphertext: bytes.slice(at, at + length),
  };
}

/**
 * Encrypts `plaintext` (padded with spaces to {@link PADDING_BLOCK}) under `keys` with a fresh random nonce.
 * Callers pass JSON, for which trailing spaces are insignificant.
 */
export function sealEnvelope(params: {
  readonly kind: EnvelopeKind;
  readonly generation: number;
  readonly keys: DerivedKeys;
  readonly plaintext: Uint8Array;
}): Uint8Array {
  const { kind, generation, keys } = params;
  if (!Number.isSafeInteger(generation) || generation < 0) {
    throw new MobileIdError("INVALID_ARGUMENT", "generation out of range", { details: { generation } });
  }
  const padded = new Uint8Array(Math.ceil((params.plaintext.length + 1) / PADDING_BLOCK) * PADDING_BLOCK).fill(0x20);
  padded.set(params.plaintext);
  const { salt } = keys.kdf;
  const headerLength = 11 + salt.length + 1 + NONCE_BYTES + CHECK_BYTES + 8 + 4;
  const length = padded.length + TAG_BYTES;
  const out = new Uint8Array(headerLength + length + DIGEST_BYTES);
  const view = new DataView(out.buffer);
  out.set(ENVELOPE_MAGIC, 0);
  view.setUint8(4, ENVELOPE_VERSION);
  view.setUint8(5, kind);
  view.setUint8(6, KDF_SCRYPT);
  view.setUint8(7, keys.kdf.log2N);
  view.setUint8(8, keys.kdf.r);
  view.setUint8(9, keys.kdf.p);
  view.setUint8(10, salt.length);
  let at = 11;
  out.set(salt, at);
  at += salt.length;
  view.setUint8(at, CIPHER_XCHACHA20_POLY1305);
  at += 1;
  // 24 random bytes: XChaCha20's nonce is long enough that random nonces never collide in practice, so
  // re-encrypting under the same key on every save is safe.
  const nonce = randomBytes(NONCE_BYTES);
  out.set(nonce, at);
  at += NONCE_BYTES;
  out.set(keys.passphraseCheck, at);
  at += CHECK_BYTES;
  view.setBigUint64(at, BigInt(generation));
  at += 8;
  view.setUint32(at, length);
  at += 4;
  const aad = out.slice(0, at);
  const ciphertext = xchacha20poly1305(keys.encryptionKey, nonce, aad).encrypt(padded);
  padded.fill(0);
  out.set(ciphertext, at);
  at += ciphertext.length;
  out.set(sha256(out.subarray(0, at)), at);
  return out;
}

/**
 * Decrypts an envelope. Either the passphrase (one scrypt run) or keys already derived for this file's salt and
 * cost (an open session re-reading its own file). All checks finish before any plaintext is returned.
 * Throws `WALLET_PASSPHRASE_INVALID` when the check value disagrees, `WALLET_TAMPERED` when it agrees but the
 * AEAD tag fails, plus everything {@link readEnvelopeHeader} throws.
 */
export async function openEnvelope(params: {
  readonly bytes: Uint8Array;
  readonly kind: EnvelopeKind;
  readonly floor: KdfFloor;
  readonly passphrase: string;
}): Promise<{ readonly header: EnvelopeHeader; readonly keys: DerivedKeys; readonly plaintext: Uint8Array }> {
  const header = readEnvelopeHeader(params.bytes, { kind: params.kind, floor: params.floor });
  const keys = await deriveKeys(params.passphrase, header.kdf);
  if (!equalBytes(keys.passphraseCheck, header.passphraseCheck)) {
    keys.encryptionKey.fill(0);
    throw walletError("WALLET_PASSPHRASE_INVALID", "the passphrase does not open this file");
  }
  let plaintext: Uint8Array;
  try {
    plaintext = xchacha20poly1305(keys.encryptionKey, header.nonce, header.aad).decrypt(header.ciphertext);
  } catch {
    keys.encryptionKey.fill(0);
    throw tampered("authentication tag");
  }
  return { header, keys, plaintext };
}
