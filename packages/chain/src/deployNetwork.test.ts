import { Wallet, getAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NetworkDescriptor, verifyNetworkDescriptor } from "@mobile-id/core";
import { connectContracts } from "./contracts.ts";
import { deployNetwork } from "./deployNetwork.ts";
import { devRoster } from "./devRoster.ts";
import { type InProcessChain, startInProcessChain } from "./testing.ts";

describe("deployNetwork (in-process chain)", () => {
  let chain: InProcessChain;
  let first: NetworkDescriptor;

  beforeAll(async () => {
    chain = await startInProcessChain();
    const roster = devRoster(chain.provider);
    const result = await deployNetwork({
      deployer: roster.root,
      rootName: roster.rootName,
      networkName: "test",
      rpcUrl: "embedded:test",
    });
    expect(result.deployed).toEqual(["didRegistry", "accreditationRegistry", "statusRegistry", "relyingPartyRegistry"]);
    first = result.descriptor;
  });
  afterAll(() => chain.close());

  it("writes a descriptor signed by the root key, naming contracts wired to each other", async () => {
    const root = devRoster(chain.provider).root;
    expect(verifyNetworkDescriptor({ descriptor: first, trustedRootKeys: [await root.getAddress()] })).toBe(first);
    expect(first.chainId).toBe(31337);
    expect(first.root.did).toBe(`did:ethr:0x7a69:${(await root.getAddress()).toLowerCase()}`);
    const c = connectContracts({ descriptor: first, runner: chain.provider });
    expect(getAddress(await c.accreditationRegistry.getFunction("root")())).toBe(first.root.address);
    expect(getAddress(await c.accreditationRegistry.getFunction("identityRegistry")())).toBe(
      first.contracts.didRegistry.address,
    );
    const [did, acc] = (await c.statusRegistry.getFunction("registries")()) as [string, string];
    expect([getAddress(did), getAddress(acc)]).toEqual([
      first.contracts.didRegistry.address,
      first.contracts.accreditationRegistry.address,
    ]);
  });

  it("is idempotent: a second run deploys nothing, sends no transaction and returns the same descriptor", async () => {
    const roster = devRoster(chain.provider);
    const blockBefore = await chain.provider.getBlockNumber();
    const again = await deployNetwork({
      deployer: roster.root,
      rootName: roster.rootName,
      networkName: "test",
      rpcUrl: "embedded:test",
      existing: first,
    });
    expect(again.deployed).toEqual([]);
    expect(again.descriptor).toBe(first);
    expect(await chain.provider.getBlockNumber()).toBe(blockBefore);
  });

  it("resumes an interrupted deployment from its journal, reusing what was deployed", async () => {
    const roster = devRoster(chain.provider);
    const reused: string[] = [];
    const resumed = await deployNetwork({
      deployer: roster.root,
      rootName: roster.rootName,
      networkName: "test",
      rpcUrl: "embedded:test",
      existing: { chainId: 31337, contracts: { didRegistry: first.contracts.didRegistry } },
      onContract: (name, _ref, wasReused) => {
        if (wasReused) reused.push(name);
      },
    });
    expect(reused).toEqual(["didRegistry"]);
    expect(resumed.deployed).toEqual(["accreditationRegistry", "statusRegistry", "relyingPartyRegistry"]);
    expect(resumed.descriptor.contracts.didRegistry).toEqual(first.contracts.didRegistry);
  });

  it("redeploys when the recorded code is not on this chain (a descriptor from a reset chain)", async () => {
    const roster = devRoster(chain.provider);
    const stale = { ...first.contracts.statusRegistry, address: Wallet.createRandom().address };
    const result = await deployNetwork({
      deployer: roster.root,
      rootName: roster.rootName,
      networkName: "test",
      rpcUrl: "embedded:test",
      existing: { chainId: 31337, contracts: { ...first.contracts, statusRegistry: stale } },
    });
    // Each contract counts as depending on those before it: the relying-party registry is deployed anew too.
    expect(result.deployed).toEqual(["statusRegistry", "relyingPartyRegistry"]);
  });

  it("adds the relying-party registry to a network deployed before it existed, reusing the rest", async () => {
    const roster = devRoster(chain.provider);
    const { relyingPartyRegistry: _absent, ...older } = first.contracts;
    const result = await deployNetwork({
      deployer: roster.root,
      rootName: roster.rootName,
      networkName: "test",
      rpcUrl: "embedded:test",
      existing: { chainId: 31337, contracts: older },
    });
    expect(result.deployed).toEqual(["relyingPartyRegistry"]);
    expect(result.descriptor.contracts.accreditationRegistry).toEqual(first.contracts.accreditationRegistry);
    const rp = connectContracts({ descriptor: result.descriptor, runner: chain.provider }).relyingPartyRegistry;
    expect(await rp.getFunction("accreditationRegistry")()).toBe(first.contracts.accreditationRegistry.address);
  });

  it("refuses a descriptor of another chain", async () => {
    const roster = devRoster(chain.provider);
    await expect(
      deployNetwork({
        deployer: roster.root,
        rootName: roster.rootName,
        networkName: "test",
        rpcUrl: "embedded:test",
        existing: { ...first, chainId: 1 },
      }),
    ).rejects.toMatchObject({ code: "CHAIN_MISMATCH" });
  });
});
