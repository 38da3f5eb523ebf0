import { type CredentialDetails, toDetails } from "./credentialViews.ts";
import { walletError } from "./errors.ts";
import { type Wallet, readWallet } from "./session.ts";

export interface ShowCredentialParameters {
  readonly wallet: Wallet;
  /** The id from {@link listCredentials}. */
  readonly id: string;
}

export type ShowCredentialReturnType = CredentialDetails;

/**
 * One credential decoded: type, issuer, validity, the claims and the status entry. `WALLET_CREDENTIAL_NOT_FOUND`
 * if there is no such id.
 *
 * @example
 * ```ts
 * const c = await showCredential({ wallet, id });
 * c.claims["studentNumber"]
 * ```
 */
export async function showCredential(params: ShowCredentialParameters): Promise<ShowCredentialReturnType> {
  const { state, now } = readWallet(params.wallet);
  const stored = state.credentials.find((c) => c.id === params.id);
  if (stored === undefined) throw walletError("WALLET_CREDENTIAL_NOT_FOUND", "no credential with this id", { details: { id: params.id } });
  return Promise.resolve(toDetails(stored, now()));
}
