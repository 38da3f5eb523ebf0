import { describe, expect, it } from "vitest";
import { type ObservedLedgerHead, createQuietPassGate, mirrorHeadProbe } from "./quietPasses.ts";

const head = (blockNumber: number, hash: string, confirmedAtMs: number): ObservedLedgerHead => ({ key: `${blockNumber}:${hash}`, blockNumber, confirmedAtMs });

describe("quiet journal passes", () => {
  it("skips while the head a pass found in step is still the head, up to the quiet limit", () => {
    let now = 1_000;
    let observed: ObservedLedgerHead | undefined = head(10, "0xa", 900);
    const gate = createQuietPassGate({ probe: () => observed, now: () => now, maxQuietMs: 30_000 });
    expect(gate.skip()).toBeUndefined(); // no pass in step yet
    gate.inStep(gate.begin(), now, 10);
    observed = head(10, "0xa", 1_500);
    expect(gate.skip()).toBe(1_500); // in step as of the probe's newer confirmation
    now = 31_001;
    expect(gate.skip()).toBeUndefined(); // a real pass at least every 30 s
  });

  it("runs a real pass when the head moves, goes back, or is another block at the same height", () => {
    let observed: ObservedLedgerHead | undefined = head(10, "0xa", 1);
    const gate = createQuietPassGate({ probe: () => observed, now: () => 0 });
    gate.inStep(gate.begin(), 0, 9);
    for (const other of [head(11, "0xb", 2), head(9, "0xc", 2), head(10, "0xd", 2), undefined]) {
      observed = other;
      expect(gate.skip()).toBeUndefined();
    }
    observed = head(10, "0xa", 3);
    expect(gate.skip()).toBe(3);
    gate.reset(); // a pass not in step
    expect(gate.skip()).toBeUndefined();
  });

  it("never vouches with a head below the newest confirmed write (the probe may lag the node)", () => {
    const observed = head(10, "0xa", 1);
    const gate = createQuietPassGate({ probe: () => observed, now: () => 0 });
    // The pass checked the node at block 11, where the newest write is; the probe still says 10. A node that goes
    // back to block 10 has lost that write, and the probe would show the very head remembered: so remember none.
    gate.inStep(gate.begin(), 0, 11);
    expect(gate.skip()).toBeUndefined();
  });

  it("never skips without a probe", () => {
    const gate = createQuietPassGate({});
    gate.inStep(gate.begin(), 0, undefined);
    expect(gate.skip()).toBeUndefined();
  });

  it("reads the mirror's confirmed head", () => {
    const probe = mirrorHeadProbe({ freshness: () => ({ head: { blockNumber: 7, blockHash: "0xff" }, confirmedAt: 12 }) });
    expect(probe()).toStrictEqual({ key: "7:0xff", blockNumber: 7, confirmedAtMs: 12_000 });
    expect(mirrorHeadProbe({ freshness: () => undefined })()).toBeUndefined();
  });
});
