/**
 * Receiving a card over OpenID4VCI 1.0 in the web wallet (issue 11; pre-authorized code + transaction code), on
 * `@openid4vc/openid4vci`'s `Openid4vciClient` (the library's wallet side; this file only supplies its callbacks and
 * the wallet's decisions):
 *
 * 1. {@link openCredentialOffer}: resolve the `openid-credential-offer://` link and the issuer's metadata, find the
 *    issuer's DID and check on the ledger that it is in force for the offered type, and only then ask for the code.
 * 2. {@link redeemCredentialOffer}: token (pre-authorized code + the 6-digit code), a fresh `c_nonce`, one new
 *    non-extractable P-256 key per copy and its `proofs.jwt`, the batch of SD-JWT VC copies, checked (issuer
 *    signature by the issuer's key on the ledger, bound to this device's keys) and sealed into the vault.
 *
 * This module is loaded only when an offer is opened (a dynamic import), so the library and zod stay out of the
 * wallet's first load; the service worker precaches the chunk all the same.
 */
import { HashAlgorithm, type Jwk, type JwtSigner, Oauth2ClientErrorResponseError, clientAuthenticationNone, setGlobalConfig } from "@openid4vc/oauth2";
import { type CredentialOfferObject, type IssuerMetadataResult, Openid4vciClient, type Openid4vciClientOptions, Openid4vciRetrieveCredentialsError } from "@openid4vc/openid4vci";
import { createWebCryptoEs256Signer, decodeBase64url, encodeBase64url, parseEthrDid } from "@mobile-id/core/browser";
import type { P256PublicJwk } from "@mobile-id/core/sd-jwt-vc";
import { ApiError, type PartyFacts } from "../lib/api.ts";
import { type UiError, uiError } from "../lib/uiError.ts";
import { createHolderKeys, deleteHolderKeys, holderKeySigner, jwkThumbprint } from "./sdjwt/holderKeys.ts";
import { ledgerIssuerSignature } from "./sdjwt/issuerSignature.ts";
import { type SdJwtCard, receiveCopies } from "./sdjwt/copies.ts";
import type { Vault } from "./sdjwt/vault.ts";
import { keepRefreshGrant } from "./sdjwt/refreshGrants.ts";
import type { DeviceDb } from "./idb.ts";
import { es256kSigners, signedByIssuer } from "./status.ts";
import { WalletError, checkSignedIssuerMetadata } from "@mobile-id/wallet/browser";

const PRE_AUTHORIZED = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const VCT = /^urn:mobile-id:vct:([A-Za-z][A-Za-z0-9]*):\d+$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An offer checked against the ledger, waiting for the holder's code. */
export interface OpenedCredentialOffer {
  readonly offer: CredentialOfferObject;
  readonly metadata: IssuerMetadataResult;
  readonly configurationId: string;
  /** The credential type name, e.g. `StudentIDCredential`. */
  readonly type: string;
  readonly issuerDid: string;
  /** The issuer's name as registered on the ledger (not the metadata's display name). */
  readonly issuerName: string;
  readonly txCodeLength: number | undefined;
}

/** Why an offer could not be opened or redeemed: a message key for the holder, and the OAuth error if any. */
export class CredentialOfferError extends Error {
  readonly ui: UiError;
  readonly oauthError: string | undefined;
  /** The number of copies the offer allows, when a request asked for more. */
  batchSize: number | undefined;
  constructor(ui: UiError, oauthError?: string, cause?: unknown) {
    super(oauthError ?? ui.key, { cause });
    this.ui = ui;
    this.oauthError = oauthError;
    this.batchSize = undefined;
    this.name = "CredentialOfferError";
  }
}

/** The OAuth error code and details of a library error (the one seam that reads the library's errors). */
export function oauthErrorOf(e: unknown): { error: string | undefined; details: Readonly<Record<string, unknown>>; status: number | undefined } {
  if (e instanceof Oauth2ClientErrorResponseError) {
    const r = e.errorResponse as { error?: unknown; error_details?: unknown };
    return { error: typeof r.error === "string" ? r.error : undefined, details: (r.error_details as Record<string, unknown> | undefined) ?? {}, status: e.response.status };
  }
  if (e instanceof Openid4vciRetrieveCredentialsError) {
    const data = e.response.credentialErrorResponseResult?.data as { error?: unknown; error_details?: unknown } | undefined;
    return { error: typeof data?.error === "string" ? data.error : undefined, details: (data?.error_details as Record<string, unknown> | undefined) ?? {}, status: e.response.response.status };
  }
  const status = (e as { response?: { status?: unknown } } | undefined)?.response?.status;
  return { error: undefined, details: {}, status: typeof status === "number" ? status : undefined };
}

export const isNetworkFailure = (e: unknown) => e instanceof TypeError;

/**
 * A DPoP key (RFC 9449, as HAIP asks) for one issuance: a non-extractable P-256 key in memory only, so the access
 * token is bound to this page and worthless to anyone who copies it.
 */
export interface DpopKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: Jwk;
}

export async function createDpopKey(): Promise<DpopKey> {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const pub = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk: { kty: "EC", crv: "P-256", x: pub.x as string, y: pub.y as string } };
}

/** The client, with WebCrypto callbacks and this device's holder keys (and the issuance's DPoP key) as signers. */
export function clientFor(db: DeviceDb, dpop?: DpopKey): Openid4vciClient {
  return new Openid4vciClient({ callbacks: callbacksFor(db, dpop) });
}

/**
 * The library callbacks: fetch at the issuer's own URLs (any origin: the issuer's protocol endpoints allow it,
 * see the server's `http/crossOrigin.ts`; never with cookies), WebCrypto, this device's keys as signers.
 */
export function callbacksFor(db: DeviceDb, dpop?: DpopKey): Openid4vciClientOptions["callbacks"] {
  // Plain http only where the services run on this machine (loopback is a secure context; `--lan` serves https).
  if (location.protocol === "http:" && LOOPBACK.has(location.hostname)) setGlobalConfig({ allowInsecureUrls: true });
  return {
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, credentials: "omit", redirect: "error" })) as never,
    hash: async (data, alg) => {
      if (alg !== HashAlgorithm.Sha256) throw new Error(`hash ${alg} not supported`);
      return new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
    },
    generateRandom: (n) => crypto.getRandomValues(new Uint8Array(n)),
    clientAuthentication: clientAuthenticationNone({ clientId: "mobile-id-web-wallet" }),
    signJwt: async (signer: JwtSigner, { header, payload }) => {
      if (signer.method !== "jwk") throw new Error("only jwk proofs");
      const isDpop = dpop !== undefined && signer.publicJwk.x === dpop.publicJwk.x && signer.publicJwk.y === dpop.publicJwk.y;
      const holder = isDpop ? createWebCryptoEs256Signer(dpop.privateKey) : await holderKeySigner({ db, keyId: await jwkThumbprint(signer.publicJwk as P256PublicJwk) });
      if (holder === undefined) throw new Error("no such holder key on this device");
      const enc = (v: unknown) => encodeBase64url(new TextEncoder().encode(JSON.stringify(v)));
      const input = `${enc(header)}.${enc(payload)}`;
      const signature = await holder.sign(new TextEncoder().encode(input));
      return { jwt: `${input}.${encodeBase64url(signature)}`, signerJwk: signer.publicJwk };
    },
  };
}

/**
 * Step 1: reads the offer and the issuer's metadata and checks the issuer on the ledger for the offered type,
 * BEFORE the holder is asked for the code. Throws {@link CredentialOfferError} (used, expired or locked offer;
 * unknown or unaccredited issuer; nothing this wallet takes).
 *
 * @example
 * ```ts
 * const opened = await openCredentialOffer({ link, db, party: checker.party });
 * console.log(opened.issuerName, opened.type); // "서울대학교", "StudentIDCredential"
 * ```
 */
export async function openCredentialOffer(p: { readonly link: string; readonly db: DeviceDb; readonly party: (address: string) => Promise<PartyFacts> }): Promise<OpenedCredentialOffer> {
  const client = clientFor(p.db);
  let offer: CredentialOfferObject;
  let metadata: IssuerMetadataResult;
  try {
    offer = await client.resolveCredentialOffer(p.link.trim());
  } catch (e) {
    if (isNetworkFailure(e)) throw new CredentialOfferError(uiError("networkError"), undefined, e);
    const { status } = oauthErrorOf(e);
    // The issuer serves an offer until it is redeemed, expires or locks, and says no more than that.
    throw new CredentialOfferError(uiError(status === 400 || status === 404 ? "vciOfferGone" : "vciOfferInvalid"), undefined, e);
  }
  try {
    metadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  } catch (e) {
    throw new CredentialOfferError(uiError(isNetworkFailure(e) ? "networkError" : "vciOfferInvalid"), undefined, e);
  }
  const grant = offer.grants?.[PRE_AUTHORIZED] as { tx_code?: { length?: number; input_mode?: string } } | undefined;
  if (grant === undefined) throw new CredentialOfferError(uiError("vciOfferInvalid"));
  // This wallet keeps SD-JWT VC copies (the did:ethr-bound JWT-VC of the same offer is the `mid` wallet's).
  const configurationId = offer.credential_configuration_ids.find((id) => (metadata.credentialIssuer.credential_configurations_supported[id] as { format?: unknown } | undefined)?.format === "dc+sd-jwt");
  const vct = configurationId === undefined ? undefined : (metadata.credentialIssuer.credential_configurations_supported[configurationId] as { vct?: unknown }).vct;
  const type = typeof vct === "string" ? VCT.exec(vct)?.[1] : undefined;
  if (configurationId === undefined || type === undefined) throw new CredentialOfferError(uiError("vciNoSdJwt"));
  // Which issuer this URL speaks for: the DID whose ledger key signed this metadata for this URL (signed_metadata,
  // checked as the Node wallet checks it); an issuer's name on screen is never the metadata's word alone.
  const now = Math.floor(Date.now() / 1000);
  let party: PartyFacts | undefined;
  let issuerDid: string;
  try {
    ({ issuerDid } = await checkSignedIssuerMetadata({
      metadata: metadata.credentialIssuer as Record<string, unknown>,
      credentialIssuer: offer.credential_issuer,
      now,
      verifySignature: async (jws, did) => {
        party = await p.party(parseEthrDid(did)?.address ?? "");
        return signedByIssuer(es256kSigners(jws.jwt), party.keys, now);
      },
    }));
  } catch (e) {
    if (e instanceof ApiError && e.code === "PARTY_NOT_FOUND") throw new CredentialOfferError(uiError("vciIssuerUnknown"), undefined, e);
    if (e instanceof WalletError && e.code === "ISSUER_METADATA_UNSIGNED") throw new CredentialOfferError(uiError("vciIssuerUnproven"), undefined, e);
    throw new CredentialOfferError(uiError("networkError"), undefined, e);
  }
  if (party === undefined) throw new CredentialOfferError(uiError("vciIssuerUnproven"));
  if (party.standings.find((s) => s.type === type)?.inForce !== true) throw new CredentialOfferError(uiError("vciIssuerNotInForce", { issuer: party.name }));
  const length = grant.tx_code?.length;
  return { offer, metadata, configurationId, type, issuerDid, issuerName: party.name, txCodeLength: typeof length === "number" ? length : undefined };
}

/**
 * Step 2: redeems a checked offer with the holder's code and saves the batch of copies into the vault. A wrong
 * code throws {@link CredentialOfferError} `vciWrongCode` (with the tries left) or `vciLocked`; keys made for a
 * batch that did not arrive are deleted.
 *
 * @example
 * ```ts
 * const card = await redeemCredentialOffer({ opened, txCode: "493817", vault, chainId, party: checker.party });
 * console.log(card.remaining, "/", card.copies); // 10 / 10
 * ```
 */
export async function redeemCredentialOffer(p: {
  readonly opened: OpenedCredentialOffer;
  readonly txCode: string;
  readonly vault: Vault;
  readonly chainId: number;
  readonly party: (address: string) => Promise<PartyFacts>;
}): Promise<SdJwtCard> {
  const { opened } = p;
  // DPoP where the issuer offers it (its authorization server metadata lists ES256), Bearer otherwise.
  const dpopAlgs = opened.metadata.authorizationServers[0]?.dpop_signing_alg_values_supported ?? [];
  const dpopKey = dpopAlgs.includes("ES256") ? await createDpopKey() : undefined;
  const dpop = dpopKey === undefined ? undefined : { signer: { method: "jwk" as const, alg: "ES256", publicJwk: dpopKey.publicJwk } };
  const client = clientFor(p.vault.db, dpopKey);
  let accessToken: string;
  let refreshToken: string | undefined;
  let dpopNonce: string | undefined;
  try {
    const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer: opened.offer,
      issuerMetadata: opened.metadata,
      txCode: p.txCode,
      ...(dpop === undefined ? {} : { dpop }),
    });
    accessToken = token.accessTokenResponse.access_token;
    refreshToken = typeof token.accessTokenResponse.refresh_token === "string" ? token.accessTokenResponse.refresh_token : undefined;
    dpopNonce = token.dpop?.nonce;
  } catch (e) {
    if (isNetworkFailure(e)) throw new CredentialOfferError(uiError("networkError"), undefined, e);
    const { error, details } = oauthErrorOf(e);
    const reason = details["reason"];
    if (error === "invalid_grant" && reason === "tx_code") {
      const left = typeof details["attemptsLeft"] === "number" ? details["attemptsLeft"] : undefined;
      throw new CredentialOfferError(left === undefined ? uiError("vciWrongCode", undefined, "txCode") : uiError("vciWrongCodeLeft", { n: left }, "txCode"), error, e);
    }
    if (error === "invalid_grant" && reason === "locked") throw new CredentialOfferError(uiError("vciLocked"), error, e);
    if (error === "invalid_grant") throw new CredentialOfferError(uiError("vciOfferGone"), error, e);
    throw new CredentialOfferError(uiError("vciIssueFailed", { code: error ?? "—" }), error, e);
  }
  const access = { token: accessToken, ...(dpop === undefined ? {} : { dpop: { ...dpop, ...(dpopNonce === undefined ? {} : { nonce: dpopNonce }) } }) };
  const copies = await requestBatch(client, opened, access, p.vault.db);
  // The copies must come from the issuer checked before the code was asked for, signed by its key on the ledger.
  const card = await keepBoundCopies({ vault: p.vault, copies, chainId: p.chainId, issuerDid: opened.issuerDid, party: p.party });
  // The refresh grant (sealed) and the DPoP key it is bound to: "get more copies" later (`moreCopies.ts`).
  if (refreshToken !== undefined) {
    const grant = { credentialIssuer: opened.metadata.credentialIssuer.credential_issuer, configurationId: opened.configurationId, issuerDid: opened.issuerDid, refreshToken };
    await keepRefreshGrant(p.vault, card.batch, grant, dpopKey).catch(() => undefined);
  }
  return card;
}

/**
 * Asks for a batch (the metadata's batch size, 1 to 10); when the offer or grant allows fewer copies, asks again
 * for as many as it allows. Shared by receiving a card and "get more copies".
 */
export async function requestBatch(
  client: Openid4vciClient,
  opened: Pick<OpenedCredentialOffer, "metadata" | "configurationId">,
  access: Parameters<typeof requestCopies>[2],
  db: DeviceDb,
): Promise<{ credentials: string[]; keyIds: string[] }> {
  const batchSize = opened.metadata.credentialIssuer.batch_credential_issuance?.batch_size ?? 1;
  return requestCopies(client, opened, access, db, Math.max(1, Math.min(10, batchSize))).catch(async (e: unknown) => {
    const allowed = e instanceof CredentialOfferError ? e.batchSize : undefined;
    if (allowed === undefined) throw e;
    return requestCopies(client, opened, access, db, allowed);
  });
}

/**
 * Checks and seals a batch (`receiveCopies`: each copy signed by `issuerDid`'s key on the ledger and bound to this
 * device's keys, into `intoBatch` when given), then deletes the keys the issuer did not bind (it binds as many as
 * the offer or grant has copies): no spare private key stays behind. A refused batch deletes all its keys and
 * throws `vciCopiesRejected`.
 */
export async function keepBoundCopies(p: {
  readonly vault: Vault;
  readonly copies: { readonly credentials: readonly string[]; readonly keyIds: readonly string[] };
  readonly chainId: number;
  readonly issuerDid: string;
  readonly party: (address: string) => Promise<PartyFacts>;
  readonly intoBatch?: string;
}): Promise<SdJwtCard> {
  try {
    const ledgerSignature = ledgerIssuerSignature({ party: p.party });
    const card = await receiveCopies({
      vault: p.vault,
      copies: [...p.copies.credentials],
      chainId: p.chainId,
      ...(p.intoBatch === undefined ? {} : { intoBatch: p.intoBatch }),
      verifyIssuerSignature: async (envelope) => envelope.issuer.did === p.issuerDid && (await ledgerSignature(envelope)),
    });
    const bound = new Set(await Promise.all(p.copies.credentials.map(boundKeyId)));
    await deleteHolderKeys(p.vault.db, p.copies.keyIds.filter((id) => !bound.has(id)));
    return card;
  } catch (e) {
    await deleteHolderKeys(p.vault.db, [...p.copies.keyIds]);
    throw new CredentialOfferError(uiError("vciCopiesRejected", { code: (e as { code?: unknown }).code === undefined ? "—" : String((e as { code?: unknown }).code) }), undefined, e);
  }
}

/** The holder key id (JWK thumbprint) a copy's `cnf.jwk` names; "" if it names none (receiveCopies refused it then). */
export async function boundKeyId(copy: string): Promise<string> {
  try {
    const payload = JSON.parse(new TextDecoder().decode(decodeBase64url(copy.split("~")[0]?.split(".")[1] ?? "") ?? new Uint8Array())) as { cnf?: { jwk?: { x?: unknown; y?: unknown } } };
    const jwk = payload.cnf?.jwk;
    return typeof jwk?.x === "string" && typeof jwk.y === "string" ? await jwkThumbprint({ x: jwk.x, y: jwk.y }) : "";
  } catch {
    return "";
  }
}

/** A fresh nonce, `count` new holder keys and their proofs, the credential request. */
export async function requestCopies(
  client: Openid4vciClient,
  opened: Pick<OpenedCredentialOffer, "metadata" | "configurationId">,
  access: { readonly token: string; readonly dpop?: { readonly signer: { method: "jwk"; alg: string; publicJwk: Jwk }; readonly nonce?: string } },
  db: DeviceDb,
  count: number,
): Promise<{ credentials: string[]; keyIds: string[] }> {
  const jwks = await createHolderKeys({ db, count });
  const keyIds = await Promise.all(jwks.map((j) => jwkThumbprint(j)));
  try {
    const { c_nonce } = await client.requestNonce({ issuerMetadata: opened.metadata });
    const proofs: string[] = [];
    for (const jwk of jwks) {
      const signer = { method: "jwk" as const, alg: "ES256", publicJwk: jwk as unknown as Jwk };
      proofs.push((await client.createCredentialRequestJwtProof({ issuerMetadata: opened.metadata, credentialConfigurationId: opened.configurationId, nonce: c_nonce, signer })).jwt);
    }
    const { credentialResponse } = await client.retrieveCredentials({
      issuerMetadata: opened.metadata,
      accessToken: access.token,
      credentialConfigurationId: opened.configurationId,
      proofs: { jwt: proofs },
      ...(access.dpop === undefined ? {} : { dpop: access.dpop }),
    });
    const credentials = (credentialResponse.credentials ?? []).map((c) => (c as { credential?: unknown }).credential).filter((c): c is string => typeof c === "string");
    if (credentials.length === 0) throw new CredentialOfferError(uiError("vciIssueFailed", { code: "no credentials" }));
    return { credentials, keyIds };
  } catch (e) {
    await deleteHolderKeys(db, keyIds);
    if (e instanceof CredentialOfferError) throw e;
    if (isNetworkFailure(e)) throw new CredentialOfferError(uiError("networkError"), undefined, e);
    const { error, details } = oauthErrorOf(e);
    const err = new CredentialOfferError(uiError("vciIssueFailed", { code: error ?? "—" }), error, e);
    const allowed = details["batchSize"];
    if (error === "invalid_credential_request" && typeof allowed === "number" && Number.isInteger(allowed) && allowed >= 1 && allowed < count) err.batchSize = allowed;
    throw err;
  }
}
