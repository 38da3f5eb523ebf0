import { Transaction, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { STATUS_BATCH_WORDS } from "@mobile-id/core";
import { statusRegistryInterface } from "../ledger/events.ts";
import { startTestNetwork } from "../testing.ts";
import { connectContracts } from "../contracts.ts";
import { BESU_MAX_TRANSACTION_BYTES } from "./besuLimits.ts";
import { MIN_GAS_LIMIT } from "./createQbftGenesis.ts";

const ALL_ONES = (1n << 256n) - 1n;

describe("the largest status batch on a Besu network", () => {
  it("stays under Besu's 128 KiB transaction limit, signed, with every field at its widest", async () => {
    const words = Array.from({ length: STATUS_BATCH_WORDS }, (_, i) => BigInt(2 ** 32 - STATUS_BATCH_WORDS + i));
    const masks = words.map(() => ALL_ONES);
    const data = statusRegistryInterface.encodeFunctionData("revokeBatch", [2n ** 64n - 1n, words, masks, 2 ** 32 - 1]);
    const tx = Transaction.from({
      type: 2, chainId: 2n ** 32n, nonce: 2 ** 40, gasLimit: 2n ** 40n, maxFeePerGas: 2n ** 64n, maxPriorityFeePerGas: 2n ** 64n,
      to: "0xDA7d689Aa7bd42f3dC3a21b69aA5ef963C4B7dc1", data,
    });
    const signed = await Wallet.createRandom().signTransaction(tx);
    const bytes = (signed.length - 2) / 2;
    console.log(`full status batch (${STATUS_BATCH_WORDS} words): ${bytes} bytes signed, ${((100 * bytes) / BESU_MAX_TRANSACTION_BYTES).toFixed(1)}% of Besu's limit`);
    expect(bytes).toBeLessThan(BESU_MAX_TRANSACTION_BYTES);
    // One word more than the contract's cap would not be the limit either: the contract's cap binds first.
    expect(STATUS_BATCH_WORDS).toBeLessThanOrEqual(1024);
  });

  it("fits in one block at the smallest gas limit `mid network init` accepts, writing fresh words (the costliest case)", async () => {
    const { chain, descriptor, roster } = await startTestNetwork();
    try {
      const issuer = roster.issuers[0]?.signer;
      if (issuer === undefined) throw new Error("no development issuer");
      const status = connectContracts({ descriptor, runner: issuer }).statusRegistry;
      const receipt = await (await status.getFunction("createList")(await issuer.getAddress(), 1, 24, [])).wait();
      const logs = (receipt?.logs ?? []) as readonly { topics: readonly string[]; data: string }[];
      const created = logs.map((l) => statusRegistryInterface.parseLog(l)).find((d) => d?.name === "StatusListCreated");
      const listId = created?.args.getValue("listId") as bigint;
      // The in-process chain refuses to estimate the full batch (it caps a transaction's gas: EIP-7825's 2^24 after
      // Osaka; our genesis stops at Cancun, which has no such cap), so the full batch is extrapolated from two
      // measured batches of fresh words: the cost per word is constant (one zero-to-nonzero SSTORE, calldata, log data).
      const estimate = (n: number) => {
        const words = Array.from({ length: n }, (_, i) => BigInt(i * 16));
        return status.getFunction("revokeBatch").estimateGas(listId, words, words.map(() => ALL_ONES), 11);
      };
      const [quarter, half] = [await estimate(STATUS_BATCH_WORDS / 4), await estimate(STATUS_BATCH_WORDS / 2)];
      const perWord = (half - quarter) / BigInt(STATUS_BATCH_WORDS / 4);
      const gas = half + perWord * BigInt(STATUS_BATCH_WORDS / 2);
      console.log(`status batch of fresh words, all bits: ${quarter} gas (${STATUS_BATCH_WORDS / 4} words), ${half} (${STATUS_BATCH_WORDS / 2}), ${perWord}/word, so ${gas} for ${STATUS_BATCH_WORDS} (extrapolated); MIN_GAS_LIMIT ${MIN_GAS_LIMIT}`);
      expect(gas).toBeLessThan(BigInt(MIN_GAS_LIMIT));
    } finally {
      await chain.close();
    }
  });
});
