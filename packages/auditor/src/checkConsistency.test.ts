import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import {
  type AuditLedger,
  type AuditProgress,
  type LedgerEvent,
  checkConsistency,
  formatReport,
  openLedger,
  readLedgerEvents,
} from "./index.ts";
import { type Scenario, runScenario, step } from "./testing.ts";

let s: Scenario;
let ledger: AuditLedger;
let head: number;
let events: readonly LedgerEvent[];

beforeAll(async () => {
  s = await runScenario();
  ledger = await openLedger({ descriptor: s.net.descriptor, provider: s.net.chain.provider });
  ({ atBlock: head, events } = await readLedgerEvents({ ledger }));
}, 120_000);
afterAll(() => s.net.chain.close());

const word = (v: bigint) => `0x${v.toString(16).padStart(64, "0")}`;

describe("checkConsistency", () => {
  it("finds events and state consistent, and says how much it checked", async () => {
    const progress: AuditProgress[] = [];
    const report = await checkConsistency({ ledger, onProgress: (p) => progress.push(p) });
    expect(report.mismatches).toEqual([]);
    expect(report.consistent).toBe(true);
    expect(report.checked).toEqual({
      roots: 1,
      parties: 11, // root, 4 accreditors, 5 issuers, the new root
      credentialTypes: 4,
      accreditations: 9, // 4 accreditors, 5 issuer records
      historyEntries: 7, // SNU 2, police 2, Pusan 2, Seoul 1
      lists: 3,
      operators: 3,
      records: 38,
      words: 3 * 512, // every word of three lists of 2^17 entries
    });
    expect(report.summary).toBe(`consistent: 38 records, 1536 words checked at block ${head}`);
    expect([report.atBlock, report.eventsToBlock, report.eventCount]).toEqual([head, step(s, "seoulRevoke2").blockNumber, events.length]);
    // Progress: every phase ends complete.
    for (const phase of ["logs", "blocks", "calls", "words"] as const) {
      const last = progress.filter((p) => p.phase === phase).at(-1);
      expect(last, phase).toBeDefined();
      expect(last!.done).toBe(last!.total);
    }
    expect(formatReport({ report, format: "table" })).toContain("(no rows)\n\nconsistent: 38 records");
  });

  it("detects a batch revocation missing from the event log, entry by entry", async () => {
    const tampered = events.filter((e) => e.transactionHash !== step(s, "revokeBatch").hash);
    expect(tampered).toHaveLength(events.length - 1);
    const report = await checkConsistency({ ledger, atBlock: head, events: tampered });
    expect(report.consistent).toBe(false);
    expect(report.mismatches).toEqual([
      { subject: "statusWord", key: "list 1 word 0", field: "bits", fromEvents: word(1n << 5n), onChain: word(0b101011n), detail: "entries differing: 0, 1, 3" },
      { subject: "statusWord", key: "list 1 word 3", field: "bits", fromEvents: word(0n), onChain: word((1n << 255n) | 1n), detail: "entries differing: 768, 1023" },
    ]);
    expect(report.summary).toBe(`INCONSISTENT: 2 mismatches in 38 records, 1536 words checked at block ${head}`);
  });

  it("detects a changed reason code in one accreditation event", async () => {
    const hash = step(s, "reinstateSnu").hash;
    const tampered = events.map((e) => (e.transactionHash === hash && e.name === "AccreditationChanged" ? { ...e, reason: 6 } : e));
    const report = await checkConsistency({ ledger, atBlock: head, events: tampered });
    expect(report.mismatches).toEqual([
      { subject: "accreditation", key: `${s.who.snu}|${s.types.student}`, field: "reason", fromEvents: "6", onChain: "9", detail: "" },
    ]);
  });

  it("detects a replayed event (a change from Revoked) and reports the history read that reverts", async () => {
    const revoke = events.find((e) => e.transactionHash === step(s, "revokePusan").hash)!;
    const replayed = [...events, { ...revoke, blockNumber: head, logIndex: 99 }];
    const report = await checkConsistency({ ledger, atBlock: head, events: replayed });
    const key = `${s.who.pusan}|${s.types.student}`;
    expect(report.mismatches.filter((m) => m.subject === "eventLog").map((m) => m.fromEvents)).toEqual([
      `accreditation ${key} cannot go from Revoked (until ${s.pusanWindow.renewedUntil}) to Revoked (until ${s.pusanWindow.renewedUntil})`,
    ]);
    expect(report.mismatches).toContainEqual({ subject: "accreditation", key, field: "changes", fromEvents: "3", onChain: "2", detail: "" });
    expect(report.mismatches).toContainEqual({
      subject: "accreditationHistory",
      key: `${key}#2`,
      field: "record",
      fromEvents: "exists",
      onChain: "reverted (AccreditationRegistryHistoryOutOfRange)",
      detail: "",
    });
  });

  it("detects a forged reinstatement on a revocation list", async () => {
    const forged: LedgerEvent = { name: "StatusEntryCleared", listId: 1n, index: 300n, reason: 9, blockNumber: head, logIndex: 98, transactionHash: "0x" + "ab".repeat(32) };
    const report = await checkConsistency({ ledger, atBlock: head, events: [...events, forged] });
    expect(report.mismatches).toEqual([
      { subject: "eventLog", key: `block ${head} log 98`, field: "event", fromEvents: "StatusEntryCleared on revocation list 1: revocation is permanent", onChain: "", detail: `tx 0x${"ab".repeat(32)}` },
      { subject: "statusWord", key: "list 1 word 1", field: "bits", fromEvents: word(0n), onChain: word(1n << 44n), detail: "entries differing: 300" },
    ]);
  });

  it("detects events of one block compared with the state of another, in both directions", async () => {
    const earlier = step(s, "suspendBatch").blockNumber - 1;
    const old = await readLedgerEvents({ ledger, atBlock: earlier });
    const forward = await checkConsistency({ ledger, atBlock: head, events: old.events });
    expect(forward.consistent).toBe(false);
    expect(forward.eventsToBlock).toBeLessThanOrEqual(earlier);
    const keys = forward.mismatches.map((m) => `${m.subject} ${m.key} ${m.field}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        "root root root",
        "party count partyCount",
        "party #11 identity",
        `credentialType ${s.types.resident} deprecated`,
        `accreditation ${s.who.police}|${s.types.drivers} changes`,
        `accreditation ${s.who.pusan}|${s.types.student} status`,
        "statusWord list 2 word 0 bits",
        "statusWord list 2 word 1 bits",
        "statusWord list 3 word 3 bits",
      ]),
    );
    const backward = await checkConsistency({ ledger, atBlock: earlier, events });
    expect(backward.consistent).toBe(false);
    expect(backward.mismatches).toContainEqual({ subject: "party", key: "count", field: "partyCount", fromEvents: "11", onChain: "10", detail: "" });
    expect(backward.mismatches).toContainEqual(
      expect.objectContaining({ subject: "statusWord", key: "list 2 word 0", fromEvents: word(0b11n), onChain: word(1n << 7n), detail: "entries differing: 0, 1, 7" }),
    );
    // The same events at their own block agree.
    expect((await checkConsistency({ ledger, atBlock: earlier, events: old.events })).consistent).toBe(true);
  });

  it("can check only touched words and skip history, and needs atBlock with events", async () => {
    const report = await checkConsistency({ ledger, words: "touched", checkHistory: false });
    expect(report.consistent).toBe(true);
    // List 1: words 0, 1, 3; list 2: words 0, 1; list 3: word 3.
    expect([report.checked.words, report.checked.historyEntries, report.checked.records]).toEqual([6, 0, 31]);
    let code = "";
    try {
      await checkConsistency({ ledger, events });
    } catch (e) {
      code = isMobileIdError(e) ? e.code : "other";
    }
    expect(code).toBe("INVALID_ARGUMENT");
  });
});
