import type { LedgerFreshness, LedgerMirror, LedgerReader } from "@mobile-id/chain";
import { MobileIdError } from "@mobile-id/core";
import type { JournalWatchStatus } from "@mobile-id/issuer";

export interface LedgerReadinessParameters {
  readonly mirror: Pick<LedgerMirror, "status" | "freshness" | "read" | "identity" | "standingAt" | "statusList" | "statusListBits">;
  /**
   * The offline policy (seconds): while the ledger is unreachable, answers come from the replica as of its last
   * confirmed head for this long after that confirmation; past it the ledger is reported unavailable.
   */
  readonly maxStalenessSeconds: number;
  /** The running issuers' journal watchers, by tenant. */
  readonly watchers: ReadonlyMap<string, { status(): JournalWatchStatus }>;
  /**
   * The newest block in which this process acknowledged a status change (see `acknowledgedWrites.ts`): the
   * replica serves through an outage only once it has reached it (and each watcher's confirmed writes).
   */
  readonly acknowledgedThroughBlock?: () => number | undefined;
  /** Wall clock, ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** What `/health` reports about the ledger. */
export interface LedgerReadinessStatus {
  readonly ok: boolean;
  /** Why not ok (absent when ok). */
  readonly reason?: "mirror-not-ready" | "ledger-unreachable" | "mirror-stale" | "issuers-catching-up" | "replica-behind-acknowledged-writes";
  readonly state: string;
  /** The newest head the mirror confirmed, and when (seconds). */
  readonly freshness?: LedgerFreshness;
  readonly ageSeconds?: number;
  readonly maxStalenessSeconds: number;
  /** Set while the services wait, after a ledger outage, for every issuer to have checked its journal. */
  readonly outageSince?: number;
  /**
   * Present while the ledger is unreachable and the replica still serves (offline policy): answers are as of
   * `freshness.head`, until `until` (seconds).
   */
  readonly offline?: { readonly servingFromReplica: true; readonly until: number };
  readonly issuers: Readonly<Record<string, { readonly inStepAsOf: number | null; readonly error: string | null }>>;
}

/**
 * Whether the services may answer from the ledger, and the gate that makes them fail closed when not.
 *
 * A ledger node can come back from a crash without its last blocks: revocations the issuers acknowledged are
 * then missing on it until each issuer's journal watcher writes them again, and a verifier reading the node
 * meanwhile would accept revoked credentials. So after any outage (a failed mirror poll: node unreachable, or
 * its chain went back or changed under the mirror), ledger-backed answers stay closed (`LEDGER_UNAVAILABLE`)
 * until every watcher has completed a pass that started after the outage with its journal in step, and the
 * mirror has caught up to each issuer's newest confirmed write. Also closed: mirror not ready, or its head older
 * than the offline policy (`maxStalenessSeconds`).
 *
 * Offline at the counter: while the node does not answer, the replica is open, as of its last confirmed head,
 * until that head is `maxStalenessSeconds` old. This does not weaken the rule above: the danger it guards against
 * is reading a node that came back without acknowledged writes, and while the node is away nothing is read from
 * it; the replica still holds every write it confirmed before the outage (a failed poll changes nothing in it).
 * Once the node answers again, the rule applies unchanged: closed until every watcher has checked its journal
 * (the replica may by then have moved onto a node that lost writes, or, if the node went back under it, been
 * dropped and rebuilt). `/health` says 503 `ledger-unreachable` throughout the outage, with `offline` set.
 *
 * @example
 * ```ts
 * const readiness = createLedgerReadiness({ mirror, maxStalenessSeconds: 30, watchers });
 * const verifier = createVerifier({ descriptor, ledger: readiness.reader, nonceStore });
 * app.get("/health", () => readiness.status());
 * ```
 */
export function createLedgerReadiness(params: LedgerReadinessParameters) {
  const { mirror, watchers, maxStalenessSeconds } = params;
  const now = params.now ?? Date.now;
  let outageSince: number | undefined;

  const issuers = () =>
    Object.fromEntries(
      [...watchers].map(([id, w]) => {
        const s = w.status();
        const error = s.lastError === undefined ? null : s.lastError instanceof Error ? s.lastError.message : String(s.lastError);
        return [id, { inStepAsOf: s.inStepAsOf ?? null, error }] as const;
      }),
    );

  /** The newest block holding a write this process (or a watcher's journal) confirmed. */
  const acknowledgedBlock = (): number | undefined => {
    let newest = params.acknowledgedThroughBlock?.();
    for (const w of watchers.values()) {
      const b = w.status().confirmedThroughBlock;
      if (b !== undefined && (newest === undefined || b > newest)) newest = b;
    }
    return newest;
  };

  /** Whether every issuer is known to be in step since the outage (then the outage is over). */
  const caughtUp = (headBlock: number): boolean => {
    if (outageSince === undefined) return true;
    for (const w of watchers.values()) {
      const s = w.status();
      if (s.inStepAsOf === undefined || s.inStepAsOf < outageSince) return false;
      if (s.confirmedThroughBlock !== undefined && headBlock < s.confirmedThroughBlock) return false;
    }
    outageSince = undefined;
    return true;
  };

  /** Whether ledger-backed answers may be given: ok, or offline within the policy. */
  const evaluate = (): Omit<LedgerReadinessStatus, "issuers"> & { readonly open: boolean } => {
    const m = mirror.status();
    const f = m.freshness;
    const base = { state: m.state, maxStalenessSeconds };
    if (m.state !== "ready" || f === undefined) return { ok: false, open: false, reason: "mirror-not-ready", ...base };
    const ageSeconds = Math.max(0, Math.floor(now() / 1000) - f.confirmedAt);
    const withHead = { ...base, freshness: f, ageSeconds };
    if (ageSeconds > maxStalenessSeconds) return { ok: false, open: false, reason: "mirror-stale", ...withHead };
    // Offline at the counter: the node does not answer, and the replica holds every write it confirmed before
    // (a failed poll changes nothing in it). It serves, as of its last head, up to the policy. /health still says
    // the ledger is unreachable (503), so that operators see the outage.
    if (m.lastError !== undefined) {
      // Not if this service acknowledged a change the replica has not seen (the node went away before the
      // mirror's next poll): answering as of an older block would ignore a revocation already confirmed here.
      const acked = acknowledgedBlock();
      if (acked !== undefined && f.head.blockNumber < acked) {
        return { ok: false, open: false, reason: "replica-behind-acknowledged-writes", ...withHead };
      }
      return { ok: false, open: true, reason: "ledger-unreachable", ...withHead, offline: { servingFromReplica: true, until: f.confirmedAt + maxStalenessSeconds } };
    }
    if (!caughtUp(f.head.blockNumber)) {
      return { ok: false, open: false, reason: "issuers-catching-up", ...withHead, ...(outageSince === undefined ? {} : { outageSince }) };
    }
    return { ok: true, open: true, ...withHead };
  };

  const status = (): LedgerReadinessStatus => {
    const { open: _open, ...s } = evaluate();
    return { ...s, issuers: issuers() };
  };

  const requireOpen = (): void => {
    const s = evaluate();
    if (!s.open) {
      throw new MobileIdError("LEDGER_UNAVAILABLE", "the ledger is not available to the services right now", {
        details: { reason: s.reason },
        hint: "the ledger node is down, or back from a crash while the issuers write again what it lost; retry shortly",
      });
    }
  };

  /** The mirror behind the gate: what the verifier and the wallets' routes read. */
  const reader: LedgerReader & Pick<LedgerMirror, "identity" | "standingAt" | "statusList" | "statusListBits" | "freshness"> = {
    read: (query) => (requireOpen(), mirror.read(query)),
    freshness: () => (evaluate().open ? mirror.freshness() : undefined),
    identity: (identity) => (requireOpen(), mirror.identity(identity)),
    standingAt: (party, type, at) => (requireOpen(), mirror.standingAt(party, type, at)),
    statusList: (listId) => (requireOpen(), mirror.statusList(listId)),
    statusListBits: (listId) => (requireOpen(), mirror.statusListBits(listId)),
  };

  return {
    status,
    reader,
    /** The mirror's poll failed (node unreachable, or its chain went back): close until the issuers have checked. */
    noteOutage: (): void => {
      outageSince = now();
    },
  };
}

export type LedgerReadiness = ReturnType<typeof createLedgerReadiness>;
