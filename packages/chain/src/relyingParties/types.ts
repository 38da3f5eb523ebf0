import type { AccreditationStatus } from "../ledger/types.ts";

/** A relying party's registration as it stood at a time: the answer of `standingAt` plus its public data. */
export interface RelyingPartyRegistration {
  /** Checksummed identity (the address of its `did:ethr`). */
  readonly relyingParty: string;
  /** Registered and `Active` inside its window at the time asked about. */
  readonly inForce: boolean;
  /** Effective status at that time (`Expired`/`Pending` derived from the window; `None`: not registered then). */
  readonly status: AccreditationStatus;
  readonly validFrom: number;
  readonly validUntil: number;
  /** When the registration last changed at or before that time. */
  readonly since: number;
  /** The accreditor that registered it (checksummed; the zero address when unregistered). */
  readonly registrar: string;
  readonly reason: number;
  /** The time asked about is in the past of the ledger: the answer can no longer change. */
  readonly final: boolean;
  /** Public display name and purpose (current registration data; empty when unregistered). */
  readonly name: string;
  readonly purpose: string;
}

/** The claims of one credential type that a relying party could ask for at a time. */
export interface PermittedClaims {
  /** Claim paths (e.g. `familyName`, `age_equal_or_over.19`), ascending; empty when nothing is permitted. */
  readonly claims: readonly string[];
  /** The on-chain commitment to `claims` (20 bytes, hex); checked against the event that carried the list. */
  readonly claimsDigest: string;
  /** When this permission took effect (0 when none was ever set at or before the time asked about). */
  readonly since: number;
  /** The accreditor that granted it (checksummed; zero address when none). */
  readonly grantedBy: string;
  /** Whether the granting accreditor was itself in force for the type at that time. */
  readonly grantorInForce: boolean;
}

/** What a relying-party check reads from the ledger. `LedgerReader`s of any kind can implement it. */
export interface RelyingPartyLedger {
  /** The registration of `relyingParty` at `at` (seconds). */
  relyingPartyAt(relyingParty: string, at: number): Promise<RelyingPartyRegistration>;
  /** The claims of `credentialTypeId` (bytes32 hex) that `relyingParty` could ask for at `at`. */
  permittedClaimsAt(relyingParty: string, credentialTypeId: string, at: number): Promise<PermittedClaims>;
}
