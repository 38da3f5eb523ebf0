/**
 * The holder side of OpenID4VCI 1.0 (pre-authorized code + transaction code), on `@openid4vc/openid4vci`'s
 * `Openid4vciClient`: resolve the offer and the issuer's metadata, check on the ledger that the issuer is accredited
 * for the offered type BEFORE asking the holder for the code, get a token with the code, a fresh `c_nonce` per
 * credential request, and the credential: SD-JWT VC copies in one batch (one fresh P-256 holder key per copy,
 * `proofs.jwt`), or a JWT-VC bound to the holder DID (ES256K proof, `kid` = DID URL). Everything received passes
 * the wallet's import checks (`importSdJwtVcCopies`, `importCredential`) and the injected ledger verification.
 * Browser-safe: `fetch`, the ledger checks and the clock come in as parameters.
 */
import { Openid4vciClient, type CredentialConfigurationSupported, type CredentialOfferObject, type IssuerMetadataResult } from "@openid4vc/openid4vci";
import { preAuthorizedCodeGrantIdentifier } from "@openid4vc/oauth2";
import { MobileIdError, decodeBase64url, parseJsonObject } from "@mobile-id/core/browser";
import type { CredentialSummary } from "../credentialViews.ts";
import { walletError } from "../errors.ts";
import { type HolderKeyStore, holderKeyId } from "../holderKeyStore.ts";
import { type CredentialVerifier, importCredential } from "../importCredential.ts";
import { type SdJwtVcBatchSummary, createHolderKeys, importSdJwtVcCopies } from "../sdJwtVcCopies.ts";
import { type Wallet, mutateWallet, readWallet } from "../session.ts";
import type { StoredRefreshGrant } from "./refreshGrant.ts";
import { type WalletFetch, translateLibraryError, walletCallbacks } from "./oauthCallbacks.ts";
import { type DidResolver, signedByDid } from "../openid4vp/verifyRequestObject.ts";
import { checkSignedIssuerMetadata } from "./signedIssuerMetadata.ts";

/** The formats this wallet receives. */
export type ReceivableFormat = "dc+sd-jwt" | "jwt_vc_json";

/** What the injected ledger check answers about an issuer and a credential type. */
export type IssuerCheckResult =
  | { readonly accredited: true }
  | { readonly accredited: false; readonly code: string; readonly message: string };

/**
 * Whether `issuerDid` is accredited on the ledger for `credentialType` now (the Node wallet reads the ledger; the
 * browser wallet asks its services). Must fail closed (throw) when it cannot tell.
 */
export type IssuerCheck = (query: { readonly issuerDid: string; readonly credentialType: string; readonly credentialIssuer: string }) => Promise<IssuerCheckResult>;

/** What the holder is shown before being asked for the transaction code. */
export interface CredentialOfferPreview {
  /** The Credential Issuer identifier (an https URL). */
  readonly credentialIssuer: string;
  /** The issuer's DID, accredited on the ledger for every offered type (checked before this preview exists). */
  readonly issuerDid: string;
  /** Display name from the issuer metadata (Korean first when offered), or the issuer identifier. */
  readonly issuerName: string;
  readonly offered: readonly { readonly configurationId: string; readonly format: ReceivableFormat; readonly type: string }[];
  /** The transaction code the issuer handed over separately, if one is needed. */
  readonly txCode: { readonly length?: number; readonly inputMode: "numeric" | "text"; readonly description?: string } | undefined;
}

export interface ReceiveCredentialOfferParameters {
  readonly wallet: Wallet;
  /** `openid-credential-offer://?credential_offer_uri=…` (or `credential_offer=…`). */
  readonly offer: string;
  /** The transaction code, or a function asked for it after the issuer passed the ledger check (a prompt). */
  readonly txCode?: string | ((preview: CredentialOfferPreview) => Promise<string>);
  readonly fetch: WalletFetch;
  /** The ledger check of the issuer for each offered type, BEFORE the code is asked for or anything is sent. */
  readonly checkIssuer: IssuerCheck;
  /** The ledger's `did:ethr` resolution: the issuer's metadata must be signed by a key of the DID it names. */
  readonly resolveDid: DidResolver;
  /** The ledger verification of each credential received (the verifier's `verifyCredential`). */
  readonly verifyCredential: CredentialVerifier;
  /** Which offered formats to take (default: all offered). */
  readonly formats?: readonly ReceivableFormat[];
  /** SD-JWT VC copies to ask for (default 10, capped by the issuer's `batch_size`). */
  readonly copies?: number;
  /** Make the holder keys in this platform key store (non-extractable WebCrypto keys) instead of the wallet state. */
  readonly holderKeyStore?: HolderKeyStore;
}

export interface ReceivedCredential {
  readonly configurationId: string;
  readonly format: ReceivableFormat;
  readonly type: string;
  /** For `dc+sd-jwt`: the batch stored (copies, remaining). */
  readonly batch?: SdJwtVcBatchSummary;
  /** For `jwt_vc_json`: the credential stored. */
  readonly credential?: CredentialSummary;
}

export interface ReceiveCredentialOfferReturnType {
  readonly preview: CredentialOfferPreview;
  readonly received: readonly ReceivedCredential[];
}

const VCT = /^urn:mobile-id:vct:([A-Za-z][A-Za-z0-9]*):\d+$/;

function typeOf(config: CredentialConfigurationSupported): { format: ReceivableFormat; type: string } | undefined {
  const c = config as Record<string, unknown>;
  if (c["format"] === "dc+sd-jwt" && typeof c["vct"] === "string") {
    const m = VCT.exec(c["vct"]);
    return m === null ? undefined : { format: "dc+sd-jwt", type: m[1] as string };
  }
  if (c["format"] === "jwt_vc_json") {
    const types = (c["credential_definition"] as { type?: unknown } | undefined)?.type;
    const t = Array.isArray(types) ? types.filter((x): x is string => typeof x === "string" && x !== "VerifiableCredential") : [];
    return t.length === 1 ? { format: "jwt_vc_json", type: t[0] as string } : undefined;
  }
  return undefined;
}

function displayName(metadata: IssuerMetadataResult, fallback: string): string {
  const display = (metadata.credentialIssuer.display ?? []) as { name?: unknown; locale?: unknown }[];
  const pick = display.find((d) => typeof d.locale === "string" && d.locale.startsWith("ko")) ?? display[0];
  return typeof pick?.name === "string" ? pick.name.slice(0, 200) : fallback;
}

/**
 * Receives the credentials of an OpenID4VCI credential offer (pre-authorized code flow) into the wallet. In
 * order: resolve the offer and the issuer metadata (`OFFER_INVALID`), check the issuer on the ledger for every
 * offered type (`ISSUER_NOT_ACCREDITED`, with the ledger's reason; the code is not asked for and nothing is sent),
 * ask for the transaction code, get the token (`ISSUANCE_FAILED` with `details.error`, e.g. `invalid_grant` for a
 * wrong or replayed code), then per configuration a fresh nonce and the credential with key proofs, and import
 * (the wallet's and the ledger's checks; the credential must name the checked issuer DID).
 *
 * @example
 * ```ts
 * const { received } = await receiveCredentialOffer({ wallet, offer: scannedQr, txCode: "493817", fetch,
 *   checkIssuer, verifyCredential });
 * console.log(received[0]?.batch?.remaining); // 10
 * ```
 */
export async function receiveCredentialOffer(params: ReceiveCredentialOfferParameters): Promise<ReceiveCredentialOfferReturnType> {
  const { wallet } = params;
  readWallet(wallet); // WALLET_LOCKED before any network traffic
  const client = new Openid4vciClient({ callbacks: walletCallbacks(() => readWallet(wallet).state, params.fetch, params.holderKeyStore) });
  let offer: CredentialOfferObject;
  let metadata: IssuerMetadataResult;
  try {
    offer = await client.resolveCredentialOffer(params.offer);
    metadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  } catch (e) {
    throw translateLibraryError(e, "OFFER_INVALID", "reading the credential offer");
  }
  const grant = offer.grants?.[preAuthorizedCodeGrantIdentifier];
  if (grant === undefined) throw walletError("OFFER_INVALID", "the offer has no pre-authorized code (only that flow is supported)");
  const supported = metadata.credentialIssuer.credential_configurations_supported;
  const wanted = new Set<string>(params.formats ?? ["dc+sd-jwt", "jwt_vc_json"]);
  const offered = offer.credential_configuration_ids.flatMap((id) => {
    const config = supported[id];
    const t = config === undefined ? undefined : typeOf(config);
    return t === undefined || !wanted.has(t.format) ? [] : [{ configurationId: id, ...t }];
  });
  if (offered.length === 0) throw walletError("OFFER_INVALID", "the offer holds no credential this wallet takes (dc+sd-jwt or jwt_vc_json of a mobile-id type)");
  // Which issuer this URL speaks for: the DID whose key signed this metadata for this URL (signed_metadata).
  const { issuerDid } = await checkSignedIssuerMetadata({
    metadata: metadata.credentialIssuer as Record<string, unknown>,
    credentialIssuer: offer.credential_issuer,
    now: Math.floor(Date.now() / 1000),
    verifySignature: (jws, did) => signedByDid({ signingInput: jws.signingInput, signature: jws.signature, kid: String(jws.header["kid"]) }, did, params.resolveDid),
  });
  for (const type of new Set(offered.map((o) => o.type))) {
    const r = await params.checkIssuer({ issuerDid, credentialType: type, credentialIssuer: offer.credential_issuer });
    if (r.accredited !== true) {
      throw walletError("ISSUER_NOT_ACCREDITED", `${issuerDid} may not issue ${type}: ${r.message}`, {
        details: { issuer: issuerDid, credentialType: type, ledgerCode: r.code },
      });
    }
  }
  const txCodeSpec = grant.tx_code;
  const preview: CredentialOfferPreview = {
    credentialIssuer: offer.credential_issuer,
    issuerDid,
    issuerName: displayName(metadata, offer.credential_issuer),
    offered,
    txCode:
      txCodeSpec === undefined
        ? undefined
        : {
            inputMode: txCodeSpec.input_mode === "text" ? "text" : "numeric",
            ...(typeof txCodeSpec.length === "number" ? { length: txCodeSpec.length } : {}),
            ...(typeof txCodeSpec.description === "string" ? { description: txCodeSpec.description.slice(0, 300) } : {}),
          },
  };
  let txCode: string | undefined;
  if (preview.txCode !== undefined) {
    txCode = typeof params.txCode === "function" ? await params.txCode(preview) : params.txCode;
    txCode = txCode?.trim();
    if (txCode === undefined || txCode === "") throw new MobileIdError("INVALID_ARGUMENT", "this offer needs the transaction code the issuer handed over");
    if ((preview.txCode.length !== undefined && txCode.length !== preview.txCode.length) || (preview.txCode.inputMode === "numeric" && !/^\d+$/.test(txCode))) {
      throw new MobileIdError("INVALID_ARGUMENT", `the transaction code is ${preview.txCode.length ?? "some"} ${preview.txCode.inputMode === "numeric" ? "digits" : "characters"}`);
    }
  }
  let accessToken: string;
  let refreshToken: string | undefined;
  try {
    const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata: metadata, ...(txCode === undefined ? {} : { txCode }) });
    accessToken = token.accessTokenResponse.access_token;
    refreshToken = typeof token.accessTokenResponse.refresh_token === "string" ? token.accessTokenResponse.refresh_token : undefined;
  } catch (e) {
    throw translateLibraryError(e, "ISSUANCE_FAILED", "the token request");
  }
  const copies = copiesFor(metadata, params.copies);
  const received: ReceivedCredential[] = [];
  for (const o of offered) {
    const credentials = await requestCredentials({
      client,
      metadata,
      accessToken,
      wallet,
      configurationId: o.configurationId,
      format: o.format,
      copies,
      ...(params.holderKeyStore === undefined ? {} : { store: params.holderKeyStore }),
    });
    if (o.format === "dc+sd-jwt") {
      const batch = await importSdJwtVcCopies({ wallet, copies: credentials, verifyCredential: sameIssuer(issuerDid, params.verifyCredential) });
      if (refreshToken !== undefined) {
        await keepRefreshGrant(wallet, { batch: batch.batch, credentialIssuer: offer.credential_issuer, configurationId: o.configurationId, issuerDid, refreshToken });
      }
      received.push({ ...o, batch });
    } else {
      if (credentials.length !== 1) throw walletError("ISSUANCE_FAILED", "expected one JWT-VC", { details: { count: credentials.length } });
      const r = await importCredential({ wallet, jwt: credentials[0] as string, verifyCredential: sameIssuer(issuerDid, params.verifyCredential) });
      received.push({ ...o, credential: r.credential });
    }
  }
  return { preview, received };
}

/** Copies to ask for: the caller's wish (default 10), at least 1, at most the issuer's `batch_size`. */
export function copiesFor(metadata: IssuerMetadataResult, wanted: number | undefined): number {
  const batchSize = metadata.credentialIssuer.batch_credential_issuance?.batch_size ?? 1;
  return Math.max(1, Math.min(wanted ?? 10, batchSize));
}

/** Refuses a credential not issued by the DID that was checked on the ledger, before the ledger verification. */
export function sameIssuer(issuerDid: string, verify: CredentialVerifier): CredentialVerifier {
  return async (credential) => (issuerOfReceived(credential) !== issuerDid ? { verified: false, code: "ISSUER_MISMATCH" } : verify(credential));
}

/**
 * One credential request: a fresh nonce, key proofs (one new P-256 holder key per SD-JWT VC copy, or the DID key
 * for a JWT-VC), `proofs.jwt`, and the credentials of the response. `ISSUANCE_FAILED` with the issuer's error.
 */
export async function requestCredentials(params: {
  readonly client: Openid4vciClient;
  readonly metadata: IssuerMetadataResult;
  readonly accessToken: string;
  readonly wallet: Wallet;
  readonly configurationId: string;
  readonly format: ReceivableFormat;
  readonly copies: number;
  readonly store?: HolderKeyStore;
}): Promise<string[]> {
  const { client, metadata, wallet, configurationId } = params;
  let credentials: string[] = [];
  const made: string[] = [];
  try {
    const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata: metadata });
    const proofs: string[] = [];
    const keys = params.format === "dc+sd-jwt" ? (await createHolderKeys({ wallet, count: params.copies, ...(params.store === undefined ? {} : { store: params.store }) })).keys : [];
    made.push(...keys.map((jwk) => holderKeyId(jwk)));
    const signers =
      params.format === "dc+sd-jwt"
        ? keys.map((jwk) => ({ method: "jwk" as const, alg: "ES256", publicJwk: { ...jwk } }))
        : [{ method: "did" as const, alg: "ES256K", didUrl: `${wallet.did}#controller` }];
    for (const signer of signers) {
      proofs.push((await client.createCredentialRequestJwtProof({ issuerMetadata: metadata, credentialConfigurationId: configurationId, signer, nonce })).jwt);
    }
    const response = await client.retrieveCredentials({ issuerMetadata: metadata, accessToken: params.accessToken, credentialConfigurationId: configurationId, proofs: { jwt: proofs } });
    credentials = (response.credentialResponse.credentials ?? []).map((c) => (c as { credential?: unknown }).credential).filter((c): c is string => typeof c === "string");
  } catch (e) {
    throw translateLibraryError(e, "ISSUANCE_FAILED", `the credential request for ${configurationId}`);
  } finally {
    // The issuer may bind fewer keys than proofs were sent (the agency's offer sets the copies), or none when the
    // request failed: a private key that no copy will ever use is not kept.
    if (made.length > 0) {
      const bound = new Set(credentials.map(holderKeyIdOfCopy).filter((id): id is string => id !== undefined));
      await forgetHolderKeys(wallet, made.filter((id) => !bound.has(id)));
    }
  }
  if (credentials.length === 0) throw walletError("ISSUANCE_FAILED", `the issuer sent no ${params.format} credential`, { details: { configurationId } });
  return credentials;
}

/** The holder key id (`cnf.jwk` thumbprint) a received SD-JWT VC copy is bound to (no signature check here). */
function holderKeyIdOfCopy(copy: string): string | undefined {
  const payload = (copy.split("~")[0] ?? "").split(".")[1];
  const bytes = payload === undefined ? undefined : decodeBase64url(payload);
  const jwk = (parseJsonObject(bytes ?? new Uint8Array()) as { cnf?: { jwk?: { x?: unknown; y?: unknown } } } | undefined)?.cnf?.jwk;
  return typeof jwk?.x === "string" && typeof jwk.y === "string" ? holderKeyId({ x: jwk.x, y: jwk.y }) : undefined;
}

/** Drops holder keys no stored copy uses from the wallet (private halves kept by the wallet go with them). */
async function forgetHolderKeys(wallet: Wallet, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const drop = new Set(ids);
  await mutateWallet(wallet, async (state) => {
    const inUse = new Set((state.sdJwtVcs ?? []).map((c) => c.keyId));
    const holderKeys = (state.holderKeys ?? []).filter((k) => !drop.has(k.id) || inUse.has(k.id));
    return { next: { ...state, holderKeys }, result: undefined };
  });
}

/** Stores (or moves to a new batch) the refresh grant of a batch. */
export async function keepRefreshGrant(wallet: Wallet, grant: Omit<StoredRefreshGrant, "createdAt">, replacing?: string): Promise<void> {
  await mutateWallet(wallet, async (state, session) => {
    const others = (state.refreshGrants ?? []).filter((g) => g.batch !== grant.batch && g.batch !== replacing);
    return { next: { ...state, refreshGrants: [...others, { ...grant, createdAt: session.now() }] }, result: undefined };
  });
}

/** The `iss` of a received credential (no signature check: the injected verifier does that next). */
function issuerOfReceived(credential: string): string | undefined {
  const payload = (credential.split("~")[0] ?? "").split(".")[1];
  const bytes = payload === undefined ? undefined : decodeBase64url(payload);
  const o = bytes === undefined ? undefined : parseJsonObject(bytes);
  return typeof o?.["iss"] === "string" ? o["iss"] : undefined;
}
