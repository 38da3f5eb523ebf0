import { type ContractTransactionReceipt, type Signer, getAddress } from "ethers";
import { MobileIdError, type NetworkDescriptor } from "@mobile-id/core";
import { connectContracts } from "../contracts.ts";
import type { LedgerWriteJournal } from "../journal/ledgerWriteJournal.ts";
import { sendTransaction } from "../sendTransaction.ts";
import { requireProvider } from "./registerRelyingParty.ts";

/** What can happen to a registered relying party's standing. */
export type RelyingPartyStandingAction = "suspend" | "reinstate" | "revoke";

export interface ChangeRelyingPartyStandingParameters {
  readonly descriptor: Pick<NetworkDescriptor, "contracts">;
  /** Journal the signed transaction first (see `sendTransaction`). */
  readonly journal?: LedgerWriteJournal;
  /** The owner key of the party's registrar or of the root. */
  readonly signer: Signer;
  /** The identity it acts for (the registrar or the root). Default: the signer's address. */
  readonly actor?: string;
  readonly relyingParty: string;
  readonly action: RelyingPartyStandingAction;
  /** A reason code (`ReasonCode`; 0 is refused). */
  readonly reason: number;
}

/**
 * Suspends, reinstates or revokes a relying party's registration. Revocation is final. A refused change
 * throws `LEDGER_REJECTED` with the contract's error (e.g. `RelyingPartyRegistryInvalidTransition`).
 *
 * @example
 * ```ts
 * await changeRelyingPartyStanding({ descriptor, signer: ministryKey, relyingParty: "0x…", action: "suspend",
 *   reason: ReasonCode.AUDIT_FINDING });
 * ```
 */
export async function changeRelyingPartyStanding(
  params: ChangeRelyingPartyStandingParameters,
): Promise<ContractTransactionReceipt> {
  if (!["suspend", "reinstate", "revoke"].includes(params.action)) {
    throw new MobileIdError("INVALID_ARGUMENT", "action must be suspend, reinstate or revoke", { details: { action: params.action } });
  }
  const registry = connectContracts({ descriptor: params.descriptor, runner: requireProvider(params.signer) }).relyingPartyRegistry;
  const actor = getAddress(params.actor ?? (await params.signer.getAddress()));
  return sendTransaction({
    contract: registry,
    signer: params.signer,
    ...(params.journal === undefined ? {} : { journal: params.journal }),
    method: params.action,
    args: [actor, getAddress(params.relyingParty), params.reason],
  });
}
