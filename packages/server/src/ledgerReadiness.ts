import type { LedgerFreshness, LedgerMirror, LedgerReader } from "@mobile-id/chain";
import { MobileIdError } from "@mobile-id/core";
import type { JournalWatchStatus } from "@mobile-id/issuer";

export interface LedgerReadinessParameters {
  readonly mirror: Pick<LedgerMirror, "status" | "freshness" | "read" | "identity" | "standingAt" | "statusList">;
  /** The mirror's staleness bound (seconds): past it the ledger is reported unavailable. */
  readonly maxStalenessSeconds: number;
  /** The running issuers' journal watchers, by tenant. */
  readonly watchers: ReadonlyMap<string, { status(): JournalWatchStatus }>;
  /** Wall clock, ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** What `/health` reports about the ledger. */
export interface LedgerReadinessStatus {
  readonly ok: boolean;
  /** Why not ok (absent when ok). */
  readonly reason?: "mirror-not-ready" | "ledger-unreachable" | "mirror-stale" | "issuers-catching-up";
  readonly state: string;
  /** The newest head the mirror confirmed, and when (seconds). */
  readonly freshness?: LedgerFreshness;
  readonly ageSeconds?: number;
  readonly maxStalenessSeconds: number;
  /** Set while the services wait, after a ledger outage, for every issuer to have checked its journal. */
  readonly outageSince?: number;
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
 * mirror has caught up to each issuer's newest confirmed write. Also closed: mirror not ready, last poll
 * failed, or its head older than the staleness bound.
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

  const evaluate = (): Omit<LedgerReadinessStatus, "issuers"> => {
    const m = mirror.status();
    const f = m.freshness;
    const base = { state: m.state, maxStalenessSeconds };
    if (m.state !== "ready" || f === undefined) return { ok: false, reason: "mirror-not-ready", ...base };
    const ageSeconds = Math.max(0, Math.floor(now() / 1000) - f.confirmedAt);
    const withHead = { ...base, freshness: f, ageSeconds };
    if (m.lastError !== undefined) return { ok: false, reason: "ledger-unreachable", ...withHead };
    if (ageSeconds > maxStalenessSeconds) return { ok: false, reason: "mirror-stale", ...withHead };
    if (!caughtUp(f.head.blockNumber)) return { ok: false, reason: "issuers-catching-up", ...withHead, ...(outageSince === undefined ? {} : { outageSince }) };
    return { ok: true, ...withHead };
  };

  const status = (): LedgerReadinessStatus => ({ ...evaluate(), issuers: issuers() });

  const requireOpen = (): void => {
    const s = evaluate();
    if (!s.ok) {
      throw new MobileIdError("LEDGER_UNAVAILABLE", "the ledger is not available to the services right now", {
        details: { reason: s.reason },
        hint: "the ledger node is down, or back from a crash while the issuers write again what it lost; retry shortly",
      });
    }
  };

  /** The mirror behind the gate: what the verifier and the wallets' routes read. */
  const reader: LedgerReader & Pick<LedgerMirror, "identity" | "standingAt" | "statusList" | "freshness"> = {
    read: (query) => (requireOpen(), mirror.read(query)),
    freshness: () => (evaluate().ok ? mirror.freshness() : undefined),
    identity: (identity) => (requireOpen(), mirror.identity(identity)),
    standingAt: (party, type, at) => (requireOpen(), mirror.standingAt(party, type, at)),
    statusList: (listId) => (requireOpen(), mirror.statusList(listId)),
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
