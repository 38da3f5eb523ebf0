import { equalBytes } from "@noble/ciphers/utils";
import { walletError } from "./errors.ts";
import { DEFAULT_KDF_COST, PRODUCTION_KDF_FLOOR, type ScryptCost, checkNewPassphrase, deriveKeys, newScryptParameters, wipeKeys } from "./kdf.ts";
import { type Wallet, persist, serialized, sessionOf } from "./session.ts";

export interface ChangePassphraseParameters {
  readonly wallet: Wallet;
  /** The current passphrase, asked again: an unlocked wallet left on a table must not be re-keyed by anyone. */
  readonly passphrase: string;
  /** At least 8 characters. */
  readonly newPassphrase: string;
  /** scrypt cost of the re-encrypted file (default {@link DEFAULT_KDF_COST}); must meet the production floor. */
  readonly kdf?: ScryptCost;
}

/**
 * Re-encrypts the wallet file under a new passphrase, a fresh salt and the given cost. This is also how a file
 * created under an older, weaker KDF is upgraded: open it once with an explicit `unsafeKdfFloor`, then change the
 * passphrase (the new file always meets {@link PRODUCTION_KDF_FLOOR}).
 *
 * @example
 * ```ts
 * await changePassphrase({ wallet, passphrase: old, newPassphrase });
 * ```
 */
export async function changePassphrase(params: ChangePassphraseParameters): Promise<void> {
  const session = sessionOf(params.wallet);
  checkNewPassphrase(params.newPassphrase);
  // The new file meets the production floor whatever floor the wallet was opened under.
  const kdf = newScryptParameters(params.kdf ?? DEFAULT_KDF_COST, PRODUCTION_KDF_FLOOR);
  const confirm = await deriveKeys(params.passphrase, session.keys.kdf);
  const ok = equalBytes(confirm.passphraseCheck, session.keys.passphraseCheck);
  wipeKeys(confirm);
  if (!ok) throw walletError("WALLET_PASSPHRASE_INVALID", "the current passphrase is wrong");
  const keys = await deriveKeys(params.newPassphrase, kdf);
  await serialized(session, async () => {
    const old = session.keys;
    session.keys = keys;
    try {
      await persist(session, session.state);
    } catch (e) {
      session.keys = old;
      wipeKeys(keys);
      throw e;
    }
    wipeKeys(old);
  });
}
