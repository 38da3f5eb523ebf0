import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Provider, makeError } from "ethers";
import { type TestNetwork, startTestNetwork } from "../testing.ts";
import { describeLedgerError } from "../ledgerError.ts";
import { statusRegistryInterface } from "./events.ts";
import { checkNetwork, ledgerRpcOf } from "./rpc.ts";

let net: TestNetwork;
beforeAll(async () => {
  net = await startTestNetwork();
}, 120_000);
afterAll(() => net.chain.close());

/** The chain's provider with only the two methods of ethers' Provider interface the check needs (no `send`). */
const withoutSend = (): Provider =>
  ({
    getNetwork: () => net.chain.provider.getNetwork(),
    getCode: (address: string, tag?: string) => net.chain.provider.getCode(address, tag),
  }) as unknown as Provider;

describe("checkNetwork over an ethers provider", () => {
  it("accepts the descriptor's node, through the provider's send or its methods", async () => {
    await expect(checkNetwork(ledgerRpcOf(net.chain.provider), net.descriptor)).resolves.toBeUndefined();
    await expect(checkNetwork(ledgerRpcOf(withoutSend()), net.descriptor)).resolves.toBeUndefined();
  });

  it("refuses another chain, another deployment and a node that does not answer", async () => {
    const c = net.descriptor.contracts;
    const wrongCode = { ...net.descriptor, contracts: { ...c, statusRegistry: { ...c.statusRegistry, codeHash: `0x${"00".repeat(32)}` } } };
    for (const provider of [net.chain.provider, withoutSend()]) {
      await expect(checkNetwork(ledgerRpcOf(provider), { ...net.descriptor, chainId: 1 })).rejects.toMatchObject({ code: "CHAIN_MISMATCH" });
      await expect(checkNetwork(ledgerRpcOf(provider), wrongCode)).rejects.toMatchObject({ code: "CONTRACT_MISSING" });
    }
    const refused = () => Promise.reject(new Error("connection refused"));
    const dead = { getNetwork: refused, getCode: refused } as unknown as Provider;
    await expect(checkNetwork(ledgerRpcOf(dead), net.descriptor)).rejects.toMatchObject({ code: "LEDGER_UNAVAILABLE" });
  });
});

describe("describeLedgerError", () => {
  it("classifies reverts (decoding custom errors from revert data), funds, transport and other faults", () => {
    const data = statusRegistryInterface.encodeErrorResult("StatusRegistryRevocationIsPermanent", [3n]);
    const withData = makeError("execution reverted", "CALL_EXCEPTION", { action: "estimateGas", data, reason: null, transaction: { to: null, data: "0x" }, invocation: null, revert: null });
    expect(describeLedgerError(withData, statusRegistryInterface)).toEqual({ kind: "reverted", error: "StatusRegistryRevocationIsPermanent", args: [3n] });
    expect(describeLedgerError(withData)).toEqual({ kind: "reverted", error: undefined, args: [] });
    expect(describeLedgerError(makeError("no funds", "INSUFFICIENT_FUNDS", { transaction: {} }))).toEqual({ kind: "insufficientFunds" });
    expect(describeLedgerError(makeError("down", "NETWORK_ERROR", { event: "x" }))).toEqual({ kind: "transport" });
    expect(describeLedgerError(new Error("socket hang up"))).toEqual({ kind: "other" });
  });
});
