import { EnvelopeKind, sealEnvelope } from "./envelope.ts";
import { DEFAULT_KDF_COST, type ScryptCost, checkNewPassphrase, deriveKeys, newScryptParameters, wipeKeys } from "./kdf.ts";
import { type Wallet, serialized, sessionOf } from "./session.ts";
import { encodeState } from "./state.ts";

export interface ExportBackupParameters {
  readonly wallet: Wallet;
  /** The backup's own passphrase (at least 8 characters); it may differ from the wallet's. */
  readonly passphrase: string;
  /** scrypt cost; defaults to {@link DEFAULT_KDF_COST} and must meet the wallet's floor. */
  readonly kdf?: ScryptCost;
}

export type ExportBackupReturnType = Uint8Array;

/**
 * An encrypted backup of the whole wallet (keys and credentials): the same envelope as the wallet file with
 * kind "backup", a fresh salt and nonce, and the wallet's current generation in the authenticated header, so a
 * later import can tell an old backup from a current one.
 *
 * @example
 * ```ts
 * await writeFile("wallet-2026-05-01.midb", await exportBackup({ wallet, passphrase: backupPassphrase }));
 * ```
 */
export async function exportBackup(params: ExportBackupParameters): Promise<ExportBackupReturnType> {
  const session = sessionOf(params.wallet);
  checkNewPassphrase(params.passphrase);
  const kdf = newScryptParameters(params.kdf ?? DEFAULT_KDF_COST, session.floor);
  const keys = await deriveKeys(params.passphrase, kdf);
  try {
    // Read state and generation together, after any change in flight.
    return await serialized(session, () =>
      Promise.resolve(sealEnvelope({ kind: EnvelopeKind.BACKUP, generation: session.generation, keys, plaintext: encodeState(session.state) })),
    );
  } finally {
    wipeKeys(keys);
  }
}
