/**
 * The device vault: a random 256-bit key that encrypts what the web wallet keeps beside the wallet file (the
 * SD-JWT VC copies), and the ways to unwrap it.
 *
 * - With the passphrase: the vault key is wrapped (AES-256-GCM) under PBKDF2-SHA-256 (600,000 iterations, OWASP's
 *   figure; WebCrypto has no scrypt) of the same passphrase that opens the wallet file.
 * - With the phone's screen lock (WebAuthn PRF): the passphrase and the vault key are wrapped under a key derived
 *   (HKDF-SHA-256) from the authenticator's PRF output. That output never leaves the authenticator without the
 *   holder's fingerprint, face or PIN, so the unlock secret comes from the device; the passphrase stays a fallback.
 *
 * Contents are JSON, padded to 1 KiB blocks (as the wallet file is), sealed with AES-256-GCM under a fresh 96-bit
 * nonce per write, the record name as associated data. Everything here is ciphertext at rest.
 */
import { decodeBase64url, encodeBase64url } from "@mobile-id/core/browser";
import { type DeviceDb, RECORDS } from "../idb.ts";

const PBKDF2_ITERATIONS = 600_000;
const PAD = 1024;
const UNLOCK_RECORD = "unlock";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Sealed {
  readonly iv: string;
  readonly ct: string;
}

/** The unlock configuration (public material and ciphertext only). */
interface UnlockConfig {
  readonly version: 1;
  readonly salt: string;
  readonly iterations: number;
  /** The vault key under PBKDF2(passphrase). */
  readonly byPassphrase: Sealed;
  /** `{ passphrase, vaultKey }` under HKDF(PRF output), when screen-lock unlock is on. */
  readonly prf?: { readonly credentialId: string; readonly prfSalt: string } & Sealed;
}

/** An open vault: its key, in memory while the wallet is unlocked. {@link closeVault} wipes it. */
export interface Vault {
  readonly db: DeviceDb;
  /** Raw vault key (kept only to re-wrap it for screen-lock unlock). */
  readonly raw: Uint8Array;
  readonly key: CryptoKey;
}

/** Why the vault would not open. */
export class VaultError extends Error {
  readonly code: "VAULT_PASSPHRASE_INVALID" | "VAULT_TAMPERED" | "VAULT_NO_PRF";
  constructor(code: "VAULT_PASSPHRASE_INVALID" | "VAULT_TAMPERED" | "VAULT_NO_PRF") {
    super(code);
    this.code = code;
    this.name = "VaultError";
  }
}

const b = (bytes: Uint8Array) => encodeBase64url(bytes);
function unb(text: string): Uint8Array<ArrayBuffer> {
  const out = decodeBase64url(text);
  if (out === undefined) throw new VaultError("VAULT_TAMPERED");
  return Uint8Array.from(out);
}

async function seal(key: CryptoKey, plaintext: Uint8Array, aad: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(aad) }, key, plaintext as Uint8Array<ArrayBuffer>));
  return { iv: b(iv), ct: b(ct) };
}

async function unseal(key: CryptoKey, sealed: Sealed, aad: string, code: VaultError["code"]): Promise<Uint8Array> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb(sealed.iv), additionalData: encoder.encode(aad) }, key, unb(sealed.ct)));
  } catch {
    throw new VaultError(code);
  }
}

const aesKey = (raw: Uint8Array) => crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, "AES-GCM", false, ["encrypt", "decrypt"]);

async function passphraseKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(passphrase.normalize("NFKC")), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: salt as Uint8Array<ArrayBuffer>, iterations }, base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

/**
 * The AES key derived from a WebAuthn PRF output (HKDF-SHA-256, fixed info): what wraps the unlock secret.
 *
 * @example
 * ```ts
 * const key = await prfKey(new Uint8Array(prfResults.first));
 * ```
 */
export async function prfKey(prfOutput: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", prfOutput as Uint8Array<ArrayBuffer>, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: encoder.encode("mobile-id web wallet unlock v1") },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

async function config(db: DeviceDb): Promise<UnlockConfig | undefined> {
  return db.get<UnlockConfig>(RECORDS, UNLOCK_RECORD);
}

/**
 * Opens the vault with the wallet's passphrase, creating it on first use. Call it right after the passphrase
 * opened the wallet file.
 *
 * @example
 * ```ts
 * const wallet = await openWallet({ storage, passphrase });
 * const vault = await openVault({ db, passphrase });
 * ```
 */
export async function openVault(params: { readonly db: DeviceDb; readonly passphrase: string }): Promise<Vault> {
  const { db, passphrase } = params;
  const existing = await config(db);
  if (existing === undefined) {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const wrapped = await seal(await passphraseKey(passphrase, salt, PBKDF2_ITERATIONS), raw, "vault-key");
    await db.put(RECORDS, UNLOCK_RECORD, { version: 1, salt: b(salt), iterations: PBKDF2_ITERATIONS, byPassphrase: wrapped } satisfies UnlockConfig);
    return { db, raw, key: await aesKey(raw) };
  }
  const raw = await unseal(await passphraseKey(passphrase, unb(existing.salt), existing.iterations), existing.byPassphrase, "vault-key", "VAULT_PASSPHRASE_INVALID");
  if (raw.length !== 32) throw new VaultError("VAULT_TAMPERED");
  return { db, raw, key: await aesKey(raw) };
}

/** Whether screen-lock unlock is set up on this device, and for which WebAuthn credential and PRF salt. */
export async function prfUnlockSetup(db: DeviceDb): Promise<{ readonly credentialId: Uint8Array; readonly prfSalt: Uint8Array } | undefined> {
  const prf = (await config(db))?.prf;
  return prf === undefined ? undefined : { credentialId: unb(prf.credentialId), prfSalt: unb(prf.prfSalt) };
}

/**
 * Turns on screen-lock unlock: stores the passphrase and the vault key wrapped under the PRF output's key.
 *
 * @example
 * ```ts
 * await enablePrfUnlock({ vault, passphrase, credentialId, prfSalt, prfOutput });
 * ```
 */
export async function enablePrfUnlock(params: {
  readonly vault: Vault;
  readonly passphrase: string;
  readonly credentialId: Uint8Array;
  readonly prfSalt: Uint8Array;
  readonly prfOutput: Uint8Array;
}): Promise<void> {
  const current = await config(params.vault.db);
  if (current === undefined) throw new VaultError("VAULT_TAMPERED");
  const secret = encoder.encode(JSON.stringify({ passphrase: params.passphrase, vaultKey: b(params.vault.raw) }));
  const wrapped = await seal(await prfKey(params.prfOutput), secret, "prf-unlock");
  secret.fill(0);
  const next: UnlockConfig = { ...current, prf: { credentialId: b(params.credentialId), prfSalt: b(params.prfSalt), ...wrapped } };
  await params.vault.db.put(RECORDS, UNLOCK_RECORD, next);
}

/** Turns screen-lock unlock off (the wrapped secret is deleted; the passphrase keeps working). */
export async function disablePrfUnlock(db: DeviceDb): Promise<void> {
  const current = await config(db);
  if (current?.prf === undefined) return;
  const { prf: _prf, ...rest } = current;
  await db.put(RECORDS, UNLOCK_RECORD, rest);
}

/**
 * Unwraps the unlock secret with a PRF output: the passphrase (to open the wallet file) and the vault.
 * `VAULT_NO_PRF` if screen-lock unlock is off, `VAULT_TAMPERED` if the output does not open it.
 *
 * @example
 * ```ts
 * const { passphrase, vault } = await openVaultWithPrf({ db, prfOutput });
 * const wallet = await openWallet({ storage, passphrase });
 * ```
 */
export async function openVaultWithPrf(params: { readonly db: DeviceDb; readonly prfOutput: Uint8Array }): Promise<{ readonly passphrase: string; readonly vault: Vault }> {
  const prf = (await config(params.db))?.prf;
  if (prf === undefined) throw new VaultError("VAULT_NO_PRF");
  const secret = await unseal(await prfKey(params.prfOutput), prf, "prf-unlock", "VAULT_TAMPERED");
  let parsed: { passphrase?: unknown; vaultKey?: unknown };
  try {
    parsed = JSON.parse(decoder.decode(secret)) as typeof parsed;
  } finally {
    secret.fill(0);
  }
  if (typeof parsed.passphrase !== "string" || typeof parsed.vaultKey !== "string") throw new VaultError("VAULT_TAMPERED");
  const raw = unb(parsed.vaultKey);
  if (raw.length !== 32) throw new VaultError("VAULT_TAMPERED");
  return { passphrase: parsed.passphrase, vault: { db: params.db, raw, key: await aesKey(raw) } };
}

/** Forgets the vault key in memory (on lock). */
export function closeVault(vault: Vault | undefined): void {
  vault?.raw.fill(0);
}

/**
 * Reads a JSON record sealed in the vault (`undefined` if none).
 *
 * @example
 * ```ts
 * const copies = (await readSealed<StoredCopy[]>(vault, "sd-jwt-vc")) ?? [];
 * ```
 */
export async function readSealed<T>(vault: Vault, name: string): Promise<T | undefined> {
  const sealed = await vault.db.get<Sealed>(RECORDS, `sealed:${name}`);
  if (sealed === undefined) return undefined;
  const bytes = await unseal(vault.key, sealed, `sealed:${name}`, "VAULT_TAMPERED");
  try {
    return JSON.parse(decoder.decode(bytes).trimEnd()) as T;
  } catch {
    throw new VaultError("VAULT_TAMPERED");
  } finally {
    bytes.fill(0);
  }
}

/** Writes a JSON record sealed in the vault (padded, so its size tells little). */
export async function writeSealed(vault: Vault, name: string, value: unknown): Promise<void> {
  const json = encoder.encode(JSON.stringify(value));
  const padded = new Uint8Array(Math.ceil((json.length + 1) / PAD) * PAD).fill(0x20);
  padded.set(json);
  await vault.db.put(RECORDS, `sealed:${name}`, await seal(vault.key, padded, `sealed:${name}`));
  padded.fill(0);
}

/** Deletes every vault record and unlock setting (a wallet made anew or restored on this device). */
export async function clearVault(db: DeviceDb): Promise<void> {
  for (const key of await db.keys(RECORDS)) await db.delete(RECORDS, key);
}
