import type { Filter, Provider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestNetwork, startTestNetwork } from "@mobile-id/chain/testing";
import { isMobileIdError } from "@mobile-id/core";
import { type AuditProgress, getGovernanceChanges, getInForce, openLedger, readLedgerEvents } from "./index.ts";

let net: TestNetwork;
beforeAll(async () => {
  net = await startTestNetwork();
}, 120_000);
afterAll(() => net.chain.close());

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return isMobileIdError(e) ? e.code : `not a MobileIdError: ${String(e)}`;
  }
  return "no error";
};

/** The test chain's provider with some methods replaced (ethers' private fields need the real `this`). */
function patched(overrides: Record<string, (...args: never[]) => unknown>): Provider {
  const target = net.chain.provider;
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === "string" && prop in overrides) return overrides[prop];
      const value: unknown = Reflect.get(t, prop, receiver);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  }) as Provider;
}

describe("openLedger", () => {
  it("fails with LEDGER_UNAVAILABLE when nothing answers at the RPC URL", async () => {
    expect(await codeOf(openLedger({ descriptor: net.descriptor, rpcUrl: "http://127.0.0.1:9/" }))).toBe("LEDGER_UNAVAILABLE");
  });

  it("fails with LEDGER_UNAVAILABLE when the node does not answer in time", async () => {
    const hanging = patched({ send: () => new Promise(() => undefined) });
    const started = Date.now();
    expect(await codeOf(openLedger({ descriptor: net.descriptor, provider: hanging, timeoutMs: 200 }))).toBe("LEDGER_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses another chain, another deployment, and ambiguous or bad options", async () => {
    const provider = net.chain.provider;
    expect(await codeOf(openLedger({ descriptor: { ...net.descriptor, chainId: 1 }, provider }))).toBe("CHAIN_MISMATCH");
    const c = net.descriptor.contracts;
    const wrongCode = { ...net.descriptor, contracts: { ...c, statusRegistry: { ...c.statusRegistry, codeHash: `0x${"00".repeat(32)}` } } };
    expect(await codeOf(openLedger({ descriptor: wrongCode, provider }))).toBe("CONTRACT_MISSING");
    const noCode = { ...net.descriptor, contracts: { ...c, didRegistry: { ...c.didRegistry, address: "0x000000000000000000000000000000000000dEaD" } } };
    expect(await codeOf(openLedger({ descriptor: noCode, provider }))).toBe("CONTRACT_MISSING");
    expect(await codeOf(openLedger({ descriptor: net.descriptor, provider, rpcUrl: "http://127.0.0.1:8545" }))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(openLedger({ descriptor: net.descriptor }))).toBe("INVALID_ARGUMENT"); // rpcUrl "embedded:test"
    expect(await codeOf(openLedger({ descriptor: net.descriptor, provider, logChunkSize: 0 }))).toBe("INVALID_ARGUMENT");
    const rootKey = await net.roster.root.getAddress();
    const otherKey = await net.roster.accreditors.police.signer.getAddress();
    expect(await codeOf(openLedger({ descriptor: net.descriptor, provider, trustedRootKeys: [otherKey] }))).toBe("DESCRIPTOR_UNTRUSTED_SIGNER");
    const ledger = await openLedger({ descriptor: net.descriptor, provider, trustedRootKeys: [rootKey] });
    expect(await codeOf(ledger.resolveBlock(c.statusRegistry.deployBlock - 1))).toBe("BLOCK_OUT_OF_RANGE");
    expect(await codeOf(ledger.resolveBlock((await ledger.headBlock()) + 1))).toBe("BLOCK_OUT_OF_RANGE");
  });

  it("reads logs in bounded ranges, with progress, to the same result as one range", async () => {
    const ranges: [number, number][] = [];
    const provider = patched({
      getLogs: (filter: Filter) => {
        ranges.push([Number(filter.fromBlock), Number(filter.toBlock)]);
        return net.chain.provider.getLogs(filter);
      },
    });
    const small = await openLedger({ descriptor: net.descriptor, provider, logChunkSize: 3 });
    const big = await openLedger({ descriptor: net.descriptor, provider: net.chain.provider });
    const progress: AuditProgress[] = [];
    const a = await readLedgerEvents({ ledger: small, onProgress: (p) => progress.push(p) });
    const b = await readLedgerEvents({ ledger: big, atBlock: a.atBlock });
    expect(a.events).toEqual(b.events);
    expect(a.events.length).toBeGreaterThan(20);
    expect(ranges.length).toBeGreaterThan(4);
    expect(ranges.every(([from, to]) => to - from + 1 <= 3)).toBe(true);
    const logs = progress.filter((p) => p.phase === "logs");
    expect(logs.map((p) => p.done)).toEqual([...logs.map((p) => p.done)].sort((x, y) => x - y));
    expect(logs.at(-1)!.done).toBe(logs.at(-1)!.total);
    expect(await getGovernanceChanges({ ledger: small })).toEqual(await getGovernanceChanges({ ledger: big }));
  });

  it("halves a range the node refuses, and reports LEDGER_UNAVAILABLE when even small ranges fail", async () => {
    const limited = patched({
      getLogs: (filter: Filter) => {
        if (Number(filter.toBlock) - Number(filter.fromBlock) + 1 > 4) return Promise.reject(new Error("query exceeds max block range 4"));
        return net.chain.provider.getLogs(filter);
      },
    });
    const ledger = await openLedger({ descriptor: net.descriptor, provider: limited, logChunkSize: 64 });
    const reference = await openLedger({ descriptor: net.descriptor, provider: net.chain.provider });
    expect((await readLedgerEvents({ ledger })).events).toEqual((await readLedgerEvents({ ledger: reference })).events);
    const broken = await openLedger({
      descriptor: net.descriptor,
      provider: patched({ getLogs: () => Promise.reject(new Error("connection reset")) }),
    });
    expect(await codeOf(readLedgerEvents({ ledger: broken }))).toBe("LEDGER_UNAVAILABLE");
  });

  it("reports LEDGER_UNAVAILABLE when the ledger fails in the middle of a report", async () => {
    const ledger = await openLedger({
      descriptor: net.descriptor,
      provider: patched({ call: () => Promise.reject(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })) }),
    });
    expect(await codeOf(getInForce({ ledger, credentialType: "StudentIDCredential" }))).toBe("LEDGER_UNAVAILABLE");
  });
});
