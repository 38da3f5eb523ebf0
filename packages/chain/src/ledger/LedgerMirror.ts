import { getAddress } from "ethers";
import { type Clock, MobileIdError, type NetworkDescriptor, systemClock } from "@mobile-id/core";
import { AccreditationBook } from "./accreditationState.ts";
import { type LedgerEvent, type RawLog, UndecodableLogError, decodeLedgerLog } from "./events.ts";
import { IdentityAccumulator, untouchedIdentity } from "./identityState.ts";
import { checkNetwork, getBlock, getLogs, unavailable } from "./rpc.ts";
import { StatusListBook } from "./statusBits.ts";
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
import { partiesToRead } from "./parties.ts";

export interface LedgerMirrorParameters {
  readonly rpc: LedgerRpc;
  readonly descriptor: Pick<NetworkDescriptor, "chainId" | "contracts">;
  /** Reads fail closed (LEDGER_UNAVAILABLE) once the mirror has not confirmed the node's head for this long. Default 30 s. */
  readonly maxStalenessSeconds?: number;
  /** Pause between polls for new blocks. Default 1,000 ms. */
  readonly pollIntervalMs?: number;
  /** Most blocks per `eth_getLogs` while catching up. Default 2,000. */
  readonly maxBlockRange?: number;
  /** Wall clock (seconds) for staleness. Default: the system clock. */
  readonly clock?: Clock;
  /** Called with each failed poll (the mirror keeps polling; reads go stale, then fail closed). */
  readonly onError?: (error: unknown) => void;
  /** Called when a restored replica is dropped at start (its head is not on the node) and the mirror syncs from zero. */
  readonly onReplicaDropped?: (reason: string) => void;
}

/**
 * What a mirror's state is rebuilt from without the node: the synced head, every event except status-bit writes
 * (with the accreditation changes' block timestamps), and each written list's bytes. See `mirrorSnapshot.ts`.
 */
export interface MirrorStateExport {
  readonly head: LedgerHead;
  /** Local time (seconds) the head was last confirmed as the node's latest. */
  readonly confirmedAt: number;
  readonly replay: readonly MirrorReplayRecord[];
  readonly lists: readonly { readonly listId: bigint; readonly bits: Uint8Array }[];
}

/** One applied event other than a status-bit write; `since` is its block's timestamp for accreditation changes. */
export interface MirrorReplayRecord {
  readonly event: LedgerEvent;
  readonly since?: number;
}

/** Where the mirror stands. */
export interface LedgerMirrorStatus {
  /** `syncing` until the first catch-up; `failed` after an inconsistency (cleared by a full resync). */
  readonly state: "idle" | "syncing" | "ready" | "failed";
  readonly freshness: LedgerFreshness | undefined;
  readonly lastError: unknown;
}

/** State rebuilt from events; replaced wholesale on a resync, never patched after an error. */
class MirrorState {
  /** Keyed by lower-case address. */
  readonly identities = new Map<string, IdentityAccumulator>();
  readonly accreditations = new AccreditationBook();
  readonly lists = new StatusListBook();
  readonly types = new Map<string, CredentialTypeRecord>();
  /** The applied events a snapshot replays (everything but status-bit writes, which the lists' bytes hold). */
  readonly replay: MirrorReplayRecord[] = [];
  synced: LedgerHead | undefined;
}

/**
 * An event-sourced local copy of what verification reads: every status list (bit for bit, from the status
 * events alone, as the contract guarantees), list records, the ERC-1056 state of every identity that has
 * events, the accreditation records with their history (so `standingAt` for any time is answered locally,
 * exactly as the contract computes it) and the credential types.
 *
 * It catches up with bounded `eth_getLogs` ranges from the descriptor's deployment blocks, then polls for new
 * blocks. Reads are local and synchronous, so a status check tells no one which credential is checked. It
 * knows its own freshness: reads throw `LEDGER_UNAVAILABLE` before the first catch-up, after an inconsistency,
 * and once the node's head has not been confirmed within `maxStalenessSeconds`.
 *
 * Reorganisations: the production ledger is permissioned QBFT, whose blocks are final once produced, so the
 * mirror does not roll back. It does detect a changed block hash at its synced height (or a node behind it),
 * and then stops serving (state `failed`) and rebuilds from the deployment blocks on the next poll. A poll
 * applies a range only after every log in it decoded; a failure leaves the previous, consistent state.
 *
 * @example
 * ```ts
 * const mirror = new LedgerMirror({ rpc: provider, descriptor, maxStalenessSeconds: 30 });
 * await mirror.start();
 * const verifier = createVerifier({ descriptor, ledger: mirror, nonceStore });
 * // ...
 * await mirror.stop();
 * ```
 */
export class LedgerMirror implements LedgerReader {
  readonly #rpc: LedgerRpc;
  readonly #descriptor: Pick<NetworkDescriptor, "chainId" | "contracts">;
  readonly #maxStaleness: number;
  readonly #pollMs: number;
  readonly #maxRange: number;
  readonly #clock: Clock;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #onReplicaDropped: ((reason: string) => void) | undefined;
  #restored = false;
  readonly #addresses: { didRegistry: string; accreditationRegistry: string; statusRegistry: string };
  #state = new MirrorState();
  #phase: LedgerMirrorStatus["state"] = "idle";
  #freshness: LedgerFreshness | undefined;
  #lastError: unknown;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #inflight: Promise<LedgerHead> | undefined;

  constructor(params: LedgerMirrorParameters) {
    const positive = (v: number, name: string) => {
      if (!Number.isFinite(v) || v <= 0) throw new MobileIdError("INVALID_ARGUMENT", `${name} must be positive`);
      return v;
    };
    this.#rpc = params.rpc;
    this.#descriptor = params.descriptor;
    this.#maxStaleness = positive(params.maxStalenessSeconds ?? 30, "maxStalenessSeconds");
    this.#pollMs = positive(params.pollIntervalMs ?? 1000, "pollIntervalMs");
    this.#maxRange = Math.floor(positive(params.maxBlockRange ?? 2000, "maxBlockRange"));
    this.#clock = params.clock ?? systemClock;
    this.#onError = params.onError;
    this.#onReplicaDropped = params.onReplicaDropped;
    const c = params.descriptor.contracts;
    this.#addresses = {
      didRegistry: c.didRegistry.address.toLowerCase(),
      accreditationRegistry: c.accreditationRegistry.address.toLowerCase(),
      statusRegistry: c.statusRegistry.address.toLowerCase(),
    };
  }

  /** Checks the node against the descriptor, catches up, then polls every `pollIntervalMs`. */
  async start(): Promise<void> {
    await checkNetwork(this.#rpc, this.#descriptor);
    try {
      await this.sync();
    } catch (e) {
      // A restored replica whose head is not on the node (another chain, or the node lost blocks): from zero.
      if (!this.#restored || this.#phase !== "failed") throw e;
      this.#onReplicaDropped?.(e instanceof Error ? e.message : String(e));
      await this.sync();
    }
    this.#restored = false;
    this.#running = true;
    this.#schedule();
  }

  /** Stops polling (waits for a poll in flight). Reads go stale and then fail closed. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inflight?.catch(() => undefined);
  }

  status(): LedgerMirrorStatus {
    return { state: this.#phase, freshness: this.#freshness, lastError: this.#lastError };
  }

  freshness(): LedgerFreshness | undefined {
    return this.#freshness;
  }

  /**
   * One catch-up pass up to the node's current head (concurrent calls share it). Throws on failure, after
   * recording it; the state served stays the last consistent one (or none, after an inconsistency).
   */
  sync(): Promise<LedgerHead> {
    this.#inflight ??= this.#syncOnce().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /**
   * The state to save (see `mirrorSnapshot.ts`), or `undefined` while the mirror has no confirmed head. The list
   * bytes are copies: the caller may write them out asynchronously while the mirror goes on.
   *
   * @example
   * ```ts
   * const state = mirror.exportState();
   * if (state !== undefined) writeFileAtomic(file, encodeMirrorSnapshot(state, descriptor));
   * ```
   */
  exportState(): MirrorStateExport | undefined {
    const s = this.#state;
    const f = this.#freshness;
    if (this.#phase !== "ready" || f === undefined || s.synced === undefined || s.synced.blockHash === "") return undefined;
    const lists: { listId: bigint; bits: Uint8Array }[] = [];
    for (const l of s.lists.lists()) if (l.bits !== undefined) lists.push({ listId: l.info.listId, bits: l.bits.slice() });
    return { head: s.synced, confirmedAt: f.confirmedAt, replay: [...s.replay], lists };
  }

  /**
   * Rebuilds the state from a saved export, before {@link start}: `start` then checks that the saved head's hash is
   * still the node's (else it drops the state and syncs from zero) and catches up from there by events. Reads stay
   * closed until that check. Throws (and keeps nothing) when the export does not replay.
   *
   * @example
   * ```ts
   * mirror.importState(decodeMirrorSnapshot(readFileSync(file), descriptor)); // or loadMirrorSnapshot(mirror, file, descriptor)
   * await mirror.start();
   * ```
   */
  importState(saved: MirrorStateExport): void {
    if (this.#running || this.#phase !== "idle") throw new MobileIdError("INVALID_ARGUMENT", "importState before start only");
    const state = new MirrorState();
    const timestamps = new Map<number, number>();
    for (const r of saved.replay) if (r.since !== undefined) timestamps.set(r.event.blockNumber, r.since);
    this.#apply(
      state,
      saved.replay.map((r) => r.event),
      timestamps,
    );
    for (const l of saved.lists) state.lists.restoreBits(l.listId, l.bits);
    state.synced = saved.head;
    this.#state = state;
    this.#restored = true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Reads (synchronous, local)
  // ---------------------------------------------------------------------------------------------------------

  read(query: LedgerQuery): LedgerFacts {
    const head = this.#requireFresh();
    const s = this.#state;
    const currentTime = Math.max(head.timestamp, query.now);
    const identities = new Map<string, IdentityState>();
    // The hot path: no checksum arithmetic here. Identities are looked up in lower case and returned under the
    // query's own strings.
    for (const a of query.identities) {
      identities.set(a, s.identities.get(a.toLowerCase())?.state() ?? untouchedIdentityAsGiven(a));
    }
    const standings = query.standings.map((q) =>
      s.accreditations.standingAt(q.party, q.credentialType, q.at === "current" ? currentTime : q.at, head.timestamp),
    );
    const statusEntries: StatusEntryFact[] = query.statusEntries.map((e) => ({
      list: s.lists.info(e.listId),
      set: s.lists.get(e.listId, e.index),
    }));
    const credentialTypes = new Map<string, CredentialTypeRecord | undefined>();
    for (const id of query.credentialTypes) credentialTypes.set(id.toLowerCase(), s.types.get(id.toLowerCase()));
    const parties = new Map<string, PartyRole>();
    for (const a of partiesToRead(query.parties, standings)) parties.set(a, s.accreditations.role(a) as PartyRole);
    const confirmedAt = this.#freshness?.confirmedAt;
    return { head, ...(confirmedAt === undefined ? {} : { confirmedAt }), currentTime, identities, standings, statusEntries, credentialTypes, parties };
  }

  /** The ERC-1056 state of `identity` (fails closed when stale). */
  identity(identity: string): IdentityState {
    this.#requireFresh();
    const address = getAddress(identity);
    return this.#state.identities.get(address.toLowerCase())?.state() ?? untouchedIdentity(address);
  }

  /** `standingAt` answered locally (fails closed when stale). */
  standingAt(party: string, credentialType: string, at: number): AccreditationStanding {
    const head = this.#requireFresh();
    return this.#state.accreditations.standingAt(party, credentialType, at, head.timestamp);
  }

  statusList(listId: bigint): StatusListInfo | undefined {
    this.#requireFresh();
    return this.#state.lists.info(listId);
  }

  /**
   * A copy of a whole list's bits as of the mirror's head (entry i at byte `i >>> 3`, bit `i & 7`, as `wordsToBytes`
   * lays them out), or `undefined` for an unknown list: what a Token Status List is built from, with no ledger read.
   */
  statusListBits(listId: bigint): Uint8Array | undefined {
    this.#requireFresh();
    return this.#state.lists.bitsOf(listId);
  }

  /** The bit of an entry, or `undefined` for an unknown list or an index out of range. */
  statusEntry(listId: bigint, index: bigint): boolean | undefined {
    this.#requireFresh();
    return this.#state.lists.get(listId, index);
  }

  credentialType(id: string): CredentialTypeRecord | undefined {
    this.#requireFresh();
    return this.#state.types.get(id.toLowerCase());
  }

  // ---------------------------------------------------------------------------------------------------------
  // Internals
  // ---------------------------------------------------------------------------------------------------------

  #requireFresh(): LedgerHead {
    const f = this.#freshness;
    if (this.#phase !== "ready" || f === undefined) {
      throw unavailable(`the ledger mirror is not ready (${this.#phase})`, this.#lastError);
    }
    const age = this.#clock() - f.confirmedAt;
    if (age > this.#maxStaleness) {
      throw unavailable("the ledger mirror is stale", this.#lastError, { ageSeconds: age, maxStalenessSeconds: this.#maxStaleness });
    }
    return f.head;
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.sync()
        .catch(() => undefined)
        .finally(() => this.#schedule());
    }, this.#pollMs);
    // A mirror must not keep a process alive on its own (scripts, tests); a server has its own handles.
    this.#timer.unref?.();
  }

  async #syncOnce(): Promise<LedgerHead> {
    if (this.#phase === "failed") {
      // Rebuild from scratch: nothing from before the inconsistency is kept.
      this.#state = new MirrorState();
      this.#freshness = undefined;
    }
    if (this.#state.synced === undefined && this.#phase !== "ready") this.#phase = "syncing";
    const startedAt = this.#clock();
    try {
      const head = await getBlock(this.#rpc, "latest");
      const state = this.#state;
      const synced = state.synced;
      if (synced !== undefined) {
        if (head.blockNumber < synced.blockNumber) throw new InconsistencyError("the node's head is behind the mirror");
      }
      // An intermediate catch-up height has no recorded hash (it would cost a request per range); QBFT finality
      // makes the check at the last confirmed head sufficient.
      if (synced !== undefined && synced.blockHash !== "") {
        const atSynced = head.blockNumber === synced.blockNumber ? head : await getBlock(this.#rpc, synced.blockNumber);
        if (atSynced.blockHash !== synced.blockHash) throw new InconsistencyError(`block ${synced.blockNumber} changed hash`);
      }
      const from = synced === undefined ? this.#firstBlock() : synced.blockNumber + 1;
      for (let lo = from; lo <= head.blockNumber; lo += this.#maxRange) {
        const hi = Math.min(head.blockNumber, lo + this.#maxRange - 1);
        const logs = await getLogs(this.#rpc, {
          address: [this.#addresses.didRegistry, this.#addresses.accreditationRegistry, this.#addresses.statusRegistry],
          fromBlock: lo,
          toBlock: hi,
        });
        const events = this.#decode(logs, head);
        const timestamps = await this.#timestamps(events);
        if (this.#state !== state) throw new InconsistencyError("the mirror was reset during a poll");
        // Everything decoded and fetched: apply the range synchronously, so no read sees half of it.
        this.#apply(state, events, timestamps);
        state.synced = hi === head.blockNumber ? head : { blockNumber: hi, blockHash: "", timestamp: 0 };
      }
      state.synced = head;
      this.#freshness = { head, confirmedAt: startedAt };
      this.#phase = "ready";
      this.#lastError = undefined;
      return head;
    } catch (e) {
      this.#lastError = e;
      if (e instanceof InconsistencyError || e instanceof UndecodableLogError || e instanceof RangeError) {
        this.#phase = "failed";
      }
      this.#onError?.(e);
      if (e instanceof MobileIdError) throw e;
      throw unavailable("the ledger mirror could not sync", e);
    }
  }

  #firstBlock(): number {
    const c = this.#descriptor.contracts;
    return Math.min(c.didRegistry.deployBlock, c.accreditationRegistry.deployBlock, c.statusRegistry.deployBlock);
  }

  #decode(logs: readonly RawLog[], head: LedgerHead): LedgerEvent[] {
    const events = logs.map((log) => decodeLedgerLog(log, this.#addresses));
    for (const e of events) {
      if (e.blockNumber > head.blockNumber) throw new InconsistencyError("a log lies past the head");
      if (e.blockNumber === head.blockNumber && e.blockHash !== head.blockHash) {
        throw new InconsistencyError(`block ${head.blockNumber} changed during the poll`);
      }
    }
    return events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  }

  /** Block timestamps for accreditation changes (the contract's `since`; logs do not carry it). */
  async #timestamps(events: readonly LedgerEvent[]): Promise<Map<number, number>> {
    const blocks = new Set<number>();
    for (const e of events) if (e.kind === "accreditation") blocks.add(e.blockNumber);
    const out = new Map<number, number>();
    await Promise.all(
      [...blocks].map(async (n) => {
        const b = await getBlock(this.#rpc, n);
        if (b.blockHash !== events.find((e) => e.blockNumber === n)?.blockHash) {
          throw new InconsistencyError(`block ${n} changed during the poll`);
        }
        out.set(n, b.timestamp);
      }),
    );
    return out;
  }

  #apply(state: MirrorState, events: readonly LedgerEvent[], timestamps: ReadonlyMap<number, number>): void {
    for (const e of events) {
      if (e.kind !== "entry" && e.kind !== "words" && e.kind !== "operator") {
        state.replay.push(e.kind === "accreditation" ? { event: e, since: timestamps.get(e.blockNumber) as number } : { event: e });
      }
      switch (e.kind) {
        case "owner":
        case "delegate":
        case "attribute": {
          const key = e.identity.toLowerCase();
          let acc = state.identities.get(key);
          if (acc === undefined) {
            acc = new IdentityAccumulator(e.identity);
            state.identities.set(key, acc);
          }
          acc.apply(e);
          break;
        }
        case "party":
          state.accreditations.setRole(e.identity, e.role);
          break;
        case "accreditation": {
          const since = timestamps.get(e.blockNumber);
          if (since === undefined) throw new InconsistencyError(`no timestamp for block ${e.blockNumber}`);
          state.accreditations.change(e.party, e.credentialType, e.actor, {
            since,
            status: e.status as AccreditationStatus,
            validFrom: e.validFrom,
            validUntil: e.validUntil,
            reason: e.reason,
            changedBy: e.actor,
          });
          break;
        }
        case "typeRegistered":
          state.types.set(e.id, {
            id: e.id,
            name: e.name,
            version: e.version,
            schemaHash: e.schemaHash,
            schemaUri: e.schemaUri,
            governingAccreditor: e.governingAccreditor,
            deprecated: false,
          });
          break;
        case "typeDeprecated": {
          const t = state.types.get(e.id);
          if (t === undefined) throw new InconsistencyError(`type ${e.id} deprecated before it was registered`);
          state.types.set(e.id, { ...t, deprecated: true });
          break;
        }
        case "listCreated":
          state.lists.create(e.listId, e.issuer, e.purpose as StatusPurpose, e.size);
          break;
        case "entry":
          state.lists.setEntry(e.listId, e.index, e.value);
          break;
        case "words":
          state.lists.setWords(e.listId, e.wordIndexes, e.masks, e.value);
          break;
        // Known events that carry nothing verification reads (operators, root hand-over).
        case "operator":
        case "rootTransferStarted":
        case "rootTransferCanceled":
        case "rootTransferred":
          break;
      }
    }
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** An identity without events, under the address as the query gave it (checked for shape, not re-checksummed). */
function untouchedIdentityAsGiven(address: string): IdentityState {
  if (!ADDRESS.test(address)) throw new MobileIdError("INVALID_ARGUMENT", "not an address", { details: { address } });
  return { identity: address, owner: address, deactivated: false, delegates: [], attributes: [], changes: 0 };
}

/** The node's data disagrees with what the mirror applied: stop serving and rebuild. */
class InconsistencyError extends Error {
  override readonly name = "InconsistencyError";
}
