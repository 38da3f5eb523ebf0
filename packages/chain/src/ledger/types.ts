/**
 * What verification reads from the ledger, behind one interface with two implementations: `RpcLedgerReader`
 * (direct calls, the cold path) and `LedgerMirror` (an event-sourced local copy, the hot path).
 *
 * A verification asks for everything it needs in one {@link LedgerQuery} and gets one {@link LedgerFacts},
 * read at one block: the facts are mutually consistent, and an RPC reader can fetch them in two round trips.
 */

/** The minimal JSON-RPC transport: an ethers `JsonRpcProvider` or `BrowserProvider` fits. */
export interface LedgerRpc {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** The block the facts were read at. */
export interface LedgerHead {
  readonly blockNumber: number;
  readonly blockHash: string;
  /** The block's timestamp (seconds). */
  readonly timestamp: number;
}

/** How fresh a reader's data is. */
export interface LedgerFreshness {
  readonly head: LedgerHead;
  /** Local wall-clock time (seconds) at which `head` was confirmed to be the node's latest block. */
  readonly confirmedAt: number;
}

/** An ERC-1056 delegate, as the registry's latest event for (identity, type, delegate) left it. */
export interface IdentityDelegate {
  /** The delegate type, decoded from bytes32 (`veriKey`, `sigAuth`, …). */
  readonly delegateType: string;
  /** Checksummed address. */
  readonly delegate: string;
  /** Valid while `validTo > t` (the registry's `validDelegate`); a revocation sets it to the block's time. */
  readonly validTo: bigint;
  /**
   * ethr-did-resolver's key counter at the latest event for this delegate (see {@link ResolverKeyCounter});
   * absent for an event ethr-did-resolver skips (a type that is not UTF-8) or a state not folded from events.
   */
  readonly counter?: number;
}

/**
 * ethr-did-resolver names delegates and public-key attributes `#delegate-N`, N counting the identity's events
 * in chain order: every delegate event and every `did/pub/…` attribute event whose name is in its grammar
 * counts, valid or not (`counter` is that count at the key's latest event). A `did/pub/…` name outside the
 * grammar counts only while the event is not valid, so the N of later keys also depends on the time:
 * N = counter + the number of such events before it that are not valid at t.
 */
export interface ResolverKeyCounter {
  /** Counted events before this irregular `did/pub/…` attribute event. */
  readonly after: number;
  readonly validTo: bigint;
}

/** An ERC-1056 attribute, as the latest event for (identity, name, value) left it. */
export interface IdentityAttribute {
  /** The attribute name, decoded from bytes32 (e.g. `did/pub/Secp256k1/veriKey/hex`). */
  readonly name: string;
  /** Hex, lower case. */
  readonly value: string;
  /** Valid while `validTo > t`; 0 once revoked. */
  readonly validTo: bigint;
  /** ethr-did-resolver's key counter at the latest event for this attribute; absent when it is not counted. */
  readonly counter?: number;
}

/** The ERC-1056 state of one identity. An identity never changed has `owner = identity` and nothing else. */
export interface IdentityState {
  /** Checksummed identity address. */
  readonly identity: string;
  /** The current owner key's address (checksummed); the zero address once deactivated. */
  readonly owner: string;
  /**
   * The identity was handed to the zero address. Terminal, as in ethr-did-resolver: later events are ignored
   * (the registry itself would let the identity's own key act again, which no verifier should honour).
   */
  readonly deactivated: boolean;
  readonly delegates: readonly IdentityDelegate[];
  /** Public-key (`did/pub/…`) attributes; services and other names are left out. */
  readonly attributes: readonly IdentityAttribute[];
  /** `did/pub/…` attribute events outside ethr-did-resolver's name grammar, in chain order (usually none). */
  readonly irregularKeyEvents?: readonly ResolverKeyCounter[];
  /** How many registry events the identity has. */
  readonly changes: number;
}

/** The AccreditationRegistry's `Status`. */
export const AccreditationStatus = {
  None: 0,
  Active: 1,
  Suspended: 2,
  Revoked: 3,
  Expired: 4,
  Pending: 5,
} as const;
export type AccreditationStatus = (typeof AccreditationStatus)[keyof typeof AccreditationStatus];
/** {@link AccreditationStatus} by name: `ACCREDITATION_STATUS_NAMES[status]` (reports show names). */
export const ACCREDITATION_STATUS_NAMES = ["None", "Active", "Suspended", "Revoked", "Expired", "Pending"] as const;
export type AccreditationStatusName = (typeof ACCREDITATION_STATUS_NAMES)[number];

/** The AccreditationRegistry's `Role`: what a registered identity is to the network. */
export const PartyRole = {
  None: 0,
  Root: 1,
  Accreditor: 2,
  Issuer: 3,
} as const;
export type PartyRole = (typeof PartyRole)[keyof typeof PartyRole];
/** {@link PartyRole} by name: `PARTY_ROLE_NAMES[role]`. */
export const PARTY_ROLE_NAMES = ["None", "Root", "Accreditor", "Issuer"] as const;
export type PartyRoleName = (typeof PARTY_ROLE_NAMES)[number];

/** The answer of `standingAt(party, credentialType, at)`. */
export interface AccreditationStanding {
  readonly inForce: boolean;
  readonly status: AccreditationStatus;
  readonly accreditorStatus: AccreditationStatus;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly since: number;
  /** Checksummed; the zero address when there is no accreditation. */
  readonly accreditor: string;
  readonly reason: number;
  /** `at` is before the block the answer was read at: it can no longer change. */
  readonly final: boolean;
}

/** The StatusRegistry's `Purpose`. */
export const StatusPurpose = { None: 0, Revocation: 1, Suspension: 2 } as const;
export type StatusPurpose = (typeof StatusPurpose)[keyof typeof StatusPurpose];
/** {@link StatusPurpose} by name: `STATUS_PURPOSE_NAMES[purpose]`. */
export const STATUS_PURPOSE_NAMES = ["None", "Revocation", "Suspension"] as const;
export type StatusPurposeName = (typeof STATUS_PURPOSE_NAMES)[number];

/** A status list as created (none of it ever changes). */
export interface StatusListInfo {
  readonly listId: bigint;
  /** Checksummed issuer identity. */
  readonly issuer: string;
  readonly purpose: StatusPurpose;
  /** Number of entries (2^sizeLog2). */
  readonly size: bigint;
}

/** One status entry: the list (if it exists) and the entry's bit (if the index is in range). */
export interface StatusEntryFact {
  readonly list: StatusListInfo | undefined;
  /** `undefined` when the list does not exist or the index is out of range. */
  readonly set: boolean | undefined;
}

/** A credential type as registered. */
export interface CredentialTypeRecord {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly schemaHash: string;
  readonly schemaUri: string;
  readonly governingAccreditor: string;
  readonly deprecated: boolean;
}

/** When to evaluate a standing: a time in seconds, or `"current"` = max(ledger head time, `LedgerQuery.now`). */
export type StandingTime = number | "current";

/** Everything one verification needs from the ledger. */
export interface LedgerQuery {
  /** Identity addresses whose ERC-1056 state is needed. */
  readonly identities: readonly string[];
  readonly standings: readonly { readonly party: string; readonly credentialType: string; readonly at: StandingTime }[];
  readonly statusEntries: readonly { readonly listId: bigint; readonly index: bigint }[];
  /** Credential type ids (bytes32 hex). */
  readonly credentialTypes: readonly string[];
  /**
   * Identity addresses whose registry role is needed (see {@link LedgerFacts.parties}). Default: none; the
   * accreditors named by the standings' answers are added by the reader.
   */
  readonly parties?: readonly string[];
  /** The verifier's wall clock (seconds), for `"current"`. */
  readonly now: number;
}

/** The answers to a {@link LedgerQuery}, read at `head`. Arrays follow the query's order. */
export interface LedgerFacts {
  readonly head: LedgerHead;
  /**
   * Local wall-clock time (seconds) at which `head` was last confirmed as the node's latest block; a replica
   * serving through a ledger outage answers as of this. Absent for readers that read the node live.
   */
  readonly confirmedAt?: number;
  /** max(head.timestamp, query.now): the time `"current"` standings were evaluated at. */
  readonly currentTime: number;
  /**
   * Keyed by the addresses exactly as the query gave them (use EIP-55 checksummed addresses: an identity without
   * events is answered with the query's string as its `identity` and `owner`).
   */
  readonly identities: ReadonlyMap<string, IdentityState>;
  readonly standings: readonly AccreditationStanding[];
  readonly statusEntries: readonly StatusEntryFact[];
  /** Keyed by type id (lower-case hex); `undefined` for an unregistered id. */
  readonly credentialTypes: ReadonlyMap<string, CredentialTypeRecord | undefined>;
  /**
   * The registry role of every party the query named and of every accreditor a standing answer names (its
   * `accreditor`, when not the zero address), keyed by lower-case address; `PartyRole.None` for an
   * unregistered identity.
   */
  readonly parties: ReadonlyMap<string, PartyRole>;
}

/**
 * Read access to the trust ledger for verification. Implementations throw `MobileIdError` with code
 * `LEDGER_UNAVAILABLE` when they cannot answer from data fresh enough: a verifier must then fail closed.
 *
 * @example
 * ```ts
 * const facts = await reader.read({ identities: [issuer], standings: [], statusEntries: [], credentialTypes: [], now });
 * facts.identities.get(issuer)?.owner;
 * ```
 */
export interface LedgerReader {
  /** One consistent read of everything a verification needs. Synchronous for a mirror, async over RPC. */
  read(query: LedgerQuery): LedgerFacts | Promise<LedgerFacts>;
  /** How fresh the reader's data is (for an RPC reader: the latest head it saw). */
  freshness(): LedgerFreshness | undefined;
}
