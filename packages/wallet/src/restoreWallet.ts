import type { Clock } from "@mobile-id/core/browser";
import { EnvelopeKind, sealEnvelope } from "./envelope.ts";
import { walletError } from "./errors.ts";
import { openBackup } from "./importBackup.ts";
import { DEFAULT_KDF_COST, type KdfFloor, PRODUCTION_KDF_FLOOR, type ScryptCost, checkNewPassphrase, deriveKeys, newScryptParameters } from "./kdf.ts";
import { type Wallet, newWallet } from "./session.ts";
import { encodeState } from "./state.ts";
import type { WalletStorage } from "./storage.ts";

export interface RestoreWalletParameters {
  readonly backup: Uint8Array;
  readonly backupPassphrase: string;
  /** Must be empty (`WALLET_EXISTS`); to restore over an existing wallet use `importBackup`. */
  readonly storage: WalletStorage;
  /** The new wallet file's passphrase (at least 8 characters). */
  readonly passphrase: string;
  readonly kdf?: ScryptCost;
  /** Tests only: accept a backup and create a file below the production KDF floor. */
  readonly unsafeKdfFloor?: KdfFloor;
  readonly now?: Clock;
}

export type RestoreWalletReturnType = Wallet;

/**
 * Creates a wallet on a new device from a backup. The new file continues the backup's generation count.
 * A fresh device has no generation of its own to compare with, so it cannot tell an old backup from the latest:
 * the caller should show the backup's generation and date.
 *
 * @example
 * ```ts
 * const wallet = await restoreWallet({ backup, backupPassphrase, storage: fileWalletStorage({ path }), passphrase });
 * ```
 */
export async function restoreWallet(params: RestoreWalletParameters): Promise<RestoreWalletReturnType> {
  const floor = params.unsafeKdfFloor ?? PRODUCTION_KDF_FLOOR;
  checkNewPassphrase(params.passphrase);
  const kdf = newScryptParameters(params.kdf ?? DEFAULT_KDF_COST, floor);
  if ((await params.storage.read()) !== undefined) {
    throw walletError("WALLET_EXISTS", "the storage already holds a wallet", { hint: "use importBackup to restore into it" });
  }
  const { header, state } = await openBackup(params.backup, params.backupPassphrase, floor);
  const keys = await deriveKeys(params.passphrase, kdf);
  const generation = header.generation + 1;
  const bytes = sealEnvelope({ kind: EnvelopeKind.WALLET, generation, keys, plaintext: encodeState(state) });
  await params.storage.write(bytes);
  return newWallet({ storage: params.storage, state, generation, keys, storedBytes: bytes, floor, now: params.now });
}
