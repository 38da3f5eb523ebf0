import fc from "fast-check";
import { AbiCoder } from "ethers";
import { describe, expect, it } from "vitest";
import { decodeStatusWordsData } from "./decodeStatusWords.ts";
import { decodeLedgerLog, statusRegistryInterface } from "./events.ts";

const addresses = {
  didRegistry: "0x0000000000000000000000000000000000000001",
  accreditationRegistry: "0x0000000000000000000000000000000000000002",
  statusRegistry: "0x0000000000000000000000000000000000000003",
};
const uint256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });

describe("decodeStatusWordsData", () => {
  it("decodes batch events exactly as the ABI decoder does", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("StatusWordsSet", "StatusWordsCleared"),
        uint256,
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(fc.tuple(uint256, uint256), { maxLength: 40 }),
        (name, listId, reason, pairs) => {
          const { data, topics } = statusRegistryInterface.encodeEventLog(name, [listId, reason, pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
          const log = { address: addresses.statusRegistry, topics, data, blockNumber: "0x5", blockHash: `0x${"cd".repeat(32)}`, logIndex: "0x0" };
          const decoded = decodeLedgerLog(log, addresses);
          const d = statusRegistryInterface.parseLog({ topics, data })!;
          expect(decodeStatusWordsData(data)).toEqual({ reason, wordIndexes: pairs.map((p) => p[0]), masks: pairs.map((p) => p[1]) });
          expect(decoded).toEqual({
            blockNumber: 5,
            logIndex: 0,
            blockHash: `0x${"cd".repeat(32)}`,
            transactionHash: "",
            kind: "words",
            listId: d.args[0] as bigint,
            wordIndexes: [...(d.args[2] as bigint[])],
            masks: [...(d.args[3] as bigint[])],
            value: name === "StatusWordsSet",
            reason,
          });
        },
      ),
    );
  });

  it("leaves any other encoding to the general decoder", () => {
    const coder = AbiCoder.defaultAbiCoder();
    const canonical = coder.encode(["uint32", "uint256[]", "uint256[]"], [7, [1n, 2n], [3n, 4n]]);
    expect(decodeStatusWordsData(canonical)).toEqual({ reason: 7, wordIndexes: [1n, 2n], masks: [3n, 4n] });
    // Arrays of different lengths, a truncated tail, extra bytes, a reason beyond uint32, odd hex: not read here.
    expect(decodeStatusWordsData(coder.encode(["uint32", "uint256[]", "uint256[]"], [7, [1n, 2n], [3n]]))).toBeUndefined();
    expect(decodeStatusWordsData(canonical.slice(0, -64))).toBeUndefined();
    expect(decodeStatusWordsData(`${canonical}${"00".repeat(32)}`)).toBeUndefined();
    expect(decodeStatusWordsData(coder.encode(["uint256", "uint256[]", "uint256[]"], [2n ** 32n, [1n], [3n]]))).toBeUndefined();
    expect(decodeStatusWordsData(`${canonical}0`)).toBeUndefined();
    expect(decodeStatusWordsData("0x")).toBeUndefined();
  });
});
