/**
 * The wallet's device-bound actions: unlocking with the screen lock (WebAuthn PRF), turning that on and off, and
 * the backup screens' actions (make a backup file, restore one into a new wallet or into this one).
 */
import { exportBackup, importBackup, openWallet, restoreWallet } from "@mobile-id/wallet/browser";
import { t } from "../lib/i18n.ts";
import { uiError } from "../lib/uiError.ts";
import { type WalletApp, busy, fail, refreshCards } from "./app.ts";
import { PrfError, evaluatePrf, registerPrf } from "./prf.ts";
import { afterUnlock, resetDevice, vaultFor } from "./session.ts";
import { disablePrfUnlock, enablePrfUnlock, openVault, openVaultWithPrf, prfUnlockSetup } from "./sdjwt/vault.ts";

/** Unlocks with the screen lock: the authenticator's PRF output unwraps the unlock secret. */
export async function unlockWithScreenLock(app: WalletApp): Promise<void> {
  const setup = await prfUnlockSetup(app.device);
  if (setup === undefined) return fail(app, undefined, uiError("prfNotSetUp"));
  app.store.set({ busy: t("prfUnlocking"), error: undefined });
  try {
    const prfOutput = await evaluatePrf(setup.credentialId, setup.prfSalt);
    const { passphrase, vault } = await openVaultWithPrf({ db: app.device, prfOutput });
    prfOutput.fill(0);
    const wallet = await openWallet({ storage: app.storage, passphrase });
    await afterUnlock(app, wallet, vault);
  } catch (e) {
    fail(app, e, e instanceof PrfError && e.code === "PRF_CANCELLED" ? uiError("prfCancelled") : uiError("prfFailed"));
  }
}

/** Turns on screen-lock unlock after the holder typed the passphrase again (it is what gets wrapped). */
export async function enableScreenLock(app: WalletApp, passphrase: string): Promise<void> {
  const done = await busy(app, t("prfEnabling"), async () => {
    let vault;
    try {
      vault = await openVault({ db: app.device, passphrase });
    } catch {
      fail(app, undefined, uiError("walletWrongPassphrase"));
      return false;
    }
    try {
      const { credentialId, prfSalt, prfOutput } = await registerPrf();
      await enablePrfUnlock({ vault, passphrase, credentialId, prfSalt, prfOutput });
      prfOutput.fill(0);
    } catch (e) {
      fail(app, e, e instanceof PrfError && e.code === "PRF_UNSUPPORTED" ? uiError("prfUnsupported") : uiError("prfCancelled"));
      return false;
    } finally {
      vault.raw.fill(0);
    }
    return true;
  });
  if (done === true) app.store.set({ prfEnabled: true, notice: t("prfEnabled"), noticeFor: undefined });
}

export async function disableScreenLock(app: WalletApp): Promise<void> {
  await disablePrfUnlock(app.device);
  app.store.set({ prfEnabled: false, notice: t("prfDisabled"), noticeFor: undefined });
}

/** The bytes of a backup file of the open wallet, under its own passphrase. */
export async function makeBackup(app: WalletApp, passphrase: string, confirm: string): Promise<Uint8Array | undefined> {
  if ([...passphrase.normalize("NFKC")].length < 8) return void fail(app, undefined, uiError("walletPassphraseTooShort"));
  if (passphrase !== confirm) return void fail(app, undefined, uiError("walletPassphraseMismatch"));
  const wallet = app.store.get().wallet;
  if (wallet === undefined) return undefined;
  return busy(app, t("backupMaking"), () => exportBackup({ wallet, passphrase }));
}

/** A new wallet on this device from a backup file (the new phone). */
export async function restoreFromBackup(app: WalletApp, backup: Uint8Array, backupPassphrase: string, passphrase: string, confirm: string): Promise<void> {
  if ([...passphrase.normalize("NFKC")].length < 8) return fail(app, undefined, uiError("walletPassphraseTooShort"));
  if (passphrase !== confirm) return fail(app, undefined, uiError("walletPassphraseMismatch"));
  app.store.set({ busy: t("backupRestoring"), error: undefined });
  await new Promise((r) => setTimeout(r, 30));
  try {
    const wallet = await restoreWallet({ backup, backupPassphrase, storage: app.storage, passphrase });
    await resetDevice(app);
    await afterUnlock(app, wallet, await vaultFor(app, passphrase));
    app.store.set({ notice: t("backupRestored"), noticeFor: "cards" });
    app.router.replace({ name: "cards" });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    fail(app, e, code === "WALLET_PASSPHRASE_INVALID" ? uiError("backupWrongPassphrase") : code === "WALLET_TAMPERED" ? uiError("backupDamaged") : undefined);
  }
}

/** Restores a backup into the open wallet (same holder; cards merged as the wallet package decides). */
export async function restoreIntoWallet(app: WalletApp, backup: Uint8Array, backupPassphrase: string, allowRollback: boolean): Promise<void> {
  const wallet = app.store.get().wallet;
  if (wallet === undefined) return;
  const r = await busy(app, t("backupRestoring"), async () => {
    try {
      return await importBackup({ wallet, backup, passphrase: backupPassphrase, allowRollback });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      fail(app, e, code === "WALLET_PASSPHRASE_INVALID" ? uiError("backupWrongPassphrase") : code === "WALLET_TAMPERED" ? uiError("backupDamaged") : code === "WALLET_ROLLBACK_REFUSED" ? uiError("backupOlder") : code === "WALLET_BACKUP_MISMATCH" ? uiError("backupOtherWallet") : undefined);
      return undefined;
    }
  });
  if (r === undefined) return;
  await refreshCards(app);
  app.store.set({ notice: t("backupRestored"), noticeFor: "cards" });
  app.router.home({ name: "cards" });
}
