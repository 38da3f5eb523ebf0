import { randomBytes } from "node:crypto";
import type { RelyingPartyLedger } from "@mobile-id/chain";
import { type Clock, type JwsKeySigner, MobileIdError, encodeBase64url, parseEthrDid, systemClock } from "@mobile-id/core";
import { assertRelyingPartyMayRequest } from "../assertRelyingPartyMayRequest.ts";
import { type ParsedDcqlQuery, type RequestedCredential, parseDcqlQuery } from "./dcqlQuery.ts";
import { type P256Jwk, RESPONSE_ENC_VALUES, createResponseEncryptionKey } from "./responseEncryption.ts";

/** `client_id` prefix of a verifier identified by its DID (OpenID4VP 1.0 §5.9.3). */
export const DID_CLIENT_ID_PREFIX = "decentralized_identifier:";
/** JOSE `typ` of a signed request object (RFC 9101). */
export const REQUEST_OBJECT_TYP = "oauth-authz-req+jwt";
/** `aud` of a request object when the wallet is not known in advance (OpenID4VP 1.0 §5.8). */
export const SELF_ISSUED_AUDIENCE = "https://self-issued.me/v2";

/** What the verifier supports, as `client_metadata.vp_formats_supported` says it. */
export const VP_FORMATS_SUPPORTED = {
  "dc+sd-jwt": { "sd-jwt_alg_values": ["ES256K"], "kb-jwt_alg_values": ["ES256"] },
  jwt_vc_json: { alg_values: ["ES256K"] },
} as const;

export interface CreateAuthorizationRequestParameters {
  /** The verifier: a registered relying party's `did:ethr` and its ES256K key (owner key or a delegate). */
  readonly relyingParty: {
    readonly did: string;
    readonly signer: JwsKeySigner;
    /** The `kid` written in the header. Default `<did>#controller`. */
    readonly kid?: string;
  };
  /** Where relying-party registrations are read (`createRelyingPartyReader`). */
  readonly ledger: RelyingPartyLedger;
  /** The DCQL query, as given (checked by {@link parseDcqlQuery}). */
  readonly dcqlQuery: unknown;
  /** Where the wallet posts its answer (`direct_post`). */
  readonly responseUri: string;
  /**
   * `direct_post` (form fields in the clear, over TLS) or `direct_post.jwt` (the response encrypted to a fresh
   * P-256 key of this request, published in `client_metadata.jwks`: HAIP). Default `direct_post`.
   */
  readonly responseMode?: "direct_post" | "direct_post.jwt";
  /** Seconds the request is valid. Default 300. */
  readonly ttlSeconds?: number;
  readonly clock?: Clock;
  /** The time registrations are judged at. Default: the clock (pass the ledger's head time when it runs ahead). */
  readonly registrationTime?: number;
  /** Extra `client_metadata` members (e.g. `client_name`). */
  readonly clientMetadata?: Readonly<Record<string, unknown>>;
}

/** A created request: the signed request object to serve, and what the verifier keeps to check the answer. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly nonce: string;
  readonly state: string;
  readonly responseUri: string;
  readonly responseMode: "direct_post" | "direct_post.jwt";
  /** `direct_post.jwt`: the private key the response is encrypted to. Keep it with the request; never send it. */
  readonly responseEncryptionKey?: P256Jwk;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** The DCQL query as the library parsed it (what goes into the request object). */
  readonly dcqlQuery: ParsedDcqlQuery["query"];
  readonly credentials: readonly RequestedCredential[];
  /** The relying party's registration as read when the request was created. */
  readonly relyingParty: { readonly did: string; readonly name: string; readonly purpose: string };
  /** The request object payload, as signed. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** The signed request object (compact JWS), served at `request_uri`. */
  readonly requestObject: string;
}

const encoder = new TextEncoder();
const b64json = (value: unknown) => encodeBase64url(encoder.encode(JSON.stringify(value)));

/**
 * Creates an OpenID4VP 1.0 authorization request with a DCQL query, as a signed request object (JAR, `typ:
 * oauth-authz-req+jwt`, ES256K, `kid` = the relying party's DID URL, `client_id` =
 * `decentralized_identifier:<did>`), for `response_mode=direct_post` or `direct_post.jwt` (encrypted response).
 *
 * Before anything is signed: the DCQL query is checked ({@link parseDcqlQuery}: caps, the `dcql` library, our
 * types and formats), and for every credential query `assertRelyingPartyMayRequest` decides from the ledger that
 * the relying party may ask for that type and those claims now. Throws `MobileIdError`: `DCQL_INVALID`,
 * `DCQL_TOO_LARGE`, `DCQL_UNSUPPORTED`, a `RelyingPartyCode` (`RELYING_PARTY_UNREGISTERED`, `..._SUSPENDED`,
 * `..._REVOKED`, `..._EXPIRED`, `CLAIM_NOT_PERMITTED`, with the registration's explanation as message), or
 * `INVALID_ARGUMENT` / `LEDGER_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const request = await createAuthorizationRequest({
 *   relyingParty: { did, signer: createNodeEs256kSigner(privateKey) },
 *   ledger: createRelyingPartyReader({ descriptor, provider }),
 *   dcqlQuery: { credentials: [{ id: "dl", format: "dc+sd-jwt",
 *     meta: { vct_values: ["urn:mobile-id:vct:DriversLicenseCredential:1"] }, claims: [{ path: ["age_equal_or_over", "19"] }] }] },
 *   responseUri: "https://verifier.example/verifier/openid4vp/responses/abc",
 * });
 * // serve request.requestObject at request_uri; keep `request` to verify the answer
 * ```
 */
export async function createAuthorizationRequest(params: CreateAuthorizationRequestParameters): Promise<AuthorizationRequest> {
  const { relyingParty } = params;
  const did = parseEthrDid(relyingParty?.did ?? "");
  if (did === undefined) throw new MobileIdError("INVALID_ARGUMENT", "relyingParty.did must be a did:ethr");
  if (relyingParty.signer?.alg !== "ES256K") throw new MobileIdError("INVALID_ARGUMENT", "the relying party signs request objects with ES256K");
  const responseMode = params.responseMode ?? "direct_post";
  if (responseMode !== "direct_post" && responseMode !== "direct_post.jwt") {
    throw new MobileIdError("INVALID_ARGUMENT", "response_mode is direct_post or direct_post.jwt");
  }
  let responseUrl: URL;
  try {
    responseUrl = new URL(params.responseUri);
  } catch (cause) {
    throw new MobileIdError("INVALID_ARGUMENT", "responseUri must be an absolute URL", { cause });
  }
  if (responseUrl.protocol !== "https:" && responseUrl.protocol !== "http:") throw new MobileIdError("INVALID_ARGUMENT", "responseUri must be http(s)");
  const ttl = params.ttlSeconds ?? 300;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > 3600) throw new MobileIdError("INVALID_ARGUMENT", "ttlSeconds must be 1 to 3600");

  const parsed = parseDcqlQuery(params.dcqlQuery);
  const clock = params.clock ?? systemClock;
  const now = clock();
  const at = params.registrationTime ?? now;
  let registration: AuthorizationRequest["relyingParty"] | undefined;
  for (const c of parsed.credentials) {
    const decision = await assertRelyingPartyMayRequest({
      ledger: params.ledger,
      relyingParty: relyingParty.did,
      credentialType: c.typeName,
      claims: c.subjectPaths,
      at,
    });
    if (!decision.permitted) {
      throw new MobileIdError(decision.code, decision.message, {
        details: { credentialQuery: c.id, credentialType: c.typeName, notPermitted: decision.notPermitted },
      });
    }
    registration = { did: relyingParty.did, name: decision.registration.name, purpose: decision.registration.purpose };
  }
  if (registration === undefined) throw new MobileIdError("INVALID_ARGUMENT", "the DCQL query asks for no credential");

  const clientId = `${DID_CLIENT_ID_PREFIX}${relyingParty.did}`;
  const nonce = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const expiresAt = now + ttl;
  const encryption = responseMode === "direct_post.jwt" ? createResponseEncryptionKey() : undefined;
  const payload = {
    aud: SELF_ISSUED_AUDIENCE,
    iat: now,
    exp: expiresAt,
    client_id: clientId,
    response_type: "vp_token",
    response_mode: responseMode,
    response_uri: responseUrl.href,
    nonce,
    state,
    dcql_query: parsed.query,
    client_metadata: {
      ...params.clientMetadata,
      vp_formats_supported: VP_FORMATS_SUPPORTED,
      ...(encryption === undefined ? {} : { jwks: { keys: [encryption.publicJwk] }, encrypted_response_enc_values_supported: [...RESPONSE_ENC_VALUES] }),
    },
  };
  const header = { alg: "ES256K", typ: REQUEST_OBJECT_TYP, kid: relyingParty.kid ?? `${relyingParty.did}#controller` };
  const signingInput = `${b64json(header)}.${b64json(payload)}`;
  const signature = await relyingParty.signer.sign(encoder.encode(signingInput));
  return {
    clientId,
    nonce,
    state,
    responseUri: responseUrl.href,
    responseMode,
    ...(encryption === undefined ? {} : { responseEncryptionKey: encryption.privateJwk }),
    issuedAt: now,
    expiresAt,
    dcqlQuery: parsed.query,
    credentials: parsed.credentials,
    relyingParty: registration,
    payload,
    requestObject: `${signingInput}.${encodeBase64url(signature)}`,
  };
}
