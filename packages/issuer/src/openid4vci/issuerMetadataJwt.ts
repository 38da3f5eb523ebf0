import { ISSUER_METADATA_JWT_TYPE, encodeBase64url } from "@mobile-id/core";
import type { IssuerContext } from "../issuerContext.ts";
import { issuerJoseSigner } from "../issueSdJwtVcBatch.ts";

export interface IssuerMetadataJwtParameters {
  /** The Credential Issuer identifier the metadata is for (the JWT's `sub`). */
  readonly credentialIssuer: string;
  /** The metadata parameters to sign (`signed_metadata` itself is never one of them). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** `exp` - `iat`, seconds. Default 86,400. */
  readonly validitySeconds?: number;
}

/**
 * The issuer's Credential Issuer Metadata as a JWT signed with its ledger key (ES256K, `kid` = DID URL, as its
 * credentials): `iss` the issuer's DID, `sub` the Credential Issuer identifier, `iat`, `exp`, and the metadata
 * parameters as claims. A wallet checks it against the DID's keys on the ledger: so an issuer URL can name a DID
 * in its metadata only if that DID's key signed that URL. Throws nothing of its own.
 *
 * @example
 * ```ts
 * const signed = await issuer.issuerMetadataJwt({ credentialIssuer: "https://id.example/issuers/snu", metadata });
 * ```
 */
export async function createIssuerMetadataJwt(ctx: IssuerContext, p: IssuerMetadataJwtParameters): Promise<string> {
  const iat = ctx.clock();
  const signer = issuerJoseSigner(ctx);
  const { signed_metadata: _ignored, ...claims } = p.metadata as Record<string, unknown>;
  const header = encodeBase64url(JSON.stringify({ alg: signer.alg, typ: ISSUER_METADATA_JWT_TYPE, kid: signer.kid }));
  const payload = encodeBase64url(JSON.stringify({ ...claims, iss: ctx.issuerDid, sub: p.credentialIssuer, iat, exp: iat + (p.validitySeconds ?? 86_400) }));
  const signingInput = `${header}.${payload}`;
  const signature = await signer.sign(new TextEncoder().encode(signingInput));
  return `${signingInput}.${encodeBase64url(signature)}`;
}
