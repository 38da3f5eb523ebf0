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
  /**
   * How the credential is bound to its holder. Optional so that handlers written before it compile; JWT-VC
   * sets `{ kind: "did", did: subject.did }`, a key-bound format `{ kind: "jwk", jwk }`.
   */
  readonly holderBinding?: HolderBinding;
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
  /** The JWS algorithms to accept; default `["ES256K"]` (`ACCEPTED_ALGORITHM`). */
  readonly algorithms?: readonly SignatureAlgorithm[];
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

// ---------------------------------------------------------------------------------------------------------------
// Building and signing (added for issue 9: every actor goes through the format modules). Additions only: the
// parse-side names above are unchanged.
// ---------------------------------------------------------------------------------------------------------------

/**
 * A public key as a JWK (RFC 7517), for holder binding by key rather than by DID (SD-JWT VC `cnf.jwk`, with a
 * P-256 key as phone secure hardware holds). Only the public members; a `d` is never part of it.
 */
export interface PublicJwk {
  readonly kty: "EC";
  readonly crv: "P-256" | "secp256k1";
  readonly x: string;
  readonly y: string;
}

/**
 * Who may present a credential: the holder's DID (JWT-VC `sub`, today) or a public key (`cnf.jwk`, SD-JWT VC).
 *
 * @example
 * ```ts
 * const byDid: HolderBinding = { kind: "did", did: "did:ethr:0x7a69:0x02…" };
 * const byKey: HolderBinding = { kind: "jwk", jwk: { kty: "EC", crv: "P-256", x: "…", y: "…" } };
 * ```
 */
export type HolderBinding =
  | { readonly kind: "did"; readonly did: string }
  | { readonly kind: "jwk"; readonly jwk: PublicJwk };

/**
 * Signs a JWS signing input with one key. Algorithm-agile: `alg` says what `sign` produces (`ES256K`: ECDSA
 * secp256k1 + SHA-256; `ES256`: ECDSA P-256 + SHA-256). The key may live in memory, in WebCrypto as a
 * non-extractable key, or in an HSM: only `sign` touches it.
 */
export interface JwsKeySigner {
  readonly alg: SignatureAlgorithm;
  /** The signature over the exact signing-input bytes, raw `r || s` (64 bytes for ES256K and ES256), hashing included. */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

/**
 * A {@link JwsKeySigner} together with the `kid` written in the JWS header (a DID URL naming the key).
 *
 * @example
 * ```ts
 * const signer: JwsSigner = { ...createEs256kSigner(privateKey), kid: `${did}#controller` };
 * ```
 */
export interface JwsSigner extends JwsKeySigner {
  readonly kid: string;
}

/**
 * A credential before it is encoded: what an issuer decided, in format-neutral terms. A format's `build` turns it
 * into its payload; nothing in it is specific to JWT.
 */
export interface CredentialDraft {
  /** The issuer's DID (`iss`). */
  readonly issuer: string;
  /** The holder: a DID (JWT-VC requires one) or a key (`cnf.jwk`). */
  readonly holder: HolderBinding;
  /** The registered type name and the schema the credential names. */
  readonly type: { readonly name: string; readonly schemaUri: string };
  /** Claims about the holder, without `id`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The credential id (`jti`, `urn:uuid:…`). */
  readonly id: string;
  /** Seconds since the epoch (`nbf`). */
  readonly validFrom: number;
  /** Seconds since the epoch (`exp`). */
  readonly validUntil: number;
  /** Seconds since the epoch (`iat`); written only when given (mobile-id JWT-VCs carry none). */
  readonly issuedAt?: number;
  /** The credential's status entry, and the chain whose registry holds it. */
  readonly status: StatusEntryRef;
  readonly chainId: bigint;
}

/** A presentation before it is encoded: who presents what to whom. */
export interface PresentationDraft {
  /** The presenter: a DID for JWT-VP (`iss`); a key binding for formats that prove possession of a key. */
  readonly holder: HolderBinding;
  /** The verifier (`aud`), one audience. */
  readonly audience: string;
  /** The verifier's challenge (`nonce`). */
  readonly nonce: string;
  /** The presentation id (`jti`). */
  readonly id: string;
  readonly validFrom: number;
  readonly validUntil: number;
  /** Written only when given. */
  readonly issuedAt?: number;
  /** The credentials, each in its own encoding, as stored. */
  readonly credentials: readonly string[];
}

/**
 * One credential format, all sides of it: build (draft → payload, pure), sign (payload → wire form, through an
 * injected {@link JwsSigner}), parse and check the shape (wire form → {@link NormalizedCredential}, pure).
 * Adding a format is one module implementing this and one registration (`createFormatRegistry`).
 *
 * @example
 * ```ts
 * const jwt = await jwtVcFormat.sign(jwtVcFormat.build(draft), { ...signer, kid });
 * const parsed = jwtVcFormat.parse(jwt, { chainId: 31337n, maxBytes: MAX_CREDENTIAL_BYTES });
 * ```
 */
export interface CredentialFormat<Payload = unknown> extends CredentialFormatHandler {
  /** Pure: the payload for a draft. Throws `INVALID_ARGUMENT` for a draft the format cannot express. */
  build(draft: CredentialDraft): Payload;
  /** Encodes and signs; the result is what `parse` accepts. */
  sign(payload: Payload, signer: JwsSigner): Promise<string>;
}

/** One presentation format, all sides of it (see {@link CredentialFormat}). */
export interface PresentationFormat<Payload = unknown> extends PresentationFormatHandler {
  build(draft: PresentationDraft): Payload;
  sign(payload: Payload, signer: JwsSigner): Promise<string>;
}
