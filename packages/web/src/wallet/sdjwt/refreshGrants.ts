/**
 * The OpenID4VCI refresh grants of SD-JWT VC cards (issue 11 "refresh", issue 12 "get more copies"): per card
 * (batch), the issuer, the credential configuration and the refresh token, sealed in the device vault (readable
 * only unlocked), and the DPoP key the grant is bound to (RFC 9449: the issuer refreshes a DPoP-bound grant only
 * with a proof of the same key) as a non-extractable `CryptoKey` in the device database, beside the holder keys.
 */
import type { Jwk } from "@openid4vc/oauth2";
import { RECORDS } from "../idb.ts";
import { type Vault, readSealed, writeSealed } from "./vault.ts";

const RECORD = "refresh-grants";
const dpopRecord = (batch: string) => `dpop:${batch}`;

/** What a card's refresh needs (the token is secret: sealed). */
export interface RefreshGrant {
  readonly credentialIssuer: string;
  readonly configurationId: string;
  readonly issuerDid: string;
  readonly refreshToken: string;
}

/** A grant's DPoP key (the private key is non-extractable). */
export interface StoredDpopKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: Jwk;
}

type Grants = Record<string, RefreshGrant>;

const all = async (vault: Vault): Promise<Grants> => (await readSealed<Grants>(vault, RECORD)) ?? {};

/**
 * Keeps (or replaces, after the issuer rotated the token) a card's refresh grant, and its DPoP key if bound.
 *
 * @example
 * ```ts
 * await keepRefreshGrant(vault, card.batch, { credentialIssuer, configurationId, issuerDid, refreshToken }, dpopKey);
 * ```
 */
export async function keepRefreshGrant(vault: Vault, batch: string, grant: RefreshGrant, dpop?: StoredDpopKey): Promise<void> {
  await writeSealed(vault, RECORD, { ...(await all(vault)), [batch]: grant });
  if (dpop !== undefined) await vault.db.put(RECORDS, dpopRecord(batch), dpop);
}

/** A card's refresh grant and DPoP key, if its issuer gave one. */
export async function refreshGrantOf(vault: Vault, batch: string): Promise<{ readonly grant: RefreshGrant; readonly dpop: StoredDpopKey | undefined } | undefined> {
  const grant = (await all(vault))[batch];
  if (grant === undefined) return undefined;
  return { grant, dpop: await vault.db.get<StoredDpopKey>(RECORDS, dpopRecord(batch)) };
}

/** The cards (batches) that have a refresh grant. */
export async function refreshableBatches(vault: Vault): Promise<ReadonlySet<string>> {
  return new Set(Object.keys(await all(vault)));
}

/** Forgets a card's refresh grant and deletes its DPoP key (the card was removed, or its issuer refuses it for good). */
export async function forgetRefreshGrant(vault: Vault, batch: string): Promise<void> {
  const { [batch]: _gone, ...rest } = await all(vault);
  await writeSealed(vault, RECORD, rest);
  await vault.db.delete(RECORDS, dpopRecord(batch));
}
