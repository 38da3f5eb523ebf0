import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VerificationCode, parseEthrDid, settableClock } from "@mobile-id/core";
import { changePassphrase } from "./changePassphrase.ts";
import { createWallet } from "./createWallet.ts";
import { WalletError } from "./errors.ts";
import { fileWalletStorage } from "./fileWalletStorage.ts";
import { importCredential } from "./importCredential.ts";
import { listCredentials } from "./listCredentials.ts";
import { openWallet } from "./openWallet.ts";
import { removeCredential } from "./removeCredential.ts";
import { type Wallet, lockWallet } from "./session.ts";
import { showCredential } from "./showCredential.ts";
import { memoryWalletStorage } from "./storage.ts";
import { CHAIN_ID, PASSPHRASE, T0, TEST_KDF_COST, TEST_KDF_FLOOR, acceptingVerifier, issueCredential } from "./testing.ts";

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError || (e as { code?: unknown }).code !== undefined) return (e as { code: string }).code;
    throw e;
  }
  return "NO_ERROR";
}

describe("wallet file at production cost (scrypt N = 2^17)", () => {
  let dir: string;
  let path: string;
  let wallet: Wallet;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mid-wallet-"));
    path = join(dir, "sub", "wallet.midw");
    wallet = await createWallet({ storage: fileWalletStorage({ path }), passphrase: PASSPHRASE, chainId: CHAIN_ID });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("creates a public-key did:ethr on the chain, whose identity is the key's address", () => {
    expect(wallet.did).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/);
    const parsed = parseEthrDid(wallet.did)!;
    expect(parsed.chainId).toBe(31337n);
    expect(wallet.identity).toBe(parsed.address);
    expect(wallet.signingKeyAddress).toBe(parsed.address);
    expect(wallet.generation).toBe(1);
  });

  it("writes an encrypted file, mode 0600, atomically (no temporary files left behind)", async () => {
    const bytes = await readFile(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, "sub"))).toEqual(["wallet.midw"]);
    const text = bytes.toString("latin1");
    expect(text.startsWith("MIDW")).toBe(true);
    expect(text).not.toContain(wallet.did.slice(-20));
    expect(bytes[7]).toBe(17); // log2 N
  });

  it("opens again with the passphrase, and refuses a wrong one with WALLET_PASSPHRASE_INVALID", async () => {
    const again = await openWallet({ storage: fileWalletStorage({ path }), passphrase: PASSPHRASE });
    expect(again.did).toBe(wallet.did);
    expect(again.generation).toBe(1);
    await lockWallet({ wallet: again });
    expect(await codeOf(openWallet({ storage: fileWalletStorage({ path }), passphrase: PASSPHRASE + "!" }))).toBe("WALLET_PASSPHRASE_INVALID");
  });

  it("reports WALLET_TAMPERED for a flipped bit in any byte of the wallet file (no partial read)", async () => {
    const bytes = new Uint8Array(await readFile(path));
    for (let i = 0; i < bytes.length; i++) {
      const b = Uint8Array.from(bytes);
      b[i] = b[i]! ^ 0x10;
      expect(await codeOf(openWallet({ storage: memoryWalletStorage(b), passphrase: PASSPHRASE })), `byte ${i}`).toBe("WALLET_TAMPERED");
    }
  });

  it("never overwrites an existing wallet", async () => {
    expect(await codeOf(createWallet({ storage: fileWalletStorage({ path }), passphrase: PASSPHRASE, chainId: CHAIN_ID }))).toBe("WALLET_EXISTS");
  });

  it("refuses, by default, a file whose KDF is below the floor, even one this library wrote under a test floor", async () => {
    const storage = memoryWalletStorage();
    await createWallet({ storage, passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR });
    expect(await codeOf(openWallet({ storage, passphrase: PASSPHRASE }))).toBe("WALLET_KDF_TOO_WEAK");
    expect(await codeOf(createWallet({ storage: memoryWalletStorage(), passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: TEST_KDF_COST }))).toBe(
      "WALLET_KDF_TOO_WEAK",
    );
    expect(await codeOf(createWallet({ storage: memoryWalletStorage(), passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: { log2N: 17, r: 4, p: 1 } }))).toBe(
      "WALLET_KDF_TOO_WEAK",
    );
  });

  it("upgrades a legacy weak file: opened once under an explicit floor, re-encrypted by changePassphrase at production cost", async () => {
    const storage = memoryWalletStorage();
    const legacy = await createWallet({ storage, passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR });
    await expect(changePassphrase({ wallet: legacy, passphrase: "not it at all", newPassphrase: "새 비밀번호 2026" })).rejects.toMatchObject({
      code: "WALLET_PASSPHRASE_INVALID",
    });
    expect(await codeOf(changePassphrase({ wallet: legacy, passphrase: PASSPHRASE, newPassphrase: "short" }))).toBe("WALLET_PASSPHRASE_TOO_WEAK");
    await changePassphrase({ wallet: legacy, passphrase: PASSPHRASE, newPassphrase: "새 비밀번호 2026" });
    expect(storage.bytes![7]).toBe(17);
    const upgraded = await openWallet({ storage, passphrase: "새 비밀번호 2026" }); // production floor
    expect(upgraded.did).toBe(legacy.did);
    expect(upgraded.generation).toBe(2);
  });

  it("refuses a short passphrase for a new wallet", async () => {
    expect(await codeOf(createWallet({ storage: memoryWalletStorage(), passphrase: "1234567", chainId: CHAIN_ID }))).toBe("WALLET_PASSPHRASE_TOO_WEAK");
  });

  it("reports WALLET_NOT_FOUND for an empty storage", async () => {
    expect(await codeOf(openWallet({ storage: fileWalletStorage({ path: join(dir, "none.midw") }), passphrase: PASSPHRASE }))).toBe("WALLET_NOT_FOUND");
  });
});

describe("credentials", () => {
  const clock = settableClock(T0);
  const storage = memoryWalletStorage();
  let wallet: Wallet;
  let other: string;
  beforeAll(async () => {
    wallet = await createWallet({ storage, passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock });
    const w2 = await createWallet({ storage: memoryWalletStorage(), passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR });
    other = w2.did;
  });

  it("imports a verified credential issued to this DID; lists, shows and removes it; persists each change", async () => {
    const verifier = acceptingVerifier();
    const jwt = await issueCredential({ subject: wallet.did });
    const { credential, alreadyPresent } = await importCredential({ wallet, jwt, verifyCredential: verifier });
    expect(alreadyPresent).toBe(false);
    expect(verifier.calls).toEqual([jwt]);
    expect(credential).toMatchObject({ type: "StudentIDCredential", subject: wallet.did, validity: "valid", title: { ko: "학생증" } });
    expect(await listCredentials({ wallet })).toEqual([credential]);
    const shown = await showCredential({ wallet, id: credential.id });
    expect(shown.claims).toMatchObject({ studentNumber: "2026-12345", institution: "서울대학교" });
    expect(shown.validUntil).toBe(T0 + 365 * 86_400);

    const again = await importCredential({ wallet, jwt, verifyCredential: verifier });
    expect(again.alreadyPresent).toBe(true);

    const reopened = await openWallet({ storage, passphrase: PASSPHRASE, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock });
    expect((await listCredentials({ wallet: reopened })).map((c) => c.id)).toEqual([credential.id]);
    await lockWallet({ wallet: reopened });

    await removeCredential({ wallet, id: credential.id });
    expect(await listCredentials({ wallet })).toEqual([]);
    expect(await codeOf(removeCredential({ wallet, id: credential.id }))).toBe("WALLET_CREDENTIAL_NOT_FOUND");
    expect(await codeOf(showCredential({ wallet, id: credential.id }))).toBe("WALLET_CREDENTIAL_NOT_FOUND");
  });

  it("refuses a credential for another subject without asking the verifier", async () => {
    const verifier = acceptingVerifier();
    const jwt = await issueCredential({ subject: other });
    expect(await codeOf(importCredential({ wallet, jwt, verifyCredential: verifier }))).toBe("WALLET_NOT_SUBJECT");
    // The same key in address form is a different DID string: a verifier compares iss and sub exactly.
    const addressForm = await issueCredential({ subject: `did:ethr:0x7a69:${wallet.identity.toLowerCase()}` });
    expect(await codeOf(importCredential({ wallet, jwt: addressForm, verifyCredential: verifier }))).toBe("WALLET_NOT_SUBJECT");
    expect(verifier.calls).toEqual([]);
  });

  it("refuses with the verifier's code when it does not verify, and with WALLET_VERIFIER_FAILED when it throws", async () => {
    const jwt = await issueCredential({ subject: wallet.did });
    const refused = importCredential({ wallet, jwt, verifyCredential: () => Promise.resolve({ verified: false, code: "CREDENTIAL_REVOKED" }) });
    await expect(refused).rejects.toMatchObject({ code: "WALLET_CREDENTIAL_REJECTED", details: { verificationCode: "CREDENTIAL_REVOKED" } });
    const broken = importCredential({ wallet, jwt, verifyCredential: () => Promise.reject(new Error("ledger down")) });
    expect(await codeOf(broken)).toBe("WALLET_VERIFIER_FAILED");
    expect(await listCredentials({ wallet })).toEqual([]);
  });

  it("refuses malformed, expired and unknown-type credentials with WALLET_CREDENTIAL_REJECTED", async () => {
    const verifier = acceptingVerifier();
    const cases: [string, string][] = [
      ["not a jwt", VerificationCode.MALFORMED],
      [await issueCredential({ subject: wallet.did, exp: T0 - 1 }), VerificationCode.EXPIRED],
      [await issueCredential({ subject: wallet.did, type: "PassportCredential" }), VerificationCode.TYPE_NOT_ACCEPTED],
      [await issueCredential({ subject: wallet.did, claims: { id: other, familyName: "김" } }), VerificationCode.HOLDER_MISMATCH],
    ];
    for (const [jwt, verificationCode] of cases) {
      await expect(importCredential({ wallet, jwt, verifyCredential: verifier })).rejects.toMatchObject({
        code: "WALLET_CREDENTIAL_REJECTED",
        details: { verificationCode },
      });
    }
    // An `alg: none` token: refused by the strict JOSE parser before anything else.
    const [, payload] = (await issueCredential({ subject: wallet.did })).split(".");
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    expect(await codeOf(importCredential({ wallet, jwt: none, verifyCredential: verifier }))).toBe("WALLET_CREDENTIAL_REJECTED");
    expect(verifier.calls).toEqual([]);
  });

  it("marks a credential expired by the wallet's clock", async () => {
    const jwt = await issueCredential({ subject: wallet.did, exp: T0 + 10 });
    const { credential } = await importCredential({ wallet, jwt, verifyCredential: acceptingVerifier() });
    clock.set(T0 + 10);
    expect((await showCredential({ wallet, id: credential.id })).validity).toBe("expired");
    clock.set(T0);
    await removeCredential({ wallet, id: credential.id });
  });

  it("refuses to write over a file that another session changed (WALLET_STALE), leaving both states intact", async () => {
    const s2 = await openWallet({ storage, passphrase: PASSPHRASE, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock });
    const a = await issueCredential({ subject: wallet.did });
    await importCredential({ wallet: s2, jwt: a, verifyCredential: acceptingVerifier() });
    const b = await issueCredential({ subject: wallet.did });
    expect(await codeOf(importCredential({ wallet, jwt: b, verifyCredential: acceptingVerifier() }))).toBe("WALLET_STALE");
    expect(await listCredentials({ wallet })).toEqual([]); // the failed change was not adopted in memory
    await lockWallet({ wallet: s2 });
    wallet = await openWallet({ storage, passphrase: PASSPHRASE, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock });
    expect((await listCredentials({ wallet })).length).toBe(1);
  });

  it("locks: afterwards nothing is readable, and a wallet never serialises keys or claims", async () => {
    const w = await openWallet({ storage, passphrase: PASSPHRASE, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock });
    const json = JSON.stringify(w);
    expect(json).not.toMatch(/privateKey|jwt|claims/);
    expect(Object.keys(w)).toEqual([]);
    await lockWallet({ wallet: w });
    expect(w.locked).toBe(true);
    expect(await codeOf(listCredentials({ wallet: w }))).toBe("WALLET_LOCKED");
  });
});
