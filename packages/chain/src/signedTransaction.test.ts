import type { Provider, TransactionReceipt } from "ethers";
import { describe, expect, it } from "vitest";
import { settleTransaction } from "./signedTransaction.ts";

const settings = { confirmations: 1, timeoutMs: 10_000, pollMs: 10 };
const tx = { txHash: `0x${"ab".repeat(32)}`, rawTx: "0x01", sender: "0x0000000000000000000000000000000000000001", nonce: 7 };

/** A node that has mined the transaction (the sender's nonce moved on) but serves its receipt only after `lagReads` reads. */
function laggingNode(lagReads: number): Provider {
  let reads = 0;
  const receipt = { status: 1, hash: tx.txHash } as unknown as TransactionReceipt;
  return {
    getTransactionReceipt: async () => (++reads > lagReads ? receipt : null),
    getTransactionCount: async () => tx.nonce + 1,
    broadcastTransaction: async () => {
      throw new Error("nonce too low");
    },
  } as unknown as Provider;
}

describe("settleTransaction", () => {
  // anvil commits a block's state before its receipts are readable, and a state dump in progress widens that
  // window: the mined transaction must not be taken for one whose nonce another transaction spent.
  it("waits for a receipt that trails its block's state instead of calling the transaction dropped", async () => {
    const fate = await settleTransaction(laggingNode(4), tx, settings);
    expect(fate.kind).toBe("mined");
  });

  it("still reports a transaction dropped when its nonce was spent and no receipt ever comes", async () => {
    const fate = await settleTransaction(laggingNode(Number.POSITIVE_INFINITY), tx, settings);
    expect(fate.kind).toBe("dropped");
  }, 20_000);
});
