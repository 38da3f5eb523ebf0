/** @internal Not exported from the package: reached through `reconcileWithLedger` and `watchJournal`. */
import { MobileIdError } from "@mobile-id/core";
import { type IssuerError, type IssuerFailureCode, IssuerErrorCode, issuerError } from "./errors.ts";
import type { IssuerContext } from "./issuerContext.ts";
import { sendAndWait, statusRegistryInterface, issuerLedgerError } from "./ledger.ts";
import type { ListOperatorRow } from "./store/createIssuanceStore.ts";

/** An operator change the ledger had lost (or never received), applied again with the owner key. */
export interface OperatorRestoration {
  readonly listId: string;
  readonly operator: string;
  /** The recorded intent, now on the ledger. */
  readonly allowed: boolean;
  readonly txHash: string;
}

/** A recorded operator change that the ledger does not hold and that could not be applied. */
export interface OperatorDiscrepancy {
  readonly listId: string;
  readonly operator: string;
  /** The recorded intent; the ledger holds the opposite. */
  readonly allowed: boolean;
  /** Why it could not be applied: `OWNER_KEY_REQUIRED` (no owner key configured, or not the current owner), `LEDGER_REJECTED`… */
  readonly code: IssuerFailureCode;
}

export interface RestoreListOperatorsResult {
  readonly restored: readonly OperatorRestoration[];
  readonly unrestored: readonly OperatorDiscrepancy[];
}

export interface RestoreListOperatorsParameters {
  /** Only the intents on these lists. Default: every recorded intent. */
  readonly listIds?: ReadonlySet<string>;
  /**
   * Leave out, without reporting them, intents on lists the ledger does not hold (yet): reconcile runs a pass
   * before writing lost list creations again, and one per list once it is back.
   */
  readonly skipMissingLists?: boolean;
}

/** `isOperator` reads in flight at once. */
const CONCURRENCY = 8;

/**
 * Brings the ledger's operator grants in line with the intents `setListOperator` recorded (table
 * `list_operators`): for each recorded (list, operator), reads `isOperator` and, where it differs, sends
 * `setOperator(list, operator, allowed)` again with the owner key. The recorded intent is the source of truth:
 * a ledger node restarted from an older state file may have lost a grant (the new operator key can no longer
 * write) or a removal (a retired, maybe compromised, operator key can write again); either comes back here.
 * `setOperator` sets a state, so applying it twice changes nothing. Cost: one read per recorded intent, and a
 * transaction only for those that differ.
 *
 * The caller holds the issuer's write lock (`ctx.exclusive`). An unreachable ledger throws
 * (`LEDGER_UNAVAILABLE`: retry later); an intent that cannot be applied (no owner key, the ledger refuses) is
 * returned in `unrestored`, never dropped.
 */
export async function restoreListOperators(
  ctx: IssuerContext,
  params: RestoreListOperatorsParameters = {},
): Promise<RestoreListOperatorsResult> {
  const rows = ctx.lists.listOperators().filter((r) => params.listIds === undefined || params.listIds.has(r.listId));
  const differing = await findDiffering(ctx, rows);
  const restored: OperatorRestoration[] = [];
  const unrestored: OperatorDiscrepancy[] = [];
  for (const row of differing) {
    const intent = { listId: row.listId, operator: row.operator, allowed: row.allowed };
    if (ctx.owner === undefined) {
      unrestored.push({ ...intent, code: IssuerErrorCode.OWNER_KEY_REQUIRED });
      continue;
    }
    try {
      const data = statusRegistryInterface.encodeFunctionData("setOperator", [row.listId, row.operator, row.allowed]);
      const receipt = await sendAndWait(ctx.owner.signer, ctx.provider, ctx.statusRegistryAddress, data, ctx.ledger);
      restored.push({ ...intent, txHash: receipt.hash });
    } catch (e) {
      const err = e instanceof MobileIdError ? (e as IssuerError) : issuerLedgerError(e, "set an operator again");
      if (err.code === "LEDGER_UNAVAILABLE") throw err;
      if (params.skipMissingLists === true && err.details["error"] === "StatusRegistryUnknownList") continue;
      unrestored.push({ ...intent, code: err.code });
    }
  }
  return { restored, unrestored };
}

/** The error a journal watcher reports while recorded operator changes are not on the ledger. */
export function operatorsNotRestored(unrestored: readonly OperatorDiscrepancy[]): IssuerError {
  const noOwner = unrestored.some((u) => u.code === IssuerErrorCode.OWNER_KEY_REQUIRED);
  return issuerError(
    noOwner ? IssuerErrorCode.OWNER_KEY_REQUIRED : "LEDGER_REJECTED",
    "operator changes recorded by this issuer are not on the ledger and could not be applied again",
    {
      details: { unrestored },
      hint: noOwner
        ? "configure the issuer identity's current owner key: it applies them on the next pass"
        : "check that the owner key is the identity's current owner and funded",
    },
  );
}

async function findDiffering(ctx: IssuerContext, rows: readonly ListOperatorRow[]): Promise<ListOperatorRow[]> {
  const read = ctx.contracts.statusRegistry.getFunction("isOperator");
  const onLedger: boolean[] = [];
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, rows.length) }, async () => {
        while (next < rows.length) {
          const i = next++;
          const row = rows[i] as ListOperatorRow;
          onLedger[i] = (await read(row.listId, row.operator)) as boolean;
        }
      }),
    );
  } catch (e) {
    throw issuerLedgerError(e, "read list operators");
  }
  return rows.filter((r, i) => onLedger[i] !== r.allowed);
}
