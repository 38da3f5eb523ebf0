import type { Clock } from "@mobile-id/core/browser";
import { EnvelopeKind, openEnvelope } from "./envelope.ts";
import { walletError } from "./errors.ts";
import { type KdfFloor, PRODUCTION_KDF_FLOOR, wipeKeys } from "./kdf.ts";
import { type Wallet, newWallet } from "./session.ts";
import { decodeState } from "./state.ts";
import type { WalletStorage } from "./storage.ts";

export interface OpenWalletParameters {
  readonly storage: WalletStorage;
  readonly passphrase: string;
  /** Tests only: accept files below {@link PRODUCTION_KDF_FLOOR}. */
  readonly unsafeKdfFloor?: KdfFloor;
  readonly now?: Clock;
}

export type OpenWalletReturnType = Wallet;

/**
 * Decrypts the wallet in `storage`. Nothing is returned until every check has passed: the file's integrity,
 * its format version and kind, the KDF floor and ceiling (before any key derivation), the passphrase, the AEAD
 * tag, and the decrypted state's shape.
 *
 * Throws `WALLET_NOT_FOUND`, `WALLET_TAMPERED`, `WALLET_VERSION_UNSUPPORTED`, `WALLET_KIND_MISMATCH`,
 * `WALLET_KDF_TOO_WEAK`, `WALLET_KDF_UNSUPPORTED` or `WALLET_PASSPHRASE_INVALID`.
 *
 * @example
 * ```ts
 * const wallet = await openWallet({ storage: fileWalletStorage({ path }), passphrase });
 * ```
 */
export async function openWallet(params: OpenWalletParameters): Promise<OpenWalletReturnType> {
  const { storage, passphrase } = params;
  const floor = params.unsafeKdfFloor ?? PRODUCTION_KDF_FLOOR;
  const bytes = await storage.read();
  if (bytes === undefined) throw walletError("WALLET_NOT_FOUND", "no wallet in this storage");
  const { header, keys, plaintext } = await openEnvelope({ bytes, kind: EnvelopeKind.WALLET, floor, passphrase });
  let state;
  try {
    state = decodeState(plaintext);
  } catch (e) {
    wipeKeys(keys);
    throw e;
  } finally {
    plaintext.fill(0);
  }
  return newWallet({ storage, state, generation: header.generation, keys, storedBytes: bytes, floor, now: params.now });
}
