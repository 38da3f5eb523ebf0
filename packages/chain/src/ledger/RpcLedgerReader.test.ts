import { AbiCoder, BrowserProvider, type Contract, HDNodeWallet, Mnemonic, type Signer, ZeroAddress, encodeBytes32String, hexlify, keccak256 } from "ethers";
import { Resolver } from "did-resolver";
import { getResolver } from "ethr-did-resolver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialTypeId, toEthrDid } from "@mobile-id/core";
import { connectContracts } from "../contracts.ts";
import { DEV_MNEMONIC } from "../devRoster.ts";
import { type TestNetwork, startTestNetwork } from "../testing.ts";
import { RpcLedgerReader } from "./RpcLedgerReader.ts";
import { AccreditationStatus, type LedgerRpc, PartyRole, StatusPurpose } from "./types.ts";

/** Counts every JSON-RPC request sent through it. */
function counting(inner: LedgerRpc): LedgerRpc & { count: number; methods: string[] } {
  const c = {
    count: 0,
    methods: [] as string[],
    send(method: string, params: unknown[]) {
      c.count++;
      c.methods.push(method);
      return inner.send(method, params);
    },
  };
  return c;
}

async function send(contract: Contract, signer: Signer, method: string, args: unknown[]): Promise<void> {
  const receipt = await (await (contract.connect(signer) as Contract).getFunction(method)(...args)).wait();
  if (receipt?.status !== 1) throw new Error(method);
}

describe("RpcLedgerReader (in-process chain)", () => {
  let net: TestNetwork;
  let rpc: LedgerRpc;
  let contracts: ReturnType<typeof connectContracts>;
  const identity = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0/12");
  const delegates = [1, 2, 3, 4, 5].map(() => HDNodeWallet.createRandom().address);

  beforeAll(async () => {
    net = await startTestNetwork();
    rpc = net.chain.provider as unknown as LedgerRpc;
    contracts = connectContracts({ descriptor: net.descriptor, runner: net.chain.provider });
  });
  afterAll(() => net.chain.close());

  it("resolves a DID with 200 changes in 2 requests (ethr-did-resolver needs one per changed block)", async () => {
    const signer = identity.connect(net.chain.provider);
    const veriKey = encodeBytes32String("veriKey");
    const sigAuth = encodeBytes32String("sigAuth");
    // 200 changes: delegates added and revoked in turn, attributes, and one owner change at the end.
    for (let i = 0; i < 199; i++) {
      const d = delegates[i % delegates.length]!;
      const type = i % 2 === 0 ? veriKey : sigAuth;
      if (i % 3 === 2) await send(contracts.didRegistry, signer, "revokeDelegate", [identity.address, type, d]);
      else if (i % 7 === 0) await send(contracts.didRegistry, signer, "setAttribute", [identity.address, encodeBytes32String("did/pub/Secp256k1/veriKey/hex"), hexlify(new Uint8Array(33).fill(i)), 86_400]);
      else await send(contracts.didRegistry, signer, "addDelegate", [identity.address, type, d, 86_400]);
    }
    const newOwner = HDNodeWallet.createRandom().address;
    await send(contracts.didRegistry, signer, "changeOwner", [identity.address, newOwner]);

    const counted = counting(rpc);
    const reader = new RpcLedgerReader({ rpc: counted, descriptor: net.descriptor });
    const head = await reader.head();
    const state = (await reader.identities([identity.address], head)).get(identity.address)!;
    expect(counted.count).toBeLessThanOrEqual(3);
    expect(counted.methods).toEqual(["eth_getBlockByNumber", "eth_getLogs"]);
    expect(state.changes).toBe(200);
    expect(state.owner).toBe(newOwner);
    // The registry's own mapping is the reference for every delegate's validTo.
    for (const d of state.delegates) {
      const onChain = await contracts.didRegistry.getFunction("delegates")(identity.address, ethersKeccakType(d.delegateType), d.delegate);
      expect(d.validTo).toBe(onChain);
    }

    // The stock resolver over the same node, for contrast (printed, and asserted to be the linear walk).
    let resolverRequests = 0;
    const countingProvider = new BrowserProvider({
      request: ({ method, params }: { method: string; params?: unknown[] }) => {
        resolverRequests++;
        return rpc.send(method, params ?? []);
      },
    });
    const resolver = new Resolver(
      getResolver({
        // ethr-did-resolver is typed against the CommonJS build of ethers; the object is the same at run time.
        networks: [{ name: "0x7a69", chainId: 31337, provider: countingProvider as never, registry: net.descriptor.contracts.didRegistry.address }],
      }),
    );
    await countingProvider.getNetwork();
    resolverRequests = 0;
    const doc = await resolver.resolve(toEthrDid(31337, identity.address));
    expect(doc.didDocument?.verificationMethod?.[0]?.blockchainAccountId).toContain(newOwner);
    console.log(`DID with 200 changes: ours ${counted.count} requests, ethr-did-resolver ${resolverRequests}`);
    expect(resolverRequests).toBeGreaterThanOrEqual(200);
  });

  it("fetches the same state with a capped log range", async () => {
    const head = await new RpcLedgerReader({ rpc, descriptor: net.descriptor }).head();
    const whole = await new RpcLedgerReader({ rpc, descriptor: net.descriptor }).identities([identity.address], head);
    const chunked = await new RpcLedgerReader({ rpc, descriptor: net.descriptor, maxBlockRange: 7 }).identities([identity.address], head);
    expect(chunked).toEqual(whole);
  });

  it("refuses an identity over its event or byte cap with DID_TOO_COMPLEX, before decoding any of its events", async () => {
    const head = await new RpcLedgerReader({ rpc, descriptor: net.descriptor }).head();
    const other = net.roster.issuers[0]!.signer as HDNodeWallet;
    const at = (caps: { maxEventsPerIdentity?: number; maxLogBytesPerIdentity?: number }) =>
      new RpcLedgerReader({ rpc, descriptor: net.descriptor, ...caps }).identities([identity.address, other.address], head);
    // The identity has 200 events; 200 is within the cap, 199 is not.
    expect((await at({ maxEventsPerIdentity: 200 })).get(identity.address)?.changes).toBe(200);
    await expect(at({ maxEventsPerIdentity: 199 })).rejects.toMatchObject({ code: "DID_TOO_COMPLEX", details: { identity: identity.address } });
    await expect(at({ maxLogBytesPerIdentity: 4_096 })).rejects.toMatchObject({ code: "DID_TOO_COMPLEX" });
    // The same caps leave an identity with a short history alone.
    expect((await new RpcLedgerReader({ rpc, descriptor: net.descriptor, maxEventsPerIdentity: 1 }).identities([other.address], head)).get(other.address)?.owner).toBe(other.address);
    expect(() => new RpcLedgerReader({ rpc, descriptor: net.descriptor, maxEventsPerIdentity: 0 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("reads standings, status entries and types, and tells unknown from unreachable", async () => {
    const reader = new RpcLedgerReader({ rpc, descriptor: net.descriptor });
    await reader.checkNetwork();
    const issuer = net.roster.issuers[0]!.signer as HDNodeWallet;
    const type = credentialTypeId("StudentIDCredential", 1);
    await send(contracts.statusRegistry, issuer, "createList", [issuer.address, StatusPurpose.Revocation, 17, []]);
    const listId = (await contracts.statusRegistry.getFunction("listCount")()) as bigint;
    await send(contracts.statusRegistry, issuer, "revoke", [listId, 42n, 3]);
    const head = await reader.head();
    const facts = await reader.read({
      identities: [issuer.address],
      standings: [
        { party: issuer.address, credentialType: type, at: "current" },
        { party: issuer.address, credentialType: type, at: 1 },
      ],
      statusEntries: [
        { listId, index: 42n },
        { listId, index: 43n },
        { listId, index: 1n << 17n },
        { listId: 999n, index: 0n },
      ],
      credentialTypes: [type, `0x${"ab".repeat(32)}`],
      parties: [issuer.address, ZeroAddress.replace(/0$/, "1")],
      now: head.timestamp,
    });
    // Roles: the parties asked for, and the accreditor named by each standing answer.
    expect(facts.parties.get(issuer.address.toLowerCase())).toBe(PartyRole.Issuer);
    expect(facts.parties.get(ZeroAddress.replace(/0$/, "1"))).toBe(PartyRole.None);
    expect(facts.parties.get(facts.standings[0]!.accreditor.toLowerCase())).toBe(PartyRole.Accreditor);
    expect(facts.standings[0]).toMatchObject({ inForce: true, status: AccreditationStatus.Active });
    expect(facts.standings[1]).toMatchObject({ inForce: false, status: AccreditationStatus.None, final: true });
    expect(facts.statusEntries.map((e) => e.set)).toEqual([true, false, undefined, undefined]);
    expect(facts.statusEntries[0]!.list).toMatchObject({ issuer: issuer.address, purpose: StatusPurpose.Revocation, size: 1n << 17n });
    expect(facts.statusEntries[3]!.list).toBeUndefined();
    expect(facts.credentialTypes.get(type.toLowerCase())?.name).toBe("StudentIDCredential");
    expect(facts.credentialTypes.get(`0x${"ab".repeat(32)}`)).toBeUndefined();
    expect(facts.identities.get(issuer.address)?.owner).toBe(issuer.address);
  });

  it("fails closed with LEDGER_UNAVAILABLE when the node does not answer", async () => {
    const dead: LedgerRpc = { send: () => Promise.reject(new Error("connect ECONNREFUSED")) };
    const reader = new RpcLedgerReader({ rpc: dead, descriptor: net.descriptor });
    await expect(reader.read({ identities: [ZeroAddress], standings: [], statusEntries: [], credentialTypes: [], now: 0 })).rejects.toMatchObject({
      code: "LEDGER_UNAVAILABLE",
    });
  });

  it("refuses a node whose contracts are not the descriptor's", async () => {
    const wrong = {
      ...net.descriptor,
      contracts: { ...net.descriptor.contracts, statusRegistry: { ...net.descriptor.contracts.statusRegistry, codeHash: `0x${"00".repeat(32)}` } },
    };
    await expect(new RpcLedgerReader({ rpc, descriptor: wrong }).checkNetwork()).rejects.toMatchObject({ code: "CONTRACT_MISSING" });
    await expect(new RpcLedgerReader({ rpc, descriptor: { ...net.descriptor, chainId: 1 } }).checkNetwork()).rejects.toMatchObject({ code: "CHAIN_MISMATCH" });
  });
});

/** The registry keys delegates by keccak256(abi.encode(bytes32 type)). */
function ethersKeccakType(type: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [encodeBytes32String(type)]));
}
