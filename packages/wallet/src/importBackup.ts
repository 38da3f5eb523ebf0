import { EnvelopeKind, openEnvelope } from "./envelope.ts";
import { walletError } from "./errors.ts";
import { type KdfFloor, wipeKeys } from "./kdf.ts";
import { type Wallet, persist, serialized, sessionOf } from "./session.ts";
import { type WalletState, decodeState } from "./state.ts";

export interface ImportBackupParameters {
  readonly wallet: Wallet;
  readonly backup: Uint8Array;
  /** The backup's passphrase. */
  readonly passphrase: string;
  /**
   * Restore a backup older than the wallet (losing later credentials and, worse, later key rotations). Off by
   * default; set it only after the user confirmed that exact loss.
   */
  readonly allowRollback?: boolean;
  /** Tests only: accept backups below the production KDF floor. Defaults to the wallet's floor. */
  readonly unsafeKdfFloor?: KdfFloor;
}

export interface ImportBackupReturnType {
  readonly backupGeneration: number;
  readonly previousGeneration: number;
  /** The wallet's generation after the import: always above the previous one. */
  readonly generation: number;
  readonly rolledBack: boolean;
}

/**
 * Replaces the wallet's keys and credentials with a backup of the same DID. Refuses, before changing anything:
 * a damaged or modified backup (`WALLET_TAMPERED`), a weak KDF (`WALLET_KDF_TOO_WEAK`), a wrong passphrase, a
 * backup of another DID or chain (`WALLET_BACKUP_MISMATCH`), and a backup whose generation is below the
 * wallet's (`WALLET_ROLLBACK_REFUSED`) unless `allowRollback` is set. The wallet's generation keeps growing
 * either way, so the imported state can never be mistaken for an older one.
 *
 * @example
 * ```ts
 * await importBackup({ wallet, backup: await readFile(path), passphrase: backupPassphrase });
 * ```
 */
export async function importBackup(params: ImportBackupParameters): Promise<ImportBackupReturnType> {
  const session = sessionOf(params.wallet);
  const { header, state } = await openBackup(params.backup, params.passphrase, params.unsafeKdfFloor ?? session.floor);
  return serialized(session, async () => {
    if (state.did !== session.state.did || state.chainId !== session.state.chainId) {
      throw walletError("WALLET_BACKUP_MISMATCH", "the backup belongs to another DID", {
        details: { backup: state.did, wallet: session.state.did },
      });
    }
    const previousGeneration = session.generation;
    const rolledBack = header.generation < previousGeneration;
    if (rolledBack && params.allowRollback !== true) {
      throw walletError("WALLET_ROLLBACK_REFUSED", "the backup is older than the wallet", {
        details: { backupGeneration: header.generation, walletGeneration: previousGeneration },
        hint: "use a newer backup, or pass allowRollback after confirming what will be lost",
      });
    }
    const generation = Math.max(previousGeneration, header.generation) + 1;
    await persist(session, state, { generation });
    return { backupGeneration: header.generation, previousGeneration, generation, rolledBack };
  });
}

/** Decrypts and validates a backup completely (no partial result). */
export async function openBackup(
  bytes: Uint8Array,
  passphrase: string,
  floor: KdfFloor,
): Promise<{ readonly header: { readonly generation: number }; readonly state: WalletState }> {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw walletError("WALLET_NOT_FOUND", "no backup given");
  const { header, keys, plaintext } = await openEnvelope({ bytes, kind: EnvelopeKind.BACKUP, floor, passphrase });
  wipeKeys(keys);
  try {
    return { header: { generation: header.generation }, state: decodeState(plaintext) };
  } finally {
    plaintext.fill(0);
  }
}
