/** @internal What every issuer operation shares. Not exported from the package. */
import type { Clock } from "@mobile-id/core";
import type { NetworkContractSet, Provider, Signer } from "@mobile-id/chain";
import type { IssuerJwtSigner } from "./createJwtSigner.ts";
import type { StandingGuard } from "./createStandingGuard.ts";
import type { LedgerSettings } from "./ledger.ts";
import type { StatusIndexAllocator } from "./statusIndexAllocator.ts";
import type { HolderIndex } from "./holders/createHolderIndex.ts";
import type { IssuanceRecordStore, LedgerOpJournal, PairRow, StatusListStore } from "./store/createIssuanceStore.ts";

export interface IssuerSettings {
  readonly storeClaims: boolean;
  readonly sizeLog2: number;
  readonly fillThreshold: number;
  readonly sparePairs: number;
  readonly defaultValiditySeconds: number;
}

export interface IssuerContext {
  readonly chainId: number;
  readonly provider: Provider;
  readonly issuerDid: string;
  readonly issuerAddress: string;
  /** Checksummed, as written into every credential's `credentialStatus`. */
  readonly statusRegistryAddress: string;
  /** Contracts bound to the provider, for reads. */
  readonly contracts: NetworkContractSet;
  /** Signs the credential JWTs (through the JWT-VC format module, which adds the `kid`). */
  readonly jwtSigner: IssuerJwtSigner;
  /** The address of the key that signs the JWTs (its `kid` names it: see issueCredential). */
  readonly jwtSignerAddress: string;
  readonly operator: { readonly signer: Signer; readonly address: string } | undefined;
  readonly owner: { readonly signer: Signer; readonly address: string } | undefined;
  /** Issuance records and status history (no claim values unless `storeClaims`). */
  readonly records: IssuanceRecordStore;
  /** The issuer's status list pairs and their operators. */
  readonly lists: StatusListStore;
  /** The ledger-write journal and its checkpoint. */
  readonly journal: LedgerOpJournal;
  readonly allocator: StatusIndexAllocator;
  /** The issuer's list pairs, by id (a copy of `list_pairs`, kept in step by provisioning). */
  readonly pairs: Map<number, PairRow>;
  readonly guard: StandingGuard;
  readonly clock: Clock;
  readonly settings: IssuerSettings;
  /** Who each credential was issued to (encrypted, issuer only), when the issuer keeps a holder index. */
  readonly holders: HolderIndex | undefined;
  readonly ledger: LedgerSettings;
  /** How many transactions this issuer has sent or settled since it opened (a version of its ledger writes). */
  readonly ledgerSends: () => number;
  /** Runs ledger writes one at a time (one nonce sequence per key, one journal order). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}
