/** @internal Not exported from the package: reached through `Issuer.watchJournal`. */
import { type LedgerHeadProbe, createQuietPassGate } from "@mobile-id/chain";
import { findLostWrites } from "./findLostWrites.ts";
import type { IssuerContext } from "./issuerContext.ts";
import { type ReconcileResult, reconcileWithLedger } from "./reconcileWithLedger.ts";
import { operatorsNotRestored, restoreListOperators } from "./restoreListOperators.ts";

export interface WatchJournalParameters {
  /** Pause between two checks of the journal against the ledger, ms. Default 1,000. */
  readonly intervalMs?: number;
  /** Called after each pass that wrote something again or settled something (not for quiet passes). */
  readonly onReconciled?: (result: ReconcileResult) => void;
  /** Called with each failed pass (ledger unreachable, a list that cannot come back yet…); the watcher keeps going. */
  readonly onError?: (error: unknown) => void;
  /**
   * The ledger's head as a reader that polls anyway sees it (`mirrorHeadProbe(mirror)` in the services): while
   * it stays the head a pass found every confirmed write under, and nothing is unsettled, passes make no ledger
   * request (a real pass at least every 30 s regardless).
   */
  readonly ledgerHead?: LedgerHeadProbe;
}

/** Where the watcher stands. */
export interface JournalWatchStatus {
  /**
   * Wall-clock time (ms) at which the newest pass that ended with the journal and the ledger in step had
   * STARTED: every confirmed write was on the ledger (or written again and confirmed) at that moment.
   * `undefined` until the first such pass.
   */
  readonly inStepAsOf: number | undefined;
  /**
   * The newest block holding a confirmed write of this issuer, as of the pass in step (a reader of the ledger
   * that has reached it holds every write, including those written again).
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

/**
 * Keeps checking the issuer's journal of confirmed ledger writes against the ledger while the issuer runs, not
 * only when it opens: a ledger node that was killed and restarted from a state file older than its last blocks
 * (anvil persisting on a timer), or that went back to an earlier head for any reason, has lost writes this
 * issuer acknowledged. Each pass:
 * 1. `findLostWrites`: one block look-up at the checkpoint when nothing changed (its hash still in place
 *    vouches for every block below it); else the blocks and receipts of the confirmed writes after it.
 * 2. If a confirmed write is gone, or a journaled write is unsettled, `reconcileWithLedger` writes the lost ones
 *    again in journal order (same signed bytes when the key's nonce allows, else the same call signed at the
 *    nonce the ledger now expects: nonces are read from the ledger for every write, never cached) and settles
 *    the others, under the issuer's write lock.
 * 3. Otherwise the operator changes recorded by `setListOperator` are compared with the ledger (one
 *    `isOperator` read per recorded change) and those it lost are sent again with the owner key, and the
 *    checkpoint moves to the newest confirmed write, so that the next pass is one look-up again.
 * A recorded operator change that cannot be applied (no owner key configured, the ledger refuses it) fails the
 * pass: `lastError` (`OWNER_KEY_REQUIRED`, `LEDGER_REJECTED`, `details.unrestored`) and `onError`.
 * A failed pass (ledger unreachable) is reported and retried at the next interval: the first pass after the
 * node answers again writes back what it lost, within `intervalMs` plus the writes' own confirmation time.
 */
export function watchJournal(ctx: IssuerContext, params: WatchJournalParameters = {}): JournalWatcher {
  const intervalMs = params.intervalMs ?? 1000;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError("intervalMs must be positive");
  let inStepAsOf: number | undefined;
  let confirmedThroughBlock: number | undefined;
  let lastError: unknown;
  let running = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: Promise<void> | undefined;

  const status = (): JournalWatchStatus => ({ inStepAsOf, confirmedThroughBlock, lastError });

  const gate = createQuietPassGate(params.ledgerHead === undefined ? {} : { probe: params.ledgerHead });
  const pass = async (): Promise<void> => {
    const startedAt = Date.now();
    // Skipped only if no transaction was sent since the last pass in step started (ledgerSends), nothing is
    // unsettled, and the head is still the one that pass vouched for (quietPasses.ts).
    const sends = ctx.ledgerSends();
    const quietUntil = gate.skip(sends);
    if (quietUntil !== undefined && ctx.store.preparedOps().length === 0) {
      inStepAsOf = Math.max(inStepAsOf ?? 0, quietUntil);
      return;
    }
    const head = gate.begin();
    let inStep = false;
    try {
      const lost = await findLostWrites(ctx);
      if (lost.length > 0 || ctx.store.preparedOps().length > 0) {
        const result = await reconcileWithLedger(ctx);
        if (
          result.operations.length > 0 ||
          result.recovered.length > 0 ||
          result.reapplied.length > 0 ||
          result.corrected.length > 0 ||
          result.operators.restored.length > 0
        ) {
          params.onReconciled?.(result);
        }
        if (result.operators.unrestored.length > 0) throw operatorsNotRestored(result.operators.unrestored);
        const inStep =
          result.operations.every((o) => o.state !== "pending") &&
          result.recovered.every((r) => r.outcome.state === "confirmed") &&
          result.discrepancies.length === 0;
        if (!inStep) {
          lastError = new Error("some journaled writes are not on the ledger yet");
          return;
        }
      } else {
        // Under the write lock: a write confirming meanwhile is recorded with its block before the move, and an
        // operator change being made is not sent twice.
        const operators = await ctx.exclusive(async () => {
          const restored = await restoreListOperators(ctx);
          ctx.store.advanceCheckpoint();
          return restored;
        });
        if (operators.restored.length > 0) {
          params.onReconciled?.({ operations: [], recovered: [], corrected: [], reapplied: [], discrepancies: [], operators });
        }
        if (operators.unrestored.length > 0) throw operatorsNotRestored(operators.unrestored);
      }
      confirmedThroughBlock = ctx.store.checkpoint()?.blockNumber;
      inStepAsOf = startedAt;
      lastError = undefined;
      inStep = true;
    } catch (e) {
      lastError = e;
      params.onError?.(e);
    } finally {
      if (inStep) gate.inStep(head, startedAt, confirmedThroughBlock, sends);
      else gate.reset();
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
    timer = setTimeout(() => {
      void check().finally(schedule);
    }, intervalMs);
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
