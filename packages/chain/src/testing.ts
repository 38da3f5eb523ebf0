/**
 * Test support (entry `@mobile-id/chain/testing`): an in-process chain and a deployed, bootstrapped network.
 * Not part of the production API.
 */
import { BrowserProvider, type Provider } from "ethers";
import type { NetworkDescriptor } from "@mobile-id/core";
import { bootstrapNetwork } from "./bootstrapNetwork.ts";
import { deployNetwork } from "./deployNetwork.ts";
import { type DevRoster, devRoster } from "./devRoster.ts";

export interface InProcessChain {
  readonly provider: Provider;
  /** Advances the chain's clock by `seconds` and mines a block. */
  increaseTime(seconds: number): Promise<void>;
  close(): Promise<void>;
}

/** Hardhat's embedded EDR chain in this process, behind a plain ethers provider. */
export async function startInProcessChain(): Promise<InProcessChain> {
  const { network } = await import("hardhat");
  const connection = await network.connect();
  const provider = new BrowserProvider(connection.provider, undefined, { cacheTimeout: -1 });
  return {
    provider,
    increaseTime: async (seconds) => {
      await connection.provider.request({ method: "evm_increaseTime", params: [seconds] });
      await connection.provider.request({ method: "evm_mine", params: [] });
    },
    close: () => connection.close(),
  };
}

export interface TestNetwork {
  readonly chain: InProcessChain;
  readonly descriptor: NetworkDescriptor;
  readonly roster: DevRoster;
}

/** An in-process chain with the contracts deployed and the development roster bootstrapped. */
export async function startTestNetwork(): Promise<TestNetwork> {
  const chain = await startInProcessChain();
  const roster = devRoster(chain.provider);
  const { descriptor } = await deployNetwork({
    deployer: roster.root,
    rootName: roster.rootName,
    networkName: "test",
    rpcUrl: "embedded:test",
  });
  await bootstrapNetwork({ descriptor, root: roster.root, accreditors: roster.accreditors, issuers: roster.issuers });
  return { chain, descriptor, roster };
}
