import { checksumAddress } from "@mobile-id/chain";
import { MobileIdError, STATUS_READ_WORDS } from "@mobile-id/core";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import type { IssuerContext } from "./issuerContext.ts";
import { prepareTransaction, sendAndWait, statusRegistryInterface, issuerLedgerError } from "./ledger.ts";
import { resolveLedgerOp } from "./resolveLedgerOp.ts";
import type { LedgerOpRow, ListPurpose, PairRow } from "./store/createIssuanceStore.ts";

/** A status list pair and how full it is. */
export interface StatusListPairInfo {
  readonly pairId: number;
  readonly revocationListId: string;
  readonly suspensionListId: string;
  /** Entries per list. */
  readonly size: number;
  /** Entries handed out. */
  readonly used: number;
  /** Entries that may be handed out before new credentials go to the next pair. */
  readonly limit: number;
  /** Whether new credentials may get entries here. */
  readonly accepting: boolean;
}

export interface EnsureStatusListsParameters {
  /** Accepting pairs to keep besides the one in use, so issuance never waits for the ledger. Default: the issuer's setting (1). */
  readonly sparePairs?: number;
}

export interface EnsureStatusListsResult {
  readonly created: readonly StatusListPairInfo[];
  readonly pairs: readonly StatusListPairInfo[];
}

export interface AdoptStatusListsParameters {
  readonly revocationListId: bigint | string;
  readonly suspensionListId: bigint | string;
}

export interface SetListOperatorParameters {
  /** The operator key's address. */
  readonly operator: string;
  readonly allowed: boolean;
}

const PURPOSE_NUMBER: Record<ListPurpose, number> = { revocation: 1, suspension: 2 };

/**
 * The issuer's list pairs with their fill.
 *
 * @example
 * ```ts
 * statusListPairs(ctx).filter((p) => p.accepting)
 * ```
 */
export function statusListPairs(ctx: IssuerContext): StatusListPairInfo[] {
  return ctx.allocator.usage().map((u) => {
    const pair = ctx.pairs.get(u.pairId) as PairRow;
    return {
      pairId: u.pairId,
      revocationListId: pair.revocationListId,
      suspensionListId: pair.suspensionListId,
      size: 2 ** u.sizeLog2,
      used: u.used,
      limit: u.limit,
      accepting: u.used < u.limit,
    };
  });
}

/**
 * Makes sure that new credentials have somewhere to go: one accepting pair plus `sparePairs` more. Creates
 * the missing lists with the issuer's OWNER key (`createList`, naming the operator key as each list's
 * operator), journaled like every ledger write, and pairs them. Lists created by an interrupted earlier run
 * are found in the journal and used first. Idempotent.
 */
export async function ensureStatusLists(
  ctx: IssuerContext,
  params: EnsureStatusListsParameters = {},
): Promise<EnsureStatusListsResult> {
  const owner = ctx.owner;
  if (owner === undefined) {
    throw issuerError(IssuerErrorCode.OWNER_KEY_REQUIRED, "creating status lists needs the issuer identity's owner key", {
      hint: "run provisioning where the owner key is available, or adopt lists created elsewhere (adoptStatusLists)",
    });
  }
  const spare = params.sparePairs ?? ctx.settings.sparePairs;
  if (!Number.isInteger(spare) || spare < 0 || spare > 16) {
    throw issuerError("INVALID_ARGUMENT", "sparePairs must be an integer from 0 to 16", { details: { spare } });
  }
  return ctx.exclusive(async () => {
    // Lists whose creation an earlier run journaled but did not see confirmed.
    for (const op of ctx.journal.preparedOps()) if (op.kind === "createList") await resolveLedgerOp(ctx, op);
    const created: PairRow[] = [];
    const size = ctx.settings.sizeLog2;
    let accepting = ctx.allocator.usage().filter((u) => u.used < u.limit).length;
    while (accepting < 1 + spare) {
      const revocation = ctx.lists.unpairedList("revocation", size) ?? (await createList(ctx, owner.signer, "revocation"));
      const suspension = ctx.lists.unpairedList("suspension", size) ?? (await createList(ctx, owner.signer, "suspension"));
      const pair = ctx.lists.addPair(revocation, suspension, size, ctx.clock());
      ctx.pairs.set(pair.pairId, pair);
      ctx.allocator.addPair(pair, []);
      created.push(pair);
      accepting++;
    }
    const pairs = statusListPairs(ctx);
    return { created: pairs.filter((p) => created.some((c) => c.pairId === p.pairId)), pairs };
  });
}

async function createList(ctx: IssuerContext, signer: NonNullable<IssuerContext["owner"]>["signer"], purpose: ListPurpose): Promise<string> {
  // The owner key is never named operator: an operator grant outlives an ERC-1056 owner change, so a
  // rotated-out (possibly compromised) owner key would keep write access.
  const operators =
    ctx.operator !== undefined && ctx.operator.address !== ctx.owner?.address ? [ctx.operator.address] : [];
  const data = statusRegistryInterface.encodeFunctionData("createList", [
    ctx.issuerAddress,
    PURPOSE_NUMBER[purpose],
    ctx.settings.sizeLog2,
    operators,
  ]);
  const prepared = await prepareTransaction(signer, ctx.statusRegistryAddress, data, ctx.journal.isJournaled);
  const opId = ctx.journal.journalCreateListOp({ purpose, sizeLog2: ctx.settings.sizeLog2, now: ctx.clock(), ...prepared });
  const outcome = await resolveLedgerOp(ctx, ctx.journal.op(opId) as LedgerOpRow);
  if (outcome.state === "confirmed" && outcome.listId !== undefined) return outcome.listId;
  if (outcome.state === "pending") {
    throw issuerError("LEDGER_UNAVAILABLE", "the list creation was sent but is not confirmed yet", {
      cause: outcome.cause,
      details: { opId, txHash: outcome.txHash },
      hint: "run ensureStatusLists again once the ledger is reachable: it picks the list up",
    });
  }
  throw issuerError("LEDGER_REJECTED", "the list was not created", { details: { opId, txHash: outcome.txHash } });
}

/**
 * Adopts a pair of lists created elsewhere (e.g. by the owner in an offline ceremony), after checking on the
 * ledger that both belong to this issuer, have the right purposes and the same size, that no entry is set yet,
 * and that the operator key may write them. Adopt only lists made for this database: two databases handing out
 * entries of one list would give two holders the same entry.
 */
export async function adoptStatusLists(ctx: IssuerContext, params: AdoptStatusListsParameters): Promise<StatusListPairInfo> {
  const ids = { revocation: parseListId(params.revocationListId), suspension: parseListId(params.suspensionListId) };
  return ctx.exclusive(async () => {
    const registry = ctx.contracts.statusRegistry;
    let sizeLog2 = 0;
    for (const purpose of ["revocation", "suspension"] as const) {
      const id = ids[purpose];
      const known = ctx.lists.listKnown(id);
      if (known?.pairId != null) {
        throw issuerError(IssuerErrorCode.STATUS_LIST_INVALID, "the list is already in use here", { details: { listId: id } });
      }
      let list: { issuer: string; purpose: bigint; sizeLog2: bigint };
      try {
        list = await registry.getFunction("statusList")(id);
      } catch (e) {
        const err = issuerLedgerError(e, "read list");
        if (err.code === "LEDGER_REJECTED") {
          throw issuerError(IssuerErrorCode.STATUS_LIST_INVALID, "no such list on the ledger", { details: { listId: id } });
        }
        throw err;
      }
      if (checksumAddress(list.issuer) !== ctx.issuerAddress || Number(list.purpose) !== PURPOSE_NUMBER[purpose]) {
        throw issuerError(IssuerErrorCode.STATUS_LIST_INVALID, `list ${id} is not a ${purpose} list of this issuer`, {
          details: { listId: id, issuer: list.issuer, purpose: Number(list.purpose) },
        });
      }
      if (sizeLog2 !== 0 && Number(list.sizeLog2) !== sizeLog2) {
        throw issuerError(IssuerErrorCode.STATUS_LIST_INVALID, "the two lists differ in size", { details: ids });
      }
      sizeLog2 = Number(list.sizeLog2);
      if (ctx.operator !== undefined) {
        const [isOperator, owner] = await Promise.all([
          registry.getFunction("isOperator")(id, ctx.operator.address) as Promise<boolean>,
          ctx.contracts.didRegistry.getFunction("identityOwner")(ctx.issuerAddress) as Promise<string>,
        ]);
        if (!isOperator && checksumAddress(owner) !== ctx.operator.address) {
          throw issuerError(IssuerErrorCode.OPERATOR_NOT_AUTHORIZED, `the operator key may not write list ${id}`, {
            details: { listId: id, operator: ctx.operator.address },
            hint: "name it with setOperator (owner key) first",
          });
        }
      }
      const wordCount = 2 ** (sizeLog2 - 8);
      for (let from = 0; from < wordCount; from += STATUS_READ_WORDS) {
        const words = (await registry.getFunction("words")(id, from, Math.min(STATUS_READ_WORDS, wordCount - from))) as bigint[];
        if (words.some((w) => w !== 0n)) {
          throw issuerError(IssuerErrorCode.STATUS_LIST_INVALID, `list ${id} already has entries set`, { details: { listId: id } });
        }
      }
    }
    const pair = ctx.lists.addPair(ids.revocation, ids.suspension, sizeLog2, ctx.clock());
    ctx.pairs.set(pair.pairId, pair);
    ctx.allocator.addPair(pair, []);
    return statusListPairs(ctx).find((p) => p.pairId === pair.pairId) as StatusListPairInfo;
  });
}

/**
 * Names (or un-names) an operator key on every list of the issuer, with the owner key: for rotating the key
 * that writes status changes. Idempotent: lists already in the requested state are skipped.
 *
 * Journaled like the issuer's other ledger writes: the intent is recorded in the database (`list_operators`)
 * BEFORE any `setOperator` is sent, and reconcile and the journal watcher bring the ledger back to it whenever
 * it differs (a node restarted from an older state file that lost the change). An unreachable ledger throws
 * `LEDGER_UNAVAILABLE` with the intent kept: it is applied once the ledger answers. A change the ledger refuses
 * throws and leaves the earlier intent of the lists not changed.
 */
export async function setListOperator(ctx: IssuerContext, params: SetListOperatorParameters): Promise<{ transactions: string[] }> {
  const owner = ctx.owner;
  if (owner === undefined) {
    throw issuerError(IssuerErrorCode.OWNER_KEY_REQUIRED, "naming operators needs the issuer identity's owner key");
  }
  const operator = checksumAddress(params.operator);
  return ctx.exclusive(async () => {
    const lists = [...ctx.pairs.values()].flatMap((p) => [p.revocationListId, p.suspensionListId]);
    const previous = lists.map((listId) => ctx.lists.listOperator(listId, operator));
    const now = ctx.clock();
    // The latest call's intent replaces any earlier one, in one transaction, before anything is sent.
    ctx.lists.writeListOperators(lists.map((listId) => ({ listId, operator, allowed: params.allowed, updatedAt: now })));
    const transactions: string[] = [];
    for (const [i, listId] of lists.entries()) {
      try {
        const current = await readIsOperator(ctx, listId, operator);
        if (current === params.allowed) continue;
        const data = statusRegistryInterface.encodeFunctionData("setOperator", [listId, operator, params.allowed]);
        const receipt = await sendAndWait(owner.signer, ctx.provider, ctx.statusRegistryAddress, data, ctx.ledger);
        transactions.push(receipt.hash);
      } catch (e) {
        const err = e instanceof MobileIdError ? e : issuerLedgerError(e, "set an operator");
        if (err.code === "LEDGER_UNAVAILABLE") {
          throw issuerError("LEDGER_UNAVAILABLE", "the operator change is recorded but not confirmed on the ledger yet", {
            cause: err,
            details: { listId, operator, allowed: params.allowed, sent: transactions },
            hint: "reconcile (or the running journal watcher) applies it once the ledger answers",
          });
        }
        // Refused: the lists not changed yet keep their earlier intent, so that nothing retries a refused change.
        const rest = lists.slice(i).map((l, j) => ({ listId: l, operator, before: previous[i + j] }));
        ctx.lists.writeListOperators(
          rest.flatMap((r) => (r.before === undefined ? [] : [r.before])),
          rest.filter((r) => r.before === undefined),
        );
        throw err;
      }
    }
    return { transactions };
  });
}

async function readIsOperator(ctx: IssuerContext, listId: string, operator: string): Promise<boolean> {
  try {
    return (await ctx.contracts.statusRegistry.getFunction("isOperator")(listId, operator)) as boolean;
  } catch (e) {
    throw issuerLedgerError(e, "read list operators");
  }
}

function parseListId(id: bigint | string): string {
  const s = typeof id === "bigint" ? id.toString(10) : id;
  if (!/^[1-9][0-9]{0,76}$/.test(s)) {
    throw issuerError("INVALID_ARGUMENT", "a list id is a positive decimal integer", { details: { id: s } });
  }
  return s;
}
