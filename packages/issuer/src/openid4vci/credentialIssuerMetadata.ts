import { findCredentialType } from "@mobile-id/core";
import { sdJwtVcProfileOf } from "@mobile-id/core/sd-jwt-vc";
import type { Openid4vciFormat } from "./openid4vciStore.ts";

/** Most copies (proofs) one credential request may ask for: `batch_credential_issuance.batch_size`. */
export const OPENID4VCI_BATCH_SIZE = 10;

export interface CredentialIssuerMetadataParameters {
  /** The Credential Issuer identifier: `${origin}/issuers/${tenant}`. */
  readonly credentialIssuer: string;
  /** The agency's display name. */
  readonly name: string;
  /**
   * The issuer's `did:ethr`, published as `issuer_did` (a mobile-id extension parameter): a wallet checks this DID's
   * accreditation on the ledger before it asks the person for the transaction code, and the credentials must name it.
   */
  readonly issuerDid?: string;
  /** The credential type names the tenant is accredited for now (per the ledger). */
  readonly types: readonly string[];
}

/** The credential configuration id of a type in a format: `<TypeName>.<format>`. */
export function credentialConfigurationId(type: string, format: Openid4vciFormat): string {
  return `${type}.${format}`;
}

/** Splits a credential configuration id back into type and format, or `undefined`. */
export function parseCredentialConfigurationId(id: string): { readonly type: string; readonly format: Openid4vciFormat } | undefined {
  for (const format of ["dc+sd-jwt", "jwt_vc_json"] as const) {
    if (id.endsWith(`.${format}`)) {
      const type = id.slice(0, -format.length - 1);
      return findCredentialType(type) === undefined ? undefined : { type, format };
    }
  }
  return undefined;
}

/**
 * The OpenID4VCI 1.0 Credential Issuer Metadata of one tenant (§12.2): one credential configuration per type it
 * is accredited for and format (`<Type>.dc+sd-jwt`: P-256 `jwk` binding; `<Type>.jwt_vc_json`: `did:ethr`
 * binding), display names in Korean and English, `batch_credential_issuance`. The issuer is its own
 * authorization server. Pure.
 *
 * @example
 * ```ts
 * credentialIssuerMetadata({ credentialIssuer: "https://id.example/issuers/snu", name: "Seoul National University", types: ["StudentIDCredential"] })
 *   .credential_configurations_supported["StudentIDCredential.dc+sd-jwt"].vct // "urn:mobile-id:vct:StudentIDCredential:1"
 * ```
 */
export function credentialIssuerMetadata(p: CredentialIssuerMetadataParameters): Record<string, unknown> & {
  credential_configurations_supported: Record<string, Record<string, unknown>>;
} {
  const configs: Record<string, Record<string, unknown>> = {};
  for (const name of p.types) {
    const type = findCredentialType(name);
    if (type === undefined) continue;
    const display = [
      { name: type.title.ko, locale: "ko-KR" },
      { name: type.title.en, locale: "en-US" },
    ];
    const profile = sdJwtVcProfileOf(name);
    if (profile !== undefined) {
      configs[credentialConfigurationId(name, "dc+sd-jwt")] = {
        format: "dc+sd-jwt",
        vct: profile.vct,
        scope: `${name}.dc+sd-jwt`,
        cryptographic_binding_methods_supported: ["jwk"],
        credential_signing_alg_values_supported: ["ES256K"],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["ES256"] } },
        credential_metadata: {
          display,
          claims: profile.claims.map((c) => ({ path: [c] })),
        },
      };
    }
    configs[credentialConfigurationId(name, "jwt_vc_json")] = {
      format: "jwt_vc_json",
      scope: `${name}.jwt_vc_json`,
      cryptographic_binding_methods_supported: ["did:ethr"],
      credential_signing_alg_values_supported: ["ES256K"],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["ES256K"] } },
      credential_definition: { type: ["VerifiableCredential", name] },
      credential_metadata: { display },
    };
  }
  return {
    credential_issuer: p.credentialIssuer,
    ...(p.issuerDid === undefined ? {} : { issuer_did: p.issuerDid }),
    credential_endpoint: `${p.credentialIssuer}/credential`,
    nonce_endpoint: `${p.credentialIssuer}/nonce`,
    batch_credential_issuance: { batch_size: OPENID4VCI_BATCH_SIZE },
    display: [
      { name: p.name, locale: "ko-KR" },
      { name: p.name, locale: "en-US" },
    ],
    credential_configurations_supported: configs,
  };
}

/**
 * The tenant's OAuth 2.0 Authorization Server Metadata (RFC 8414): the pre-authorized code grant with a
 * transaction code, and refresh tokens. Pure.
 *
 * @example
 * ```ts
 * authorizationServerMetadata("https://id.example/issuers/snu").token_endpoint // "https://id.example/issuers/snu/token"
 * ```
 */
export function authorizationServerMetadata(credentialIssuer: string): Record<string, unknown> & { token_endpoint: string } {
  return {
    issuer: credentialIssuer,
    token_endpoint: `${credentialIssuer}/token`,
    grant_types_supported: ["urn:ietf:params:oauth:grant-type:pre-authorized_code", "refresh_token"],
    "pre-authorized_grant_anonymous_access_supported": true,
    token_endpoint_auth_methods_supported: ["none"],
    // DPoP (RFC 9449, as HAIP asks): tokens are bound to the wallet's key when it sends a proof; Bearer otherwise.
    dpop_signing_alg_values_supported: ["ES256"],
    response_types_supported: [],
  };
}
