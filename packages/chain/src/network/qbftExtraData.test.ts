import fc from "fast-check";
import { getAddress, hexlify } from "ethers";
import { describe, expect, it } from "vitest";
import { decodeQbftExtraData, encodeQbftExtraData } from "./qbftExtraData.ts";

// The block-header-validator QBFT genesis of Besu's documentation ("Configure QBFT consensus"), four validators.
const BESU_DOCS_EXTRA_DATA =
  "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f8549464a702e6263b7297a96638cac6ae65e6541f4169943923390ad55e90c237593b3b0e401f3b08a0318594aefdb9a738c9f433e5b6b212a6d62f6370c2f69294c7eeb9a4e00ce683cf93039b212648e01c6c6b78c080c0";
const BESU_DOCS_VALIDATORS = [
  "0x64a702e6263b7297a96638cac6ae65e6541f4169",
  "0x3923390ad55e90c237593b3b0e401f3b08a03185",
  "0xaefdb9a738c9f433e5b6b212a6d62f6370c2f692",
  "0xc7eeb9a4e00ce683cf93039b212648e01c6c6b78",
];

describe("QBFT extraData", () => {
  it("encodes Besu's documented example byte for byte", () => {
    expect(encodeQbftExtraData(BESU_DOCS_VALIDATORS)).toBe(BESU_DOCS_EXTRA_DATA);
  });

  it("decodes Besu's example to its validators, no vote, round 0, no seals", () => {
    expect(decodeQbftExtraData(BESU_DOCS_EXTRA_DATA)).toEqual({
      vanity: `0x${"00".repeat(32)}`,
      validators: BESU_DOCS_VALIDATORS.map((a) => getAddress(a)),
      vote: undefined,
      round: 0,
      seals: [],
    });
  });

  it("decodes back to the input validators, in order, for any validator set", () => {
    const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));
    fc.assert(
      fc.property(fc.uniqueArray(address, { minLength: 1, maxLength: 30 }), (validators) => {
        expect(decodeQbftExtraData(encodeQbftExtraData(validators)).validators).toEqual(validators);
      }),
    );
  });

  it("refuses an empty or duplicated validator set and malformed extraData", () => {
    expect(() => encodeQbftExtraData([])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => encodeQbftExtraData([BESU_DOCS_VALIDATORS[0] as string, getAddress(BESU_DOCS_VALIDATORS[0] as string)])).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    for (const bad of ["0x", "0xc0", "nothex", BESU_DOCS_EXTRA_DATA.replace("f87aa0", "f87a9f")]) {
      expect(() => decodeQbftExtraData(bad)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    }
  });
});
