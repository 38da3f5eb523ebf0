import { getAddress } from "ethers";
import { type Clock, MobileIdError, type NetworkDescriptor, systemClock } from "@mobile-id/core";
import {
  accreditationRegistryInterface,
  addressTopic,
  decodeErc1056,
  didRegistryInterface,
  type Erc1056Event,
  type RawLog,
  statusRegistryInterface,
} from "./events.ts";
import { foldIdentityEvents } from "./identityState.ts";
import { partiesToRead } from "./parties.ts";
import { call, checkNetwork, getBlock, getLogsChunked, unavailable } from "./rpc.ts";
import type {
  AccreditationStanding,
  AccreditationStatus,
  CredentialTypeRecord,
  IdentityState,
  LedgerFacts,
  LedgerFreshness,
  LedgerHead,
  LedgerQuery,
  LedgerReader,
  LedgerRpc,
  PartyRole,
  StatusEntryFact,
  StatusListInfo,
  StatusPurpose,
} from "./types.ts";

export interface RpcLedgerReaderParameters {
  readonly rpc: LedgerRpc;
  readonly descriptor: Pick<NetworkDescriptor, "chainId" | "contracts">;
  /**
   * Most blocks per `eth_getLogs` (some nodes cap the range; Besu's `--rpc-max-logs-range`). Ranges are fetched in
   * parallel, so latency stays one round trip. Default: no cap (one request).
   */
  readonly maxBlockRange?: number;
  /** Wall clock for freshness reports. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * Most ERC-1056 events read for one identity; an identity with more is refused with `DID_TOO_COMPLEX`
   * before any of its events is decoded. Default {@link DEFAULT_MAX_EVENTS_PER_IDENTITY}.
   */
  readonly maxEventsPerIdentity?: number;
  /**
   * Most bytes of log data and topics read for one identity (attribute values are unbounded in ERC-1056);
   * beyond, `DID_TOO_COMPLEX`. Default {@link DEFAULT_MAX_LOG_BYTES_PER_IDENTITY}.
   */
  readonly maxLogBytesPerIdentity?: number;
}

/**
 * Default cap on one identity's registry events on the cold path: years of daily key or delegate changes fit;
 * an identity with thousands of delegates (made to slow verifiers down) does not.
 */
export const DEFAULT_MAX_EVENTS_PER_IDENTITY = 2_048;
/** Default cap on one identity's log bytes on the cold path (2,048 delegate events take about 0.4 MiB). */
export const DEFAULT_MAX_LOG_BYTES_PER_IDENTITY = 1_048_576;

/**
 * Reads the ledger with direct JSON-RPC calls: the cold path, for a verifier without a mirror. One
 * {@link LedgerQuery} costs two round trips whatever it asks: the head block, then every read pinned at that
 * block in parallel. DID resolution is one `eth_getLogs` over the registry for all identities of the query
 * (topic1 = identity), because ERC-1056 events carry the whole state (owner, delegates with `validTo`,
 * attributes): a DID with 200 changes costs the same two requests as a DID with none, where
 * ethr-did-resolver walks the `previousChange` chain with one request per changed block.
 *
 * The node learns which identities, standings and status entries are checked: use a {@link LedgerMirror}
 * where that matters.
 *
 * @example
 * ```ts
 * const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 1 });
 * const reader = new RpcLedgerReader({ rpc: provider, descriptor });
 * await reader.checkNetwork();
 * ```
 */
export class RpcLedgerReader implements LedgerReader {
  readonly #rpc: LedgerRpc;
  readonly #descriptor: Pick<NetworkDescriptor, "chainId" | "contracts">;
  readonly #maxRange: number;
  readonly #clock: Clock;
  readonly #maxEvents: number;
  readonly #maxLogBytes: number;
  #freshness: LedgerFreshness | undefined;

  constructor(params: RpcLedgerReaderParameters) {
    const positiveInteger = (v: number, name: string) => {
      if (!Number.isSafeInteger(v) || v < 1) throw new MobileIdError("INVALID_ARGUMENT", `${name} must be a positive integer`);
      return v;
    };
    const range = positiveInteger(params.maxBlockRange ?? Number.MAX_SAFE_INTEGER, "maxBlockRange");
    this.#maxEvents = positiveInteger(params.maxEventsPerIdentity ?? DEFAULT_MAX_EVENTS_PER_IDENTITY, "maxEventsPerIdentity");
    this.#maxLogBytes = positiveInteger(params.maxLogBytesPerIdentity ?? DEFAULT_MAX_LOG_BYTES_PER_IDENTITY, "maxLogBytesPerIdentity");
    this.#rpc = params.rpc;
    this.#descriptor = params.descriptor;
    this.#maxRange = range;
    this.#clock = params.clock ?? systemClock;
  }

  /** Checks the node's chain id and the contracts' code hashes against the descriptor (throws otherwise). */
  checkNetwork(): Promise<void> {
    return checkNetwork(this.#rpc, this.#descriptor);
  }

  freshness(): LedgerFreshness | undefined {
    return this.#freshness;
  }

  /** The node's latest block. */
  async head(): Promise<LedgerHead> {
    const confirmedAt = this.#clock();
    const head = await this.#guard(() => getBlock(this.#rpc, "latest"));
    this.#freshness = { head, confirmedAt };
    return head;
  }

  /** The ERC-1056 state of `identities` at `head`, in one `eth_getLogs` (per `maxBlockRange` range). */
  async identities(identities: readonly string[], head: LedgerHead): Promise<Map<string, IdentityState>> {
    const addresses = [...new Set(identities.map((a) => getAddress(a)))];
    const out = new Map<string, IdentityState>();
    if (addresses.length === 0) return out;
    const asked = new Map<string, string[]>();
    for (const a of identities) asked.set(getAddress(a), [...(asked.get(getAddress(a)) ?? []), a]);
    const registry = this.#descriptor.contracts.didRegistry;
    const logs = await this.#guard(() =>
      getLogsChunked(
        this.#rpc,
        { address: registry.address, topics: [null, addresses.map(addressTopic)] },
        registry.deployBlock,
        head.blockNumber,
        this.#maxRange,
      ),
    );
    this.#checkCaps(logs);
    const events = new Map<string, { key: number; event: Erc1056Event }[]>();
    for (const log of logs) {
      const d = didRegistryInterface.parseLog({ topics: [...log.topics], data: log.data });
      const event = d === null ? undefined : decodeErc1056(d);
      if (event === undefined) throw unavailable("the DID registry returned an unknown event");
      const list = events.get(event.identity) ?? [];
      list.push({ key: Number(BigInt(log.blockNumber)) * 1e6 + Number(BigInt(log.logIndex)), event });
      events.set(event.identity, list);
    }
    for (const address of addresses) {
      const list = (events.get(address) ?? []).sort((a, b) => a.key - b.key);
      const state = foldIdentityEvents(address, list.map((e) => e.event));
      // Under the query's own strings (and the checksummed form), as the mirror answers.
      out.set(address, state);
      for (const a of asked.get(address) ?? []) out.set(a, state);
    }
    return out;
  }

  /**
   * Counts each identity's events and log bytes (topic 1 is the identity in every ERC-1056 event) before any
   * is decoded, and refuses an identity over a cap. The node has answered by then: the caps bound the work
   * done here, and the verifier's time budget bounds the wait for the node.
   */
  #checkCaps(logs: readonly RawLog[]): void {
    const seen = new Map<string, { events: number; bytes: number }>();
    for (const log of logs) {
      const key = String(log.topics[1] ?? "").toLowerCase();
      const entry = seen.get(key) ?? { events: 0, bytes: 0 };
      entry.events++;
      entry.bytes += (log.data.length - 2) / 2 + 32 * log.topics.length;
      seen.set(key, entry);
      if (entry.events > this.#maxEvents || entry.bytes > this.#maxLogBytes) {
        const identity = key.length === 66 ? getAddress(`0x${key.slice(26)}`) : key;
        throw new MobileIdError("DID_TOO_COMPLEX", "an identity has more registry history than this reader reads", {
          details: { identity, maxEventsPerIdentity: this.#maxEvents, maxLogBytesPerIdentity: this.#maxLogBytes },
          hint: "verify with a LedgerMirror, or raise maxEventsPerIdentity / maxLogBytesPerIdentity",
        });
      }
    }
  }

  /** The registry role of `identity` at `head` (`None` when it is not registered). */
  async partyRole(identity: string, head: LedgerHead): Promise<PartyRole> {
    const registry = this.#descriptor.contracts.accreditationRegistry.address;
    const r = await this.#guard(() => call(this.#rpc, accreditationRegistryInterface, registry, "party", [identity], head.blockNumber));
    if (!r.ok) throw unavailable("party reverted", undefined, { identity });
    const p = accreditationRegistryInterface.decodeFunctionResult("party", r.data)[0] as { role: bigint };
    return Number(p.role) as PartyRole;
  }

  /** `standingAt(party, credentialType, at)` at `head`. */
  async standingAt(party: string, credentialType: string, at: number, head: LedgerHead): Promise<AccreditationStanding> {
    const registry = this.#descriptor.contracts.accreditationRegistry.address;
    const r = await this.#guard(() =>
      call(this.#rpc, accreditationRegistryInterface, registry, "standingAt", [party, credentialType, at], head.blockNumber),
    );
    if (!r.ok) throw unavailable("standingAt reverted", undefined, { party, credentialType, at });
    const s = accreditationRegistryInterface.decodeFunctionResult("standingAt", r.data)[0] as {
      inForce: boolean;
      status: bigint;
      accreditorStatus: bigint;
      validFrom: bigint;
      validUntil: bigint;
      since: bigint;
      accreditor: string;
      reason: bigint;
      final_: boolean;
    };
    return {
      inForce: s.inForce,
      status: Number(s.status) as AccreditationStatus,
      accreditorStatus: Number(s.accreditorStatus) as AccreditationStatus,
      validFrom: Number(s.validFrom),
      validUntil: Number(s.validUntil),
      since: Number(s.since),
      accreditor: getAddress(s.accreditor),
      reason: Number(s.reason),
      final: s.final_,
    };
  }

  /** A status list's record, or `undefined` when no list has that id. */
  async statusList(listId: bigint, head: LedgerHead): Promise<StatusListInfo | undefined> {
    const registry = this.#descriptor.contracts.statusRegistry.address;
    const r = await this.#guard(() => call(this.#rpc, statusRegistryInterface, registry, "statusList", [listId], head.blockNumber));
    if (!r.ok) {
      if (r.error?.name === "StatusRegistryUnknownList") return undefined;
      throw unavailable("statusList reverted unexpectedly", undefined, { listId: listId.toString() });
    }
    const l = statusRegistryInterface.decodeFunctionResult("statusList", r.data)[0] as {
      issuer: string;
      purpose: bigint;
      sizeLog2: bigint;
    };
    return { listId, issuer: getAddress(l.issuer), purpose: Number(l.purpose) as StatusPurpose, size: 1n << l.sizeLog2 };
  }

  /** One status entry: the list and the bit (both read at `head`, in parallel). */
  async statusEntry(listId: bigint, index: bigint, head: LedgerHead): Promise<StatusEntryFact> {
    const registry = this.#descriptor.contracts.statusRegistry.address;
    const [list, entry] = await Promise.all([
      this.statusList(listId, head),
      this.#guard(() => call(this.#rpc, statusRegistryInterface, registry, "entryStatus", [listId, index], head.blockNumber)),
    ]);
    if (list === undefined) return { list: undefined, set: undefined };
    if (index < 0n || index >= list.size) return { list, set: undefined };
    if (!entry.ok) throw unavailable("entryStatus reverted for an entry in range", undefined, { listId: listId.toString() });
    const [set] = statusRegistryInterface.decodeFunctionResult("entryStatus", entry.data) as unknown as [boolean];
    return { list, set };
  }

  /** A credential type's record, or `undefined` when the id is not registered. */
  async credentialType(id: string, head: LedgerHead): Promise<CredentialTypeRecord | undefined> {
    const registry = this.#descriptor.contracts.accreditationRegistry.address;
    const r = await this.#guard(() =>
      call(this.#rpc, accreditationRegistryInterface, registry, "credentialType", [id], head.blockNumber),
    );
    if (!r.ok) {
      if (r.error?.name === "CredentialTypeRegistryUnknownType") return undefined;
      throw unavailable("credentialType reverted unexpectedly", undefined, { id });
    }
    const t = accreditationRegistryInterface.decodeFunctionResult("credentialType", r.data)[0] as {
      name: string;
      version: bigint;
      schemaHash: string;
      schemaUri: string;
      governingAccreditor: string;
      deprecated: boolean;
    };
    return {
      id: id.toLowerCase(),
      name: t.name,
      version: Number(t.version),
      schemaHash: t.schemaHash.toLowerCase(),
      schemaUri: t.schemaUri,
      governingAccreditor: getAddress(t.governingAccreditor),
      deprecated: t.deprecated,
    };
  }

  /**
   * Round trip 1: the head. Round trip 2: everything else, pinned at the head, in parallel. Round trip 3, only
   * when a standing names an accreditor whose role was not asked: those roles.
   */
  async read(query: LedgerQuery): Promise<LedgerFacts> {
    const head = await this.head();
    const currentTime = Math.max(head.timestamp, query.now);
    const named = partiesToRead(query.parties, []);
    const [identities, standings, statusEntries, types, namedRoles] = await Promise.all([
      this.identities(query.identities, head),
      Promise.all(
        query.standings.map((s) =>
          this.standingAt(s.party, s.credentialType, s.at === "current" ? currentTime : s.at, head),
        ),
      ),
      Promise.all(query.statusEntries.map((e) => this.statusEntry(e.listId, e.index, head))),
      Promise.all(query.credentialTypes.map((id) => this.credentialType(id, head))),
      Promise.all(named.map((a) => this.partyRole(a, head))),
    ]);
    const credentialTypes = new Map<string, CredentialTypeRecord | undefined>();
    query.credentialTypes.forEach((id, i) => credentialTypes.set(id.toLowerCase(), types[i]));
    const parties = new Map<string, PartyRole>();
    named.forEach((a, i) => parties.set(a, namedRoles[i] as PartyRole));
    const more = partiesToRead(undefined, standings).filter((a) => !parties.has(a));
    const moreRoles = await Promise.all(more.map((a) => this.partyRole(a, head)));
    more.forEach((a, i) => parties.set(a, moreRoles[i] as PartyRole));
    return { head, currentTime, identities, standings, statusEntries, credentialTypes, parties };
  }

  /** Every failure of the node becomes LEDGER_UNAVAILABLE (already-translated errors pass through). */
  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof MobileIdError) throw e;
      throw unavailable("the ledger node did not answer", e);
    }
  }
}
