import type { EthrDid } from "../did.ts";
import { VerificationCode } from "../verification.ts";
import type { FormatResult } from "./types.ts";

/** Internal helpers shared by the JWT handlers (not exported from the package). */

/**
 * Parses a `did:ethr` (answers as core's `parseEthrDid`). Injected so that the format modules stay browser-safe:
 * the Node entry passes the OpenSSL-backed `parseEthrDidFast`, the browser entry `parseEthrDid`.
 */
export type DidParser = (did: string) => EthrDid | undefined;

export const VC_CONTEXT_V1 = "https://www.w3.org/2018/credentials/v1";
/** Longest DID accepted (a public-key did:ethr with a 16-digit chain id is 94 characters). */
const MAX_DID_LENGTH = 128;
const MAX_CONTEXTS = 8;

export type Field<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: VerificationCode; readonly message: string };

export const bad = (code: VerificationCode, message: string): { ok: false; code: VerificationCode; message: string } => ({
  ok: false,
  code,
  message,
});

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The first member of `obj` not in `allowed`, if any. */
export function unexpectedKey(obj: Record<string, unknown>, allowed: ReadonlySet<string>): string | undefined {
  for (const key of Object.keys(obj)) if (!allowed.has(key)) return key;
  return undefined;
}

/** A JWT NumericDate as mobile-id writes it: a non-negative integer number of seconds. */
export function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** `payload[name]` as an optional NumericDate; anything else present (strings, fractions, null) is malformed. */
export function optionalDate(payload: Record<string, unknown>, name: string): Field<number | undefined> {
  const v = payload[name];
  if (v === undefined) return { ok: true, value: undefined };
  if (!isNumericDate(v)) return bad(VerificationCode.MALFORMED, `${name} is not an integer NumericDate`);
  return { ok: true, value: v };
}

export function requiredDate(payload: Record<string, unknown>, name: string): Field<number> {
  const v = payload[name];
  if (v === undefined) return bad(VerificationCode.MALFORMED, `${name} is required`);
  if (!isNumericDate(v)) return bad(VerificationCode.MALFORMED, `${name} is not an integer NumericDate`);
  return { ok: true, value: v };
}

export function optionalString(payload: Record<string, unknown>, name: string, maxLength: number): Field<string | undefined> {
  const v = payload[name];
  if (v === undefined) return { ok: true, value: undefined };
  if (typeof v !== "string") return bad(VerificationCode.MALFORMED, `${name} is not a string`);
  if (v.length > maxLength) return bad(VerificationCode.MALFORMED, `${name} is too long`);
  return { ok: true, value: v };
}

/** A did:ethr of this chain. Not a string: MALFORMED; not a did:ethr of this chain: DID_INVALID. */
export function ethrDidField(value: unknown, name: string, chainId: bigint, parseDid: DidParser): Field<EthrDid> {
  if (typeof value !== "string") return bad(VerificationCode.MALFORMED, `${name} is not a string`);
  if (value.length > MAX_DID_LENGTH) return bad(VerificationCode.DID_INVALID, `${name} is not a did:ethr`);
  const did = parseDid(value);
  if (did === undefined) return bad(VerificationCode.DID_INVALID, `${name} is not a did:ethr with a chain id`);
  if (did.chainId !== chainId) {
    return bad(VerificationCode.DID_INVALID, `${name} belongs to chain ${did.chainId}, not this network's ${chainId}`);
  }
  return { ok: true, value: did };
}

/** `@context`: an array of strings whose first entry is the VC Data Model 1.1 context. */
export function contextField(value: unknown, where: string): Field<readonly string[]> {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CONTEXTS) {
    return bad(VerificationCode.MALFORMED, `${where}.@context is not a non-empty array`);
  }
  if (value[0] !== VC_CONTEXT_V1) return bad(VerificationCode.MALFORMED, `${where}.@context does not start with ${VC_CONTEXT_V1}`);
  for (const c of value) if (typeof c !== "string") return bad(VerificationCode.MALFORMED, `${where}.@context holds a non-string`);
  return { ok: true, value: value as string[] };
}

/** A header `kid`, if present, must name a verification method of the signer: `<signer DID>#<fragment>`. */
export function checkKid(kid: unknown, signerDid: string): Field<string | undefined> {
  if (kid === undefined) return { ok: true, value: undefined };
  if (typeof kid !== "string" || !kid.startsWith(`${signerDid}#`) || kid.length === signerDid.length + 1) {
    return bad(VerificationCode.HOLDER_MISMATCH, "the header kid does not name a key of the token's signer");
  }
  return { ok: true, value: kid };
}

export type { FormatResult };
