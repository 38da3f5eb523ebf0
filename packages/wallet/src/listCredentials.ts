import { type CredentialSummary, toSummary } from "./credentialViews.ts";
import { type Wallet, readWallet } from "./session.ts";

export interface ListCredentialsParameters {
  readonly wallet: Wallet;
  /** Only credentials of this type. */
  readonly type?: string;
}

export type ListCredentialsReturnType = readonly CredentialSummary[];

/**
 * The stored credentials (without claims), oldest import first, each with its validity by the wallet's clock.
 *
 * @example
 * ```ts
 * for (const c of await listCredentials({ wallet })) console.log(c.title?.ko, c.validity);
 * ```
 */
export async function listCredentials(params: ListCredentialsParameters): Promise<ListCredentialsReturnType> {
  const { state, now } = readWallet(params.wallet);
  const t = now();
  const all = state.credentials.map((s) => toSummary(s, t));
  return Promise.resolve(params.type === undefined ? all : all.filter((c) => c.type === params.type));
}
