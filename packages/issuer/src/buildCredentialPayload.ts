import type { CredentialTypeDefinition } from "@mobile-id/core";
import type { JwtCredentialPayload } from "did-jwt-vc";

/** The VC Data Model 1.1 context, the only one mobile-id credentials carry. */
export const VC_CONTEXT_V1 = "https://www.w3.org/2018/credentials/v1";
/** `credentialStatus.type` of a mobile-id credential. */
export const STATUS_ENTRY_TYPE = "MobileIdStatusListEntry";

/** The `credentialStatus` of a mobile-id credential (core README, normative). */
export interface MobileIdStatusEntry {
  readonly id: string;
  readonly type: typeof STATUS_ENTRY_TYPE;
  readonly statusRegistry: string;
  readonly revocationListId: string;
  readonly suspensionListId: string;
  readonly statusListIndex: string;
}

export interface BuildCredentialPayloadParameters {
  readonly type: CredentialTypeDefinition;
  /** The holder's public-key `did:ethr`, written to `sub`. */
  readonly holder: string;
  /** The claims, without `id` (the holder goes to `sub`). Not copied deeply: the caller passes its own copy. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly jti: string;
  readonly notBefore: number;
  readonly expiresAt: number;
  readonly chainId: number | bigint;
  readonly statusRegistry: string;
  readonly revocationListId: bigint;
  readonly suspensionListId: bigint;
  readonly index: number;
}

/**
 * The `credentialStatus` entry: registry, list pair and index as decimal strings, and an id that names all
 * of them (`urn:mobile-id:status:<chainId>:<registry>:<revocation list>:<suspension list>:<index>`). Pure.
 *
 * @example
 * ```ts
 * buildStatusEntry({ chainId: 31337, statusRegistry: "0x…", revocationListId: 7n, suspensionListId: 8n, index: 104729 })
 * ```
 */
export function buildStatusEntry(
  p: Pick<BuildCredentialPayloadParameters, "chainId" | "statusRegistry" | "revocationListId" | "suspensionListId" | "index">,
): MobileIdStatusEntry {
  const revocationListId = p.revocationListId.toString(10);
  const suspensionListId = p.suspensionListId.toString(10);
  const statusListIndex = p.index.toString(10);
  return {
    id: `urn:mobile-id:status:${BigInt(p.chainId).toString(10)}:${p.statusRegistry}:${revocationListId}:${suspensionListId}:${statusListIndex}`,
    type: STATUS_ENTRY_TYPE,
    statusRegistry: p.statusRegistry,
    revocationListId,
    suspensionListId,
    statusListIndex,
  };
}

/**
 * The JWT payload of a credential exactly as the core README specifies it (without `iss`, which did-jwt
 * writes from the issuer, and without `iat`). Pure.
 *
 * @example
 * ```ts
 * const payload = buildCredentialPayload({ type, holder, claims, jti, notBefore, expiresAt, ...status });
 * const jwt = await createVerifiableCredentialJwt(payload, { did, signer, alg: "ES256K" });
 * ```
 */
export function buildCredentialPayload(p: BuildCredentialPayloadParameters): JwtCredentialPayload {
  return {
    sub: p.holder,
    nbf: p.notBefore,
    exp: p.expiresAt,
    jti: p.jti,
    vc: {
      "@context": [VC_CONTEXT_V1],
      type: ["VerifiableCredential", p.type.name],
      credentialSchema: { id: p.type.schemaUri, type: "JsonSchema" },
      credentialSubject: { ...p.claims },
      credentialStatus: buildStatusEntry(p),
    },
  };
}
