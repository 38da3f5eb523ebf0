import { type RawLog, addressTopic, eventTopic, genesisConstructorLogs, uintTopic } from "@mobile-id/chain";
import { type EventSource, type LedgerEvent, type LedgerEventName, compareEvents, decodeLog } from "../events.ts";
import type { AuditLedger } from "../openLedger.ts";
import type { ProgressListener } from "../progress.ts";
import { auditorLedgerError } from "./rpc.ts";

/** One log filter: some events of one contract, optionally narrowed by indexed arguments (topics 1-3). */
export interface LogQuery {
  readonly source: EventSource;
  readonly events: readonly LedgerEventName[];
  /** Topics 1..3: `null` for any, a value, or values of which any may match. An empty list matches nothing. */
  readonly topics?: readonly (string | readonly string[] | null)[];
}

/** Longest OR list put into one filter; longer ones are split into several queries. */
const MAX_TOPIC_ALTERNATIVES = 256;
/** A refused range is halved at most this many times before the failure is reported. */
const MAX_HALVINGS = 4;

export const topicAddress = addressTopic;
export const topicUint = uintTopic;
export const topicBytes32 = (value: string): string => value.toLowerCase();

/**
 * All events matching `queries` in blocks `[fromBlock, toBlock]` (each query starts no earlier than its
 * contract's deploy block), decoded, de-duplicated and in ledger order. Reads in bounded `eth_getLogs` ranges
 * of `ledger.logChunkSize` blocks; a range the node refuses (too many results, too wide) is halved and retried.
 */
export async function queryEvents(
  ledger: AuditLedger,
  queries: readonly LogQuery[],
  fromBlock: number,
  toBlock: number,
  onProgress?: ProgressListener,
): Promise<LedgerEvent[]> {
  const plans = queries
    .flatMap(splitAlternatives)
    .filter((q) => !(q.topics ?? []).some((t) => Array.isArray(t) && t.length === 0))
    .map((q) => ({ query: q, start: Math.max(fromBlock, ledger.descriptor.contracts[q.source].deployBlock) }))
    .filter((p) => p.start <= toBlock);
  const total = plans.reduce((sum, p) => sum + (toBlock - p.start + 1), 0);
  let done = 0;
  const seen = new Map<string, LedgerEvent>();
  let genesisLogs: Promise<RawLog[]> | undefined;
  for (const { query, start } of plans) {
    const address = ledger.descriptor.contracts[query.source].address;
    const topic0 = query.events.map((name) => eventTopic(query.source, name));
    const topics: (string | string[] | null)[] = [topic0, ...(query.topics ?? []).map((t) => (t === null || typeof t === "string" ? t : [...t]))];
    if (start === 0 && query.source === "accreditationRegistry") {
      // Contracts placed in genesis (`mid network init`): their constructors' logs exist only as block-0 state.
      const pending =
        genesisLogs ??
        genesisConstructorLogs(ledger.provider, ledger.descriptor.contracts).catch((cause: unknown) => {
          throw auditorLedgerError("eth_call", { contract: query.source, block: 0 }, cause);
        });
      genesisLogs = pending;
      for (const log of (await pending).filter((l) => matchesTopics(l.topics, topics))) {
        const event = decodeLog(query.source, log, ledger.descriptor.contracts);
        seen.set(`${event.blockNumber}:${event.logIndex}`, event);
      }
    }
    let from = start;
    let chunk = ledger.logChunkSize;
    let halvings = 0;
    while (from <= toBlock) {
      const to = Math.min(toBlock, from + chunk - 1);
      let logs: Awaited<ReturnType<typeof ledger.provider.getLogs>>;
      try {
        logs = await ledger.provider.getLogs({ address, topics, fromBlock: from, toBlock: to });
      } catch (cause) {
        if (halvings < MAX_HALVINGS && chunk > 1) {
          halvings++;
          chunk = Math.max(1, Math.floor(chunk / 2));
          continue;
        }
        throw auditorLedgerError("eth_getLogs", { contract: query.source, fromBlock: from, toBlock: to }, cause);
      }
      for (const log of logs) {
        if (log.removed) continue;
        const event = decodeLog(query.source, { ...log, logIndex: log.index }, ledger.descriptor.contracts);
        seen.set(`${event.blockNumber}:${event.logIndex}`, event);
      }
      done += to - from + 1;
      onProgress?.({ phase: "logs", done, total, detail: `${query.source} ${from}-${to}` });
      from = to + 1;
    }
  }
  return [...seen.values()].sort(compareEvents);
}

/** `eth_getLogs` topic matching: each position `null` (any), one value, or a list of which one must match. */
function matchesTopics(logTopics: readonly string[], filter: readonly (string | readonly string[] | null)[]): boolean {
  return filter.every((want, i) => {
    if (want === null) return true;
    const have = logTopics[i]?.toLowerCase();
    return typeof want === "string" ? have === want.toLowerCase() : want.some((w) => w.toLowerCase() === have);
  });
}

function splitAlternatives(query: LogQuery): LogQuery[] {
  const topics = query.topics ?? [];
  const i = topics.findIndex((t) => Array.isArray(t) && t.length > MAX_TOPIC_ALTERNATIVES);
  if (i < 0) return [query];
  const values = topics[i] as readonly string[];
  const parts: LogQuery[] = [];
  for (let k = 0; k < values.length; k += MAX_TOPIC_ALTERNATIVES) {
    const t = [...topics];
    t[i] = values.slice(k, k + MAX_TOPIC_ALTERNATIVES);
    parts.push(...splitAlternatives({ ...query, topics: t }));
  }
  return parts;
}
