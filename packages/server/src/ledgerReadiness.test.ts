import { describe, expect, it } from "vitest";
import type { LedgerFacts, LedgerFreshness, LedgerMirrorStatus } from "@mobile-id/chain";
import type { JournalWatchStatus } from "@mobile-id/issuer";
import { createLedgerReadiness } from "./ledgerReadiness.ts";

/** A mirror and watchers whose state the test sets, and a wall clock it moves. */
function setup(options: { readonly acked?: number } = {}) {
  const head = { blockNumber: 100, blockHash: `0x${"ab".repeat(32)}`, timestamp: 1_000 };
  const mirrorState: { status: LedgerMirrorStatus } = {
    status: { state: "ready", freshness: { head, confirmedAt: 1_000 }, lastError: undefined },
  };
  const watcher: { status: JournalWatchStatus } = { status: { inStepAsOf: 900_000, confirmedThroughBlock: 90, lastError: undefined } };
  const clock = { ms: 1_000_000 };
  const facts = { head } as LedgerFacts;
  const readiness = createLedgerReadiness({
    mirror: {
      status: () => mirrorState.status,
      freshness: () => mirrorState.status.freshness as LedgerFreshness,
      read: () => facts,
      identity: () => {
        throw new Error("unused");
      },
      standingAt: () => {
        throw new Error("unused");
      },
      statusList: () => undefined,
      statusListBits: () => undefined,
    },
    maxStalenessSeconds: 900,
    watchers: new Map([["snu", { status: () => watcher.status }]]),
    ...(options.acked === undefined ? {} : { acknowledgedThroughBlock: () => options.acked }),
    now: () => clock.ms,
  });
  const read = () => readiness.reader.read({ identities: [], standings: [], statusEntries: [], credentialTypes: [], now: 0 });
  /** The node stops answering: the mirror's polls fail, the state it holds stays. */
  const nodeDown = () => {
    mirrorState.status = { ...mirrorState.status, lastError: new Error("ECONNREFUSED") };
    readiness.noteOutage();
  };
  return { readiness, read, nodeDown, clock, watcher, mirrorState, facts };
}

describe("the services' ledger gate with the offline policy", () => {
  it("keeps serving from the replica while the node is unreachable, until the policy runs out", () => {
    const t = setup();
    t.nodeDown();
    t.clock.ms = 1_000_000 + 899_000;
    expect(t.read()).toBe(t.facts);
    const status = t.readiness.status();
    expect(status).toMatchObject({ ok: false, reason: "ledger-unreachable", offline: { servingFromReplica: true, until: 1_900 } });
    expect(t.readiness.reader.freshness()?.head.blockNumber).toBe(100);
    t.clock.ms = 1_000_000 + 901_000;
    expect(() => t.read()).toThrow(expect.objectContaining({ code: "LEDGER_UNAVAILABLE", details: { reason: "mirror-stale" } }));
    expect(t.readiness.status().offline).toBeUndefined();
  });

  it("does not serve through an outage when the replica lacks a change this service acknowledged", () => {
    const acked = setup({ acked: 101 });
    acked.nodeDown();
    expect(() => acked.read()).toThrow(expect.objectContaining({ code: "LEDGER_UNAVAILABLE", details: { reason: "replica-behind-acknowledged-writes" } }));
    // The same from a watcher's journal (a write confirmed by another process on this data directory).
    const journal = setup();
    journal.watcher.status = { ...journal.watcher.status, confirmedThroughBlock: 101 };
    journal.nodeDown();
    expect(() => journal.read()).toThrow(expect.objectContaining({ details: { reason: "replica-behind-acknowledged-writes" } }));
    // Reached: served.
    const reached = setup({ acked: 100 });
    reached.nodeDown();
    expect(reached.read()).toBe(reached.facts);
  });

  it("once the node answers again, stays closed until every watcher checked its journal (the hardening rule)", () => {
    const t = setup();
    t.nodeDown();
    expect(t.read()).toBe(t.facts);
    t.clock.ms += 2_000;
    t.mirrorState.status = { state: "ready", freshness: { head: { ...t.facts.head, blockNumber: 101 }, confirmedAt: 1_002 }, lastError: undefined };
    expect(() => t.read()).toThrow(expect.objectContaining({ details: { reason: "issuers-catching-up" } }));
    t.watcher.status = { inStepAsOf: t.clock.ms + 1, confirmedThroughBlock: 101, lastError: undefined };
    expect(t.read()).toBe(t.facts);
    expect(t.readiness.status().ok).toBe(true);
  });

  it("never serves a mirror that is not ready (an inconsistency dropped its state)", () => {
    const t = setup();
    t.mirrorState.status = { state: "failed", freshness: undefined, lastError: new Error("block 100 changed hash") };
    expect(() => t.read()).toThrow(expect.objectContaining({ details: { reason: "mirror-not-ready" } }));
  });
});
