import { checksumAddress } from "@mobile-id/chain";
import { MobileIdError, ReasonCode, STATUS_READ_WORDS } from "@mobile-id/core";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import { findLostWrites } from "./findLostWrites.ts";
import type { IssuerContext } from "./issuerContext.ts";
import { issuerLedgerError } from "./ledger.ts";
import { type RecoveredOperation, recoverLostWrite } from "./recoverLostWrite.ts";
import { type OperatorDiscrepancy, type OperatorRestoration, restoreListOperators } from "./restoreListOperators.ts";
import { type LedgerOpOutcome, resolveLedgerOp } from "./resolveLedgerOp.ts";
import type { CredentialRow, CredentialStatus } from "./store/createIssuanceStore.ts";
import { writeStatusEntries } from "./writeStatusEntries.ts";

export interface ReconcileParameters {
  /**
   * Also compare every issued credential with the ledger's status bits (reads every list in full: one call
   * per 4,096 words), not only those of the operations settled now. Finds changes made outside this
   * issuer (e.g. with the owner key from another tool), and revocations the ledger lost.
   */
  readonly full?: boolean;
}

/** A credential whose local status and ledger status differed. */
export interface StatusCorrection {
  readonly id: string;
  readonly from: CredentialStatus;
  readonly to: CredentialStatus;
}

/** A credential whose local status differs from the ledger's, and that reconcile could not settle. */
export interface StatusDiscrepancy {
  readonly id: string;
  /** What this issuer confirmed. */
  readonly local: CredentialStatus;
  /** What the ledger holds. */
  readonly ledger: CredentialStatus;
}

export interface ReconcileResult {
  /** Every journaled operation that was still unsettled, with its outcome (`pending` ones stay in the journal). */
  readonly operations: readonly LedgerOpOutcome[];
  /**
   * Confirmed writes the ledger node had lost (their block is gone and no receipt remains), and how each was
   * written again: the journaled bytes broadcast again, or the same call signed again.
   */
  readonly recovered: readonly RecoveredOperation[];
  /**
   * Local statuses changed to match the ledger: changes made on the ledger outside this issuer, while the
   * issuer's own confirmed transaction for the credential is still on the ledger (history rows with source
   * `ledger` were written).
   */
  readonly corrected: readonly StatusCorrection[];
  /**
   * Revocations missing on the ledger that were written again (`from`: the ledger's status, `to`: `revoked`).
   * No function clears a revocation bit, so a credential revoked here but not on the ledger can only be a write
   * the ledger lost.
   */
  readonly reapplied: readonly StatusCorrection[];
  /**
   * Differences that could not be settled: a lost write that could not be written again (no key, or the ledger
   * refused it). Never resolved by undoing the local status.
   */
  readonly discrepancies: readonly StatusDiscrepancy[];
  /**
   * Operator changes recorded by `setListOperator` that the ledger did not hold: `restored` were sent again
   * with the owner key; `unrestored` could not be (no owner key, or the ledger refused) and are retried on
   * every reconcile and watcher pass.
   */
  readonly operators: { readonly restored: readonly OperatorRestoration[]; readonly unrestored: readonly OperatorDiscrepancy[] };
}

/** Most words `StatusRegistry.words` returns per call. */
const MAX_READ_WORDS = STATUS_READ_WORDS;
const PURPOSE_NUMBER = { revocation: 1n, suspension: 2n } as const;

/**
 * Brings the issuance database and the ledger in line, idempotently; run on open and safe at any time:
 * 1. Finds confirmed writes the ledger no longer holds (`findLostWrites`: block hash, else receipt).
 * 2. In journal order, writes each lost one again (`recoverLostWrite`) and settles each unsettled one
 *    (receipt, else re-broadcast of the signed bytes, else nonce check). Journal order is the order the key's
 *    nonces were used in, so a lost suffix comes back as it was.
 * 3. Checks that every list the issued credentials point at is on the ledger, this issuer's, with its purpose
 *    and size (`STATUS_LIST_LOST` otherwise).
 * 4. Reads the status bits of the credentials concerned (`words`, the batch form of `entryStatus`): a revocation
 *    missing on the ledger is written again; a credential of a lost write that could not be restored is a
 *    discrepancy; any other difference was made outside this issuer and is adopted.
 * 5. Moves the checkpoint to the newest confirmed block once nothing lost is left.
 * Operator changes recorded by `setListOperator` are brought back too (`restoreListOperators`): before step 2,
 * on the lists the ledger holds (a rotated operator key must be able to write again before its lost status
 * writes are re-signed), and on each list whose lost creation step 2 wrote again.
 */
export async function reconcileWithLedger(ctx: IssuerContext, params: ReconcileParameters = {}): Promise<ReconcileResult> {
  return ctx.exclusive(async () => {
    const lost = await findLostWrites(ctx);
    const work = [...lost, ...ctx.journal.preparedOps()].sort((a, b) => a.opId - b.opId);
    const first = await restoreListOperators(ctx, { skipMissingLists: true });
    const restoredOperators = [...first.restored];
    const unrestoredOperators = [...first.unrestored];
    const operations: LedgerOpOutcome[] = [];
    const recovered: RecoveredOperation[] = [];
    const touched = new Set<number>();
    const unrestored = new Set<number>();
    for (const op of work) {
      const seqs = op.kind === "createList" ? [] : ctx.journal.opCredentialSeqs(op.opId);
      if (op.state === "prepared") {
        const outcome = await resolveLedgerOp(ctx, op);
        operations.push(outcome);
        if (outcome.state !== "pending") for (const s of seqs) touched.add(s);
        continue;
      }
      const r = await recoverLostWrite(ctx, op);
      recovered.push(r);
      if (op.kind === "createList" && r.outcome.state === "confirmed" && r.outcome.listId !== undefined) {
        // The list is back as first created (its original operators): the recorded changes since go on it again.
        const again = await restoreListOperators(ctx, { listIds: new Set([r.outcome.listId]) });
        restoredOperators.push(...again.restored);
        unrestoredOperators.push(...again.unrestored);
      }
      for (const s of seqs) {
        touched.add(s);
        if (r.outcome.state !== "confirmed") unrestored.add(s);
      }
    }
    await checkStatusLists(ctx);
    const rows =
      params.full === true
        ? [...ctx.pairs.keys()].flatMap((pairId) => ctx.records.credentialsOfPair(pairId))
        : ctx.records.credentialBySeqs([...touched]);
    const aligned = await alignWithLedger(ctx, rows.filter((r) => r.pendingOp === null), unrestored);
    const settled = operations.every((o) => o.state !== "pending") && recovered.every((r) => r.outcome.state === "confirmed");
    if (settled && aligned.discrepancies.length === 0) ctx.journal.advanceCheckpoint();
    return { operations, recovered, ...aligned, operators: { restored: restoredOperators, unrestored: unrestoredOperators } };
  });
}

/**
 * Every list of every pair must be on the ledger as this issuer's, with its purpose and size: issued
 * credentials carry its id. A list lost with its journaled creation was recreated in step 2; one missing now
 * (an adopted list, say) cannot be.
 */
async function checkStatusLists(ctx: IssuerContext): Promise<void> {
  const read = ctx.contracts.statusRegistry.getFunction("statusList");
  for (const pair of ctx.pairs.values()) {
    for (const [listId, purpose] of [[pair.revocationListId, "revocation"], [pair.suspensionListId, "suspension"]] as const) {
      let list: { issuer: string; purpose: bigint; sizeLog2: bigint } | undefined;
      try {
        list = (await read(listId)) as { issuer: string; purpose: bigint; sizeLog2: bigint };
      } catch (e) {
        const err = issuerLedgerError(e, "read a status list");
        if (err.details["error"] !== "StatusRegistryUnknownList") throw err;
      }
      const problem =
        list === undefined
          ? "missing"
          : checksumAddress(list.issuer) !== ctx.issuerAddress || list.purpose !== PURPOSE_NUMBER[purpose] || Number(list.sizeLog2) !== pair.sizeLog2
            ? "taken"
            : undefined;
      if (problem !== undefined) {
        throw issuerError(IssuerErrorCode.STATUS_LIST_LOST, `status list ${listId} of pair ${pair.pairId} is not on the ledger as this issuer's ${purpose} list`, {
          details: { reason: problem, listId, pairId: pair.pairId, purpose },
          hint: "the ledger lost or reassigned it and it cannot be recreated from the journal: credentials on this pair must be reissued",
        });
      }
    }
  }
}

async function alignWithLedger(
  ctx: IssuerContext,
  rows: readonly CredentialRow[],
  unrestored: ReadonlySet<number>,
): Promise<{ corrected: StatusCorrection[]; reapplied: StatusCorrection[]; discrepancies: StatusDiscrepancy[] }> {
  const corrected: StatusCorrection[] = [];
  const discrepancies: StatusDiscrepancy[] = [];
  const changes: { seq: number; from: CredentialStatus; to: CredentialStatus }[] = [];
  const toRevoke: { row: CredentialRow; onLedger: CredentialStatus }[] = [];
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
        toRevoke.push({ row: r, onLedger });
      } else if (unrestored.has(r.seq)) {
        // Our confirmed change is gone from the ledger and could not be written again: the ledger's value is
        // stale, not someone else's decision. Never adopted.
        discrepancies.push({ id: r.jti, local: r.status, ledger: onLedger });
      } else {
        corrected.push(correction);
        changes.push({ seq: r.seq, from: r.status, to: onLedger });
      }
    }
  }
  ctx.records.applyObservedStatuses(changes, ctx.clock());
  const reapplied = await reapplyRevocations(ctx, toRevoke, discrepancies);
  return { corrected, reapplied, discrepancies };
}

/**
 * Writes missing revocations again, one transaction per list and reason (the reason of the credential's last
 * recorded revocation). Failures other than an unreachable ledger become discrepancies.
 */
async function reapplyRevocations(
  ctx: IssuerContext,
  items: readonly { row: CredentialRow; onLedger: CredentialStatus }[],
  discrepancies: StatusDiscrepancy[],
): Promise<StatusCorrection[]> {
  const reapplied: StatusCorrection[] = [];
  const groups = new Map<string, { listId: string; reason: number; items: { row: CredentialRow; onLedger: CredentialStatus }[] }>();
  for (const item of items) {
    const reason = ctx.records.lastReason(item.row.seq, "revoke") ?? ReasonCode.ADMINISTRATIVE;
    const key = `${item.row.revocationListId}:${reason}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { listId: item.row.revocationListId, reason, items: [item] });
    else group.items.push(item);
  }
  for (const group of groups.values()) {
    const asDiscrepancies = () => discrepancies.push(...group.items.map((i) => ({ id: i.row.jti, local: "revoked" as const, ledger: i.onLedger })));
    if (ctx.operator === undefined) {
      asDiscrepancies();
      continue;
    }
    const changed: string[] = [];
    try {
      await writeStatusEntries(ctx, {
        signer: ctx.operator.signer,
        action: "revoke",
        listId: group.listId,
        rows: group.items.map((i) => i.row),
        reason: group.reason,
        transactions: [],
        changed,
      });
    } catch (e) {
      if (e instanceof MobileIdError && e.code === "LEDGER_UNAVAILABLE") throw e;
      const done = new Set(changed);
      discrepancies.push(...group.items.filter((i) => !done.has(i.row.jti)).map((i) => ({ id: i.row.jti, local: "revoked" as const, ledger: i.onLedger })));
    }
    const done = new Set(changed);
    reapplied.push(...group.items.filter((i) => done.has(i.row.jti)).map((i) => ({ id: i.row.jti, from: i.onLedger, to: "revoked" as const })));
  }
  return reapplied;
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
    throw issuerLedgerError(e, "read status bits");
  }
  return (index) => (((words.get(Math.floor(index / 256)) ?? 0n) >> BigInt(index % 256)) & 1n) === 1n;
}
