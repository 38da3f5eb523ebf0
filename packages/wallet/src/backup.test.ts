import { beforeAll, describe, expect, it } from "vitest";
import { settableClock } from "@mobile-id/core";
import { sha256 } from "@noble/hashes/sha2";
import { createWallet } from "./createWallet.ts";
import { exportBackup } from "./exportBackup.ts";
import { importBackup } from "./importBackup.ts";
import { importCredential } from "./importCredential.ts";
import { PRODUCTION_KDF_FLOOR } from "./kdf.ts";
import { listCredentials } from "./listCredentials.ts";
import { restoreWallet } from "./restoreWallet.ts";
import type { Wallet } from "./session.ts";
import { memoryWalletStorage } from "./storage.ts";
import { CHAIN_ID, PASSPHRASE, T0, TEST_KDF_COST, TEST_KDF_FLOOR, acceptingVerifier, issueCredential } from "./testing.ts";

const BACKUP_PASSPHRASE = "백업 passphrase 2026";
const GENERATION_AT = 52 + 16; // header offset of the u64 generation (16-byte salt)

describe("backups", () => {
  const clock = settableClock(T0);
  const storage = memoryWalletStorage();
  let wallet: Wallet;
  const common = { kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock };
  const backup = (w: Wallet) => exportBackup({ wallet: w, passphrase: BACKUP_PASSPHRASE, kdf: TEST_KDF_COST });
  const addCredential = async (w: Wallet) =>
    importCredential({ wallet: w, jwt: await issueCredential({ subject: w.did }), verifyCredential: acceptingVerifier() });

  beforeAll(async () => {
    wallet = await createWallet({ storage, passphrase: PASSPHRASE, chainId: CHAIN_ID, ...common });
    await addCredential(wallet);
  });

  it("restores keys and credentials on a new device, continuing the generation count", async () => {
    const bytes = await backup(wallet);
    const restored = await restoreWallet({ backup: bytes, backupPassphrase: BACKUP_PASSPHRASE, storage: memoryWalletStorage(), passphrase: "new device pass", ...common });
    expect(restored.did).toBe(wallet.did);
    expect(restored.signingKeyAddress).toBe(wallet.signingKeyAddress);
    expect(await listCredentials({ wallet: restored })).toEqual(await listCredentials({ wallet }));
    expect(restored.generation).toBe(wallet.generation + 1);
    await expect(restoreWallet({ backup: bytes, backupPassphrase: BACKUP_PASSPHRASE, storage, passphrase: PASSPHRASE, ...common })).rejects.toMatchObject({
      code: "WALLET_EXISTS",
    });
  });

  it("detects a modified backup: any flipped byte, and a raised generation even with the checksum recomputed", async () => {
    const bytes = await backup(wallet);
    for (let i = 0; i < bytes.length; i += 7) {
      const b = Uint8Array.from(bytes);
      b[i] = b[i]! ^ 0x04;
      await expect(importBackup({ wallet, backup: b, passphrase: BACKUP_PASSPHRASE }), `byte ${i}`).rejects.toMatchObject({ code: "WALLET_TAMPERED" });
    }
    // An attacker raising the generation to slip an old backup past the rollback check: the AEAD binds it.
    const raised = Uint8Array.from(bytes);
    raised[GENERATION_AT + 6] = 0x7f;
    raised.set(sha256(raised.subarray(0, raised.length - 32)), raised.length - 32);
    await expect(importBackup({ wallet, backup: raised, passphrase: BACKUP_PASSPHRASE })).rejects.toMatchObject({ code: "WALLET_TAMPERED" });
    await expect(importBackup({ wallet, backup: bytes, passphrase: "not the backup passphrase" })).rejects.toMatchObject({ code: "WALLET_PASSPHRASE_INVALID" });
  });

  it("refuses a backup whose KDF is below the production floor, on restore and on import", async () => {
    const weak = await backup(wallet); // made at the test cost
    await expect(
      restoreWallet({ backup: weak, backupPassphrase: BACKUP_PASSPHRASE, storage: memoryWalletStorage(), passphrase: PASSPHRASE }),
    ).rejects.toMatchObject({ code: "WALLET_KDF_TOO_WEAK" });
    await expect(importBackup({ wallet, backup: weak, passphrase: BACKUP_PASSPHRASE, unsafeKdfFloor: PRODUCTION_KDF_FLOOR })).rejects.toMatchObject({
      code: "WALLET_KDF_TOO_WEAK",
    });
  });

  it("refuses to roll back to an older backup unless explicitly allowed, and the generation keeps growing", async () => {
    const old = await backup(wallet);
    await addCredential(wallet);
    const count = (await listCredentials({ wallet })).length;
    const before = wallet.generation;
    await expect(importBackup({ wallet, backup: old, passphrase: BACKUP_PASSPHRASE })).rejects.toMatchObject({
      code: "WALLET_ROLLBACK_REFUSED",
      details: { walletGeneration: before },
    });
    expect((await listCredentials({ wallet })).length).toBe(count);
    expect(wallet.generation).toBe(before);

    const current = await backup(wallet);
    const same = await importBackup({ wallet, backup: current, passphrase: BACKUP_PASSPHRASE });
    expect(same).toMatchObject({ rolledBack: false, previousGeneration: before, generation: before + 1 });

    const r = await importBackup({ wallet, backup: old, passphrase: BACKUP_PASSPHRASE, allowRollback: true });
    expect(r.rolledBack).toBe(true);
    expect(r.generation).toBe(before + 2);
    expect((await listCredentials({ wallet })).length).toBe(count - 1);
  });

  it("refuses another DID's backup and a wallet file passed as a backup", async () => {
    const stranger = await createWallet({ storage: memoryWalletStorage(), passphrase: PASSPHRASE, chainId: CHAIN_ID, ...common });
    const theirs = await backup(stranger);
    await expect(importBackup({ wallet, backup: theirs, passphrase: BACKUP_PASSPHRASE })).rejects.toMatchObject({ code: "WALLET_BACKUP_MISMATCH" });
    await expect(importBackup({ wallet, backup: storage.bytes!, passphrase: PASSPHRASE })).rejects.toMatchObject({ code: "WALLET_KIND_MISMATCH" });
  });
});
