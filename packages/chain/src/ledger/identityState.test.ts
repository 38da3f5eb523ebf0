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
    expect(s.delegates).toEqual([{ delegateType: "veriKey", delegate: DELEGATE, validTo: 1500n }]);
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
