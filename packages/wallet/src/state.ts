/**
 * The wallet's plaintext: what the envelope encrypts. Pure code; strictly validated on every read so that a
 * file written by other software cannot hand the wallet a half-formed state.
 */
import { computeAddress, getAddress } from "ethers";
import { parseEthrDid, parseJsonObject } from "@mobile-id/core/browser";
import { walletError } from "./errors.ts";

export const STATE_FORMAT = "mobile-id/wallet-state@1";

/** `current` signs; `pending` is the key a started rotation hands ownership to; `retired` keys lost ownership. */
export type KeyStatus = "current" | "pending" | "retired";

export interface StoredKey {
  /** The key's Ethereum address (checksummed). */
  readonly address: string;
  /** Compressed secp256k1 public key, lower-case hex. */
  readonly publicKey: string;
  /** 32-byte private key as 0x hex; kept for `current` and `pending` keys only, erased when a key retires. */
  readonly privateKey?: string;
  readonly status: KeyStatus;
  readonly createdAt: number;
  /** When the ledger made it the owner (absent for the DID's initial key and for a pending key). */
  readonly activatedAt?: number;
  readonly retiredAt?: number;
  /** The ERC-1056 `changeOwner` transaction that made this key the owner. */
  readonly ownerChangeTx?: string;
  /**
   * That transaction's signed bytes, kept (from before it is broadcast) so that a ledger node that loses it can
   * be given it again (`recoverKeyRotation`): the key that signed it is erased once this key is current.
   */
  readonly ownerChangeRawTx?: string;
}

export interface StoredCredential {
  /** Hex SHA-256 of the JWT text: stable, and not chosen by the issuer. */
  readonly id: string;
  readonly jwt: string;
  readonly importedAt: number;
}

export interface WalletState {
  readonly format: typeof STATE_FORMAT;
  /** The holder's DID: the public-key form of its first key. It never changes, even after key rotation. */
  readonly did: string;
  readonly chainId: number;
  /** The ERC-1056 identity address (the address of the DID's key). */
  readonly identity: string;
  readonly createdAt: number;
  readonly keys: readonly StoredKey[];
  readonly credentials: readonly StoredCredential[];
}

export function encodeState(state: WalletState): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(state));
}

const bad = (reason: string) =>
  walletError("WALLET_TAMPERED", "the wallet's contents are not valid", { details: { reason: `content: ${reason}` } });

const isTime = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const HEX32 = /^0x[0-9a-f]{64}$/;
const PUBKEY = /^0x0[23][0-9a-f]{64}$/;
const TX = /^0x[0-9a-f]{64}$/;
/** A signed changeOwner transaction is ~110-250 bytes; anything far larger is not one. */
const RAW_TX = /^0x(?:[0-9a-f]{2}){1,2048}$/;
const ID = /^[0-9a-f]{64}$/;

function addressOf(key: string): string {
  try {
    return computeAddress(key);
  } catch {
    throw bad("not a secp256k1 key");
  }
}

function only(obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw bad(`${what} has unknown field ${k}`);
}

function decodeKey(v: unknown): StoredKey {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad("key is not an object");
  const o = v as Record<string, unknown>;
  only(o, ["address", "publicKey", "privateKey", "status", "createdAt", "activatedAt", "retiredAt", "ownerChangeTx", "ownerChangeRawTx"], "key");
  const { address, publicKey, privateKey, status, createdAt, activatedAt, retiredAt, ownerChangeTx, ownerChangeRawTx } = o;
  if (typeof publicKey !== "string" || !PUBKEY.test(publicKey)) throw bad("key publicKey");
  if (typeof address !== "string" || address !== addressOf(publicKey)) throw bad("key address");
  if (status !== "current" && status !== "pending" && status !== "retired") throw bad("key status");
  if (!isTime(createdAt)) throw bad("key createdAt");
  const key: { -readonly [K in keyof StoredKey]: StoredKey[K] } = { address, publicKey, status, createdAt };
  if (status === "retired") {
    if (privateKey !== undefined) throw bad("a retired key keeps its private key");
  } else {
    if (typeof privateKey !== "string" || !HEX32.test(privateKey)) throw bad("key privateKey");
    if (addressOf(privateKey) !== address) throw bad("private key does not match address");
    key.privateKey = privateKey;
  }
  if (activatedAt !== undefined) {
    if (!isTime(activatedAt)) throw bad("key activatedAt");
    key.activatedAt = activatedAt;
  }
  if (retiredAt !== undefined) {
    if (!isTime(retiredAt)) throw bad("key retiredAt");
    key.retiredAt = retiredAt;
  }
  if (ownerChangeTx !== undefined) {
    if (typeof ownerChangeTx !== "string" || !TX.test(ownerChangeTx)) throw bad("key ownerChangeTx");
    key.ownerChangeTx = ownerChangeTx;
  }
  if (ownerChangeRawTx !== undefined) {
    if (typeof ownerChangeRawTx !== "string" || !RAW_TX.test(ownerChangeRawTx)) throw bad("key ownerChangeRawTx");
    key.ownerChangeRawTx = ownerChangeRawTx;
  }
  return key;
}

function decodeCredential(v: unknown): StoredCredential {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad("credential is not an object");
  const o = v as Record<string, unknown>;
  only(o, ["id", "jwt", "importedAt"], "credential");
  if (typeof o["id"] !== "string" || !ID.test(o["id"])) throw bad("credential id");
  if (typeof o["jwt"] !== "string" || o["jwt"].length === 0) throw bad("credential jwt");
  if (!isTime(o["importedAt"])) throw bad("credential importedAt");
  return { id: o["id"], jwt: o["jwt"], importedAt: o["importedAt"] };
}

/** Parses and checks a decrypted state. Throws `WALLET_TAMPERED` (reason `content: …`) for anything off. */
export function decodeState(bytes: Uint8Array): WalletState {
  const o = parseJsonObject(bytes);
  if (o === undefined) throw bad("not a JSON object");
  only(o, ["format", "did", "chainId", "identity", "createdAt", "keys", "credentials"], "state");
  if (o["format"] !== STATE_FORMAT) throw bad("format");
  const { did, chainId, identity, createdAt, keys, credentials } = o;
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0) throw bad("chainId");
  if (typeof did !== "string") throw bad("did");
  const parsed = parseEthrDid(did);
  if (parsed?.publicKey === undefined || parsed.chainId !== BigInt(chainId)) throw bad("did is not a public-key did:ethr of chainId");
  if (typeof identity !== "string" || identity !== getAddress(parsed.address)) throw bad("identity");
  if (!isTime(createdAt)) throw bad("createdAt");
  if (!Array.isArray(keys) || !Array.isArray(credentials)) throw bad("keys or credentials");
  const decodedKeys = keys.map(decodeKey);
  const current = decodedKeys.filter((k) => k.status === "current");
  const pending = decodedKeys.filter((k) => k.status === "pending");
  if (current.length !== 1 || pending.length > 1) throw bad("exactly one current key and at most one pending key");
  if (new Set(decodedKeys.map((k) => k.address)).size !== decodedKeys.length) throw bad("duplicate key");
  if (decodedKeys[0]?.publicKey !== parsed.publicKey) throw bad("the first key is not the DID's key");
  const decodedCredentials = credentials.map(decodeCredential);
  if (new Set(decodedCredentials.map((c) => c.id)).size !== decodedCredentials.length) throw bad("duplicate credential");
  return { format: STATE_FORMAT, did, chainId, identity, createdAt, keys: decodedKeys, credentials: decodedCredentials };
}

/** The key that signs now. */
export function currentKey(state: WalletState): StoredKey & { readonly privateKey: string } {
  const key = state.keys.find((k) => k.status === "current");
  if (key?.privateKey === undefined) throw bad("no current key");
  return key as StoredKey & { readonly privateKey: string };
}

export function pendingKey(state: WalletState): (StoredKey & { readonly privateKey: string }) | undefined {
  return state.keys.find((k) => k.status === "pending") as (StoredKey & { readonly privateKey: string }) | undefined;
}
