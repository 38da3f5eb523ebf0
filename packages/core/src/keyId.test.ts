import fc from "fast-check";
import { getAddress } from "ethers";
import { describe, expect, it } from "vitest";
import { ethrKeyId, parseEthrKeyId } from "./keyId.ts";

const DID = "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";

describe("key ids", () => {
  it("names the owner key and each delegate, and nothing else", () => {
    expect(parseEthrKeyId(`${DID}#controller`, DID)).toEqual({ kind: "controller" });
    expect(parseEthrKeyId(`${DID}#controllerKey`, DID)).toEqual({ kind: "controller" });
    expect(parseEthrKeyId(`${DID}#delegate-0x70997970c51812dc3a010c7d01b50e0d17dc79c8`, DID)).toEqual({
      kind: "delegate",
      address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    });
    for (const kid of [
      `${DID}#delegate-1`, // ethr-did-resolver's counter form
      `${DID}#delegate-0x70997970c51812dc3a010c7d01b50e0d17dc79`, // short
      `${DID}#delegate-0x70997970c51812dc3a010c7d01b50e0d17dc79c8#x`,
      `${DID}#owner`,
      `${DID}#`,
      `did:ethr:0x7a69:0x70997970c51812dc3a010c7d01b50e0d17dc79c8#controller`, // another DID
    ]) {
      expect(parseEthrKeyId(kid, DID), kid).toBeUndefined();
    }
  });

  it("reads back what it writes, for any delegate address", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const address = getAddress(`0x${Buffer.from(bytes).toString("hex")}`);
        expect(parseEthrKeyId(ethrKeyId(DID, { kind: "delegate", address }), DID)).toEqual({ kind: "delegate", address });
      }),
    );
    expect(parseEthrKeyId(ethrKeyId(DID, { kind: "controller" }), DID)).toEqual({ kind: "controller" });
  });
});
