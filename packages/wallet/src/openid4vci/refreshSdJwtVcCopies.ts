/**
 * Fresh SD-JWT VC copies "with the same grant" (issue 11): when a batch runs low, the wallet redeems the refresh
 * token the issuer gave with the pre-authorized code (OAuth `refresh_token` grant, on `@openid4vc/oauth2`'s client),
 * checks the issuer on the ledger again, and requests a new batch with new holder keys. The old batch keeps its
 * remaining copies; the grant moves to the new batch (with the new refresh token if the issuer rotated it).
 */
import { Oauth2Client } from "@openid4vc/oauth2";
import { Openid4vciClient, type IssuerMetadataResult } from "@openid4vc/openid4vci";
import { walletError } from "../errors.ts";
import type { HolderKeyStore } from "../holderKeyStore.ts";
import type { CredentialVerifier } from "../importCredential.ts";
import { type SdJwtVcBatchSummary, importSdJwtVcCopies } from "../sdJwtVcCopies.ts";
import { type Wallet, readWallet } from "../session.ts";
import { type WalletFetch, translateLibraryError, walletCallbacks } from "./oauthCallbacks.ts";
import { type IssuerCheck, copiesFor, keepRefreshGrant, requestCredentials, sameIssuer } from "./receiveCredentialOffer.ts";

/** A batch with this many unused copies or fewer is "low" (the holder is told, and apps refresh). */
export const LOW_COPIES = 2;

export interface RefreshSdJwtVcCopiesParameters {
  readonly wallet: Wallet;
  /** The batch to refresh (`SdJwtVcBatchSummary.batch`). */
  readonly batch: string;
  readonly fetch: WalletFetch;
  readonly checkIssuer: IssuerCheck;
  readonly verifyCredential: CredentialVerifier;
  /** Copies to ask for (default 10, capped by the issuer's `batch_size`). */
  readonly copies?: number;
  /** Make the new holder keys in this platform key store instead of the wallet state. */
  readonly holderKeyStore?: HolderKeyStore;
}

/**
 * Gets a new batch of copies of the credential in `batch` from its issuer with the stored refresh grant.
 * `REFRESH_NOT_AVAILABLE` when the issuer gave none; `ISSUER_NOT_ACCREDITED` when the ledger no longer lets the
 * issuer issue the type; `ISSUANCE_FAILED` (`details.error`, e.g. `invalid_grant` once the credential is no longer
 * in force) when the issuer refuses.
 *
 * @example
 * ```ts
 * const low = (await listSdJwtVcs({ wallet })).filter((b) => b.remaining <= LOW_COPIES);
 * for (const b of low) await refreshSdJwtVcCopies({ wallet, batch: b.batch, fetch, checkIssuer, verifyCredential });
 * ```
 */
export async function refreshSdJwtVcCopies(params: RefreshSdJwtVcCopiesParameters): Promise<SdJwtVcBatchSummary> {
  const { wallet } = params;
  const grant = (readWallet(wallet).state.refreshGrants ?? []).find((g) => g.batch === params.batch);
  if (grant === undefined) throw walletError("REFRESH_NOT_AVAILABLE", "the issuer gave no refresh grant for this batch", { hint: "ask the issuer for a new offer" });
  const callbacks = walletCallbacks(() => readWallet(wallet).state, params.fetch, params.holderKeyStore);
  const client = new Openid4vciClient({ callbacks });
  let metadata: IssuerMetadataResult;
  try {
    metadata = await client.resolveIssuerMetadata(grant.credentialIssuer);
  } catch (e) {
    throw translateLibraryError(e, "OFFER_INVALID", "reading the issuer metadata");
  }
  const type = /^([A-Za-z][A-Za-z0-9]*)\./.exec(grant.configurationId)?.[1] ?? grant.configurationId;
  const check = await params.checkIssuer({ issuerDid: grant.issuerDid, credentialType: type, credentialIssuer: grant.credentialIssuer });
  if (check.accredited !== true) {
    throw walletError("ISSUER_NOT_ACCREDITED", `${grant.issuerDid} may not issue ${type}: ${check.message}`, { details: { issuer: grant.issuerDid, credentialType: type, ledgerCode: check.code } });
  }
  const authorizationServer = metadata.authorizationServers[0];
  if (authorizationServer === undefined) throw walletError("OFFER_INVALID", "the issuer names no authorization server");
  let accessToken: string;
  let refreshToken = grant.refreshToken;
  try {
    const token = await new Oauth2Client({ callbacks }).retrieveRefreshTokenAccessToken({ authorizationServerMetadata: authorizationServer, refreshToken: grant.refreshToken });
    accessToken = token.accessTokenResponse.access_token;
    if (typeof token.accessTokenResponse.refresh_token === "string") refreshToken = token.accessTokenResponse.refresh_token;
  } catch (e) {
    throw translateLibraryError(e, "ISSUANCE_FAILED", "the refresh token request");
  }
  const credentials = await requestCredentials({
    client,
    metadata,
    accessToken,
    wallet,
    configurationId: grant.configurationId,
    format: "dc+sd-jwt",
    copies: copiesFor(metadata, params.copies),
    ...(params.holderKeyStore === undefined ? {} : { store: params.holderKeyStore }),
  });
  const batch = await importSdJwtVcCopies({ wallet, copies: credentials, verifyCredential: sameIssuer(grant.issuerDid, params.verifyCredential) });
  await keepRefreshGrant(wallet, { batch: batch.batch, credentialIssuer: grant.credentialIssuer, configurationId: grant.configurationId, issuerDid: grant.issuerDid, refreshToken }, grant.batch);
  return batch;
}
