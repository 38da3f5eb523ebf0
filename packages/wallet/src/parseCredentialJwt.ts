import {
  MAX_CREDENTIAL_BYTES,
  VerificationCode,
  createMobileIdStatusEntry,
  findCredentialType,
  jwtVcFormat,
  parseCompactJws,
  parseEthrDid,
} from "@mobile-id/core/browser";

/**
 * Credentials larger than this are refused before parsing: the cap every actor shares (core `protocol.ts`; it was
 * 32 KiB here, more than any verifier accepts). Re-exported for the wallet's public API.
 */
export { MAX_CREDENTIAL_BYTES };

/** The fields of a VC JWT that the wallet shows and selects on. */
export interface ParsedCredential {
  readonly issuer: string;
  readonly subject: string;
  /** The registered type name, e.g. `StudentIDCredential`. */
  readonly type: string;
  readonly validFrom: number | undefined;
  readonly validUntil: number;
  readonly jti: string | undefined;
  /** `credentialSubject` without `id`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The `credentialStatus` entry, as core's one writer spells it. */
  readonly credentialStatus: Readonly<Record<string, unknown>> | undefined;
  readonly schema: string | undefined;
}

export type ParseCredentialJwtResult =
  | { readonly ok: true; readonly credential: ParsedCredential }
  | { readonly ok: false; readonly code: VerificationCode; readonly message: string };

export interface ParseCredentialJwtOptions {
  /**
   * The wallet's chain: only credentials whose issuer and subject are `did:ethr`s of it are accepted. Default:
   * the chain of the credential's own `iss` (for a screen that shows an offer before a wallet is open).
   */
  readonly chainId?: number | bigint;
}

const fail = (code: VerificationCode, message: string): ParseCredentialJwtResult => ({ ok: false, code, message });

/**
 * Reads a VC JWT for the wallet through core's JWT-VC format module (`jwtVcFormat.parse`, the parser the verifier
 * runs: the wallet has no parser of its own) and maps it to the fields the wallet shows. Refuses, besides what
 * the module refuses, a type this software does not know (`TYPE_NOT_ACCEPTED`) and a status entry that is not
 * well formed (`STATUS_INVALID`: no verifier would accept it). Signatures, issuer accreditation and status are not
 * checked here: that is the injected verifier's job. Pure: never throws for bad input.
 *
 * @example
 * ```ts
 * const r = parseCredentialJwt(jwt, { chainId: 31337 });
 * if (r.ok) console.log(r.credential.type, r.credential.validUntil);
 * ```
 */
export function parseCredentialJwt(jwt: unknown, options: ParseCredentialJwtOptions = {}): ParseCredentialJwtResult {
  let chainId: bigint;
  if (options.chainId === undefined) {
    // Only to learn the chain; the module checks everything (this token included) again below.
    const pre = parseCompactJws(jwt, { maxBytes: MAX_CREDENTIAL_BYTES });
    if (!pre.ok) return fail(pre.code, pre.message);
    const iss = pre.jws.payload["iss"];
    const did = typeof iss === "string" ? parseEthrDid(iss) : undefined;
    if (did === undefined) return fail(VerificationCode.DID_INVALID, "iss is not a did:ethr with a chain id");
    chainId = did.chainId;
  } else {
    chainId = BigInt(options.chainId);
  }
  const r = jwtVcFormat.parse(jwt, { chainId, maxBytes: MAX_CREDENTIAL_BYTES });
  if (!r.ok) return r;
  const c = r.value;
  if (findCredentialType(c.typeName) === undefined) return fail(VerificationCode.TYPE_NOT_ACCEPTED, `unknown credential type ${c.typeName}`);
  if (!c.status.ok) return fail(VerificationCode.STATUS_INVALID, c.status.problem);
  return {
    ok: true,
    credential: {
      issuer: c.issuer.did,
      subject: c.subject.did,
      type: c.typeName,
      validFrom: c.validFrom,
      validUntil: c.validUntil,
      jti: c.id,
      claims: c.claims,
      credentialStatus: createMobileIdStatusEntry(chainId, c.status.entry),
      schema: c.schemaUri,
    },
  };
}
