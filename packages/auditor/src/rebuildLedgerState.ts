import {
  ACCREDITATION_STATUS_NAMES,
  AccreditationBook,
  type AccreditationStatus,
  type AccreditationStatusName,
  type CredentialTypeRecord,
  PARTY_ROLE_NAMES,
  type PartyRole,
  type PartyRoleName,
  STATUS_PURPOSE_NAMES,
  StatusListBook,
  type StatusPurpose,
  ZERO_ADDRESS,
} from "@mobile-id/chain";
import { AuditorError } from "./errors.ts";
import type { LedgerEvent, ListPurpose, LogPosition } from "./events.ts";

/** A party as the registry stores it, rebuilt from `PartyRegistered`. */
export interface RebuiltParty {
  readonly identity: string;
  readonly id: number;
  readonly role: PartyRoleName;
  readonly registeredBy: string;
  readonly name: string;
  readonly registeredAt: number;
}

/** A credential type as the registry stores it (chain's {@link CredentialTypeRecord}), with its registration time. */
export interface RebuiltCredentialType extends CredentialTypeRecord {
  readonly registeredAt: number;
}

/** One version of an accreditation record, as `accreditation()` / `accreditationHistory()` return it. */
export interface RebuiltAccreditation {
  readonly status: AccreditationStatusName;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly since: number;
  readonly grantor: string;
  readonly changedBy: string;
  readonly reason: number;
  readonly changes: number;
}

export interface RebuiltRecord {
  readonly party: string;
  readonly credentialType: string;
  readonly current: RebuiltAccreditation;
  /** Earlier versions, oldest first (`current.changes` of them). */
  readonly history: readonly RebuiltAccreditation[];
}

export interface RebuiltStatusList {
  readonly listId: bigint;
  readonly issuer: string;
  readonly purpose: ListPurpose;
  readonly sizeLog2: number;
  readonly createdAt: number;
  readonly createdBlock: number;
}

/** Something in the event log that the contracts could not have emitted (a sign of a tampered or partial log). */
export interface EventAnomaly extends LogPosition {
  readonly message: string;
}

/** The registries' state as the events alone say it is. */
export interface LedgerState {
  readonly root: string;
  readonly pendingRoot: { readonly newRoot: string; readonly acceptSchedule: number };
  /** By identity; `partyIds[id - 1]` is the identity of party `id`. */
  readonly parties: ReadonlyMap<string, RebuiltParty>;
  readonly partyIds: readonly string[];
  /** By id; `typeIds` in registration order. */
  readonly credentialTypes: ReadonlyMap<string, RebuiltCredentialType>;
  readonly typeIds: readonly string[];
  /** By `party|credentialType`. */
  readonly accreditations: ReadonlyMap<string, RebuiltRecord>;
  /** By list id; ids run from 1 in creation order. */
  readonly lists: ReadonlyMap<bigint, RebuiltStatusList>;
  /** `allowed` by `listId|operator`, for every operator ever named. */
  readonly operators: ReadonlyMap<string, { readonly listId: bigint; readonly operator: string; readonly allowed: boolean }>;
  /** Every word of each list that some event wrote: word index → 256-bit word (other words are zero). */
  readonly words: ReadonlyMap<bigint, ReadonlyMap<bigint, bigint>>;
  readonly anomalies: readonly EventAnomaly[];
}

export interface RebuildLedgerStateParameters {
  /** Events of the accreditation and status registries, in ledger order (others are ignored). */
  readonly events: readonly LedgerEvent[];
  /** The timestamp of every block holding a registration, accreditation or list-creation event. */
  readonly blockTimestamps: ReadonlyMap<number, number>;
}

/**
 * The blocks whose timestamps {@link rebuildLedgerState} needs (registrations, accreditation changes, list
 * creations stamp their records with the block time).
 *
 * @example
 * ```ts
 * const blockTimestamps = await ledger.blockTimestamps(blocksNeedingTime(events));
 * ```
 */
export function blocksNeedingTime(events: readonly LedgerEvent[]): number[] {
  const timed = new Set(["PartyRegistered", "CredentialTypeRegistered", "AccreditationChanged", "StatusListCreated"]);
  return [...new Set(events.filter((e) => timed.has(e.name)).map((e) => e.blockNumber))];
}

/**
 * Replays the events as the contracts apply them and returns the state they imply. Accreditation records and
 * status bits are kept by chain's `AccreditationBook` and `StatusListBook`, the replay model the verifier's
 * `LedgerMirror` answers from: a consistency check over this state tests what verifiers rely on. The result: root and pending hand-over,
 * parties, credential types, every accreditation record with its history (status, window, since, grantor,
 * changedBy, reason, change count), status lists, operators, and every status word. Pure: no I/O. What the
 * contracts could never have emitted (a transition from `Revoked`, an entry past a list's end…) is listed in
 * `anomalies` rather than thrown, so that a consistency check reports it with everything else.
 *
 * @example
 * ```ts
 * const state = rebuildLedgerState({ events, blockTimestamps: await ledger.blockTimestamps(blocksNeedingTime(events)) });
 * state.words.get(3n)?.get(0n); // word 0 of list 3
 * ```
 */
export function rebuildLedgerState(params: RebuildLedgerStateParameters): LedgerState {
  const { blockTimestamps } = params;
  let root = "";
  let pendingRoot = { newRoot: ZERO_ADDRESS, acceptSchedule: 0 };
  const parties = new Map<string, RebuiltParty>();
  const partyIds: string[] = [];
  const credentialTypes = new Map<string, RebuiltCredentialType>();
  const typeIds: string[] = [];
  const book = new AccreditationBook();
  const lists = new Map<bigint, RebuiltStatusList>();
  const operators = new Map<string, { listId: bigint; operator: string; allowed: boolean }>();
  const bits = new StatusListBook();
  /** The words some event wrote, per list (inside the list). */
  const touched = new Map<bigint, Set<bigint>>();
  const anomalies: EventAnomaly[] = [];
  const anomaly = (e: LogPosition, message: string) =>
    anomalies.push({ blockNumber: e.blockNumber, logIndex: e.logIndex, transactionHash: e.transactionHash, message });
  const timeOf = (e: LogPosition): number => {
    const t = blockTimestamps.get(e.blockNumber);
    if (t === undefined) {
      throw new AuditorError("INVALID_ARGUMENT", "a block timestamp is missing (see blocksNeedingTime)", {
        details: { block: e.blockNumber },
      });
    }
    return t;
  };

  for (const e of params.events) {
    switch (e.name) {
      case "RootTransferStarted":
        if (e.currentRoot !== root) anomaly(e, `hand-over started by ${e.currentRoot}, but the root is ${root}`);
        pendingRoot = { newRoot: e.newRoot, acceptSchedule: e.acceptSchedule };
        break;
      case "RootTransferCanceled":
        if (e.pendingRoot !== pendingRoot.newRoot) anomaly(e, `cancelled hand-over to ${e.pendingRoot}, but ${pendingRoot.newRoot} was pending`);
        pendingRoot = { newRoot: ZERO_ADDRESS, acceptSchedule: 0 };
        break;
      case "RootTransferred":
        if (e.previousRoot !== (root === "" ? ZERO_ADDRESS : root)) anomaly(e, `root moved from ${e.previousRoot}, but the root was ${root}`);
        if (root !== "" && e.newRoot !== pendingRoot.newRoot) anomaly(e, `root moved to ${e.newRoot}, which was not pending`);
        root = e.newRoot;
        pendingRoot = { newRoot: ZERO_ADDRESS, acceptSchedule: 0 };
        break;
      case "PartyRegistered":
        if (parties.has(e.identity)) anomaly(e, `party ${e.identity} registered twice`);
        if (e.id !== partyIds.length + 1) anomaly(e, `party id ${e.id} out of sequence (expected ${partyIds.length + 1})`);
        parties.set(e.identity, { identity: e.identity, id: e.id, role: e.role, registeredBy: e.registeredBy, name: e.partyName, registeredAt: timeOf(e) });
        partyIds[e.id - 1] = e.identity;
        book.setRole(e.identity, PARTY_ROLE_NAMES.indexOf(e.role) as PartyRole);
        break;
      case "CredentialTypeRegistered":
        if (credentialTypes.has(e.id)) anomaly(e, `credential type ${e.id} registered twice`);
        else typeIds.push(e.id);
        credentialTypes.set(e.id, {
          id: e.id,
          name: e.typeName,
          version: e.version,
          schemaHash: e.schemaHash,
          schemaUri: e.schemaUri,
          governingAccreditor: e.governingAccreditor,
          deprecated: false,
          registeredAt: timeOf(e),
        });
        break;
      case "CredentialTypeDeprecated": {
        const t = credentialTypes.get(e.id);
        if (t === undefined) anomaly(e, `unknown credential type ${e.id} deprecated`);
        else {
          if (t.deprecated) anomaly(e, `credential type ${e.id} deprecated twice`);
          credentialTypes.set(e.id, { ...t, deprecated: true });
        }
        break;
      }
      case "AccreditationChanged": {
        const key = `${e.party}|${e.credentialType}`;
        const prev = book.record(e.party, e.credentialType)?.versions.at(-1);
        if (prev === undefined) {
          // The grant: the actor is the grantor (the root for an accreditor, the accreditor for an issuer).
          if (e.status !== "Active") anomaly(e, `first accreditation event of ${key} sets ${e.status}, not Active`);
        } else {
          const prevStatus = statusName(prev.status);
          if (!isTransition(prevStatus, prev.validUntil, e.status, e.validUntil)) {
            anomaly(e, `accreditation ${key} cannot go from ${prevStatus} (until ${prev.validUntil}) to ${e.status} (until ${e.validUntil})`);
          }
          if (e.validFrom !== prev.validFrom) anomaly(e, `accreditation ${key} changed validFrom, which no function can`);
        }
        book.change(e.party, e.credentialType, e.actor, {
          since: timeOf(e),
          status: ACCREDITATION_STATUS_NAMES.indexOf(e.status) as AccreditationStatus,
          validFrom: e.validFrom,
          validUntil: e.validUntil,
          reason: e.reason,
          changedBy: e.actor,
        });
        break;
      }
      case "StatusListCreated": {
        if (lists.has(e.listId) || e.listId !== BigInt(lists.size + 1)) anomaly(e, `list id ${e.listId} out of sequence`);
        const sizeLog2 = e.size > 0n && (e.size & (e.size - 1n)) === 0n ? e.size.toString(2).length - 1 : -1;
        if (sizeLog2 < 17 || sizeLog2 > 24) anomaly(e, `list ${e.listId} has size ${e.size}, not 2^17..2^24`);
        lists.set(e.listId, { listId: e.listId, issuer: e.issuer, purpose: e.purpose, sizeLog2, createdAt: timeOf(e), createdBlock: e.blockNumber });
        // A list the book refuses (created twice, a size no contract allows) is an anomaly reported above.
        if (bits.info(e.listId) === undefined && e.size > 0n && e.size <= 1n << 24n && e.size % 256n === 0n) {
          bits.create(e.listId, e.issuer, STATUS_PURPOSE_NAMES.indexOf(e.purpose) as StatusPurpose, e.size);
        }
        break;
      }
      case "StatusListOperatorSet":
        if (!lists.has(e.listId)) anomaly(e, `operator set on unknown list ${e.listId}`);
        operators.set(`${e.listId}|${e.operator}`, { listId: e.listId, operator: e.operator, allowed: e.allowed });
        break;
      case "StatusEntrySet":
      case "StatusEntryCleared":
      case "StatusWordsSet":
      case "StatusWordsCleared": {
        const list = lists.get(e.listId);
        if (list === undefined) {
          anomaly(e, `${e.name} on unknown list ${e.listId}`);
          break;
        }
        const set = e.name === "StatusEntrySet" || e.name === "StatusWordsSet";
        if (!set && list.purpose === "Revocation") anomaly(e, `${e.name} on revocation list ${e.listId}: revocation is permanent`);
        const wordCount = 1n << BigInt(Math.max(0, list.sizeLog2 - 8));
        const writes: [bigint, bigint][] =
          "index" in e ? [[e.index >> 8n, 1n << (e.index & 0xffn)]] : e.wordIndexes.map((w, i) => [w, e.masks[i] ?? 0n]);
        if (writes.some(([w]) => w >= wordCount)) anomaly(e, `${e.name} past the end of list ${e.listId}`);
        // What lies inside the list is applied, as the contract would have; the rest is the anomaly above.
        const info = bits.info(e.listId);
        const inside = writes.filter(([w]) => info !== undefined && w < info.size / 256n);
        if (inside.length === 0) break;
        bits.setWords(e.listId, inside.map(([w]) => w), inside.map(([, m]) => m), set);
        let listTouched = touched.get(e.listId);
        if (listTouched === undefined) touched.set(e.listId, (listTouched = new Set()));
        for (const [w] of inside) listTouched.add(w);
        break;
      }
      case "DIDOwnerChanged":
        break;
    }
  }

  const accreditations = new Map<string, RebuiltRecord>();
  for (const record of book.records()) {
    const versions = record.versions.map(
      (v, changes): RebuiltAccreditation => ({
        status: statusName(v.status),
        validFrom: v.validFrom,
        validUntil: v.validUntil,
        since: v.since,
        grantor: record.grantor,
        changedBy: v.changedBy,
        reason: v.reason,
        changes,
      }),
    );
    const current = versions.at(-1) as RebuiltAccreditation;
    accreditations.set(`${record.party}|${record.credentialType}`, {
      party: record.party,
      credentialType: record.credentialType,
      current,
      history: versions.slice(0, -1),
    });
  }
  const words = new Map<bigint, Map<bigint, bigint>>();
  for (const [listId, ws] of touched) words.set(listId, new Map([...ws].map((w) => [w, bits.word(listId, w) ?? 0n])));
  return { root, pendingRoot, parties, partyIds, credentialTypes, typeIds, accreditations, lists, operators, words, anomalies };
}

function statusName(status: AccreditationStatus): AccreditationStatusName {
  return ACCREDITATION_STATUS_NAMES[status];
}

/** The contract's transitions: suspend, reinstate, revoke, or renew (same status, later end). */
function isTransition(prevStatus: AccreditationStatusName, prevValidUntil: number, status: AccreditationStatusName, validUntil: number): boolean {
  if (prevStatus === status) return (status === "Active" || status === "Suspended") && validUntil > prevValidUntil;
  if (validUntil !== prevValidUntil) return false;
  if (status === "Suspended") return prevStatus === "Active";
  if (status === "Active") return prevStatus === "Suspended";
  if (status === "Revoked") return prevStatus === "Active" || prevStatus === "Suspended";
  return false;
}
