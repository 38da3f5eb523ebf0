import type { EthrDid } from "../did.ts";
import type { VerificationCode } from "../verification.ts";

/**
 * The credential format layer: a handler turns one raw credential (or presentation) of its encoding into a
 * normalized value with pure, I/O-free checks. The verifier then runs the same ledger, status, schema and time
 * checks on any format. A second format (e.g. SD-JWT VC for "over 19" without a birth date) is one more
 * handler; nothing downstream changes.
 */

/**
 * The JOSE signature algorithms a format handler may report: `ES256K` (ECDSA secp256k1, SHA-256, 64-byte r||s) and,
 * next, `ES256` (ECDSA P-256). Today only `ES256K` is accepted (`ACCEPTED_ALGORITHM`): the JWT formats refuse any
 * other `alg` while parsing, and the verifier refuses a proof of any other algorithm before checking a signature,
 * so a handler that reports `ES256` is refused with `UNSUPPORTED_ALGORITHM` until the verifier can check it.
 */
export type SignatureAlgorithm = "ES256K" | "ES256";

/** What a signature covers and what the token says about its signer. Nothing here is verified yet. */
export interface SignedEnvelope {
  /** The signature algorithm (`ES256K` from every format of this version). */
  readonly alg: SignatureAlgorithm;
  /** The exact ASCII bytes the signature covers (for a JWS: `BASE64URL(header) "." BASE64URL(payload)`). */
  readonly signingInput: string;
  /** 64 bytes, r || s. */
  readonly signature: Uint8Array;
  /** The header's `kid`, if any (already checked to name the signer's DID). */
  readonly kid: string | undefined;
}

/** A credential's pair of status entries: one index in a revocation list and a suspension list of its issuer. */
export interface StatusEntryRef {
  /** The status registry contract, checksummed. */
  readonly registry: string;
  readonly revocationListId: bigint;
  readonly suspensionListId: bigint;
  readonly index: bigint;
}

/** A status entry as read from a credential: usable, or why not (reported by the verifier as `STATUS_INVALID`). */
export type StatusEntryField =
  | { readonly ok: true; readonly entry: StatusEntryRef }
  | { readonly ok: false; readonly problem: string };

/** A credential in the shape every verifier check works on, whatever its wire format. */
export interface NormalizedCredential {
  /** The handler's format name, e.g. `jwt-vc`. */
  readonly format: string;
  /** The credential's id (`jti`), if any. */
  readonly id: string | undefined;
  readonly issuer: EthrDid;
  readonly subject: EthrDid;
  /** The credential's types exactly as signed, e.g. `["VerifiableCredential", "StudentIDCredential"]`. */
  readonly types: readonly string[];
  /** The one registered type name among `types`. */
  readonly typeName: string;
  /** The JSON Schema the issuer names (`credentialSchema.id`), which selects the type's version. */
  readonly schemaUri: string;
  /** The disclosed claims about the subject, without `id`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Seconds since the epoch (`nbf`): when the issuer says it issued the credential. */
  readonly validFrom: number;
  /** Seconds since the epoch (`exp`, required). */
  readonly validUntil: number;
  readonly issuedAt: number | undefined;
  readonly status: StatusEntryField;
  readonly proof: SignedEnvelope;
  readonly byteLength: number;
}

/** A presentation in the shape the verifier checks, whatever its wire format. */
export interface NormalizedPresentation {
  readonly format: string;
  readonly id: string | undefined;
  /** The presentation's signer (`iss`). */
  readonly holder: EthrDid;
  /** The one audience (the verifier's domain), or `undefined` when absent. */
  readonly audience: string | undefined;
  /** The verifier's challenge as echoed by the wallet, or `undefined` when absent. */
  readonly nonce: string | undefined;
  readonly validFrom: number | undefined;
  /** Seconds since the epoch (`exp`, required). */
  readonly validUntil: number;
  readonly issuedAt: number | undefined;
  /** The embedded credentials, raw (each is given to a credential format handler). */
  readonly credentials: readonly unknown[];
  readonly proof: SignedEnvelope;
  readonly byteLength: number;
}

/** A handler's answer: the normalized value, or a stable code and a short reason. */
export type FormatResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: VerificationCode; readonly message: string };

/** What a handler needs to know about the network and the limits; nothing else (handlers do no I/O). */
export interface FormatContext {
  /** Only DIDs of this chain are accepted. */
  readonly chainId: bigint;
  /** Size cap of one token, checked before any decoding. */
  readonly maxBytes: number;
}

export interface PresentationFormatContext extends FormatContext {
  /** Most credentials one presentation may carry (checked before any credential is decoded). */
  readonly maxCredentials: number;
}

/**
 * One credential encoding.
 *
 * @example
 * ```ts
 * const handler = credentialFormats.find((h) => h.accepts(raw));
 * const r = handler?.parse(raw, { chainId: 31337n, maxBytes: 16_384 });
 * ```
 */
export interface CredentialFormatHandler {
  readonly format: string;
  /** Cheap and bounded: whether `raw` is in this handler's encoding at all (a compact JWS for `jwt-vc`). */
  accepts(raw: unknown): boolean;
  /** Pure: decodes and checks the shape; never throws for any input. */
  parse(raw: unknown, context: FormatContext): FormatResult<NormalizedCredential>;
}

/** One presentation encoding. */
export interface PresentationFormatHandler {
  readonly format: string;
  accepts(raw: unknown): boolean;
  parse(raw: unknown, context: PresentationFormatContext): FormatResult<NormalizedPresentation>;
}
