import { type ContractTransactionReceipt, type Signer, getAddress } from "ethers";
import { type NetworkDescriptor, encodeClaimIdentifiers } from "@mobile-id/core";
import { connectContracts } from "../contracts.ts";
import type { LedgerWriteJournal } from "../journal/ledgerWriteJournal.ts";
import { sendTransaction } from "../sendTransaction.ts";
import { requireProvider } from "./registerRelyingParty.ts";

export interface SetRelyingPartyClaimsParameters {
  readonly descriptor: Pick<NetworkDescriptor, "contracts">;
  /** Journal the signed transaction first (see `sendTransaction`). */
  readonly journal?: LedgerWriteJournal;
  /** The owner key of an accreditor in force for the type. */
  readonly signer: Signer;
  /** The accreditor identity it acts for. Default: the signer's address. */
  readonly accreditor?: string;
  readonly relyingParty: string;
  readonly credentialTypeId: string;
  /** The new claim paths; an empty list withdraws the type. */
  readonly claims: readonly (string | readonly (string | number | null)[])[];
}

/**
 * Replaces the claims of one credential type that a registered relying party may ask for (the earlier list
 * stays in the ledger's history).
 *
 * @example
 * ```ts
 * await setRelyingPartyClaims({ descriptor, signer: policeKey, relyingParty: "0x…", credentialTypeId: licence,
 *   claims: ["birthDate"] });
 * ```
 */
export async function setRelyingPartyClaims(params: SetRelyingPartyClaimsParameters): Promise<ContractTransactionReceipt> {
  const registry = connectContracts({ descriptor: params.descriptor, runner: requireProvider(params.signer) }).relyingPartyRegistry;
  const accreditor = getAddress(params.accreditor ?? (await params.signer.getAddress()));
  return sendTransaction({
    contract: registry,
    signer: params.signer,
    ...(params.journal === undefined ? {} : { journal: params.journal }),
    method: "setClaims",
    args: [accreditor, getAddress(params.relyingParty), params.credentialTypeId, encodeClaimIdentifiers(params.claims)],
  });
}
