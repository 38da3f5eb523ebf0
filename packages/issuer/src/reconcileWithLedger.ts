import type { IssuerContext } from "./issuerContext.ts";
import { translateLedgerError } from "./ledger.ts";
import { type LedgerOpOutcome, resolveLedgerOp } from "./resolveLedgerOp.ts";
import type { CredentialRow, CredentialStatus } from "./store/createIssuanceStore.ts";

export interface ReconcileParameters {
  /**
   * Also compare every issued credential with the ledger's status bits (reads every list in full: one call
   * per 4,096 words), not only those of the operations settled now. Finds changes made outside this
   * issuer (e.g. with the owner key from another tool).
   */
  readonly full?: boolean;
}

/** A credential whose local status was brought in line with the ledger. */
export interface StatusCorrection {
  readonly id: string;
  readonly from: CredentialStatus;
  readonly to: CredentialStatus;
}

export interface ReconcileResult {
  /** Every journaled operation looked at, with its outcome (`pending` ones stay in the journal). */
  readonly operations: readonly LedgerOpOutcome[];
  /** Local statuses changed to match the ledger (history rows with source `ledger` were written). */
  readonly corrected: readonly StatusCorrection[];
  /**
   * Credentials revoked locally whose revocation bit is NOT set on the ledger (a reorganised or reset chain,
   * or the wrong network). Never applied automatically: revocation is permanent, so the fix is to revoke
   * again on the ledger, which a person must decide.
   */
  readonly discrepancies: readonly StatusCorrection[];
}

/** Most words `StatusRegistry.words` returns per call. */
const MAX_READ_WORDS = 4096;

/**
 * Brings the issuance database in line with the ledger, idempotently: settles every journaled operation
 * (receipt, else re-broadcast of the signed bytes, else nonce check), then reads the status bits of the
 * credentials concerned (`words`, the batch form of `entryStatus`) and corrects any local status that differs.
 * Safe to run at any time, and run on open.
 */
export async function reconcileWithLedger(ctx: IssuerContext, params: ReconcileParameters = {}): Promise<ReconcileResult> {
  return ctx.exclusive(async () => {
    const operations: LedgerOpOutcome[] = [];
    const touched = new Set<number>();
    for (const op of ctx.store.preparedOps()) {
      const seqs = op.kind === "createList" ? [] : ctx.store.opCredentialSeqs(op.opId);
      const outcome = await resolveLedgerOp(ctx, op);
      operations.push(outcome);
      if (outcome.state !== "pending") for (const s of seqs) touched.add(s);
    }
    const rows =
      params.full === true
        ? [...ctx.pairs.keys()].flatMap((pairId) => ctx.store.credentialsOfPair(pairId))
        : ctx.store.credentialBySeqs([...touched]);
    const { corrected, discrepancies } = await alignWithLedger(ctx, rows.filter((r) => r.pendingOp === null));
    return { operations, corrected, discrepancies };
  });
}

async function alignWithLedger(
  ctx: IssuerContext,
  rows: readonly CredentialRow[],
): Promise<{ corrected: StatusCorrection[]; discrepancies: StatusCorrection[] }> {
  const corrected: StatusCorrection[] = [];
  const discrepancies: StatusCorrection[] = [];
  const changes: { seq: number; from: CredentialStatus; to: CredentialStatus }[] = [];
  const byPair = new Map<number, CredentialRow[]>();
  for (const r of rows) {
    const group = byPair.get(r.pairId);
    if (group === undefined) byPair.set(r.pairId, [r]);
    else group.push(r);
  }
  for (const group of byPair.values()) {
    const first = group[0] as CredentialRow;
    const indexes = group.map((r) => r.index);
    const [revoked, suspended] = await Promise.all([
      readBits(ctx, first.revocationListId, indexes),
      readBits(ctx, first.suspensionListId, indexes),
    ]);
    for (const r of group) {
      const onLedger: CredentialStatus = revoked(r.index) ? "revoked" : suspended(r.index) ? "suspended" : "active";
      if (onLedger === r.status) continue;
      const correction = { id: r.jti, from: r.status, to: onLedger };
      if (r.status === "revoked") {
        discrepancies.push(correction);
      } else {
        corrected.push(correction);
        changes.push({ seq: r.seq, from: r.status, to: onLedger });
      }
    }
  }
  ctx.store.applyObservedStatuses(changes, ctx.clock());
  return { corrected, discrepancies };
}

/** Reads the words covering `indexes` of a list (ranges of up to 4,096 words) and answers bit look-ups. */
async function readBits(ctx: IssuerContext, listId: string, indexes: readonly number[]): Promise<(index: number) => boolean> {
  const words = new Map<number, bigint>();
  const needed = [...new Set(indexes.map((i) => Math.floor(i / 256)))].sort((a, b) => a - b);
  const read = ctx.contracts.statusRegistry.getFunction("words");
  try {
    let k = 0;
    while (k < needed.length) {
      const from = needed[k] as number;
      let last = from;
      while (k < needed.length && (needed[k] as number) < from + MAX_READ_WORDS) last = needed[k++] as number;
      const values = (await read(listId, from, last - from + 1)) as bigint[];
      values.forEach((v, j) => words.set(from + j, v));
    }
  } catch (e) {
    throw translateLedgerError(e, "read status bits");
  }
  return (index) => (((words.get(Math.floor(index / 256)) ?? 0n) >> BigInt(index % 256)) & 1n) === 1n;
}
