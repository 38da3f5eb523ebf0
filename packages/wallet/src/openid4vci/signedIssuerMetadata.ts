/**
 * Which issuer an OpenID4VCI Credential Issuer URL speaks for. The metadata names a `did:ethr` (`issuer_did`), but
 * anyone can write any DID into their metadata; what binds the URL to the DID is `signed_metadata` (OpenID4VCI 1.0
 * §12.2.3): the metadata parameters as a JWT (`typ: openidvci-issuer-metadata+jwt`) signed with a key the DID has
 * on the ledger, whose `sub` is this Credential Issuer. A page that copies a real issuer's signed metadata names
 * that issuer's URL, not its own, and is refused. Used by both wallets (the Node wallet checks the signature against
 * the DID document, the phone wallet against the ledger's party facts). Pure apart from `verifySignature`.
 */
import { ISSUER_METADATA_JWT_TYPE, decodeBase64url, parseEthrDid, parseJsonObject } from "@mobile-id/core/browser";
import { walletError } from "../errors.ts";

/** Seconds a signed metadata's `iat` may lie ahead of the wallet's clock. */
const CLOCK_SKEW_SECONDS = 60;
/** The parameters the wallet acts on: where the signed JWT has them, the unsigned part must say the same. */
const BOUND_PARAMETERS = ["credential_issuer", "credential_endpoint", "nonce_endpoint", "authorization_servers"] as const;

/** What the wallet takes from the credential configurations: their ids, formats and types (parsers may drop the rest). */
function configurationsOf(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([id, c]) => {
      const config = (c ?? {}) as { format?: unknown; vct?: unknown; credential_definition?: { type?: unknown } };
      return [id, { format: config.format, vct: config.vct, type: config.credential_definition?.type }];
    }),
  );
}

/** A compact JWS as the signature check gets it. */
export interface IssuerMetadataJws {
  readonly jwt: string;
  readonly header: Readonly<Record<string, unknown>>;
  readonly signingInput: string;
  readonly signature: Uint8Array;
}

export interface CheckSignedIssuerMetadataParameters {
  /** The Credential Issuer Metadata as fetched (its unsigned parameters and `signed_metadata`). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The offer's `credential_issuer`: the URL the metadata was fetched for. */
  readonly credentialIssuer: string;
  /** Seconds since the epoch. */
  readonly now: number;
  /** Whether `jws` is signed (ES256K) by a key `issuerDid` has on the ledger now. */
  readonly verifySignature: (jws: IssuerMetadataJws, issuerDid: string) => Promise<boolean>;
}

/** JSON with sorted object keys, for comparing parsed values whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

const unsigned = (message: string, details: Record<string, unknown> = {}) => walletError("ISSUER_METADATA_UNSIGNED", message, { details });

/**
 * Checks the metadata's `signed_metadata` and returns the DID this Credential Issuer speaks for. Throws
 * `ISSUER_METADATA_UNSIGNED` when it is missing, malformed, not `typ` `openidvci-issuer-metadata+jwt` ES256K with a
 * `kid` of its `iss` DID, for another Credential Issuer (`sub`), not yet or no longer valid (`iat`, `exp`), not
 * signed by that DID's key, naming another `issuer_did` than the unsigned part, or when a parameter the wallet acts
 * on differs between the signed and the unsigned part.
 *
 * @example
 * ```ts
 * const { issuerDid } = await checkSignedIssuerMetadata({ metadata, credentialIssuer: offer.credential_issuer, now, verifySignature });
 * ```
 */
export async function checkSignedIssuerMetadata(p: CheckSignedIssuerMetadataParameters): Promise<{ readonly issuerDid: string }> {
  const jwt = p.metadata["signed_metadata"];
  if (typeof jwt !== "string") throw unsigned("the issuer's metadata is not signed (no signed_metadata): nothing shows which issuer this URL speaks for");
  const parts = jwt.split(".");
  const headerBytes = parts.length === 3 ? decodeBase64url(parts[0] as string) : undefined;
  const payloadBytes = parts.length === 3 ? decodeBase64url(parts[1] as string) : undefined;
  const signature = parts.length === 3 ? decodeBase64url(parts[2] as string) : undefined;
  const header = headerBytes === undefined ? undefined : parseJsonObject(headerBytes);
  const payload = payloadBytes === undefined ? undefined : parseJsonObject(payloadBytes);
  if (header === undefined || payload === undefined || signature === undefined) throw unsigned("signed_metadata is not a signed JWT");
  const iss = payload["iss"];
  if (typeof iss !== "string" || parseEthrDid(iss) === undefined) throw unsigned("signed_metadata's iss is not a did:ethr");
  const kid = header["kid"];
  if (header["alg"] !== "ES256K" || header["typ"] !== ISSUER_METADATA_JWT_TYPE || typeof kid !== "string" || !kid.startsWith(`${iss}#`)) {
    throw unsigned(`signed_metadata is not an ES256K ${ISSUER_METADATA_JWT_TYPE} with a kid of its iss`, { alg: String(header["alg"]), typ: String(header["typ"]) });
  }
  if (payload["sub"] !== p.credentialIssuer || p.metadata["credential_issuer"] !== p.credentialIssuer) {
    throw unsigned("signed_metadata is for another Credential Issuer than this offer's", { sub: String(payload["sub"]), credentialIssuer: p.credentialIssuer });
  }
  const iat = payload["iat"];
  const exp = payload["exp"];
  if (typeof iat !== "number" || iat > p.now + CLOCK_SKEW_SECONDS || typeof exp !== "number" || exp <= p.now) {
    throw unsigned("signed_metadata is not valid now (iat, exp)", { iat: String(iat), exp: String(exp) });
  }
  const named = p.metadata["issuer_did"];
  if (named !== undefined && named !== iss) throw unsigned("issuer_did differs from the DID that signed the metadata", { issuerDid: String(named), iss });
  for (const name of BOUND_PARAMETERS) {
    if (payload[name] !== undefined && canonical(payload[name]) !== canonical(p.metadata[name])) {
      throw unsigned(`the signed and the unsigned ${name} differ`, { parameter: name });
    }
  }
  const configurations = "credential_configurations_supported";
  if (payload[configurations] !== undefined && canonical(configurationsOf(payload[configurations])) !== canonical(configurationsOf(p.metadata[configurations]))) {
    throw unsigned(`the signed and the unsigned ${configurations} differ`, { parameter: configurations });
  }
  if (!(await p.verifySignature({ jwt, header, signingInput: `${parts[0]}.${parts[1]}`, signature }, iss))) {
    throw unsigned("signed_metadata is not signed by a key of its DID on the ledger", { iss });
  }
  return { issuerDid: iss };
}
