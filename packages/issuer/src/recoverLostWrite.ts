/** @internal Not exported from the package. */
import { type Signer, type TransactionReceipt, checksumAddress, transactionData } from "@mobile-id/chain";
import { MobileIdError } from "@mobile-id/core";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import type { IssuerContext } from "./issuerContext.ts";
import { prepareTransaction, settleTransaction, issuerLedgerError } from "./ledger.ts";
import { type LedgerOpOutcome, createdListId, resolveLedgerOp } from "./resolveLedgerOp.ts";
import type { LedgerOpKind, LedgerOpRow, ListPurpose } from "./store/createIssuanceStore.ts";

/** What became of a confirmed ledger write that the ledger node lost. */
export interface RecoveredOperation {
  /** The lost operation (journal id). */
  readonly opId: number;
  readonly kind: LedgerOpKind;
  /** Its transaction, no longer on the ledger. */
  readonly lostTxHash: string;
  /**
   * `rebroadcast`: the journaled bytes were mined again (same hash, another block). `resent`: its nonce was
   * taken or skipped on the ledger, so the same call was signed again and journaled as operation
   * `outcome.opId`. `found`: nothing to send (a lost list creation whose list is back in place).
   */
  readonly via: "rebroadcast" | "resent" | "found";
  /** `confirmed` when the write is on the ledger again; `pending`: ask again later; `failed`: see discrepancies. */
  readonly outcome: LedgerOpOutcome;
}

const PURPOSE_NUMBER: Record<ListPurpose, bigint> = { revocation: 1n, suspension: 2n };

interface RecordedList {
  readonly listId: string;
  readonly purpose: ListPurpose;
  readonly sizeLog2: number;
}

/**
 * Writes a lost confirmed operation again, idempotently: the ledger lost it, yet it was acknowledged.
 * - The sender's next nonce on the ledger is the operation's own: the journaled signed bytes are broadcast
 *   again. The ledger then holds exactly the transaction it lost (same hash), in the same order relative to
 *   the key's other journaled writes (callers go in journal order).
 * - Otherwise (the nonce was taken by another transaction, or an earlier unjournaled one of the key is gone
 *   too): the same call data is signed again at the current nonce, journaled as a replacement operation (the
 *   lost one is marked `lost`, its history rows too) and settled like any write.
 * Status writes are idempotent on the contract (setting a set bit changes nothing), so re-sending one that
 * some other path already restored is harmless.
 *
 * A lost `createList` must bring its list back under the SAME id: the id is signed into every credential with
 * an entry on the list. Ids come from the contract's counter, so the list can be recreated only when its id
 * is the next one (`listCount() + 1`): in journal order, a suffix of lost creations comes back exactly. If a
 * lower id is missing too, that list (maybe another issuer's) must come back first: `STATUS_LIST_LOST`
 * (`gap`), retry later. If the id now belongs to another list, the credentials on it can no longer be revoked
 * and must be reissued: `STATUS_LIST_LOST` (`taken`). It is never recreated under another id silently.
 */
export async function recoverLostWrite(ctx: IssuerContext, op: LedgerOpRow): Promise<RecoveredOperation> {
  const base = { opId: op.opId, kind: op.kind, lostTxHash: op.txHash } as const;
  const failed = (via: RecoveredOperation["via"], outcome: string): RecoveredOperation => {
    ctx.journal.markOpLost(op.opId, `lost by the ledger; ${outcome}`, ctx.clock());
    return { ...base, via, outcome: { state: "failed", opId: op.opId, txHash: op.txHash, outcome } };
  };

  let list: RecordedList | undefined;
  if (op.kind === "createList") {
    list = ctx.lists.listCreatedBy(op.txHash);
    if (list === undefined) return failed("found", "no list was recorded for it");
    const present = await listInPlace(ctx, list);
    if (present !== undefined) {
      ctx.journal.markOpLost(op.opId, "lost by the ledger; the list is in place", ctx.clock());
      return { ...base, via: "found", outcome: { state: "confirmed", opId: op.opId, txHash: op.txHash, blockNumber: present, listId: list.listId } };
    }
  }

  let nonce: number;
  try {
    nonce = await ctx.provider.getTransactionCount(op.sender, "latest");
  } catch (e) {
    throw issuerLedgerError(e, "recover a lost write");
  }
  if (nonce === op.nonce) {
    const fate = await settleTransaction(ctx.provider, op, ctx.ledger);
    if (fate.kind === "unknown") return { ...base, via: "rebroadcast", outcome: { state: "pending", opId: op.opId, txHash: op.txHash, cause: fate.cause } };
    if (fate.kind === "mined" && fate.receipt.status === 1) {
      if (list !== undefined) checkCreated(ctx, fate.receipt, op, list);
      const { blockNumber, blockHash } = fate.receipt;
      ctx.journal.updateOpBlock(op.opId, blockNumber, blockHash);
      return {
        ...base,
        via: "rebroadcast",
        outcome: { state: "confirmed", opId: op.opId, txHash: op.txHash, blockNumber, ...(list === undefined ? {} : { listId: list.listId }) },
      };
    }
    if (fate.kind === "mined") {
      if (list !== undefined) throw listLost("rejected", list, "the ledger refused to create the list again", { txHash: op.txHash });
      return failed("rebroadcast", "reverted when broadcast again");
    }
    // dropped: the nonce was spent meanwhile; sign again below.
  }

  const signer = signerFor(ctx, op);
  if (signer === undefined) {
    if (list !== undefined) {
      throw listLost("ownerKeyRequired", list, "recreating a lost status list needs the issuer identity's owner key");
    }
    return failed("resent", "no operator key to write it again");
  }
  let prepared;
  try {
    prepared = await prepareTransaction(signer, ctx.statusRegistryAddress, transactionData(op.rawTx), ctx.journal.isJournaled);
  } catch (e) {
    if (e instanceof MobileIdError && e.code === "LEDGER_UNAVAILABLE") throw e;
    const code = e instanceof MobileIdError ? e.code : "LEDGER_REJECTED";
    if (list !== undefined) throw listLost("rejected", list, "the ledger refused to create the list again", { error: code });
    return failed("resent", `refused when written again (${code})`);
  }
  const newOpId = ctx.journal.replaceLostOp(op.opId, prepared, ctx.clock());
  const outcome = await resolveLedgerOp(ctx, ctx.journal.op(newOpId) as LedgerOpRow);
  if (list !== undefined && outcome.state === "confirmed" && outcome.listId !== list.listId) {
    throw listLost("taken", list, "the list was created again under another id (another list took the id meanwhile)", {
      createdListId: outcome.listId,
    });
  }
  return { ...base, via: "resent", outcome };
}

/**
 * Whether the recorded list is on the ledger as recorded (its creation block, if so). Throws
 * `STATUS_LIST_LOST` when the id belongs to another list, or when a lower id is missing (`gap`).
 */
async function listInPlace(ctx: IssuerContext, list: RecordedList): Promise<number | undefined> {
  const registry = ctx.contracts.statusRegistry;
  try {
    const onChain = (await registry.getFunction("statusList")(list.listId)) as {
      issuer: string;
      purpose: bigint;
      sizeLog2: bigint;
      createdBlock: bigint;
    };
    if (
      checksumAddress(onChain.issuer) === ctx.issuerAddress &&
      onChain.purpose === PURPOSE_NUMBER[list.purpose] &&
      Number(onChain.sizeLog2) === list.sizeLog2
    ) {
      return Number(onChain.createdBlock);
    }
    throw listLost("taken", list, "another list now has the id of this issuer's lost list", {
      holder: onChain.issuer,
      purpose: Number(onChain.purpose),
    });
  } catch (e) {
    if (e instanceof MobileIdError && e.code === IssuerErrorCode.STATUS_LIST_LOST) throw e;
    const err = issuerLedgerError(e, "read a status list");
    if (err.details["error"] !== "StatusRegistryUnknownList") throw err;
  }
  let count: bigint;
  try {
    count = (await registry.getFunction("listCount")()) as bigint;
  } catch (e) {
    throw issuerLedgerError(e, "read the list count");
  }
  if (count + 1n < BigInt(list.listId)) {
    throw listLost("gap", list, "lists with lower ids are missing on the ledger too: they must be recreated first", {
      nextListId: (count + 1n).toString(10),
    });
  }
  return undefined;
}

function checkCreated(ctx: IssuerContext, receipt: TransactionReceipt, op: LedgerOpRow, list: RecordedList): void {
  const created = createdListId(ctx, receipt.logs, op);
  if (created === list.listId) return;
  // Keep what was made (a list of ours, unused: a future pair can take it), but never in place of the lost one.
  if (created !== undefined) ctx.lists.addList(created, list.purpose, list.sizeLog2, null);
  throw listLost("taken", list, "the list was created again under another id (another list took the id meanwhile)", {
    createdListId: created,
  });
}

/** The key to sign a lost operation again: the owner for a list creation; for a status write, its own key if still configured, else the current operator. */
function signerFor(ctx: IssuerContext, op: LedgerOpRow): Signer | undefined {
  if (op.kind === "createList") return ctx.owner?.signer;
  const sender = checksumAddress(op.sender);
  if (ctx.operator?.address === sender) return ctx.operator.signer;
  if (ctx.owner?.address === sender) return ctx.owner.signer;
  return ctx.operator?.signer;
}

function listLost(
  reason: "gap" | "taken" | "ownerKeyRequired" | "rejected",
  list: RecordedList,
  message: string,
  details: Record<string, unknown> = {},
): MobileIdError {
  const hints: Record<typeof reason, string> = {
    gap: "start the issuers whose lists have the lower ids first (pnpm start does, in order), then open this one again",
    taken: "the credentials with entries on this list can no longer be revoked or suspended: reissue them on a new list",
    ownerKeyRequired: "open the issuer once with its owner key configured, so that it recreates the list",
    rejected: "check that the issuer is still registered and its owner key current, then open it again",
  };
  return issuerError(IssuerErrorCode.STATUS_LIST_LOST, message, {
    details: { reason, listId: list.listId, purpose: list.purpose, ...details },
    hint: hints[reason],
  });
}
