import {
  ACCREDITATION_STATUS_NAMES,
  type AccreditationStatusName,
  type LedgerEvent as ChainLedgerEvent,
  PARTY_ROLE_NAMES,
  type PartyRoleName,
  type RawLog,
  STATUS_PURPOSE_NAMES,
  type StatusPurposeName,
  UndecodableLogError,
  decodeLedgerLog,
} from "@mobile-id/chain";
import type { NetworkContracts } from "@mobile-id/core";
import { AuditorError } from "./errors.ts";

/** Where a log sits on the ledger. Logs are totally ordered by `(blockNumber, logIndex)`. */
export interface LogPosition {
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly transactionHash: string;
}

/**
 * The auditor's view of the ledger's events: chain's decoded events ({@link decodeLedgerLog}, the decoder the
 * verifier's mirror uses) with enum numbers as names and the Solidity event name as discriminant, as reports
 * show them. Nothing here reads an ABI.
 */

/** The stored or derived state of an accreditation, by name (`IAccreditationRegistry.Status`). */
export const ACCREDITATION_STATUSES = ACCREDITATION_STATUS_NAMES;
export type { AccreditationStatusName, PartyRoleName };

/** A party's role, by name (`IAccreditationRegistry.Role`). */
export const PARTY_ROLES = PARTY_ROLE_NAMES;

/** A status list's purpose, by name (`IStatusRegistry.Purpose`). */
export const LIST_PURPOSES = STATUS_PURPOSE_NAMES;
export type ListPurpose = StatusPurposeName;

// --- AccreditationRegistry (with its RootGovernance and CredentialTypeRegistry modules) -----------------------

export interface PartyRegisteredEvent extends LogPosition {
  readonly name: "PartyRegistered";
  readonly identity: string;
  readonly id: number;
  readonly registeredBy: string;
  readonly role: PartyRoleName;
  readonly partyName: string;
}

export interface AccreditationChangedEvent extends LogPosition {
  readonly name: "AccreditationChanged";
  readonly party: string;
  readonly credentialType: string;
  readonly actor: string;
  readonly status: AccreditationStatusName;
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

// --- RelyingPartyRegistry ---------------------------------------------------------------------------------

export interface RelyingPartyRegisteredEvent extends LogPosition {
  readonly name: "RelyingPartyRegistered";
  readonly relyingParty: string;
  readonly registrar: string;
  readonly partyName: string;
  readonly purpose: string;
}

export interface RelyingPartyChangedEvent extends LogPosition {
  readonly name: "RelyingPartyChanged";
  readonly relyingParty: string;
  readonly actor: string;
  readonly status: AccreditationStatusName;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly reason: number;
}

export interface RelyingPartyClaimsSetEvent extends LogPosition {
  readonly name: "RelyingPartyClaimsSet";
  readonly relyingParty: string;
  readonly credentialType: string;
  readonly actor: string;
  readonly claimsDigest: string;
  /** Claim identifiers (bytes32), strictly ascending; empty withdraws the type. */
  readonly claims: readonly string[];
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
  | RelyingPartyRegisteredEvent
  | RelyingPartyChangedEvent
  | RelyingPartyClaimsSetEvent
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
  relyingPartyRegistry: ["RelyingPartyRegistered", "RelyingPartyChanged", "RelyingPartyClaimsSet"],
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
 * Decodes one log of `source`'s contract with chain's decoder and gives the auditor's view of it. Fails closed:
 * a log that does not decode, an event of another contract or one this auditor does not read, or an enum value
 * this version does not know, is `LEDGER_DATA_INVALID`, never skipped.
 *
 * @example
 * ```ts
 * const event = decodeLog("statusRegistry", { ...log, logIndex: log.index }, descriptor.contracts);
 * ```
 */
export function decodeLog(source: EventSource, log: RawLog, contracts: NetworkContracts): LedgerEvent {
  const position: LogPosition = {
    blockNumber: Number(BigInt(log.blockNumber)),
    logIndex: Number(BigInt(log.logIndex)),
    transactionHash: log.transactionHash ?? "",
  };
  let decoded: ChainLedgerEvent;
  try {
    decoded = decodeLedgerLog(log, {
      didRegistry: contracts.didRegistry.address.toLowerCase(),
      accreditationRegistry: contracts.accreditationRegistry.address.toLowerCase(),
      statusRegistry: contracts.statusRegistry.address.toLowerCase(),
      relyingPartyRegistry: contracts.relyingPartyRegistry.address.toLowerCase(),
    });
  } catch (cause) {
    if (cause instanceof UndecodableLogError) throw invalid("a log does not decode", position, source, cause);
    throw cause;
  }
  const event = auditorView(decoded, position, source);
  if (event === undefined || !(CONTRACT_EVENTS[source] as readonly string[]).includes(event.name)) {
    throw invalid("a log has an unknown topic", position, source);
  }
  return event;
}

/** Chain's event as the auditor names it; `undefined` for the ERC-1056 events the auditor does not read. */
function auditorView(e: ChainLedgerEvent, position: LogPosition, source: EventSource): LedgerEvent | undefined {
  const pick = <T extends string>(names: readonly T[], v: number): T => {
    const name = names[v];
    if (name === undefined) throw invalid(`unknown enum value ${String(v)}`, position, source);
    return name;
  };
  switch (e.kind) {
    case "party":
      return { ...position, name: "PartyRegistered", identity: e.identity, id: e.id, registeredBy: e.registeredBy, role: pick(PARTY_ROLES, e.role), partyName: e.name };
    case "accreditation":
      return {
        ...position,
        name: "AccreditationChanged",
        party: e.party,
        credentialType: e.credentialType,
        actor: e.actor,
        status: pick(ACCREDITATION_STATUSES, e.status),
        validFrom: e.validFrom,
        validUntil: e.validUntil,
        reason: e.reason,
      };
    case "typeRegistered":
      return {
        ...position,
        name: "CredentialTypeRegistered",
        id: e.id,
        governingAccreditor: e.governingAccreditor,
        typeName: e.name,
        version: e.version,
        schemaHash: e.schemaHash,
        schemaUri: e.schemaUri,
      };
    case "typeDeprecated":
      return { ...position, name: "CredentialTypeDeprecated", id: e.id, root: e.root, reason: e.reason };
    case "rootTransferStarted":
      return { ...position, name: "RootTransferStarted", currentRoot: e.currentRoot, newRoot: e.newRoot, acceptSchedule: e.acceptSchedule };
    case "rootTransferCanceled":
      return { ...position, name: "RootTransferCanceled", currentRoot: e.currentRoot, pendingRoot: e.pendingRoot };
    case "rootTransferred":
      return { ...position, name: "RootTransferred", previousRoot: e.previousRoot, newRoot: e.newRoot };
    case "listCreated":
      return { ...position, name: "StatusListCreated", listId: e.listId, issuer: e.issuer, purpose: pick(LIST_PURPOSES, e.purpose), size: e.size, sender: e.sender };
    case "operator":
      return { ...position, name: "StatusListOperatorSet", listId: e.listId, operator: e.operator, allowed: e.allowed, sender: e.sender };
    case "entry":
      return { ...position, name: e.value ? "StatusEntrySet" : "StatusEntryCleared", listId: e.listId, index: e.index, reason: e.reason };
    case "words":
      return {
        ...position,
        name: e.value ? "StatusWordsSet" : "StatusWordsCleared",
        listId: e.listId,
        reason: e.reason,
        wordIndexes: e.wordIndexes,
        masks: e.masks,
      };
    case "rpRegistered":
      return { ...position, name: "RelyingPartyRegistered", relyingParty: e.relyingParty, registrar: e.registrar, partyName: e.name, purpose: e.purpose };
    case "rpChanged":
      return {
        ...position,
        name: "RelyingPartyChanged",
        relyingParty: e.relyingParty,
        actor: e.actor,
        status: pick(ACCREDITATION_STATUSES, e.status),
        validFrom: e.validFrom,
        validUntil: e.validUntil,
        reason: e.reason,
      };
    case "rpClaimsSet":
      return { ...position, name: "RelyingPartyClaimsSet", relyingParty: e.relyingParty, credentialType: e.credentialType, actor: e.actor, claimsDigest: e.claimsDigest, claims: e.claims };
    case "owner":
      return { ...position, name: "DIDOwnerChanged", identity: e.identity, owner: e.owner };
    case "delegate":
    case "attribute":
      return undefined;
  }
}

function invalid(message: string, position: LogPosition, source: EventSource, cause?: unknown): AuditorError {
  return new AuditorError("LEDGER_DATA_INVALID", message, {
    details: { contract: source, block: position.blockNumber, logIndex: position.logIndex, tx: position.transactionHash },
    cause,
  });
}
