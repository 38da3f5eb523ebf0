/** @internal Not exported from the package. */
import type { IssuerContext } from "./issuerContext.ts";
import { issuerLedgerError } from "./ledger.ts";
import type { LedgerOpRow } from "./store/createIssuanceStore.ts";

/** Block look-ups in flight at once while verifying (a local node answers each in ~2 ms). */
const CONCURRENCY = 8;

/**
 * The confirmed ledger writes that the ledger no longer holds: a write is still there if the block recorded
 * at its confirmation is still the block at that height (same hash), or if a receipt for its transaction
 * exists (re-included elsewhere, or a row from before block hashes were recorded: the block is then recorded
 * now). Otherwise the node lost it — anvil persisting on a timer and killed, say — although this issuer had
 * acknowledged it.
 *
 * Cost: ops mined after the checkpoint (the newest block verified last time) are checked, one block look-up
 * per distinct block; when the checkpoint block itself is gone (the node lost blocks) every confirmed op is.
 * A block hash commits to its parent, so a checkpoint block still in place vouches for all blocks below it.
 */
export async function findLostWrites(ctx: IssuerContext): Promise<LedgerOpRow[]> {
  try {
    const checkpoint = ctx.journal.checkpoint();
    let after = -1;
    if (checkpoint !== undefined) {
      const block = await ctx.provider.getBlock(checkpoint.blockNumber);
      if (block?.hash === checkpoint.blockHash) after = checkpoint.blockNumber;
    }
    const ops = ctx.journal.confirmedOpsAfter(after);
    const hashes = new Map<number, string | null>();
    const numbers = [...new Set(ops.flatMap((o) => (o.blockHash !== null && o.blockNumber !== null ? [o.blockNumber] : [])))];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, numbers.length) }, async () => {
        while (next < numbers.length) {
          const n = numbers[next++] as number;
          hashes.set(n, (await ctx.provider.getBlock(n))?.hash ?? null);
        }
      }),
    );
    const lost: LedgerOpRow[] = [];
    for (const op of ops) {
      if (op.blockHash !== null && op.blockNumber !== null && hashes.get(op.blockNumber) === op.blockHash) continue;
      const receipt = await ctx.provider.getTransactionReceipt(op.txHash);
      if (receipt !== null && receipt.status === 1) {
        ctx.journal.updateOpBlock(op.opId, receipt.blockNumber, receipt.blockHash);
        continue;
      }
      lost.push(op);
    }
    return lost;
  } catch (e) {
    throw issuerLedgerError(e, "verify confirmed writes");
  }
}
