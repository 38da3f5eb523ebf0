import { describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import type { AccreditationChangedEvent, LedgerEvent } from "./events.ts";
import { blocksNeedingTime, rebuildLedgerState } from "./rebuildLedgerState.ts";

const A = "0x00000000000000000000000000000000000000a1";
const ROOT = "0x0000000000000000000000000000000000000001";
const ACC = "0x0000000000000000000000000000000000000002";
const TYPE = `0x${"11".repeat(32)}`;
let log = 0;
const pos = (blockNumber: number) => ({ blockNumber, logIndex: log++, transactionHash: `0x${String(blockNumber).padStart(64, "0")}` });
const change = (block: number, status: AccreditationChangedEvent["status"], validUntil: number, reason = 1): AccreditationChangedEvent => ({
  ...pos(block),
  name: "AccreditationChanged",
  party: A,
  credentialType: TYPE,
  actor: ACC,
  status,
  validFrom: 100,
  validUntil,
  reason,
});
const times = (events: readonly LedgerEvent[]) => new Map(blocksNeedingTime(events).map((b) => [b, 1000 + b]));

describe("rebuildLedgerState", () => {
  it("replays an accreditation's versions as the contract stores them", () => {
    const events = [change(1, "Active", 500), change(2, "Suspended", 500, 5), change(3, "Suspended", 900, 2), change(4, "Active", 900, 9)];
    const state = rebuildLedgerState({ events, blockTimestamps: times(events) });
    const record = state.accreditations.get(`${A}|${TYPE}`)!;
    expect(record.current).toEqual({ status: "Active", validFrom: 100, validUntil: 900, since: 1004, grantor: ACC, changedBy: ACC, reason: 9, changes: 3 });
    expect(record.history.map((h) => [h.status, h.validUntil, h.since, h.reason, h.changes])).toEqual([
      ["Active", 500, 1001, 1, 0],
      ["Suspended", 500, 1002, 5, 1],
      ["Suspended", 900, 1003, 2, 2],
    ]);
    expect(state.anomalies).toEqual([]);
  });

  it("lists what no contract could have emitted instead of throwing", () => {
    const events: LedgerEvent[] = [
      change(1, "Suspended", 500), // first event must be a grant
      change(2, "Revoked", 500),
      change(3, "Active", 500), // nothing leaves Revoked
      { ...pos(4), name: "StatusEntrySet", listId: 7n, index: 1n, reason: 1 },
      { ...pos(5), name: "StatusListCreated", listId: 1n, issuer: A, purpose: "Revocation", size: 1n << 17n, sender: A },
      { ...pos(6), name: "StatusWordsCleared", listId: 1n, reason: 1, wordIndexes: [512n], masks: [1n] },
      { ...pos(7), name: "RootTransferred", previousRoot: "0x0000000000000000000000000000000000000000", newRoot: ROOT },
      { ...pos(8), name: "RootTransferred", previousRoot: ROOT, newRoot: ACC },
    ];
    const state = rebuildLedgerState({ events, blockTimestamps: times(events) });
    expect(state.anomalies.map((a) => [a.blockNumber, a.message])).toEqual([
      [1, `first accreditation event of ${A}|${TYPE} sets Suspended, not Active`],
      [3, `accreditation ${A}|${TYPE} cannot go from Revoked (until 500) to Active (until 500)`],
      [4, "StatusEntrySet on unknown list 7"],
      [6, "StatusWordsCleared on revocation list 1: revocation is permanent"],
      [6, "StatusWordsCleared past the end of list 1"],
      [8, `root moved to ${ACC}, which was not pending`],
    ]);
  });

  it("needs the time of every block that stamps a record", () => {
    const events = [change(1, "Active", 500)];
    let code = "";
    try {
      rebuildLedgerState({ events, blockTimestamps: new Map() });
    } catch (e) {
      code = isMobileIdError(e) ? e.code : "other";
    }
    expect(code).toBe("INVALID_ARGUMENT");
    expect(blocksNeedingTime([...events, { ...pos(9), name: "StatusEntrySet", listId: 1n, index: 0n, reason: 1 }])).toEqual([1]);
  });
});
