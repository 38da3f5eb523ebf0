import { ECDH, type JsonWebKey, createHash, createPublicKey, randomBytes, verify as verifySignature } from "node:crypto";
import { type Clock, isMobileIdError, parseEthrDid, parseEthrKeyId, systemClock } from "@mobile-id/core";
import { HashAlgorithm, type Jwk, type JwtSigner, clientAuthenticationNone, decodeJwt } from "@openid4vc/oauth2";
import { type IssuerMetadataResult, Openid4vciIssuer, Openid4vciVersion } from "@openid4vc/openid4vci";
import type { Issuer } from "../createIssuer.ts";
import { IssuerErrorCode, issuerError } from "../errors.ts";
import { checkOfferClaims } from "./checkOfferClaims.ts";
import {
  OPENID4VCI_BATCH_SIZE,
  authorizationServerMetadata,
  credentialConfigurationId,
  credentialIssuerMetadata,
  parseCredentialConfigurationId,
} from "./credentialIssuerMetadata.ts";
import { Openid4vciError } from "./openid4vciError.ts";
import { verifyDpopProof } from "./verifyDpopProof.ts";
import type { GrantView, OfferStatus, Openid4vciFormat, Openid4vciStore } from "./openid4vciStore.ts";

export const PRE_AUTHORIZED_CODE_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
/** Seconds an offer stays redeemable when the agency does not say. */
export const DEFAULT_OFFER_TTL_SECONDS = 900;

export interface CreateOpenid4vciIssuerParameters {
  /** The tenant's slug (`snu`): the Credential Issuer is `${baseUrl()}/issuers/${tenant}`. */
  readonly tenant: string;
  readonly name: string;
  readonly issuer: Issuer;
  readonly store: Openid4vciStore;
  /** The services' public base URL (read on each call: it is known only after listen). */
  readonly baseUrl: () => string;
  /** Where the SD-JWT VC copies' Status List Tokens are served (the services' base URL). */
  readonly statusListBaseUrl: () => string;
  /** The credential types the tenant is accredited for now (the ledger's `standingAt`). */
  readonly typesInForce: () => readonly string[];
  /**
   * Whether a holder's `did:ethr` (public-key form) is still controlled by its own key on the ledger (not handed
   * to another owner, not deactivated). Default: the DID's key is trusted as is.
   */
  readonly holderDidInForce?: (did: string) => boolean | Promise<boolean>;
  readonly clock?: Clock;
  /** A proof's `iat` may be at most this old (seconds). Default 300. */
  readonly proofMaxAgeSeconds?: number;
}

/** A token endpoint answer (RFC 6749 §5.1). */
export interface TokenResponse {
  readonly access_token: string;
  /** `DPoP` when the wallet sent a DPoP proof (the token is then bound to its key), else `Bearer`. */
  readonly token_type: "Bearer" | "DPoP";
  readonly expires_in: number;
  readonly refresh_token: string;
  readonly authorization_details?: readonly Record<string, unknown>[];
}

/** One tenant's OpenID4VCI 1.0 issuer (pre-authorized code flow with a transaction code). */
export interface Openid4vciIssuerEndpoints {
  readonly credentialIssuer: () => string;
  /** `GET /.well-known/openid-credential-issuer/issuers/:tenant` */
  /**
   * `GET /.well-known/openid-credential-issuer/issuers/:tenant`: the metadata, with `signed_metadata` (the same
   * parameters signed by the issuer's ledger key, `sub` = this Credential Issuer), so a wallet can tell this URL
   * speaks for `issuer_did`.
   */
  credentialIssuerMetadata(): Promise<Record<string, unknown>>;
  /** `GET /.well-known/oauth-authorization-server/issuers/:tenant` */
  authorizationServerMetadata(): Record<string, unknown>;
  /** The agency's offer for a person, by its own record (no DID): the link for the QR and the code to hand over. */
  createOffer(params: CreateOfferParameters): CreatedOffer;
  /** Where the agency's offer stands (pending, expired, locked, redeemed, issued + credential ids); `undefined` if unknown. */
  offerStatus(offerId: string): OfferStatus | undefined;
  /** The Credential Offer object behind a `credential_offer_uri`, while redeemable; `invalid_request` otherwise. */
  credentialOffer(offerId: string): Record<string, unknown>;
  /**
   * The token endpoint: `grant_type` pre-authorized code (+ `tx_code`) or `refresh_token`; `dpop` is the `DPoP`
   * header, if any (RFC 9449: the tokens are then bound to its key).
   */
  token(form: Readonly<Record<string, unknown>>, dpop?: string): TokenResponse;
  /** The nonce endpoint: a fresh `c_nonce`. */
  nonce(): { readonly c_nonce: string };
  /**
   * The credential endpoint: `authorization` is the HTTP header (`Bearer <token>`, or `DPoP <token>` with the
   * `dpop` proof header for a DPoP-bound token); `body` the JSON request.
   */
  credential(authorization: string | undefined, body: unknown, dpop?: string): Promise<{ readonly credentials: readonly { readonly credential: string }[] }>;
}

export interface CreateOfferParameters {
  readonly credentialType: string;
  /** Default: every format the type has. */
  readonly formats?: readonly Openid4vciFormat[];
  readonly reference: string;
  readonly claims: Readonly<Record<string, unknown>>;
  /** SD-JWT VC copies per request, 1 to the batch size (10, the default). */
  readonly copies?: number;
  /** Seconds, 60 to 86,400. Default 900. */
  readonly ttlSeconds?: number;
}

export interface CreatedOffer {
  readonly offerId: string;
  /** `openid-credential-offer://?credential_offer_uri=…`: the QR's content. */
  readonly offerUri: string;
  readonly credentialOfferUri: string;
  /** 6 digits, handed to the person separately. Shown once, stored hashed. */
  readonly txCode: string;
  readonly expiresAt: number;
}

const sha256 = (data: Uint8Array, alg: HashAlgorithm): Uint8Array => {
  if (alg !== HashAlgorithm.Sha256) throw new Error(`unsupported hash ${alg}`);
  return createHash("sha256").update(data).digest();
};

/**
 * One tenant's OpenID4VCI 1.0 Credential Issuer, with itself as the authorization server: metadata, offers by
 * the agency's own record, the token endpoint (pre-authorized code + 6-digit `tx_code`, refresh tokens), the
 * nonce endpoint, and the credential endpoint (`proofs.jwt`, one proof per copy, verified with the library's
 * `Openid4vciIssuer` and our key checks: `typ`, alg allow-list, `aud`, `nonce`, `iat`, P-256 `jwk` for
 * `dc+sd-jwt`, a public-key `did:ethr` `kid` for `jwt_vc_json`). Issues through the tenant's {@link Issuer}
 * (`issueSdJwtVc`, one copy per proof key; `issueMany` for JWT-VCs). Errors are {@link Openid4vciError}s.
 *
 * @example
 * ```ts
 * const vci = createOpenid4vciIssuer({ tenant: "snu", name: "SNU", issuer, store, baseUrl: () => url,
 *   statusListBaseUrl: () => url, typesInForce: () => ["StudentIDCredential"] });
 * const { offerUri, txCode } = vci.createOffer({ credentialType: "StudentIDCredential", reference: "2024-12345", claims });
 * ```
 */
export function createOpenid4vciIssuer(p: CreateOpenid4vciIssuerParameters): Openid4vciIssuerEndpoints {
  const clock = p.clock ?? systemClock;
  const maxAge = p.proofMaxAgeSeconds ?? 300;
  const credentialIssuer = () => `${p.baseUrl().replace(/\/+$/, "")}/issuers/${p.tenant}`;
  const metadata = () => credentialIssuerMetadata({ credentialIssuer: credentialIssuer(), name: p.name, issuerDid: p.issuer.did, types: p.typesInForce() });
  /** The signed metadata, re-signed when the metadata changes (types in force, base URL) or half its life is gone. */
  let signed: { readonly key: string; readonly jwt: Promise<string>; readonly at: number } | undefined;
  const SIGNED_METADATA_SECONDS = 86_400;
  const signedMetadata = (m: Record<string, unknown>): Promise<string> => {
    const key = JSON.stringify(m);
    const now = clock();
    if (signed === undefined || signed.key !== key || now - signed.at > SIGNED_METADATA_SECONDS / 2) {
      const jwt = p.issuer.issuerMetadataJwt({ credentialIssuer: credentialIssuer(), metadata: m, validitySeconds: SIGNED_METADATA_SECONDS });
      signed = { key, jwt, at: now };
      // A failed signature is not cached: the next request tries again.
      jwt.catch(() => {
        if (signed?.jwt === jwt) signed = undefined;
      });
    }
    return signed.jwt;
  };
  const library = new Openid4vciIssuer({
    callbacks: {
      hash: sha256,
      generateRandom: (n) => randomBytes(n),
      signJwt: () => {
        throw new Error("the credential issuer signs nothing through the library");
      },
      verifyJwt: (signer, jwt) => verifyProofSignature(signer, jwt, p.holderDidInForce),
      // The token endpoint is ours; the library authenticates no client here.
      clientAuthentication: clientAuthenticationNone({ clientId: "unused" }),
    },
  });

  /** A DPoP proof's key thumbprint, after its checks and making its `jti` single use. */
  const dpopKey = (proof: string, url: string, atResource: boolean, accessToken?: string): string => {
    const now = clock();
    const checked = verifyDpopProof({ proof, method: "POST", url, now, atResource, ...(accessToken === undefined ? {} : { accessToken }) });
    if (!p.store.useOnce(`dpop\0${checked.jkt}\0${checked.jti}`, checked.expiresAt, now)) {
      throw new Openid4vciError("invalid_dpop_proof", "DPoP proof: this jti was used already", { details: { atResource } });
    }
    return checked.jkt;
  };

  const grantFor = (authorization: string | undefined, dpop: string | undefined): GrantView => {
    const m = /^(Bearer|DPoP) ([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? "");
    if (m === null) throw new Openid4vciError("invalid_token", "an access token is required (Authorization: Bearer or DPoP)");
    const [, scheme, accessToken] = m as unknown as [string, "Bearer" | "DPoP", string];
    const grant = p.store.grantOf({ tenant: p.tenant, accessToken, now: clock() });
    if (grant === undefined) throw new Openid4vciError("invalid_token", "the access token is unknown or expired");
    // RFC 9449 §7.1: a DPoP-bound token is no Bearer token, and a Bearer token is not presented as DPoP.
    if ((grant.dpopJkt !== undefined) !== (scheme === "DPoP")) {
      throw new Openid4vciError("invalid_token", grant.dpopJkt === undefined ? "this access token is a Bearer token" : "this access token is DPoP-bound: use Authorization: DPoP with a DPoP proof");
    }
    if (grant.dpopJkt !== undefined) {
      if (dpop === undefined) throw new Openid4vciError("invalid_dpop_proof", "DPoP proof: the DPoP header is missing", { details: { atResource: true } });
      if (dpopKey(dpop, `${credentialIssuer()}/credential`, true, accessToken) !== grant.dpopJkt) {
        throw new Openid4vciError("invalid_dpop_proof", "DPoP proof: signed by another key than the token's", { details: { atResource: true } });
      }
    }
    return grant;
  };

  return {
    credentialIssuer,
    async credentialIssuerMetadata() {
      const m = metadata();
      return { ...m, signed_metadata: await signedMetadata(m) };
    },
    authorizationServerMetadata: () => authorizationServerMetadata(credentialIssuer()),

    createOffer(params) {
      const types = p.typesInForce();
      if (!types.includes(params.credentialType)) {
        throw new Openid4vciError("invalid_request", "this issuer is not accredited for the credential type now", {
          details: { credentialType: params.credentialType, accredited: types },
        });
      }
      const offered = Object.keys(metadata().credential_configurations_supported);
      const formats = params.formats ?? (["dc+sd-jwt", "jwt_vc_json"] as const).filter((f) => offered.includes(credentialConfigurationId(params.credentialType, f)));
      if (formats.length === 0 || formats.some((f) => !offered.includes(credentialConfigurationId(params.credentialType, f)))) {
        throw new Openid4vciError("invalid_request", "the type is not offered in these formats", { details: { formats } });
      }
      const copies = params.copies ?? OPENID4VCI_BATCH_SIZE;
      const ttl = params.ttlSeconds ?? DEFAULT_OFFER_TTL_SECONDS;
      if (!Number.isInteger(copies) || copies < 1 || copies > OPENID4VCI_BATCH_SIZE) {
        throw new Openid4vciError("invalid_request", `copies must be 1 to ${OPENID4VCI_BATCH_SIZE}`);
      }
      if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400) throw new Openid4vciError("invalid_request", "ttlSeconds must be 60 to 86,400");
      const now = clock();
      const errors = checkOfferClaims({ type: params.credentialType, formats, claims: params.claims, issuerDid: p.issuer.did, now });
      if (errors.length > 0) {
        throw issuerError(IssuerErrorCode.CLAIMS_INVALID, `the claims do not satisfy the ${params.credentialType} schemas`, { details: { errors } });
      }
      const created = p.store.createOffer(
        { tenant: p.tenant, credentialType: params.credentialType, formats: [...new Set(formats)], reference: params.reference, claims: params.claims, copies },
        { now, expiresAt: now + ttl },
      );
      const credentialOfferUri = `${credentialIssuer()}/openid4vci/offers/${created.offerId}`;
      return {
        offerId: created.offerId,
        credentialOfferUri,
        offerUri: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(credentialOfferUri)}`,
        txCode: created.txCode,
        expiresAt: created.expiresAt,
      };
    },

    offerStatus: (offerId) => p.store.offerStatus(offerId, p.tenant, clock()),

    credentialOffer(offerId) {
      const offer = p.store.readOffer(offerId, clock());
      if (offer === undefined || offer.tenant !== p.tenant) {
        throw new Openid4vciError("invalid_request", "no redeemable offer with this id (used, expired, locked or unknown)");
      }
      return {
        credential_issuer: credentialIssuer(),
        credential_configuration_ids: offer.formats.map((f) => credentialConfigurationId(offer.credentialType, f)),
        grants: {
          [PRE_AUTHORIZED_CODE_GRANT]: {
            "pre-authorized_code": offer.preAuthorizedCode,
            tx_code: { input_mode: "numeric", length: 6, description: "The 6-digit code the issuing office gave you" },
          },
        },
      };
    },

    token(form, dpop) {
      const now = clock();
      const jkt = dpop === undefined ? undefined : dpopKey(dpop, `${credentialIssuer()}/token`, false);
      const tokenType = jkt === undefined ? ("Bearer" as const) : ("DPoP" as const);
      const grantType = form["grant_type"];
      if (grantType === PRE_AUTHORIZED_CODE_GRANT) {
        const code = form["pre-authorized_code"];
        if (typeof code !== "string" || code.length === 0 || code.length > 200) throw new Openid4vciError("invalid_request", "pre-authorized_code is required");
        const txCode = form["tx_code"];
        if (txCode !== undefined && typeof txCode !== "string") throw new Openid4vciError("invalid_request", "tx_code must be a string");
        const result = p.store.redeem({ tenant: p.tenant, preAuthorizedCode: code, txCode, now, ...(jkt === undefined ? {} : { dpopJkt: jkt }) });
        if (!result.ok) {
          const messages = {
            unknown: "the pre-authorized code is unknown",
            redeemed: "the pre-authorized code was already used",
            expired: "the offer has expired",
            locked: "the offer is locked after too many wrong transaction codes",
            tx_code: "the transaction code is wrong",
          } as const;
          throw new Openid4vciError("invalid_grant", messages[result.reason], {
            details: { reason: result.reason, ...(result.attemptsLeft === undefined ? {} : { attemptsLeft: result.attemptsLeft }) },
          });
        }
        const g = result.grant;
        return { access_token: g.accessToken, token_type: tokenType, expires_in: g.accessExpiresAt - now, refresh_token: g.refreshToken };
      }
      if (grantType === "refresh_token") {
        const refreshToken = form["refresh_token"];
        if (typeof refreshToken !== "string" || refreshToken.length === 0 || refreshToken.length > 200) {
          throw new Openid4vciError("invalid_request", "refresh_token is required");
        }
        const g = p.store.refresh({ tenant: p.tenant, refreshToken, now, ...(jkt === undefined ? {} : { dpopJkt: jkt }) });
        if (g === undefined) throw new Openid4vciError("invalid_grant", "the refresh token is unknown, used, or its credentials are no longer in force");
        return { access_token: g.accessToken, token_type: tokenType, expires_in: g.accessExpiresAt - now, refresh_token: g.refreshToken };
      }
      if (typeof grantType !== "string") throw new Openid4vciError("invalid_request", "grant_type is required");
      throw new Openid4vciError("unsupported_grant_type", "grant types: pre-authorized code, refresh_token");
    },

    nonce() {
      return { c_nonce: p.store.issueNonce(clock()).nonce };
    },

    async credential(authorization, body, dpop) {
      const grant = grantFor(authorization, dpop);
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Openid4vciError("invalid_credential_request", "the body must be a JSON object");
      const issuerMetadata = metadata();
      const metadataResult = {
        originalDraftVersion: Openid4vciVersion.V1,
        credentialIssuer: issuerMetadata,
        authorizationServers: [],
        knownCredentialConfigurations: issuerMetadata.credential_configurations_supported,
      } as unknown as IssuerMetadataResult;
      const request = body as Record<string, unknown>;
      const configurationId = request["credential_configuration_id"];
      if (typeof configurationId !== "string") {
        throw new Openid4vciError("invalid_credential_request", "credential_configuration_id is required (credential_identifier is not used by this issuer)");
      }
      const config = parseCredentialConfigurationId(configurationId);
      if (config === undefined || issuerMetadata.credential_configurations_supported[configurationId] === undefined) {
        throw new Openid4vciError("unknown_credential_configuration", "this issuer has no such credential configuration", { details: { configurationId } });
      }
      if (config.type !== grant.credentialType || !grant.formats.includes(config.format)) {
        throw new Openid4vciError("unknown_credential_configuration", "the access token was not granted for this credential configuration", { details: { configurationId } });
      }
      let parsed;
      try {
        parsed = library.parseCredentialRequest({ issuerMetadata: metadataResult, credentialRequest: request });
      } catch (e) {
        throw new Openid4vciError("invalid_credential_request", "the credential request is malformed", { cause: e });
      }
      if (request["proof"] !== undefined) throw new Openid4vciError("invalid_credential_request", "use `proofs` (OpenID4VCI 1.0), not `proof`");
      const jwts = parsed.proofs?.jwt;
      if (jwts === undefined || jwts.length === 0) throw new Openid4vciError("invalid_proof", "proofs.jwt is required");
      // A wallet cannot know how many copies the agency's offer allows: it may send up to the advertised batch size,
      // and a dc+sd-jwt answer binds the first `grant.copies` proof keys (1.0 lets the issuer answer fewer).
      if (jwts.length > OPENID4VCI_BATCH_SIZE) {
        throw new Openid4vciError("invalid_credential_request", `at most ${OPENID4VCI_BATCH_SIZE} proofs per request`, { details: { batchSize: OPENID4VCI_BATCH_SIZE } });
      }

      // One c_nonce for the whole request: every proof names the same one.
      const nonces = new Set<unknown>();
      for (const jwt of jwts) {
        try {
          nonces.add(decodeJwt({ jwt }).payload.nonce);
        } catch (e) {
          throw new Openid4vciError("invalid_proof", "a proof is not a JWT", { cause: e });
        }
      }
      const [nonce] = [...nonces];
      if (nonces.size !== 1 || typeof nonce !== "string") throw new Openid4vciError("invalid_proof", "every proof must carry the same c_nonce");
      const now = clock();
      const keys: Jwk[] = [];
      const dids: string[] = [];
      for (const jwt of jwts) {
        const header = decodeJwt({ jwt }).header;
        const expected = config.format === "dc+sd-jwt" ? { alg: "ES256", binding: "jwk" } : { alg: "ES256K", binding: "kid" };
        if (header.alg !== expected.alg || header[expected.binding] === undefined) {
          throw new Openid4vciError("invalid_proof", `a ${config.format} proof is signed ${expected.alg} with a \`${expected.binding}\` header`);
        }
        let verified;
        try {
          verified = await library.verifyCredentialRequestJwtProof({ issuerMetadata: metadataResult, jwt, expectedNonce: nonce, now: new Date(now * 1000) });
        } catch (e) {
          throw new Openid4vciError("invalid_proof", e instanceof Error ? e.message : "invalid proof", { cause: e });
        }
        const iat = verified.payload.iat;
        if (typeof iat !== "number" || iat > now + 60 || iat < now - maxAge) {
          throw new Openid4vciError("invalid_proof", "the proof's iat is not recent", { details: { iat, now, maxAgeSeconds: maxAge } });
        }
        if (verified.signer.method === "jwk") keys.push(verified.signer.publicJwk);
        else if (verified.signer.method === "did") dids.push((verified.signer.didUrl.split("#")[0]) as string);
        else throw new Openid4vciError("invalid_proof", "unsupported proof key");
      }
      const used = p.store.consumeNonce(nonce, now);
      if (!used.ok) throw new Openid4vciError("invalid_nonce", `the c_nonce is ${used.reason}: fetch a new one`, { details: { reason: used.reason } });

      const claims = grant.claims;
      if (claims === undefined) throw new Openid4vciError("invalid_token", "the access token's grant no longer holds the claims: refresh the token");
      const previous = grant.issued[config.format];
      try {
        if (config.format === "dc+sd-jwt") {
          const batch = await p.issuer.issueSdJwtVc({
            type: grant.credentialType,
            claims,
            holderKeys: keys.slice(0, grant.copies).map((k) => ({ kty: k.kty, crv: k.crv, x: k.x, y: k.y })),
            statusListBaseUrl: p.statusListBaseUrl(),
            ...(previous === undefined ? {} : { refresh: previous.id }),
          });
          p.store.recordIssued(grant.grantId, config.format, { id: batch.id, expiresAt: batch.expiresAt });
          return { credentials: batch.copies.map((credential) => ({ credential })) };
        }
        if (previous !== undefined) {
          const record = p.issuer.getCredential(previous.id);
          if (record === undefined || record.status !== "active" || record.pendingChange || record.expired) {
            throw new Openid4vciError("credential_request_denied", "the credential is no longer in force: no new copies");
          }
        }
        const issued = await p.issuer.issueMany(
          dids.map((holder) => ({ type: grant.credentialType, holder, claims, ...(previous === undefined ? {} : { expiresAt: previous.expiresAt }) })),
        );
        for (const c of issued) p.store.recordIssued(grant.grantId, config.format, { id: c.id, expiresAt: c.expiresAt });
        return { credentials: issued.map((c) => ({ credential: c.jwt })) };
      } catch (e) {
        throw translateIssuerError(e);
      }
    },
  };
}

function translateIssuerError(e: unknown): unknown {
  if (e instanceof Openid4vciError) return e;
  if (isMobileIdError(e, IssuerErrorCode.HOLDER_KEY_INVALID) || isMobileIdError(e, IssuerErrorCode.HOLDER_DID_INVALID)) {
    return new Openid4vciError("invalid_proof", e.message, { cause: e });
  }
  for (const code of [
    IssuerErrorCode.CLAIMS_INVALID,
    IssuerErrorCode.ISSUER_NOT_IN_FORCE,
    IssuerErrorCode.SIGNER_NOT_AUTHORIZED,
    IssuerErrorCode.CREDENTIAL_NOT_FOUND,
    IssuerErrorCode.CREDENTIAL_REVOKED,
    IssuerErrorCode.CREDENTIAL_NOT_ACTIVE,
    IssuerErrorCode.STATUS_CHANGE_PENDING,
    "UNKNOWN_CREDENTIAL_TYPE",
  ]) {
    if (isMobileIdError(e, code)) return new Openid4vciError("credential_request_denied", e.message, { cause: e, details: { reason: code } });
  }
  if (isMobileIdError(e, IssuerErrorCode.STATUS_LISTS_EXHAUSTED) || isMobileIdError(e, "LEDGER_UNAVAILABLE")) {
    return new Openid4vciError("temporarily_unavailable", e.message, { cause: e });
  }
  return e;
}

/**
 * The library's `verifyJwt` callback for proofs: a P-256 `jwk` (ES256) or a public-key `did:ethr` `kid`
 * naming the DID's own key (ES256K), checked with node:crypto; anything else fails.
 */
async function verifyProofSignature(
  signer: JwtSigner,
  jwt: { readonly header: Record<string, unknown>; readonly compact: string },
  holderDidInForce: CreateOpenid4vciIssuerParameters["holderDidInForce"],
): Promise<{ verified: true; signerJwk: Jwk } | { verified: false }> {
  const [h, b, s] = jwt.compact.split(".");
  if (h === undefined || b === undefined || s === undefined) return { verified: false };
  const data = Buffer.from(`${h}.${b}`, "ascii");
  const signature = Buffer.from(s, "base64url");
  if (signature.length !== 64) return { verified: false };
  let jwk: Jwk;
  if (signer.method === "jwk" && signer.alg === "ES256") {
    const k = signer.publicJwk;
    if (k.kty !== "EC" || k.crv !== "P-256" || typeof k.x !== "string" || typeof k.y !== "string" || "d" in k) return { verified: false };
    jwk = { kty: "EC", crv: "P-256", x: k.x, y: k.y };
  } else if (signer.method === "did" && signer.alg === "ES256K") {
    const did = signer.didUrl.split("#")[0] as string;
    const parsed = parseEthrDid(did);
    if (parsed?.publicKey === undefined || parseEthrKeyId(signer.didUrl, did)?.kind !== "controller") return { verified: false };
    const point = Buffer.from(ECDH.convertKey(parsed.publicKey.replace(/^0x/, ""), "secp256k1", "hex", "hex", "uncompressed") as string, "hex");
    jwk = { kty: "EC", crv: "secp256k1", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") };
    if (holderDidInForce !== undefined && !(await holderDidInForce(did))) return { verified: false };
  } else {
    return { verified: false };
  }
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
    const ok = verifySignature("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature);
    return ok ? { verified: true, signerJwk: jwk } : { verified: false };
  } catch {
    return { verified: false };
  }
}
