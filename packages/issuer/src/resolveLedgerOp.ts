import { type RawLog, StatusPurpose, decodeLedgerLog } from "@mobile-id/chain";
import type { IssuerContext } from "./issuerContext.ts";
import { settleTransaction } from "./ledger.ts";
import type { CredentialStatus, LedgerOpRow, ListPurpose, StatusAction } from "./store/createIssuanceStore.ts";

/** The outcome of a journaled ledger operation, once looked up. */
export type LedgerOpOutcome =
  | {
      readonly state: "confirmed";
      readonly opId: number;
      readonly txHash: string;
      readonly blockNumber: number;
      /** For `createList`: the new list's id. */
      readonly listId?: string;
    }
  | { readonly state: "failed"; readonly opId: number; readonly txHash: string; readonly outcome: string }
  | { readonly state: "pending"; readonly opId: number; readonly txHash: string; readonly cause: unknown };

const TARGET: Record<StatusAction, (current: CredentialStatus) => CredentialStatus> = {
  revoke: () => "revoked",
  // Revocation wins over suspension whatever the order in which they were confirmed.
  suspend: (current) => (current === "revoked" ? "revoked" : "suspended"),
  reinstate: (current) => (current === "revoked" ? "revoked" : "active"),
};

const PURPOSE_NUMBER: Record<ListPurpose, StatusPurpose> = { revocation: StatusPurpose.Revocation, suspension: StatusPurpose.Suspension };

/**
 * Settles one journaled operation against the ledger (receipt, else re-broadcast, else nonce) and records the
 * outcome exactly once: `confirmed` (status and history updated, or the created list recorded), `failed`
 * (reverted, or its nonce spent by another transaction: the credentials keep their status) or still `pending`
 * (nothing recorded; ask again later). Idempotent: an operation already resolved is left as it is.
 */
export async function resolveLedgerOp(ctx: IssuerContext, op: LedgerOpRow): Promise<LedgerOpOutcome> {
  const fate = await settleTransaction(ctx.provider, op, ctx.ledger);
  const now = ctx.clock();
  if (fate.kind === "unknown") return { state: "pending", opId: op.opId, txHash: op.txHash, cause: fate.cause };
  if (fate.kind === "mined" && fate.receipt.status === 1) {
    const { blockNumber, blockHash } = fate.receipt;
    if (op.kind === "createList") {
      const listId = createdListId(ctx, fate.receipt.logs, op);
      if (listId === undefined) {
        ctx.journal.resolveOp({ opId: op.opId, state: "failed", outcome: "no StatusListCreated event", now, blockNumber, blockHash });
        return { state: "failed", opId: op.opId, txHash: op.txHash, outcome: "no StatusListCreated event" };
      }
      ctx.journal.resolveOp({
        opId: op.opId,
        state: "confirmed",
        outcome: "mined",
        now,
        blockNumber,
        blockHash,
        createdList: { listId, purpose: op.purpose as ListPurpose, sizeLog2: op.sizeLog2 as number },
      });
      return { state: "confirmed", opId: op.opId, txHash: op.txHash, blockNumber, listId };
    }
    const target = TARGET[op.kind];
    const rows = ctx.records.credentialBySeqs(ctx.journal.opCredentialSeqs(op.opId));
    const statusBySeq = new Map(rows.map((r) => [r.seq, target(r.status)] as const));
    ctx.journal.resolveOp({ opId: op.opId, state: "confirmed", outcome: "mined", now, blockNumber, blockHash, statusBySeq });
    return { state: "confirmed", opId: op.opId, txHash: op.txHash, blockNumber };
  }
  const outcome = fate.kind === "mined" ? "reverted" : fate.detail;
  const blockNumber = fate.kind === "mined" ? fate.receipt.blockNumber : null;
  const blockHash = fate.kind === "mined" ? fate.receipt.blockHash : null;
  ctx.journal.resolveOp({ opId: op.opId, state: "failed", outcome, now, blockNumber, blockHash });
  return { state: "failed", opId: op.opId, txHash: op.txHash, outcome };
}

/** @internal The id of the list a `createList` receipt created for this issuer, from its event. */
export function createdListId(
  ctx: IssuerContext,
  logs: readonly (Omit<RawLog, "logIndex"> & { readonly index: number })[],
  op: LedgerOpRow,
): string | undefined {
  const statusRegistry = ctx.statusRegistryAddress.toLowerCase();
  for (const log of logs) {
    if (log.address.toLowerCase() !== statusRegistry) continue;
    const event = decodeLedgerLog({ ...log, logIndex: log.index }, { statusRegistry });
    if (event.kind !== "listCreated" || event.issuer !== ctx.issuerAddress) continue;
    if (event.purpose !== PURPOSE_NUMBER[op.purpose as ListPurpose]) continue;
    return event.listId.toString(10);
  }
  return undefined;
}
