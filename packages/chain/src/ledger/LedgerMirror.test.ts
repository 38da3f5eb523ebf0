import fc from "fast-check";
import { AbiCoder, type Contract, HDNodeWallet, Mnemonic, type Signer, encodeBytes32String, hexlify, keccak256 } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReasonCode, credentialTypeId, settableClock } from "@mobile-id/core";
import { connectContracts } from "../contracts.ts";
import { DEV_MNEMONIC } from "../devRoster.ts";
import { type TestNetwork, startTestNetwork } from "../testing.ts";
import { LedgerMirror } from "./LedgerMirror.ts";
import { type LedgerRpc, PartyRole, StatusPurpose } from "./types.ts";

const SIZE_LOG2 = 17;
const WORDS = 1 << (SIZE_LOG2 - 8);
/** Most writes land in a few words, so that sets, clears and batches overlap. */
const HOT_WORDS = 2;

const dev = (i: number) => HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${i}`);

/** Sends a transaction; a revert (an action invalid in the current state) is a no-op for the model. */
async function trySend(contract: Contract, signer: Signer, method: string, args: unknown[]): Promise<boolean> {
  try {
    const receipt = await (await (contract.connect(signer) as Contract).getFunction(method)(...args)).wait();
    return receipt?.status === 1;
  } catch {
    return false;
  }
}

const delegateKey = (type: string) => keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [encodeBytes32String(type)]));

type Action =
  | { kind: "revoke" | "suspend" | "reinstate"; list: number; index: number }
  | { kind: "revokeBatch" | "suspendBatch" | "reinstateBatch"; list: number; words: number[]; masks: bigint[] }
  | { kind: "addDelegate"; who: number; type: "veriKey" | "sigAuth"; delegate: number; validity: number }
  | { kind: "revokeDelegate"; who: number; type: "veriKey" | "sigAuth"; delegate: number }
  | { kind: "setAttribute"; who: number }
  | { kind: "changeOwner"; who: number }
  | { kind: "accreditation"; method: "suspend" | "reinstate" | "renew"; target: "issuer" | "accreditor" }
  | { kind: "time"; seconds: number };

/** 0: the list of the action's purpose; 1 (less often): the other one. */
const listArb = fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.constant(1), weight: 1 });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constantFrom("revoke" as const, "suspend" as const, "reinstate" as const), list: listArb, index: fc.oneof({ arbitrary: fc.integer({ min: 0, max: HOT_WORDS * 256 - 1 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: (1 << SIZE_LOG2) - 1 }), weight: 1 }) }),
  fc.record({
    kind: fc.constantFrom("revokeBatch" as const, "suspendBatch" as const, "reinstateBatch" as const),
    list: listArb,
    words: fc.uniqueArray(fc.oneof({ arbitrary: fc.integer({ min: 0, max: HOT_WORDS - 1 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: WORDS - 1 }), weight: 1 }), { minLength: 1, maxLength: 4 }),
    masks: fc.array(fc.oneof(fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }), fc.constant((1n << 256n) - 1n), fc.bigInt({ min: 1n, max: 255n })), { minLength: 4, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant("addDelegate" as const), who: fc.integer({ min: 0, max: 1 }), type: fc.constantFrom("veriKey" as const, "sigAuth" as const), delegate: fc.integer({ min: 0, max: 2 }), validity: fc.integer({ min: 1, max: 10_000 }) }),
  fc.record({ kind: fc.constant("revokeDelegate" as const), who: fc.integer({ min: 0, max: 1 }), type: fc.constantFrom("veriKey" as const, "sigAuth" as const), delegate: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("setAttribute" as const), who: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("changeOwner" as const), who: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant("accreditation" as const), method: fc.constantFrom("suspend" as const, "reinstate" as const, "renew" as const), target: fc.constantFrom("issuer" as const, "accreditor" as const) }),
  fc.record({ kind: fc.constant("time" as const), seconds: fc.integer({ min: 1, max: 5_000 }) }),
);

describe("LedgerMirror (in-process chain)", () => {
  let net: TestNetwork;
  let rpc: LedgerRpc;
  let c: ReturnType<typeof connectContracts>;
  let issuer: HDNodeWallet;
  let accreditor: HDNodeWallet;
  const lists: bigint[] = [];
  const identities = [dev(13), dev(14)];
  /** Each identity's owner key alternates between its own key and a second key (key rotation). */
  const ownerKeys = [[dev(13), dev(18)], [dev(14), dev(19)]] as const;
  const currentOwner = [0, 0];
  const ownerOf = (who: number) => ownerKeys[who]![currentOwner[who]!]!.connect(net.chain.provider);
  const delegateAddresses = [dev(15).address, dev(16).address, dev(17).address];
  const studentType = credentialTypeId("StudentIDCredential", 1);

  beforeAll(async () => {
    net = await startTestNetwork();
    rpc = net.chain.provider as unknown as LedgerRpc;
    c = connectContracts({ descriptor: net.descriptor, runner: net.chain.provider });
    issuer = net.roster.issuers[0]!.signer as HDNodeWallet;
    accreditor = net.roster.accreditors.education.signer as HDNodeWallet;
    for (const purpose of [StatusPurpose.Revocation, StatusPurpose.Suspension]) {
      await trySend(c.statusRegistry, issuer, "createList", [issuer.address, purpose, SIZE_LOG2, []]);
      lists.push((await c.statusRegistry.getFunction("listCount")()) as bigint);
    }
  });
  afterAll(() => net.chain.close());

  async function perform(a: Action, touched: Set<string>, times: number[]): Promise<void> {
    const provider = net.chain.provider;
    switch (a.kind) {
      case "revoke":
      case "suspend":
      case "reinstate": {
        // Mostly the list of the right purpose; sometimes the other (the contract refuses, nothing changes).
        const list = lists[a.list === 0 ? (a.kind === "revoke" ? 0 : 1) : a.kind === "revoke" ? 1 : 0]!;
        touched.add(`${list}:${a.index >> 8}`);
        await trySend(c.statusRegistry, issuer, a.kind, [list, a.index, ReasonCode.ADMINISTRATIVE]);
        return;
      }
      case "revokeBatch":
      case "suspendBatch":
      case "reinstateBatch": {
        const list = lists[a.list === 0 ? (a.kind === "revokeBatch" ? 0 : 1) : a.kind === "revokeBatch" ? 1 : 0]!;
        const words = [...a.words].sort((x, y) => x - y);
        for (const w of words) touched.add(`${list}:${w}`);
        await trySend(c.statusRegistry, issuer, a.kind, [list, words, a.masks.slice(0, words.length), ReasonCode.ADMINISTRATIVE]);
        return;
      }
      case "addDelegate": {
        const who = ownerOf(a.who);
        await trySend(c.didRegistry, who, "addDelegate", [identities[a.who]!.address, encodeBytes32String(a.type), delegateAddresses[a.delegate], a.validity]);
        return;
      }
      case "revokeDelegate": {
        const who = ownerOf(a.who);
        await trySend(c.didRegistry, who, "revokeDelegate", [identities[a.who]!.address, encodeBytes32String(a.type), delegateAddresses[a.delegate]]);
        return;
      }
      case "setAttribute": {
        const who = ownerOf(a.who);
        await trySend(c.didRegistry, who, "setAttribute", [identities[a.who]!.address, encodeBytes32String("did/pub/Secp256k1/veriKey/hex"), hexlify(new Uint8Array(33).fill(2)), 1000]);
        return;
      }
      case "changeOwner": {
        const next = 1 - currentOwner[a.who]!;
        if (await trySend(c.didRegistry, ownerOf(a.who), "changeOwner", [identities[a.who]!.address, ownerKeys[a.who]![next]!.address])) {
          currentOwner[a.who] = next;
        }
        return;
      }
      case "accreditation": {
        const [actor, party] =
          a.target === "issuer" ? [accreditor, issuer.address] : [net.roster.root, accreditor.address];
        const actorAddress = await actor.getAddress();
        const args: unknown[] =
          a.method === "renew"
            ? [actorAddress, party, studentType, 0, ReasonCode.RENEWED]
            : [actorAddress, party, studentType, ReasonCode.ADMINISTRATIVE];
        if (a.method === "renew") {
          const current = await c.accreditationRegistry.getFunction("accreditation")(party, studentType);
          args[3] = Number(current.validUntil) + 1000;
        }
        await trySend(c.accreditationRegistry, actor.connect(provider), a.method, args);
        times.push((await provider.getBlock("latest"))!.timestamp);
        return;
      }
      case "time":
        await net.chain.increaseTime(a.seconds);
        return;
    }
  }

  async function expectMirrorEqualsContract(mirror: LedgerMirror, touched: Set<string>, times: number[]): Promise<void> {
    const head = await mirror.sync();
    for (const key of touched) {
      const [listId, word] = key.split(":").map((x) => BigInt(x)) as [bigint, bigint];
      const [onChain] = (await c.statusRegistry.getFunction("words")(listId, word, 1, { blockTag: head.blockNumber })) as bigint[];
      let local = 0n;
      for (let b = 0n; b < 256n; b++) if (mirror.statusEntry(listId, word * 256n + b)) local |= 1n << b;
      expect(local).toBe(onChain);
    }
    for (const id of identities) {
      const state = mirror.identity(id.address);
      expect(state.owner).toBe(await c.didRegistry.getFunction("identityOwner")(id.address));
      for (const type of ["veriKey", "sigAuth"]) {
        for (const d of delegateAddresses) {
          const onChain = (await c.didRegistry.getFunction("delegates")(id.address, delegateKey(type), d)) as bigint;
          const local = state.delegates.find((x) => x.delegateType === type && x.delegate === d)?.validTo ?? 0n;
          expect(local).toBe(onChain);
        }
      }
    }
    const probes = new Set<number>([head.timestamp, head.timestamp + 10_000_000, 0]);
    for (const t of times) for (const d of [-1, 0, 1]) probes.add(t + d);
    for (const party of [issuer.address, accreditor.address]) {
      for (const at of probes) {
        const s = await c.accreditationRegistry.getFunction("standingAt")(party, studentType, at, { blockTag: head.blockNumber });
        const local = mirror.standingAt(party, studentType, at);
        expect({ ...local, final: undefined }).toEqual({
          inForce: s.inForce,
          status: Number(s.status),
          accreditorStatus: Number(s.accreditorStatus),
          validFrom: Number(s.validFrom),
          validUntil: Number(s.validUntil),
          since: Number(s.since),
          accreditor: s.accreditor,
          reason: Number(s.reason),
          final: undefined,
        });
      }
    }
  }

  it("equals the contracts' own reads after random batches of writes", async () => {
    const mirror = new LedgerMirror({ rpc, descriptor: net.descriptor, maxBlockRange: 5 });
    await mirror.sync();
    const touched = new Set<string>();
    const times: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 10 }), async (actions) => {
        for (const a of actions) await perform(a, touched, times);
        await expectMirrorEqualsContract(mirror, touched, times);
      }),
      {
        numRuns: 25,
        // A sequence that exercises every kind of write, clears of set bits included, before the random ones.
        examples: [
          [
            [
              { kind: "suspend", list: 0, index: 5 },
              { kind: "reinstate", list: 0, index: 5 },
              { kind: "suspendBatch", list: 0, words: [0, 1], masks: [(1n << 256n) - 1n, 0xffn, 1n, 1n] },
              { kind: "reinstate", list: 0, index: 7 },
              { kind: "reinstateBatch", list: 0, words: [1], masks: [0x0fn, 1n, 1n, 1n] },
              { kind: "revoke", list: 0, index: 300 },
              { kind: "revokeBatch", list: 0, words: [2, 3], masks: [3n, 5n, 1n, 1n] },
              { kind: "addDelegate", who: 0, type: "veriKey", delegate: 0, validity: 500 },
              { kind: "changeOwner", who: 0 },
              { kind: "addDelegate", who: 0, type: "sigAuth", delegate: 1, validity: 500 },
              { kind: "revokeDelegate", who: 0, type: "veriKey", delegate: 0 },
              { kind: "accreditation", method: "suspend", target: "accreditor" },
              { kind: "time", seconds: 100 },
              { kind: "accreditation", method: "reinstate", target: "accreditor" },
              { kind: "accreditation", method: "suspend", target: "issuer" },
              { kind: "accreditation", method: "renew", target: "issuer" },
              { kind: "accreditation", method: "reinstate", target: "issuer" },
            ],
          ],
        ],
      },
    );
    // A fresh mirror built from the whole history agrees too (catch-up in ranges of 5 blocks).
    const fresh = new LedgerMirror({ rpc, descriptor: net.descriptor, maxBlockRange: 5 });
    await expectMirrorEqualsContract(fresh, touched, times);
  });

  it("answers every party's registry role as the contract does, with the accreditors its standings name", async () => {
    const mirror = new LedgerMirror({ rpc, descriptor: net.descriptor });
    await mirror.sync();
    const root = await net.roster.root.getAddress();
    const parties = [root, accreditor.address, issuer.address, dev(15).address];
    const head = mirror.freshness()!.head;
    const facts = mirror.read({
      identities: [],
      standings: [{ party: issuer.address, credentialType: studentType, at: "current" }],
      statusEntries: [],
      credentialTypes: [],
      parties,
      now: head.timestamp,
    });
    for (const a of parties) {
      const onChain = (await c.accreditationRegistry.getFunction("party")(a)) as { role: bigint };
      expect(facts.parties.get(a.toLowerCase()), a).toBe(Number(onChain.role));
    }
    expect(facts.parties.get(root.toLowerCase())).toBe(PartyRole.Root);
    expect(facts.parties.get(accreditor.address.toLowerCase())).toBe(PartyRole.Accreditor);
    expect(facts.parties.get(issuer.address.toLowerCase())).toBe(PartyRole.Issuer);
    expect(facts.parties.get(dev(15).address.toLowerCase())).toBe(PartyRole.None);
    // Without naming any party, the accreditor of the standing is still answered.
    const bare = mirror.read({ identities: [], standings: [{ party: issuer.address, credentialType: studentType, at: "current" }], statusEntries: [], credentialTypes: [], now: head.timestamp });
    expect([...bare.parties]).toEqual([[bare.standings[0]!.accreditor.toLowerCase(), PartyRole.Accreditor]]);
  });

  it("fails closed before its first sync and once it has not confirmed the head for maxStalenessSeconds", async () => {
    const clock = settableClock(1_000);
    const mirror = new LedgerMirror({ rpc, descriptor: net.descriptor, maxStalenessSeconds: 30, clock });
    expect(() => mirror.statusList(1n)).toThrow(expect.objectContaining({ code: "LEDGER_UNAVAILABLE" }));
    await mirror.sync();
    expect(mirror.statusList(lists[0]!)?.issuer).toBe(issuer.address);
    clock.advance(30);
    expect(mirror.statusList(lists[0]!)?.issuer).toBe(issuer.address);
    clock.advance(1);
    expect(() => mirror.read({ identities: [], standings: [], statusEntries: [], credentialTypes: [], now: clock() })).toThrow(
      expect.objectContaining({ code: "LEDGER_UNAVAILABLE" }),
    );
    await mirror.sync();
    expect(mirror.statusList(lists[0]!)).toBeDefined();
  });

  it("stops serving on a changed block hash (reorganisation) and rebuilds on the next sync", async () => {
    const mirror = new LedgerMirror({ rpc, descriptor: net.descriptor });
    const snapshot = await rpc.send("evm_snapshot", []);
    await trySend(c.statusRegistry, issuer, "revoke", [lists[0], 7, ReasonCode.ADMINISTRATIVE]);
    await mirror.sync();
    expect(mirror.statusEntry(lists[0]!, 7n)).toBe(true);
    // Replace the last block by another one at the same height.
    await rpc.send("evm_revert", [snapshot]);
    await net.chain.increaseTime(1);
    await expect(mirror.sync()).rejects.toMatchObject({ code: "LEDGER_UNAVAILABLE" });
    expect(mirror.status().state).toBe("failed");
    expect(() => mirror.statusEntry(lists[0]!, 7n)).toThrow(expect.objectContaining({ code: "LEDGER_UNAVAILABLE" }));
    await mirror.sync();
    expect(mirror.status().state).toBe("ready");
    expect(mirror.statusEntry(lists[0]!, 7n)).toBe(
      ((await c.statusRegistry.getFunction("entryStatus")(lists[0], 7)) as [boolean])[0],
    );
  });
});
