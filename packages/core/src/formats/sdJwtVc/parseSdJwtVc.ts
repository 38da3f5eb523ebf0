import { decodeBase64url, encodeBase64url } from "../../base64url.ts";
import { hasDuplicateKeys, parseJsonObject } from "../../jws.ts";
import { VerificationCode } from "../../verification.ts";
import { MAX_DISCLOSURES, MAX_NESTING_DEPTH, MAX_SD_JWT_VC_BYTES, NON_DISCLOSABLE_CLAIMS, SD_ALG } from "./constants.ts";
import { type Sha256, nobleSha256 } from "./crypto.ts";

/** The rules of SD-JWT VC verification, in the order they run; a failure names the rule that refused. */
export const SdJwtVcCheck = {
  Size: "sdJwtVc.size",
  Decode: "sdJwtVc.decode",
  Disclosures: "sdJwtVc.disclosures",
  Header: "sdJwtVc.header",
  Issuer: "sdJwtVc.issuer",
  Type: "sdJwtVc.type",
  Status: "sdJwtVc.status",
  HolderKey: "sdJwtVc.holderKey",
  Time: "sdJwtVc.time",
  Signature: "sdJwtVc.signature",
  KeyBinding: "sdJwtVc.keyBinding",
  KeyBindingSignature: "sdJwtVc.keyBinding.signature",
  KeyBindingHash: "sdJwtVc.keyBinding.sdHash",
  KeyBindingChallenge: "sdJwtVc.keyBinding.nonce",
  KeyBindingAudience: "sdJwtVc.keyBinding.aud",
  KeyBindingTime: "sdJwtVc.keyBinding.iat",
} as const;
export type SdJwtVcCheck = (typeof SdJwtVcCheck)[keyof typeof SdJwtVcCheck];

/** A refusal: a stable code, the rule that refused, and a short reason. */
export interface SdJwtVcFailure {
  readonly ok: false;
  readonly code: VerificationCode;
  readonly check: SdJwtVcCheck;
  readonly message: string;
}

/** A compact JWS, decoded; nothing verified. */
export interface DecodedJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `BASE64URL(header) "." BASE64URL(payload)`, the bytes the signature covers (ASCII). */
  readonly signingInput: string;
  readonly signature: Uint8Array;
}

/** One presented disclosure. */
export interface ParsedDisclosure {
  readonly encoded: string;
  /** base64url SHA-256 of `encoded` (RFC 9901 §4.2.3). */
  readonly digest: string;
  /** The claim name; `undefined` for an array element disclosure. */
  readonly name: string | undefined;
  readonly value: unknown;
}

/** An SD-JWT (+ KB-JWT) decoded, its disclosures checked against its digests. Signatures not verified yet. */
export interface ParsedSdJwtVc {
  readonly issuerJwt: DecodedJws;
  readonly disclosures: readonly ParsedDisclosure[];
  /** The payload after disclosure: signed clear claims plus disclosed ones, without `_sd` / `_sd_alg`. */
  readonly processed: Readonly<Record<string, unknown>>;
  /** The key binding JWT, if one was appended. */
  readonly keyBinding: DecodedJws | undefined;
  /** base64url SHA-256 over exactly what precedes the KB-JWT (`<jwt>~<d1>~…~<dn>~`), RFC 9901 §4.3.1. */
  readonly sdHash: string;
  readonly byteLength: number;
}

/** Caps applied before and while decoding. */
export interface SdJwtVcLimits {
  /** Default {@link MAX_SD_JWT_VC_BYTES}. */
  readonly maxBytes?: number;
  /** Default {@link MAX_DISCLOSURES}. */
  readonly maxDisclosures?: number;
  /** Default {@link MAX_NESTING_DEPTH}. */
  readonly maxDepth?: number;
}

export type ParseSdJwtVcResult = { readonly ok: true; readonly value: ParsedSdJwtVc } | SdJwtVcFailure;

const COMPACT = /^[A-Za-z0-9_.~-]+$/;
const DIGEST = /^[A-Za-z0-9_-]{43}$/;
const encoder = new TextEncoder();
const utf8 = new TextDecoder("utf-8", { fatal: true });

class Refusal {
  readonly code: VerificationCode;
  readonly check: SdJwtVcCheck;
  readonly message: string;
  constructor(code: VerificationCode, check: SdJwtVcCheck, message: string) {
    this.code = code;
    this.check = check;
    this.message = message;
  }
}
const malformed = (message: string, check: SdJwtVcCheck = SdJwtVcCheck.Disclosures): Refusal =>
  new Refusal(VerificationCode.MALFORMED, check, message);

/** JSON nesting depth (a scalar is 0), stopping as soon as `limit` is exceeded. */
function depthExceeds(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (limit <= 0) return true;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (depthExceeds(v, limit - 1)) return true;
  return false;
}

function decodeJws(text: string, check: SdJwtVcCheck): DecodedJws {
  const parts = text.split(".");
  if (parts.length !== 3) throw malformed("not a compact JWS", check);
  const [h, p, s] = parts as [string, string, string];
  const headerBytes = decodeBase64url(h);
  const payloadBytes = decodeBase64url(p);
  const signature = decodeBase64url(s);
  const header = headerBytes === undefined ? undefined : parseJsonObject(headerBytes);
  const payload = payloadBytes === undefined ? undefined : parseJsonObject(payloadBytes);
  if (header === undefined || payload === undefined || signature === undefined || signature.length !== 64)
    throw malformed("bad JWS header, payload or signature", check);
  return { header, payload, signingInput: `${h}.${p}`, signature };
}

function decodeDisclosure(encoded: string, sha256: Sha256, maxDepth: number): ParsedDisclosure {
  const bytes = decodeBase64url(encoded);
  if (bytes === undefined || bytes.length === 0) throw malformed("disclosure is not base64url");
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    throw malformed("disclosure is not JSON");
  }
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 3)) throw malformed("disclosure is not a 2- or 3-element array");
  if (hasDuplicateKeys(text)) throw malformed("disclosure has a duplicate member name");
  const salt: unknown = value[0];
  if (typeof salt !== "string" || salt.length < 16) throw malformed("disclosure salt is missing or short");
  const name: unknown = value.length === 3 ? value[1] : undefined;
  if (value.length === 3 && typeof name !== "string") throw malformed("disclosure claim name is not a string");
  const claimValue: unknown = value[value.length - 1];
  if (depthExceeds(claimValue, maxDepth)) throw new Refusal(VerificationCode.TOO_LARGE, SdJwtVcCheck.Disclosures, "disclosure nests too deep");
  return { encoded, digest: encodeBase64url(sha256(encoder.encode(encoded))), name: name as string | undefined, value: claimValue };
}

/** Replaces digests by disclosed values (RFC 9901 §7.1), enforcing every rule on digests and disclosures. */
class Processor {
  readonly #byDigest: Map<string, ParsedDisclosure>;
  readonly #seen = new Set<string>();
  readonly used = new Set<string>();
  readonly #maxDepth: number;

  constructor(disclosures: readonly ParsedDisclosure[], maxDepth: number) {
    this.#byDigest = new Map(disclosures.map((d) => [d.digest, d]));
    this.#maxDepth = maxDepth;
  }

  #claimDigest(digest: unknown): ParsedDisclosure | undefined {
    if (typeof digest !== "string" || !DIGEST.test(digest)) throw malformed("malformed digest");
    if (this.#seen.has(digest)) throw malformed("a digest appears more than once");
    this.#seen.add(digest);
    const d = this.#byDigest.get(digest);
    if (d !== undefined) this.used.add(digest);
    return d;
  }

  value(v: unknown, depth: number): unknown {
    if (depth > this.#maxDepth) throw new Refusal(VerificationCode.TOO_LARGE, SdJwtVcCheck.Disclosures, "claims nest too deep");
    if (v === null || typeof v !== "object") return v;
    return Array.isArray(v) ? this.#array(v, depth) : this.object(v as Record<string, unknown>, depth, false);
  }

  #array(arr: readonly unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    for (const el of arr) {
      if (el !== null && typeof el === "object" && !Array.isArray(el) && Object.hasOwn(el, "...")) {
        if (Object.keys(el).length !== 1) throw malformed("array element digest object has other members");
        const d = this.#claimDigest((el as Record<string, unknown>)["..."]);
        if (d === undefined) continue; // undisclosed element (or decoy)
        if (d.name !== undefined) throw malformed("object property disclosure used for an array element");
        out.push(this.value(d.value, depth + 1));
      } else out.push(this.value(el, depth + 1));
    }
    return out;
  }

  object(obj: Readonly<Record<string, unknown>>, depth: number, topLevel: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (k === "_sd") continue;
      if (k === "...") throw malformed("'...' outside an array element");
      if (topLevel && k === "_sd_alg") continue;
      out[k] = this.value(v, depth + 1);
    }
    if (Object.hasOwn(obj, "_sd")) {
      const sd = obj._sd;
      if (!Array.isArray(sd)) throw malformed("_sd is not an array");
      for (const digest of sd) {
        const d = this.#claimDigest(digest);
        if (d === undefined) continue; // undisclosed claim (or decoy)
        if (d.name === undefined) throw malformed("array element disclosure used for an object property");
        if (d.name === "_sd" || d.name === "..." || (topLevel && NON_DISCLOSABLE_CLAIMS.has(d.name)))
          throw malformed(`a disclosure may not carry '${d.name}'`);
        if (Object.hasOwn(out, d.name)) throw malformed(`disclosure '${d.name}' would shadow a claim`);
        out[d.name] = this.value(d.value, depth + 1);
      }
    }
    return out;
  }
}

/**
 * Decodes an SD-JWT VC (issued: `<jwt>~<d1>~…~<dn>~`; presented: the same with a KB-JWT appended) and checks
 * its structure without any signature: caps (bytes, disclosures, nesting), well-formed disclosures, every
 * presented disclosure referenced by exactly one digest and every digest at most once, no disclosure that adds
 * or shadows a non-disclosable claim (`iss`, `vct`, `cnf`, `status`, `_sd`, `...`, …), `_sd_alg` = `sha-256`.
 * Pure; never throws for any input (a fault in the injected hasher is reported as `MALFORMED`).
 *
 * @example
 * ```ts
 * const r = parseSdJwtVc(presentation);
 * if (r.ok) r.value.processed.age_equal_or_over // { "19": true }
 * ```
 */
export function parseSdJwtVc(raw: unknown, limits: SdJwtVcLimits = {}, sha256: Sha256 = nobleSha256): ParseSdJwtVcResult {
  try {
    return { ok: true, value: parseOrThrow(raw, limits, sha256) };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, code: e.code, check: e.check, message: e.message };
    return { ok: false, code: VerificationCode.MALFORMED, check: SdJwtVcCheck.Decode, message: "undecodable SD-JWT" };
  }
}

function parseOrThrow(raw: unknown, limits: SdJwtVcLimits, sha256: Sha256): ParsedSdJwtVc {
  const maxBytes = limits.maxBytes ?? MAX_SD_JWT_VC_BYTES;
  const maxDisclosures = limits.maxDisclosures ?? MAX_DISCLOSURES;
  const maxDepth = limits.maxDepth ?? MAX_NESTING_DEPTH;
  if (typeof raw !== "string") throw malformed("not a string", SdJwtVcCheck.Size);
  // Checked before any decoding; the alphabet check makes length equal byte length.
  if (raw.length > maxBytes) throw new Refusal(VerificationCode.TOO_LARGE, SdJwtVcCheck.Size, `larger than ${maxBytes} bytes`);
  if (!COMPACT.test(raw)) throw malformed("not a compact SD-JWT", SdJwtVcCheck.Decode);
  const parts = raw.split("~");
  if (parts.length < 2) throw malformed("no '~' separator", SdJwtVcCheck.Decode);
  const encodedDisclosures = parts.slice(1, -1);
  if (encodedDisclosures.length > maxDisclosures) throw new Refusal(VerificationCode.TOO_LARGE, SdJwtVcCheck.Size, "too many disclosures");
  const kbText = parts[parts.length - 1] as string;
  const issuerJwt = decodeJws(parts[0] as string, SdJwtVcCheck.Decode);
  if (depthExceeds(issuerJwt.payload, maxDepth)) throw new Refusal(VerificationCode.TOO_LARGE, SdJwtVcCheck.Decode, "payload nests too deep");
  if (issuerJwt.payload._sd_alg !== SD_ALG) throw malformed("_sd_alg must be sha-256");

  // A disclosure presented twice has one digest for two disclosures, so the "every presented disclosure is
  // referenced" rule below refuses it.
  const disclosures = encodedDisclosures.map((encoded) => decodeDisclosure(encoded, sha256, maxDepth));
  const processor = new Processor(disclosures, maxDepth);
  const processed = processor.object(issuerJwt.payload, 0, true);
  if (processor.used.size !== disclosures.length) throw malformed("a disclosure is not referenced by any digest");

  const keyBinding = kbText === "" ? undefined : decodeJws(kbText, SdJwtVcCheck.KeyBinding);
  const presented = raw.slice(0, raw.length - kbText.length);
  return { issuerJwt, disclosures, processed, keyBinding, sdHash: encodeBase64url(sha256(encoder.encode(presented))), byteLength: raw.length };
}

/**
 * Cheap and bounded: whether `raw` is in the SD-JWT encoding at all (a string whose first `~` follows a compact
 * JWS), for a format registry's `accepts`. A compact JWT-VC has no `~`. Decides nothing about validity.
 *
 * @example
 * ```ts
 * acceptsSdJwtVc("eyJ….eyJ….sig~WyJ…~") // true
 * ```
 */
export function acceptsSdJwtVc(raw: unknown): boolean {
  if (typeof raw !== "string") return false;
  const end = raw.indexOf("~");
  if (end <= 0) return false;
  const first = raw.indexOf(".");
  return first > 0 && first < end && raw.indexOf(".", first + 1) < end && raw.indexOf(".", first + 1) > first;
}
