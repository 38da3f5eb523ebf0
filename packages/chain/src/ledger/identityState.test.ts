import { ZeroAddress, encodeBytes32String } from "ethers";
import { describe, expect, it } from "vitest";
import type { Erc1056Event } from "./events.ts";
import { foldIdentityEvents, untouchedIdentity } from "./identityState.ts";

const ID = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const KEY2 = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const DELEGATE = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";
const veriKey = encodeBytes32String("veriKey").toLowerCase();

const delegate = (validTo: bigint): Erc1056Event => ({
  kind: "delegate",
  identity: ID,
  delegateType: "veriKey",
  delegateTypeRaw: veriKey,
  delegate: DELEGATE,
  validTo,
});

describe("ERC-1056 identity state", () => {
  it("is owned by itself with nothing else when untouched", () => {
    expect(foldIdentityEvents(ID, [])).toEqual(untouchedIdentity(ID));
    expect(untouchedIdentity(ID.toLowerCase()).owner).toBe(ID);
  });

  it("keeps the latest validTo per (type, delegate), like the registry's mapping", () => {
    const s = foldIdentityEvents(ID, [delegate(2000n), delegate(1500n)]);
    // counter: ethr-did-resolver's `#delegate-N` counts both events; the entry carries the latest one's.
    expect(s.delegates).toEqual([{ delegateType: "veriKey", delegate: DELEGATE, validTo: 1500n, counter: 2 }]);
  });

  it("follows owner changes", () => {
    expect(foldIdentityEvents(ID, [{ kind: "owner", identity: ID, owner: KEY2 }]).owner).toBe(KEY2);
  });

  it("treats the zero owner as terminal deactivation and ignores what follows", () => {
    const s = foldIdentityEvents(ID, [
      { kind: "owner", identity: ID, owner: ZeroAddress },
      { kind: "owner", identity: ID, owner: ID },
      delegate(5000n),
    ]);
    expect(s.deactivated).toBe(true);
    expect(s.owner).toBe(ZeroAddress);
    expect(s.delegates).toEqual([]);
    expect(s.changes).toBe(3);
  });

  it("keeps public-key attributes only", () => {
    const s = foldIdentityEvents(ID, [
      { kind: "attribute", identity: ID, name: "did/pub/Secp256k1/veriKey/hex", nameRaw: "0x01", value: "0x02ab", validTo: 10n },
      { kind: "attribute", identity: ID, name: "did/svc/HubService", nameRaw: "0x02", value: "0x68", validTo: 10n },
    ]);
    expect(s.attributes.map((a) => a.name)).toEqual(["did/pub/Secp256k1/veriKey/hex"]);
  });
});

describe("ethr-did-resolver's key counter (#delegate-N)", () => {
  const attr = (name: string, value: string, validTo: bigint, nameRaw = encodeBytes32String(name).toLowerCase()): Erc1056Event => ({
    kind: "attribute",
    identity: ID,
    name,
    nameRaw,
    value,
    validTo,
  });

  it("counts delegate and did/pub events in chain order, across owner changes; services and owners do not count", () => {
    const s = foldIdentityEvents(ID, [
      delegate(2000n), // 1
      { kind: "owner", identity: ID, owner: KEY2 },
      attr("did/svc/HubService", "0x68", 10n),
      attr("did/pub/Secp256k1/veriKey/hex", "0x02aa", 10n), // 2
      attr("did/pub/Secp256k1/veriKey/hex", "0x02bb", 10n), // 3
      attr("did/pub/Secp256k1/veriKey/hex", "0x02aa", 0n), // 4: revokes 0x02aa
      delegate(0n), // 5
    ]);
    expect(s.delegates.map((d) => d.counter)).toEqual([5]);
    expect(s.attributes.map((a) => [a.value, a.counter])).toEqual([
      ["0x02aa", 4],
      ["0x02bb", 3],
    ]);
    expect(s.irregularKeyEvents).toBeUndefined();
  });

  it("keeps did/pub names outside the resolver's grammar apart, and skips names that are not UTF-8", () => {
    const s = foldIdentityEvents(ID, [
      attr("did/pub/Secp256k1/veriKey/x-y", "0x02aa", 77n), // counted by the resolver only while not valid
      attr("did/pub/Secp256k1/veriKey", "0x02bb", 10n), // 1
      attr("did/pub/\uFFFD", "0x02cc", 10n, `0x6469642f7075622fff${"00".repeat(23)}`), // dropped by the resolver
      attr("did/pub/Secp256k1/veriKey", "0x02dd", 10n), // 2
    ]);
    expect(s.irregularKeyEvents).toEqual([{ after: 0, validTo: 77n }]);
    expect(s.attributes.map((a) => a.counter)).toEqual([undefined, 1, undefined, 2]);
  });
});
