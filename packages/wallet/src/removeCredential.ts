import { walletError } from "./errors.ts";
import { type Wallet, mutateWallet } from "./session.ts";

export interface RemoveCredentialParameters {
  readonly wallet: Wallet;
  readonly id: string;
}

/**
 * Deletes a credential from the wallet and saves. `WALLET_CREDENTIAL_NOT_FOUND` if there is no such id.
 * (Backups taken earlier still contain it.)
 *
 * @example
 * ```ts
 * await removeCredential({ wallet, id });
 * ```
 */
export async function removeCredential(params: RemoveCredentialParameters): Promise<void> {
  await mutateWallet(params.wallet, (state) => {
    if (!state.credentials.some((c) => c.id === params.id)) {
      throw walletError("WALLET_CREDENTIAL_NOT_FOUND", "no credential with this id", { details: { id: params.id } });
    }
    return Promise.resolve({ next: { ...state, credentials: state.credentials.filter((c) => c.id !== params.id) }, result: undefined });
  });
}
