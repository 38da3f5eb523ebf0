import { type ContractTransactionReceipt, type Provider, type Signer, getAddress } from "ethers";
import { MobileIdError, type NetworkDescriptor, ReasonCode, encodeClaimIdentifiers } from "@mobile-id/core";
import { connectContracts } from "../contracts.ts";
import type { LedgerWriteJournal } from "../journal/ledgerWriteJournal.ts";
import { sendTransaction } from "../sendTransaction.ts";

/** The claims of one credential type that a relying party may ask for. */
export interface RelyingPartyTypeClaims {
  /** `credentialTypeId(name, version)` (bytes32 hex). */
  readonly credentialTypeId: string;
  /** Claim paths inside the credential subject, e.g. `familyName` or `["age_equal_or_over", "19"]`. */
  readonly claims: readonly (string | readonly (string | number | null)[])[];
}

export interface RegisterRelyingPartyParameters {
  readonly descriptor: Pick<NetworkDescriptor, "contracts">;
  /** Journal the signed transaction first (see `sendTransaction`). */
  readonly journal?: LedgerWriteJournal;
  /** The registering accreditor's owner key. */
  readonly signer: Signer;
  /** The accreditor identity it acts for. Default: the signer's address. */
  readonly accreditor?: string;
  readonly relyingParty: string;
  /** Public display name (1-128 bytes) and purpose (1-256 bytes) shown to holders. */
  readonly name: string;
  readonly purpose: string;
  /** Window in seconds since the epoch. Default: from the latest block's time, for one year. */
  readonly validFrom?: number;
  readonly validUntil?: number;
  /** Default `ReasonCode.GRANTED`. */
  readonly reason?: number;
  /** At least one type, each with at least one claim; the accreditor must be in force for every type. */
  readonly types: readonly RelyingPartyTypeClaims[];
}

const YEAR = 365 * 24 * 60 * 60;

/**
 * Registers a relying party on the ledger (`RelyingPartyRegistry.registerRelyingParty`), its claims encoded
 * as canonical claim identifiers. A refusal by the contract throws `LEDGER_REJECTED` with the contract's error
 * name in `details.error` (e.g. `RelyingPartyRegistryOutOfScope`).
 *
 * @example
 * ```ts
 * await registerRelyingParty({ descriptor, signer: ministryKey, relyingParty: "0x…", name: "Seoul Mart",
 *   purpose: "Age check for alcohol sales", types: [{ credentialTypeId: id, claims: ["age_over_19"] }] });
 * ```
 */
export async function registerRelyingParty(params: RegisterRelyingPartyParameters): Promise<ContractTransactionReceipt> {
  const provider = requireProvider(params.signer);
  const registry = connectContracts({ descriptor: params.descriptor, runner: provider }).relyingPartyRegistry;
  const accreditor = getAddress(params.accreditor ?? (await params.signer.getAddress()));
  const now = (await provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);
  const validFrom = params.validFrom ?? now;
  const validUntil = params.validUntil ?? validFrom + YEAR;
  const registration = {
    name: params.name,
    purpose: params.purpose,
    validFrom,
    validUntil,
    reason: params.reason ?? ReasonCode.GRANTED,
  };
  return sendTransaction({
    contract: registry,
    signer: params.signer,
    ...(params.journal === undefined ? {} : { journal: params.journal }),
    method: "registerRelyingParty",
    args: [
      accreditor,
      getAddress(params.relyingParty),
      registration,
      params.types.map((t) => t.credentialTypeId),
      params.types.map((t) => encodeClaimIdentifiers(t.claims)),
    ],
  });
}

/** @internal */
export function requireProvider(signer: Signer): Provider {
  if (signer.provider == null) throw new MobileIdError("INVALID_ARGUMENT", "the signer has no provider");
  return signer.provider;
}
