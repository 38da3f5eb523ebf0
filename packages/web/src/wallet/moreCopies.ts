/**
 * "Get more copies" (issue 11 refresh, issue 12): when a card held as SD-JWT VC copies runs low, the wallet redeems
 * the refresh token its issuer gave at issuance (OAuth `refresh_token` grant at the issuer's token endpoint, with a
 * proof of the DPoP key the grant is bound to), checks the issuer on the ledger again, fetches a fresh `c_nonce`,
 * makes new non-extractable holder keys with their `proofs.jwt`, and adds the new copies to the SAME card. The issuer
 * rotates the refresh token; the new one is sealed before anything else happens. A credential no longer in force
 * (revoked, suspended, expired) is refused by the issuer: {@link MORE_COPIES_REFUSED}.
 *
 * Loaded on first use (a dynamic import), like `credentialOffer.ts`.
 */
import { Oauth2Client } from "@openid4vc/oauth2";
import type { IssuerMetadataResult } from "@openid4vc/openid4vci";
import { parseEthrDid } from "@mobile-id/core/browser";
import { ApiError, type PartyFacts } from "../lib/api.ts";
import { uiError } from "../lib/uiError.ts";
import { CredentialOfferError, callbacksFor, clientFor, isNetworkFailure, keepBoundCopies, oauthErrorOf, requestBatch } from "./credentialOffer.ts";
import type { SdJwtCard } from "./sdjwt/copies.ts";
import { keepRefreshGrant, refreshGrantOf } from "./sdjwt/refreshGrants.ts";
import type { Vault } from "./sdjwt/vault.ts";

/** A card with this many unused copies or fewer offers "get more copies" on its face. */
export const LOW_COPIES = 2;

/** The OAuth errors by which an issuer says the credential is no longer in force. */
const MORE_COPIES_REFUSED = new Set(["invalid_grant", "credential_request_denied"]);

/**
 * Gets new copies of `card` from its issuer with the sealed refresh grant and adds them to the card. Throws
 * {@link CredentialOfferError}: `careMoreCopiesNone` (no grant), `careNoLongerIssued` (the issuer refuses: the
 * credential is revoked, suspended or expired), `vciIssuerNotInForce`, `networkError`, `careMoreCopiesFailed`.
 *
 * @example
 * ```ts
 * const { card: more, added } = await getMoreCopies({ vault, card, chainId, party: checker.party });
 * console.log(added, more.remaining); // 10 12
 * ```
 */
export async function getMoreCopies(p: {
  readonly vault: Vault;
  readonly card: Pick<SdJwtCard, "batch" | "type" | "issuer">;
  readonly chainId: number;
  readonly party: (address: string) => Promise<PartyFacts>;
}): Promise<{ readonly card: SdJwtCard; readonly added: number }> {
  const held = await refreshGrantOf(p.vault, p.card.batch);
  if (held === undefined) throw new CredentialOfferError(uiError("careMoreCopiesNone"));
  const { grant, dpop } = held;
  if (grant.issuerDid !== p.card.issuer) throw new CredentialOfferError(uiError("careMoreCopiesNone"));
  const failed = (e: unknown): never => {
    if (e instanceof CredentialOfferError) throw e;
    if (isNetworkFailure(e)) throw new CredentialOfferError(uiError("networkError"), undefined, e);
    const { error } = oauthErrorOf(e);
    if (error !== undefined && MORE_COPIES_REFUSED.has(error)) throw new CredentialOfferError(uiError("careNoLongerIssued"), error, e);
    throw new CredentialOfferError(uiError("careMoreCopiesFailed", { code: error ?? "—" }), error, e);
  };

  // The issuer must still be in force for the type on the ledger (as when the card was received).
  let party: PartyFacts;
  try {
    party = await p.party(parseEthrDid(grant.issuerDid)?.address ?? "");
  } catch (e) {
    throw new CredentialOfferError(e instanceof ApiError && e.code === "PARTY_NOT_FOUND" ? uiError("vciIssuerUnknown") : uiError("networkError"), undefined, e);
  }
  if (party.standings.find((s) => s.type === p.card.type)?.inForce !== true) throw new CredentialOfferError(uiError("vciIssuerNotInForce", { issuer: party.name }));

  const client = clientFor(p.vault.db, dpop);
  const metadata: IssuerMetadataResult = await client.resolveIssuerMetadata(grant.credentialIssuer).catch(failed);
  const authorizationServer = metadata.authorizationServers[0];
  if (authorizationServer === undefined) throw new CredentialOfferError(uiError("careMoreCopiesFailed", { code: "no authorization server" }));
  const dpopSigner = dpop === undefined ? undefined : { signer: { method: "jwk" as const, alg: "ES256", publicJwk: dpop.publicJwk } };
  const token = await new Oauth2Client({ callbacks: callbacksFor(p.vault.db, dpop) })
    .retrieveRefreshTokenAccessToken({ authorizationServerMetadata: authorizationServer, refreshToken: grant.refreshToken, ...(dpopSigner === undefined ? {} : { dpop: dpopSigner }) })
    .catch(failed);
  // The issuer rotated the refresh token (the old one is dead): seal the new one before anything can fail.
  const rotated = token.accessTokenResponse.refresh_token;
  if (typeof rotated === "string") await keepRefreshGrant(p.vault, p.card.batch, { ...grant, refreshToken: rotated });
  const nonce = token.dpop?.nonce;
  const access = {
    token: token.accessTokenResponse.access_token,
    ...(dpopSigner === undefined ? {} : { dpop: { ...dpopSigner, ...(nonce === undefined ? {} : { nonce }) } }),
  };
  const opened = { metadata, configurationId: grant.configurationId };
  const copies = await requestBatch(client, opened, access, p.vault.db).catch((e: unknown) => failed(e instanceof CredentialOfferError && e.oauthError !== undefined ? e.cause : e));
  const card = await keepBoundCopies({ vault: p.vault, copies, chainId: p.chainId, issuerDid: grant.issuerDid, party: p.party, intoBatch: p.card.batch });
  return { card, added: copies.credentials.length };
}
