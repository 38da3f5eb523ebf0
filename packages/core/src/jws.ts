import { decodeBase64url } from "./base64url.ts";
import type { SignatureAlgorithm } from "./formats/types.ts";
import { VerificationCode } from "./verification.ts";

/** The only JOSE algorithm mobile-id accepts today: ECDSA over secp256k1 with SHA-256, 64-byte r||s signatures. */
export const ACCEPTED_ALGORITHM = "ES256K" satisfies SignatureAlgorithm;

/** Header parameters allowed besides `alg` (everything else is refused: no `jku`, `jwk`, `x5u`, `crit`, ...). */
const ALLOWED_HEADER_PARAMS = new Set(["alg", "typ", "kid"]);

/** A compact JWS split, decoded and checked for shape; its signature is not yet verified. */
export interface ParsedJws {
  /** The header's `alg`, one of the accepted algorithms. */
  readonly alg: SignatureAlgorithm;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `BASE64URL(header) "." BASE64URL(payload)`, the bytes the signature covers. */
  readonly signingInput: string;
  /** 64 bytes, r || s. */
  readonly signature: Uint8Array;
  readonly byteLength: number;
}

export type ParseJwsResult =
  | { readonly ok: true; readonly jws: ParsedJws }
  | { readonly ok: false; readonly code: VerificationCode; readonly message: string };

const fail = (code: VerificationCode, message: string): ParseJwsResult => ({ ok: false, code, message });

/**
 * Splits and checks a compact JWS before any cryptography: a size cap, exactly three canonical base64url
 * parts, a JSON-object header whose `alg` is exactly `ES256K` (or one of `options.algorithms`) with only allow-listed parameters, a JSON-object
 * payload without duplicate keys, and a 64-byte signature. Pure: no I/O, never throws for bad input.
 *
 * @example
 * ```ts
 * const r = parseCompactJws(token, { maxBytes: 16_384 });
 * if (!r.ok) return reject(r.code);
 * ```
 */
export function parseCompactJws(
  token: unknown,
  options: { readonly maxBytes: number; readonly algorithms?: readonly SignatureAlgorithm[] | undefined },
): ParseJwsResult {
  if (typeof token !== "string") return fail(VerificationCode.MALFORMED, "token is not a string");
  // Length in UTF-16 units bounds the UTF-8 length of valid base64url text (all ASCII) from below; any
  // non-ASCII character makes the token malformed anyway.
  if (token.length > options.maxBytes) {
    return fail(VerificationCode.TOO_LARGE, `token is ${token.length} bytes, over the cap of ${options.maxBytes}`);
  }
  const first = token.indexOf(".");
  const second = first < 0 ? -1 : token.indexOf(".", first + 1);
  if (first <= 0 || second < 0 || token.indexOf(".", second + 1) >= 0 || second === token.length - 1) {
    return fail(VerificationCode.MALFORMED, "not a compact JWS of three parts");
  }
  const headerBytes = decodeBase64url(token.slice(0, first));
  const payloadBytes = decodeBase64url(token.slice(first + 1, second));
  const signature = decodeBase64url(token.slice(second + 1));
  if (headerBytes === undefined || payloadBytes === undefined || signature === undefined) {
    return fail(VerificationCode.MALFORMED, "a part is not canonical base64url");
  }
  const header = parseJsonObject(headerBytes);
  if (header === undefined) return fail(VerificationCode.MALFORMED, "header is not a JSON object");
  const alg = header["alg"];
  const algorithms = options.algorithms;
  if (algorithms === undefined ? alg !== ACCEPTED_ALGORITHM : !algorithms.includes(alg as SignatureAlgorithm)) {
    return fail(VerificationCode.UNSUPPORTED_ALGORITHM, `algorithm ${JSON.stringify(header["alg"])} is not accepted`);
  }
  for (const key of Object.keys(header)) {
    if (!ALLOWED_HEADER_PARAMS.has(key)) {
      return fail(VerificationCode.UNSUPPORTED_ALGORITHM, `header parameter ${JSON.stringify(key)} is not accepted`);
    }
  }
  if (header["typ"] !== undefined && header["typ"] !== "JWT") {
    return fail(VerificationCode.MALFORMED, "header typ must be JWT when present");
  }
  if (header["kid"] !== undefined && typeof header["kid"] !== "string") {
    return fail(VerificationCode.MALFORMED, "header kid must be a string");
  }
  const payload = parseJsonObject(payloadBytes);
  if (payload === undefined) return fail(VerificationCode.MALFORMED, "payload is not a JSON object without duplicate keys");
  // ES256K and ES256 both sign r || s of two 32-byte integers.
  if (signature.length !== 64) return fail(VerificationCode.MALFORMED, `${String(alg)} signature must be 64 bytes`);
  return {
    ok: true,
    jws: { alg: alg as SignatureAlgorithm, header, payload, signingInput: token.slice(0, second), signature, byteLength: token.length },
  };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A JSON object from UTF-8 bytes, or `undefined` (bad UTF-8, bad JSON, not an object, duplicate keys). */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  if (hasDuplicateKeys(text)) return undefined;
  return value as Record<string, unknown>;
}

/**
 * Whether a JSON text (already known to parse) has an object with a repeated member name. `JSON.parse` keeps
 * the last one silently; another parser may keep the first, so such a token means different things to
 * different readers and is refused (RFC 7493, I-JSON).
 */
export function hasDuplicateKeys(json: string): boolean {
  // One scan: a stack of key sets, one per open object; strings are read with their escapes.
  const stack: (Set<string> | null)[] = [];
  let i = 0;
  const n = json.length;
  while (i < n) {
    const c = json.charCodeAt(i);
    if (c === 0x7b /* { */) {
      stack.push(new Set());
      i++;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i++;
    } else if (c === 0x22 /* " */) {
      let j = i + 1;
      let simple = true;
      while (j < n) {
        const d = json.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          simple = false;
          j += 2;
          continue;
        }
        if (d === 0x22) break;
        j++;
      }
      const raw = json.slice(i, j + 1);
      i = j + 1;
      // A string directly followed (after whitespace) by ':' is a member name of the innermost object.
      let k = i;
      while (k < n && (json.charCodeAt(k) === 0x20 || json.charCodeAt(k) === 0x0a || json.charCodeAt(k) === 0x0d || json.charCodeAt(k) === 0x09)) k++;
      if (json.charCodeAt(k) === 0x3a /* : */) {
        const keys = stack[stack.length - 1];
        if (keys) {
          const name = simple ? raw.slice(1, -1) : (JSON.parse(raw) as string);
          if (keys.has(name)) return true;
          keys.add(name);
        }
      }
    } else {
      i++;
    }
  }
  return false;
}
