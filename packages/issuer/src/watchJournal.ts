/** @internal Not exported from the package: reached through `Issuer.watchJournal`. */
import { type JournalWatcher, type LedgerHeadProbe, watchJournalPasses } from "@mobile-id/chain";
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

export type { JournalWatchStatus, JournalWatcher } from "@mobile-id/chain";

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
  return watchJournalPasses({
    ...(params.intervalMs === undefined ? {} : { intervalMs: params.intervalMs }),
    ...(params.ledgerHead === undefined ? {} : { ledgerHead: params.ledgerHead }),
    ...(params.onError === undefined ? {} : { onError: params.onError }),
    // A pass is skipped only if no transaction was sent since the last pass in step started and nothing is
    // unsettled (and the head is still the one that pass vouched for: quietPasses.ts).
    version: () => ctx.ledgerSends(),
    mayBeQuiet: () => ctx.journal.preparedOps().length === 0,
    pass: async () => {
      const lost = await findLostWrites(ctx);
      if (lost.length > 0 || ctx.journal.preparedOps().length > 0) {
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
        if (!inStep) return { inStep: false, confirmedThroughBlock: undefined };
      } else {
        // Under the write lock: a write confirming meanwhile is recorded with its block before the move, and an
        // operator change being made is not sent twice.
        const operators = await ctx.exclusive(async () => {
          const restored = await restoreListOperators(ctx);
          ctx.journal.advanceCheckpoint();
          return restored;
        });
        if (operators.restored.length > 0) {
          params.onReconciled?.({ operations: [], recovered: [], corrected: [], reapplied: [], discrepancies: [], operators });
        }
        if (operators.unrestored.length > 0) throw operatorsNotRestored(operators.unrestored);
      }
      return { inStep: true, confirmedThroughBlock: ctx.journal.checkpoint()?.blockNumber };
    },
  });
}
