import { Wallet, computeAddress } from "ethers";
import { describe, expect, it } from "vitest";
import { devNodeKey, parseNodeIdentity } from "./validatorKeys.ts";

describe("parseNodeIdentity", () => {
  const wallet = Wallet.createRandom();
  const uncompressed = wallet.signingKey.publicKey;

  it("takes an address, an uncompressed or compressed public key, with or without @host:port", () => {
    expect(parseNodeIdentity(wallet.address.toLowerCase())).toEqual({ address: wallet.address, enodeId: undefined, endpoint: undefined });
    const expected = { address: wallet.address, enodeId: uncompressed.slice(4), endpoint: "10.0.0.11:30303" };
    expect(parseNodeIdentity(`${uncompressed}@10.0.0.11:30303`)).toEqual(expected);
    expect(parseNodeIdentity(`0x${uncompressed.slice(4)}@10.0.0.11:30303`)).toEqual(expected);
    expect(parseNodeIdentity(`${wallet.signingKey.compressedPublicKey}@10.0.0.11:30303`)).toEqual(expected);
  });

  it("refuses a private key, naming it so", () => {
    expect(() => parseNodeIdentity(wallet.privateKey)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("private key") }));
  });

  it("refuses junk and a point off the curve", () => {
    for (const bad of ["0x1234", "validator-1", `0x04${"00".repeat(64)}`, `${wallet.address}@not a host`]) {
      expect(() => parseNodeIdentity(bad)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    }
  });
});

describe("devNodeKey", () => {
  it("is deterministic and consistent: the key file's key has the listed address and enode id", () => {
    const k = devNodeKey(2, "172.16.239.13:30303");
    expect(devNodeKey(2).address).toBe(k.address);
    const w = new Wallet(`0x${k.privateKeyFileContent}`);
    expect(w.address).toBe(k.address);
    expect(computeAddress(`0x04${k.enodeId ?? ""}`)).toBe(k.address);
    expect(devNodeKey(3).address).not.toBe(k.address);
  });
});
