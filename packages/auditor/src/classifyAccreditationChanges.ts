import type { AccreditationChangedEvent, LogPosition } from "./events.ts";

/** A log's identity on the ledger (block and index in it), independent of which decoded object holds it. */
export const logKey = (e: LogPosition): string => `${e.blockNumber}:${e.logIndex}`;

/** What an `AccreditationChanged` did, told apart by the record's previous state. */
export type AccreditationAction = "granted" | "renewed" | "suspended" | "reinstated" | "revoked";

/**
 * Classifies each event against the previous event of the same (party, type). `events` must hold every
 * earlier event of each (party, type) it mentions, in ledger order (the contract emits one per change).
 * Keyed by {@link logKey}.
 */
export function classifyAccreditationChanges(
  events: readonly AccreditationChangedEvent[],
): Map<string, AccreditationAction> {
  const last = new Map<string, AccreditationChangedEvent>();
  const out = new Map<string, AccreditationAction>();
  for (const e of events) {
    const key = `${e.party}|${e.credentialType}`;
    const prev = last.get(key);
    let action: AccreditationAction;
    if (prev === undefined) action = "granted";
    else if (e.status === prev.status) action = "renewed";
    else if (e.status === "Active") action = "reinstated";
    else if (e.status === "Suspended") action = "suspended";
    else action = "revoked";
    out.set(logKey(e), action);
    last.set(key, e);
  }
  return out;
}
