import { CONTRACT_EVENTS, type EventSource, type LedgerEvent } from "./events.ts";
import { queryEvents } from "./internal/logs.ts";
import type { AuditLedger } from "./openLedger.ts";
import type { ProgressListener } from "./progress.ts";

export interface ReadLedgerEventsParameters {
  readonly ledger: AuditLedger;
  /** Last block read (inclusive). Default: the head at the time of the call. */
  readonly atBlock?: number;
  /** Contracts whose events are read. Default: the accreditation and status registries (the DID registry
   * holds every holder's key changes too, and is read only where a report needs it). */
  readonly sources?: readonly EventSource[];
  readonly onProgress?: ProgressListener;
}

export interface ReadLedgerEventsReturnType {
  readonly atBlock: number;
  /** Every event of the chosen contracts from their deploy blocks to `atBlock`, in ledger order. */
  readonly events: readonly LedgerEvent[];
}

/**
 * Reads and decodes every event of the trust registries up to a block, in bounded `eth_getLogs` ranges.
 * The raw material of {@link checkConsistency}; also useful to keep an event archive.
 *
 * @example
 * ```ts
 * const { atBlock, events } = await readLedgerEvents({ ledger, onProgress: (p) => console.error(p) });
 * const report = await checkConsistency({ ledger, atBlock, events });
 * ```
 */
export async function readLedgerEvents(params: ReadLedgerEventsParameters): Promise<ReadLedgerEventsReturnType> {
  const { ledger } = params;
  const atBlock = await ledger.resolveBlock(params.atBlock);
  const sources = params.sources ?? (["accreditationRegistry", "statusRegistry"] as const);
  const events = await queryEvents(
    ledger,
    sources.map((source) => ({ source, events: CONTRACT_EVENTS[source] })),
    0,
    atBlock,
    params.onProgress,
  );
  return { atBlock, events };
}
