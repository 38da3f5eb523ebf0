import { type LedgerHeadProbe, createQuietPassGate } from "./quietPasses.ts";

/** Where a journal watcher stands (an issuer's, or the governance journal's). */
export interface JournalWatchStatus {
  /**
   * Wall-clock time (ms) at which the newest pass that ended with the journal and the ledger in step had
   * STARTED: every confirmed write was on the ledger (or written again and confirmed) at that moment.
   * `undefined` until the first such pass.
   */
  readonly inStepAsOf: number | undefined;
  /**
   * The newest block holding a confirmed write, as of the pass in step (a reader of the ledger that has reached it
   * holds every write, including those written again).
   */
  readonly confirmedThroughBlock: number | undefined;
  /** The last pass's error, cleared by a pass in step. */
  readonly lastError: unknown;
}

export interface JournalWatcher {
  status(): JournalWatchStatus;
  /** Runs a pass now (or joins the one in flight); resolves with the status after it. */
  check(): Promise<JournalWatchStatus>;
  /** Stops watching; waits for a pass in flight. */
  stop(): Promise<void>;
}

/** What one real pass found: in step (with the newest confirmed write's block), or writes still unsettled. */
export interface JournalPassResult {
  readonly inStep: boolean;
  readonly confirmedThroughBlock: number | undefined;
}

export interface WatchJournalPassesParameters {
  /** Pause between two passes, ms. Default 1,000. */
  readonly intervalMs?: number;
  /** See {@link LedgerHeadProbe}: without it every pass is real. */
  readonly ledgerHead?: LedgerHeadProbe;
  /**
   * Changes whenever the journal's writes change (a write sent, added or settled): a pass is skipped only while
   * it is what it was when the last pass in step started.
   */
  readonly version: () => string | number;
  /** Whether a pass may be skipped at all right now (e.g. nothing is unsettled). Default: yes. */
  readonly mayBeQuiet?: () => boolean;
  /** One real pass: checks the journal against the ledger and writes again what it lost. Throws when it fails. */
  readonly pass: () => Promise<JournalPassResult>;
  /** Called with each failed pass; the watcher keeps going. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The loop every journal watcher runs: a pass every `intervalMs` (one at a time; `check` joins the one in flight),
 * the status the services' readiness gate reads, and the quiet passes of {@link createQuietPassGate}: while the
 * ledger's head is the one a pass in step vouched for and the journal's `version` has not moved, a pass makes
 * no ledger request and only moves `inStepAsOf` to the probe's newest confirmation.
 *
 * @example
 * ```ts
 * const watcher = watchJournalPasses({ version: () => journal.version(), pass: () => recoverOnce(), ledgerHead });
 * await watcher.stop();
 * ```
 */
export function watchJournalPasses(params: WatchJournalPassesParameters): JournalWatcher {
  const intervalMs = params.intervalMs ?? 1000;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError("intervalMs must be positive");
  let inStepAsOf: number | undefined;
  let confirmedThroughBlock: number | undefined;
  let lastError: unknown;
  let running = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: Promise<void> | undefined;
  const gate = createQuietPassGate(params.ledgerHead === undefined ? {} : { probe: params.ledgerHead });

  const status = (): JournalWatchStatus => ({ inStepAsOf, confirmedThroughBlock, lastError });

  const pass = async (): Promise<void> => {
    const startedAt = Date.now();
    const version = params.version();
    const quietUntil = gate.skip(version);
    if (quietUntil !== undefined && (params.mayBeQuiet?.() ?? true)) {
      inStepAsOf = Math.max(inStepAsOf ?? 0, quietUntil);
      return;
    }
    const head = gate.begin();
    try {
      const r = await params.pass();
      if (!r.inStep) {
        gate.reset();
        lastError = new Error("some journaled writes are not on the ledger yet");
        return;
      }
      confirmedThroughBlock = r.confirmedThroughBlock;
      gate.inStep(head, startedAt, confirmedThroughBlock, version);
      inStepAsOf = startedAt;
      lastError = undefined;
    } catch (e) {
      gate.reset();
      lastError = e;
      params.onError?.(e);
    }
  };

  const check = (): Promise<JournalWatchStatus> => {
    inflight ??= pass().finally(() => {
      inflight = undefined;
    });
    return inflight.then(status);
  };

  const schedule = () => {
    if (!running) return;
    timer = setTimeout(() => void check().finally(schedule), intervalMs);
    // The services keep their process alive; a watcher alone must not (scripts, tests).
    timer.unref?.();
  };
  schedule();

  return {
    status,
    check,
    stop: async () => {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      await inflight;
    },
  };
}
