import { AuditorError } from "./errors.ts";
import { STATUS_PURPOSE_NAMES, StatusListBook, type StatusPurpose } from "@mobile-id/chain";
import { type ListPurpose, type StatusEntryEvent, type StatusListCreatedEvent, type StatusWordsEvent } from "./events.ts";
import { compareText } from "./internal/compare.ts";
import { parseIdentity, partyName, readDirectory } from "./internal/directory.ts";
import { queryEvents, topicAddress, topicUint } from "./internal/logs.ts";
import { dayOf, offsetLabel } from "./internal/time.ts";
import type { AuditLedger } from "./openLedger.ts";
import type { ProgressListener } from "./progress.ts";
import { type ReportHeader, reportHeader } from "./reportHeader.ts";

export interface GetStatusActivityParameters {
  readonly ledger: AuditLedger;
  /** Only this issuer's lists (address or address-form `did:ethr`). Default: every issuer. */
  readonly issuer?: string;
  /** Count writes from this block on (default: the deployment). Lists are always replayed from their creation,
   * so `unchanged` stays exact. */
  readonly fromBlock?: number;
  /** Default: the head. */
  readonly atBlock?: number;
  /** Days are calendar days at this fixed offset from UTC, in minutes. Default 0 (UTC); 540 is KST. */
  readonly utcOffsetMinutes?: number;
  readonly onProgress?: ProgressListener;
}

/** Status writes of one issuer on one day. Counts are entries (credentials), not transactions. */
export interface StatusActivityRow {
  readonly day: string;
  readonly issuer: string;
  readonly issuerName: string;
  /** Entries set on the issuer's revocation lists. */
  readonly revoked: number;
  /** Entries set on its suspension lists. */
  readonly suspended: number;
  /** Entries cleared on its suspension lists. */
  readonly reinstated: number;
  /** Of the above, entries that already had the written value (the write changed nothing). */
  readonly unchanged: number;
  /** Status events (a batch is one event). */
  readonly events: number;
}

export interface StatusActivityTotals {
  readonly revoked: number;
  readonly suspended: number;
  readonly reinstated: number;
  readonly unchanged: number;
  readonly events: number;
}

export interface StatusActivityReport extends ReportHeader {
  readonly kind: "statusActivity";
  readonly fromBlock: number;
  readonly utcOffsetMinutes: number;
  /** e.g. `UTC+09:00`. */
  readonly timeZone: string;
  readonly issuer: string | null;
  /** By day, then issuer name. Only days with writes appear. */
  readonly rows: readonly StatusActivityRow[];
  readonly totals: StatusActivityTotals;
  /** The lists the counts come from (list ids and sizes as decimal strings). */
  readonly lists: readonly {
    readonly listId: string;
    readonly issuer: string;
    readonly issuerName: string;
    readonly purpose: ListPurpose;
    readonly size: string;
    readonly createdBlock: number;
  }[];
}

/**
 * Revocations, suspensions and reinstatements per issuer per day, from the status events alone: singles count
 * one entry, batches the popcount of their masks. Each list's issuer and purpose come from its creation
 * event; days from block timestamps (each block's time read once).
 *
 * @example
 * ```ts
 * const report = await getStatusActivity({ ledger, utcOffsetMinutes: 540 }); // days in KST
 * console.log(report.totals.revoked);
 * ```
 */
export async function getStatusActivity(params: GetStatusActivityParameters): Promise<StatusActivityReport> {
  const { ledger, onProgress } = params;
  const utcOffsetMinutes = params.utcOffsetMinutes ?? 0;
  if (!Number.isSafeInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 18 * 60) {
    throw new AuditorError("INVALID_ARGUMENT", "utcOffsetMinutes must be whole minutes within ±18 hours", {
      details: { utcOffsetMinutes },
    });
  }
  const issuer = params.issuer === undefined ? null : parseIdentity(params.issuer, ledger.descriptor.chainId);
  const atBlock = await ledger.resolveBlock(params.atBlock);
  const fromBlock = params.fromBlock ?? 0;
  if (!Number.isSafeInteger(fromBlock) || fromBlock < 0 || fromBlock > atBlock) {
    throw new AuditorError("BLOCK_OUT_OF_RANGE", "fromBlock must be between 0 and atBlock", { details: { fromBlock, atBlock } });
  }
  const dir = await readDirectory(ledger, atBlock, onProgress);
  const created = (await queryEvents(
    ledger,
    [{ source: "statusRegistry", events: ["StatusListCreated"], topics: [null, issuer === null ? null : topicAddress(issuer)] }],
    0,
    atBlock,
    onProgress,
  )) as StatusListCreatedEvent[];
  const lists = new Map(created.map((e) => [e.listId, e]));
  const writes = (await queryEvents(
    ledger,
    [
      {
        source: "statusRegistry",
        events: ["StatusEntrySet", "StatusEntryCleared", "StatusWordsSet", "StatusWordsCleared"],
        topics: [issuer === null ? null : [...lists.keys()].map(topicUint)],
      },
    ],
    0,
    atBlock,
    onProgress,
  )) as (StatusEntryEvent | StatusWordsEvent)[];

  const counted = writes.filter((e) => e.blockNumber >= fromBlock);
  const times = await ledger.blockTimestamps(
    counted.map((e) => e.blockNumber),
    onProgress,
  );
  // Replayed by chain's StatusListBook (the verifier's mirror's model): it tells what each write changed.
  const book = new StatusListBook();
  const rows = new Map<string, { -readonly [K in keyof StatusActivityRow]: StatusActivityRow[K] }>();
  for (const e of writes) {
    const list = lists.get(e.listId);
    if (list === undefined) {
      throw new AuditorError("LEDGER_DATA_INVALID", "a status event names a list that was never created", {
        details: { listId: e.listId.toString(), block: e.blockNumber, tx: e.transactionHash },
      });
    }
    const set = e.name === "StatusEntrySet" || e.name === "StatusWordsSet";
    let effect;
    try {
      if (book.info(e.listId) === undefined) book.create(e.listId, list.issuer, STATUS_PURPOSE_NAMES.indexOf(list.purpose) as StatusPurpose, list.size);
      effect = "index" in e ? book.setEntry(e.listId, e.index, set) : book.setWords(e.listId, e.wordIndexes, e.masks, set);
    } catch (cause) {
      // A list size or a write outside the list that no contract allows.
      if (!(cause instanceof RangeError)) throw cause;
      throw new AuditorError("LEDGER_DATA_INVALID", "a status event does not fit its list", {
        details: { listId: e.listId.toString(), block: e.blockNumber, tx: e.transactionHash },
        cause,
      });
    }
    if (e.blockNumber < fromBlock) continue;
    const day = dayOf(times.get(e.blockNumber) ?? 0, utcOffsetMinutes);
    const key = `${day}|${list.issuer}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = { day, issuer: list.issuer, issuerName: partyName(dir, list.issuer), revoked: 0, suspended: 0, reinstated: 0, unchanged: 0, events: 0 };
      rows.set(key, row);
    }
    if (!set) row.reinstated += effect.entries;
    else if (list.purpose === "Revocation") row.revoked += effect.entries;
    else row.suspended += effect.entries;
    row.unchanged += effect.unchanged;
    row.events += 1;
  }
  const sorted = [...rows.values()].sort(
    (a, b) => compareText(a.day, b.day) || compareText(a.issuerName, b.issuerName) || compareText(a.issuer, b.issuer),
  );
  const sum = (k: keyof StatusActivityTotals) => sorted.reduce((s, r) => s + r[k], 0);
  return {
    kind: "statusActivity",
    ...(await reportHeader(ledger, atBlock)),
    fromBlock,
    utcOffsetMinutes,
    timeZone: offsetLabel(utcOffsetMinutes),
    issuer,
    rows: sorted,
    totals: { revoked: sum("revoked"), suspended: sum("suspended"), reinstated: sum("reinstated"), unchanged: sum("unchanged"), events: sum("events") },
    lists: created.map((e) => ({
      listId: e.listId.toString(),
      issuer: e.issuer,
      issuerName: partyName(dir, e.issuer),
      purpose: e.purpose,
      size: e.size.toString(),
      createdBlock: e.blockNumber,
    })),
  };
}
