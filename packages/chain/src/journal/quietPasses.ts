/**
 * The head of the ledger as a local reader last confirmed it: `key` names the block (number and hash), and
 * `confirmedAtMs` is when the reader last saw it still be the node's latest block.
 */
export interface ObservedLedgerHead {
  readonly key: string;
  readonly blockNumber: number;
  readonly confirmedAtMs: number;
}

/** Where a journal watcher learns the ledger's head without a request of its own (e.g. the services' mirror). */
export type LedgerHeadProbe = () => ObservedLedgerHead | undefined;

/**
 * A probe over a reader that polls the ledger anyway (the services' `LedgerMirror`): the head it last confirmed.
 *
 * @example
 * ```ts
 * issuer.watchJournal({ ledgerHead: mirrorHeadProbe(mirror) });
 * ```
 */
export function mirrorHeadProbe(mirror: {
  freshness(): { readonly head: { readonly blockNumber: number; readonly blockHash: string }; readonly confirmedAt: number } | undefined;
}): LedgerHeadProbe {
  return () => {
    const f = mirror.freshness();
    return f === undefined
      ? undefined
      : { key: `${f.head.blockNumber}:${f.head.blockHash}`, blockNumber: f.head.blockNumber, confirmedAtMs: f.confirmedAt * 1000 };
  };
}

/** Longest run of skipped passes: a real pass at least this often, whatever the head says. */
export const MAX_QUIET_MS = 30_000;

export interface QuietPassGate {
  /**
   * Whether this pass may be skipped: the head is the one a pass found in step, confirmed again since, and the
   * last real pass is recent. Returns the time (ms) up to which the journal is then known to be in step.
   */
  skip(version?: string | number): number | undefined;
  /** At the start of a real pass: the head to remember if it ends in step. */
  begin(): ObservedLedgerHead | undefined;
  /**
   * A real pass started at `startedAt`, when the probe saw `head`, ended in step with every confirmed write at or
   * below block `confirmedThroughBlock`. Only a head at or above that block is remembered: the probe may lag the
   * node, and a head below the newest write would not vouch for it (the node could go back to that head and
   * lose the write with the probe none the wiser). `version` is the watcher's count of writes taken at the
   * pass's START: a later pass is skipped only while it is unchanged, since a write made since (even one
   * confirmed before the probe's next poll) is not vouched for by the remembered head.
   */
  inStep(head: ObservedLedgerHead | undefined, startedAt: number, confirmedThroughBlock: number | undefined, version?: string | number): void;
  /** A real pass did not end in step: the next one is real. */
  reset(): void;
}

/**
 * Lets a journal watcher skip its ledger requests while nothing on the ledger moved. Sound because a block hash
 * names the whole chain below it: if the node's head is still the block a pass found every confirmed write
 * under, no write was lost since (a node restarted from an older state has another head, and so does any new
 * write). A watcher whose writes are not all settled, or with no probe, runs every pass for real.
 */
export function createQuietPassGate(params: { readonly probe?: LedgerHeadProbe; readonly now?: () => number; readonly maxQuietMs?: number }): QuietPassGate {
  const now = params.now ?? Date.now;
  const maxQuietMs = params.maxQuietMs ?? MAX_QUIET_MS;
  let quiet: { readonly key: string; readonly at: number; readonly version: string | number | undefined } | undefined;
  return {
    skip(version) {
      if (quiet === undefined || params.probe === undefined || version !== quiet.version) return undefined;
      const head = params.probe();
      if (head === undefined || head.key !== quiet.key || now() - quiet.at > maxQuietMs) return undefined;
      return head.confirmedAtMs;
    },
    begin: () => params.probe?.(),
    inStep(head, startedAt, confirmedThroughBlock, version) {
      quiet = head === undefined || head.blockNumber < (confirmedThroughBlock ?? -1) ? undefined : { key: head.key, at: startedAt, version };
    },
    reset() {
      quiet = undefined;
    },
  };
}
