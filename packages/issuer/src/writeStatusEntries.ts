/** @internal Not exported from the package. */
import type { Signer } from "@mobile-id/chain";
import type { ReasonCode } from "@mobile-id/core";
import type { StatusTransaction } from "./changeCredentialStatus.ts";
import { issuerError } from "./errors.ts";
import type { IssuerContext } from "./issuerContext.ts";
import { prepareTransaction, statusRegistryInterface } from "./ledger.ts";
import { resolveLedgerOp } from "./resolveLedgerOp.ts";
import type { CredentialRow, LedgerOpRow, StatusAction } from "./store/createIssuanceStore.ts";
import { fromWordMasks, toWordMasks } from "@mobile-id/chain";

export interface WriteStatusEntriesParameters {
  readonly signer: Signer;
  readonly action: StatusAction;
  readonly listId: string;
  /** Credentials of `listId`'s pair, none with a change in flight. */
  readonly rows: readonly CredentialRow[];
  readonly reason: ReasonCode | number;
  /** Receives each confirmed transaction, and the ids it changed, as soon as it is recorded. */
  readonly transactions: StatusTransaction[];
  readonly changed: string[];
}

/**
 * Writes one status action to ONE list: `action` for a single entry, the batch function over sorted
 * `(word, mask)` pairs for several (split only past `ledger.maxBatchWords`). Each transaction is signed, then
 * journaled with pending history rows for its credentials, then broadcast and settled, before the next one.
 * Throws `LEDGER_UNAVAILABLE` when one is sent but not confirmed (left to `reconcile`) and `LEDGER_REJECTED`
 * when it did not take effect; what completed before is in `transactions`/`changed`.
 */
export async function writeStatusEntries(ctx: IssuerContext, p: WriteStatusEntriesParameters): Promise<void> {
  const byIndex = new Map(p.rows.map((r) => [r.index, r] as const));
  for (const chunk of toWordMasks(byIndex.keys(), ctx.ledger.maxBatchWords)) {
    const entries = fromWordMasks(chunk).map((i) => byIndex.get(i) as CredentialRow);
    const data =
      entries.length === 1
        ? statusRegistryInterface.encodeFunctionData(p.action, [p.listId, (entries[0] as CredentialRow).index, p.reason])
        : statusRegistryInterface.encodeFunctionData(`${p.action}Batch`, [p.listId, chunk.wordIndexes, chunk.masks, p.reason]);
    const prepared = await prepareTransaction(p.signer, ctx.statusRegistryAddress, data, ctx.journal.isJournaled);
    const opId = ctx.journal.journalStatusOp(
      { kind: p.action, listId: p.listId, reason: p.reason, now: ctx.clock(), ...prepared },
      entries.map((r) => r.seq),
    );
    const outcome = await resolveLedgerOp(ctx, ctx.journal.op(opId) as LedgerOpRow);
    if (outcome.state === "pending") {
      throw issuerError("LEDGER_UNAVAILABLE", "the status change was sent but is not confirmed yet", {
        cause: outcome.cause,
        details: { opId, txHash: outcome.txHash },
        hint: "run reconcile (mid issuer reconcile) once the ledger is reachable: it records the outcome",
      });
    }
    if (outcome.state === "failed") {
      throw issuerError("LEDGER_REJECTED", "the status change did not take effect on the ledger", {
        details: { opId, txHash: outcome.txHash, outcome: outcome.outcome },
      });
    }
    p.transactions.push({ listId: p.listId, txHash: outcome.txHash, blockNumber: outcome.blockNumber, entries: entries.length });
    p.changed.push(...entries.map((r) => r.jti));
  }
}
