/**
 * The wallet's plaintext: what the envelope encrypts. Pure code; strictly validated on every read so that a
 * file written by other software cannot hand the wallet a half-formed state.
 */
import { computeAddress, getAddress } from "ethers";
import { parseEthrDid, parseJsonObject } from "@mobile-id/core/browser";
import { walletError } from "./errors.ts";
import { type PresentationRecord, decodePresentationRecord } from "./history/presentationRecord.ts";
import { type StoredRefreshGrant, decodeRefreshGrant } from "./openid4vci/refreshGrant.ts";

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

/** A P-256 key the wallet made for one SD-JWT VC copy (`cnf.jwk`); its private half never leaves the wallet. */
export interface StoredHolderKey {
  /** The JWK thumbprint (RFC 7638, SHA-256, base64url). */
  readonly id: string;
  readonly jwk: { readonly kty: "EC"; readonly crv: "P-256"; readonly x: string; readonly y: string };
  /** 32-byte private key as 0x hex; absent for a key kept in a platform key store (`external`). */
  readonly privateKey?: string;
  /** The private key lives in a `HolderKeyStore` (e.g. a non-extractable WebCrypto key), not in this state. */
  readonly external?: true;
  readonly createdAt: number;
}

/** One SD-JWT VC copy as issued (all its disclosures), bound to one of {@link StoredHolderKey}. */
export interface StoredSdJwtVc {
  /** Hex SHA-256 of the copy. */
  readonly id: string;
  /** The import the copy came in (copies of one issuance): hex SHA-256 over its copies' ids. */
  readonly batch: string;
  readonly copy: string;
  /** The holder key's id. */
  readonly keyId: string;
  readonly importedAt: number;
  /** The verifier (domain) this copy was shown to; a copy is never shown to two verifiers. */
  readonly usedBy?: string;
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
  /** SD-JWT VC holder keys (issue 10); absent in wallets written before. */
  readonly holderKeys?: readonly StoredHolderKey[];
  /** SD-JWT VC copies (issue 10); absent in wallets written before. */
  readonly sdJwtVcs?: readonly StoredSdJwtVc[];
  /** What was shared with whom (issue 11), oldest first; absent in wallets written before. */
  readonly presentationHistory?: readonly PresentationRecord[];
  /** OpenID4VCI refresh tokens per SD-JWT VC batch (issue 11); absent in wallets written before. */
  readonly refreshGrants?: readonly StoredRefreshGrant[];
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
  only(o, ["format", "did", "chainId", "identity", "createdAt", "keys", "credentials", "holderKeys", "sdJwtVcs", "presentationHistory", "refreshGrants"], "state");
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
  const base: WalletState = { format: STATE_FORMAT, did, chainId, identity, createdAt, keys: decodedKeys, credentials: decodedCredentials };
  const history = o["presentationHistory"];
  if (history !== undefined && (!Array.isArray(history) || new Set(history.map((r: { id?: unknown }) => r?.id)).size !== history.length)) throw bad("presentation history");
  const withHistory: WalletState = history === undefined ? base : { ...base, presentationHistory: history.map(decodePresentationRecord) };
  const grants = o["refreshGrants"];
  if (grants !== undefined && !Array.isArray(grants)) throw bad("refresh grants");
  const state: WalletState = grants === undefined ? withHistory : { ...withHistory, refreshGrants: grants.map(decodeRefreshGrant) };
  if (o["holderKeys"] === undefined && o["sdJwtVcs"] === undefined) return state;
  const holderKeys = decodeList(o["holderKeys"], decodeHolderKey);
  const sdJwtVcs = decodeList(o["sdJwtVcs"], decodeSdJwtVc);
  const keyIds = new Set(holderKeys.map((k) => k.id));
  if (keyIds.size !== holderKeys.length) throw bad("duplicate holder key");
  if (new Set(sdJwtVcs.map((c) => c.id)).size !== sdJwtVcs.length) throw bad("duplicate SD-JWT VC copy");
  if (new Set(sdJwtVcs.map((c) => c.keyId)).size !== sdJwtVcs.length || sdJwtVcs.some((c) => !keyIds.has(c.keyId))) throw bad("SD-JWT VC copy keys");
  return { ...state, holderKeys, sdJwtVcs };
}

function decodeList<T>(v: unknown, decode: (x: unknown) => T): T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw bad("SD-JWT VC lists");
  return v.map(decode);
}

const B64U43 = /^[A-Za-z0-9_-]{43}$/;

function decodeHolderKey(v: unknown): StoredHolderKey {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad("holder key is not an object");
  const o = v as Record<string, unknown>;
  only(o, ["id", "jwk", "privateKey", "external", "createdAt"], "holder key");
  const jwk = o["jwk"] as Record<string, unknown> | null;
  if (jwk === null || typeof jwk !== "object") throw bad("holder key jwk");
  only(jwk, ["kty", "crv", "x", "y"], "holder key jwk");
  if (jwk["kty"] !== "EC" || jwk["crv"] !== "P-256" || typeof jwk["x"] !== "string" || !B64U43.test(jwk["x"]) || typeof jwk["y"] !== "string" || !B64U43.test(jwk["y"]))
    throw bad("holder key jwk");
  if (typeof o["id"] !== "string" || !B64U43.test(o["id"])) throw bad("holder key id");
  if (!isTime(o["createdAt"])) throw bad("holder key createdAt");
  const base = { id: o["id"], jwk: { kty: "EC", crv: "P-256", x: jwk["x"], y: jwk["y"] } as const, createdAt: o["createdAt"] };
  if (o["external"] === true) {
    if (o["privateKey"] !== undefined) throw bad("an external holder key keeps its private key");
    return { ...base, external: true };
  }
  if (o["external"] !== undefined || typeof o["privateKey"] !== "string" || !HEX32.test(o["privateKey"])) throw bad("holder key privateKey");
  return { ...base, privateKey: o["privateKey"] };
}

function decodeSdJwtVc(v: unknown): StoredSdJwtVc {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad("SD-JWT VC copy is not an object");
  const o = v as Record<string, unknown>;
  only(o, ["id", "batch", "copy", "keyId", "importedAt", "usedBy"], "SD-JWT VC copy");
  if (typeof o["id"] !== "string" || !ID.test(o["id"]) || typeof o["batch"] !== "string" || !ID.test(o["batch"])) throw bad("SD-JWT VC copy id");
  if (typeof o["copy"] !== "string" || o["copy"].length === 0 || typeof o["keyId"] !== "string") throw bad("SD-JWT VC copy");
  if (!isTime(o["importedAt"])) throw bad("SD-JWT VC copy importedAt");
  if (o["usedBy"] !== undefined && (typeof o["usedBy"] !== "string" || o["usedBy"].length === 0)) throw bad("SD-JWT VC copy usedBy");
  const c: StoredSdJwtVc = { id: o["id"], batch: o["batch"], copy: o["copy"], keyId: o["keyId"], importedAt: o["importedAt"] };
  return o["usedBy"] === undefined ? c : { ...c, usedBy: o["usedBy"] as string };
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
