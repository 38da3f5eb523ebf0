import { type Interface, type Log, getAddress } from "ethers";
import { AuditorError } from "./errors.ts";

/** Where a log sits on the ledger. Logs are totally ordered by `(blockNumber, logIndex)`. */
export interface LogPosition {
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly transactionHash: string;
}

/** The stored or derived state of an accreditation, as `IAccreditationRegistry.Status` numbers it. */
export const ACCREDITATION_STATUSES = ["None", "Active", "Suspended", "Revoked", "Expired", "Pending"] as const;
export type AccreditationStatus = (typeof ACCREDITATION_STATUSES)[number];

/** A party's role, as `IAccreditationRegistry.Role` numbers it. */
export const PARTY_ROLES = ["None", "Root", "Accreditor", "Issuer"] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/** A status list's purpose, as `IStatusRegistry.Purpose` numbers it. */
export const LIST_PURPOSES = ["None", "Revocation", "Suspension"] as const;
export type ListPurpose = (typeof LIST_PURPOSES)[number];

// --- AccreditationRegistry (with its RootGovernance and CredentialTypeRegistry modules) -----------------------

export interface PartyRegisteredEvent extends LogPosition {
  readonly name: "PartyRegistered";
  readonly identity: string;
  readonly id: number;
  readonly registeredBy: string;
  readonly role: PartyRole;
  readonly partyName: string;
}

export interface AccreditationChangedEvent extends LogPosition {
  readonly name: "AccreditationChanged";
  readonly party: string;
  readonly credentialType: string;
  readonly actor: string;
  readonly status: AccreditationStatus;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly reason: number;
}

export interface CredentialTypeRegisteredEvent extends LogPosition {
  readonly name: "CredentialTypeRegistered";
  readonly id: string;
  readonly governingAccreditor: string;
  readonly typeName: string;
  readonly version: number;
  readonly schemaHash: string;
  readonly schemaUri: string;
}

export interface CredentialTypeDeprecatedEvent extends LogPosition {
  readonly name: "CredentialTypeDeprecated";
  readonly id: string;
  readonly root: string;
  readonly reason: number;
}

export interface RootTransferStartedEvent extends LogPosition {
  readonly name: "RootTransferStarted";
  readonly currentRoot: string;
  readonly newRoot: string;
  readonly acceptSchedule: number;
}

export interface RootTransferCanceledEvent extends LogPosition {
  readonly name: "RootTransferCanceled";
  readonly currentRoot: string;
  readonly pendingRoot: string;
}

export interface RootTransferredEvent extends LogPosition {
  readonly name: "RootTransferred";
  readonly previousRoot: string;
  readonly newRoot: string;
}

// --- StatusRegistry -----------------------------------------------------------------------------------------

export interface StatusListCreatedEvent extends LogPosition {
  readonly name: "StatusListCreated";
  readonly listId: bigint;
  readonly issuer: string;
  readonly purpose: ListPurpose;
  readonly size: bigint;
  readonly sender: string;
}

export interface StatusListOperatorSetEvent extends LogPosition {
  readonly name: "StatusListOperatorSet";
  readonly listId: bigint;
  readonly operator: string;
  readonly allowed: boolean;
  readonly sender: string;
}

export interface StatusEntryEvent extends LogPosition {
  readonly name: "StatusEntrySet" | "StatusEntryCleared";
  readonly listId: bigint;
  readonly index: bigint;
  readonly reason: number;
}

export interface StatusWordsEvent extends LogPosition {
  readonly name: "StatusWordsSet" | "StatusWordsCleared";
  readonly listId: bigint;
  readonly reason: number;
  readonly wordIndexes: readonly bigint[];
  readonly masks: readonly bigint[];
}

// --- DIDRegistry (ERC-1056): only key rotations of governance identities are read -------------------------------

export interface DidOwnerChangedEvent extends LogPosition {
  readonly name: "DIDOwnerChanged";
  readonly identity: string;
  readonly owner: string;
}

/** Every ledger event the auditor reads, decoded. Discriminated by `name` (the Solidity event name). */
export type LedgerEvent =
  | PartyRegisteredEvent
  | AccreditationChangedEvent
  | CredentialTypeRegisteredEvent
  | CredentialTypeDeprecatedEvent
  | RootTransferStartedEvent
  | RootTransferCanceledEvent
  | RootTransferredEvent
  | StatusListCreatedEvent
  | StatusListOperatorSetEvent
  | StatusEntryEvent
  | StatusWordsEvent
  | DidOwnerChangedEvent;

export type LedgerEventName = LedgerEvent["name"];

/** The events of each contract, by the descriptor's contract key. */
export const CONTRACT_EVENTS = {
  accreditationRegistry: [
    "PartyRegistered",
    "AccreditationChanged",
    "CredentialTypeRegistered",
    "CredentialTypeDeprecated",
    "RootTransferStarted",
    "RootTransferCanceled",
    "RootTransferred",
  ],
  statusRegistry: [
    "StatusListCreated",
    "StatusListOperatorSet",
    "StatusEntrySet",
    "StatusEntryCleared",
    "StatusWordsSet",
    "StatusWordsCleared",
  ],
  didRegistry: ["DIDOwnerChanged"],
} as const satisfies Record<string, readonly LedgerEventName[]>;

export type EventSource = keyof typeof CONTRACT_EVENTS;

/**
 * Orders events as the ledger does: by block, then by position in the block.
 *
 * @example
 * ```ts
 * const merged = [...accreditationEvents, ...statusEvents].sort(compareEvents);
 * ```
 */
export function compareEvents(a: LogPosition, b: LogPosition): number {
  return a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;
}

/**
 * Decodes one log of `source`'s contract. Fails closed: a log with a known topic that does not decode, or an
 * enum value this version does not know, is `LEDGER_DATA_INVALID`, never skipped.
 */
export function decodeLog(source: EventSource, iface: Interface, log: Log): LedgerEvent {
  const position: LogPosition = {
    blockNumber: log.blockNumber,
    logIndex: log.index,
    transactionHash: log.transactionHash,
  };
  let parsed;
  try {
    parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
  } catch (cause) {
    throw invalid("a log does not decode", position, source, cause);
  }
  if (parsed === null || !(CONTRACT_EVENTS[source] as readonly string[]).includes(parsed.name)) {
    throw invalid("a log has an unknown topic", position, source);
  }
  const a = parsed.args;
  const addr = (v: unknown) => getAddress(String(v));
  const int = (v: unknown) => {
    const n = BigInt(v as bigint);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid("a number is out of range", position, source);
    return Number(n);
  };
  const pick = <T extends string>(names: readonly T[], v: unknown): T => {
    const name = names[int(v)];
    if (name === undefined) throw invalid(`unknown enum value ${String(v)}`, position, source);
    return name;
  };
  const name = parsed.name as LedgerEventName;
  switch (name) {
    case "PartyRegistered":
      return { ...position, name, identity: addr(a[0]), id: int(a[1]), registeredBy: addr(a[2]), role: pick(PARTY_ROLES, a[3]), partyName: String(a[4]) };
    case "AccreditationChanged":
      return {
        ...position,
        name,
        party: addr(a[0]),
        credentialType: String(a[1]).toLowerCase(),
        actor: addr(a[2]),
        status: pick(ACCREDITATION_STATUSES, a[3]),
        validFrom: int(a[4]),
        validUntil: int(a[5]),
        reason: int(a[6]),
      };
    case "CredentialTypeRegistered":
      return {
        ...position,
        name,
        id: String(a[0]).toLowerCase(),
        governingAccreditor: addr(a[1]),
        typeName: String(a[2]),
        version: int(a[3]),
        schemaHash: String(a[4]).toLowerCase(),
        schemaUri: String(a[5]),
      };
    case "CredentialTypeDeprecated":
      return { ...position, name, id: String(a[0]).toLowerCase(), root: addr(a[1]), reason: int(a[2]) };
    case "RootTransferStarted":
      return { ...position, name, currentRoot: addr(a[0]), newRoot: addr(a[1]), acceptSchedule: int(a[2]) };
    case "RootTransferCanceled":
      return { ...position, name, currentRoot: addr(a[0]), pendingRoot: addr(a[1]) };
    case "RootTransferred":
      return { ...position, name, previousRoot: addr(a[0]), newRoot: addr(a[1]) };
    case "StatusListCreated":
      return {
        ...position,
        name,
        listId: BigInt(a[0] as bigint),
        issuer: addr(a[1]),
        purpose: pick(LIST_PURPOSES, a[2]),
        size: BigInt(a[3] as bigint),
        sender: addr(a[4]),
      };
    case "StatusListOperatorSet":
      return { ...position, name, listId: BigInt(a[0] as bigint), operator: addr(a[1]), allowed: Boolean(a[2]), sender: addr(a[3]) };
    case "StatusEntrySet":
    case "StatusEntryCleared":
      return { ...position, name, listId: BigInt(a[0] as bigint), index: BigInt(a[1] as bigint), reason: int(a[2]) };
    case "StatusWordsSet":
    case "StatusWordsCleared":
      return {
        ...position,
        name,
        listId: BigInt(a[0] as bigint),
        reason: int(a[1]),
        wordIndexes: (a[2] as readonly bigint[]).map((v) => BigInt(v)),
        masks: (a[3] as readonly bigint[]).map((v) => BigInt(v)),
      };
    case "DIDOwnerChanged":
      return { ...position, name, identity: addr(a[0]), owner: addr(a[1]) };
  }
}

function invalid(message: string, position: LogPosition, source: EventSource, cause?: unknown): AuditorError {
  return new AuditorError("LEDGER_DATA_INVALID", message, {
    details: { contract: source, block: position.blockNumber, logIndex: position.logIndex, tx: position.transactionHash },
    cause,
  });
}
