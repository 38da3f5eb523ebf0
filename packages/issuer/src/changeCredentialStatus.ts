import { MobileIdError, ReasonCode } from "@mobile-id/core";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import type { IssuerContext } from "./issuerContext.ts";
import type { CredentialRow, CredentialStatus, StatusAction } from "./store/createIssuanceStore.ts";
import { writeStatusEntries } from "./writeStatusEntries.ts";

export interface ChangeStatusParameters {
  /** Credential ids (`jti`), one or many. Duplicates are merged. */
  readonly ids: string | readonly string[];
  /** Why (recorded on the ledger with the change): a {@link ReasonCode}. */
  readonly reason: ReasonCode;
}

/** One ledger transaction of a status change. */
export interface StatusTransaction {
  readonly listId: string;
  readonly txHash: string;
  readonly blockNumber: number;
  /** How many credentials the transaction changed. */
  readonly entries: number;
}

export interface ChangeStatusResult {
  /** Ids whose status changed. */
  readonly changed: readonly string[];
  /** Ids already in the requested state (nothing sent for them): revoking a revoked credential, etc. */
  readonly unchanged: readonly string[];
  /** One per list touched (more only past 1,024 words, the contract's batch cap). */
  readonly transactions: readonly StatusTransaction[];
}

const KNOWN_REASONS = new Set<number>(Object.values(ReasonCode));

/** What each action does from each state: `change`, `same` (nothing to send) or a refusal. */
const TRANSITIONS: Record<StatusAction, Record<CredentialStatus, "change" | "same" | "refuse">> = {
  revoke: { active: "change", suspended: "change", revoked: "same" },
  suspend: { active: "change", suspended: "same", revoked: "refuse" },
  reinstate: { active: "same", suspended: "change", revoked: "refuse" },
};

/**
 * Revokes, suspends or reinstates credentials by id. Checks everything before sending anything: an unknown id,
 * a suspension or reinstatement of a revoked credential, or a credential with an unresolved change refuses the
 * whole request. Then, per list, ONE transaction: a single entry with `revoke`/`suspend`/`reinstate`, several
 * with the batch function over sorted `(word, mask)` pairs. Each transaction is signed and journaled (pending
 * history rows, with its hash) before it is broadcast, and its outcome recorded once known; a crash anywhere
 * in between is settled by `reconcile`.
 */
export async function changeCredentialStatus(
  ctx: IssuerContext,
  action: StatusAction,
  params: ChangeStatusParameters,
): Promise<ChangeStatusResult> {
  const operator = ctx.operator;
  if (operator === undefined) {
    throw issuerError(IssuerErrorCode.OPERATOR_KEY_REQUIRED, "no operator key configured for ledger writes", {
      hint: "configure the key the issuer named as operator of its status lists",
    });
  }
  if (!KNOWN_REASONS.has(params.reason)) {
    throw issuerError("INVALID_ARGUMENT", "unknown reason code", {
      details: { reason: params.reason },
      hint: `one of ${Object.keys(ReasonCode).join(", ")}`,
    });
  }
  const ids = [...new Set(typeof params.ids === "string" ? [params.ids] : params.ids)];
  if (ids.length === 0 || ids.some((id) => typeof id !== "string" || id.length === 0)) {
    throw issuerError("INVALID_ARGUMENT", "give at least one credential id");
  }

  return ctx.exclusive(async () => {
    const rows = ctx.records.credentialsByJti(ids);
    if (rows.length !== ids.length) {
      const found = new Set(rows.map((r) => r.jti));
      const missing = ids.filter((id) => !found.has(id));
      throw issuerError(IssuerErrorCode.CREDENTIAL_NOT_FOUND, "no credential with this id was issued here", {
        details: { missing: missing.slice(0, 20), count: missing.length },
        hint: "list issued credentials with listCredentials (mid issuer list)",
      });
    }
    const busy = rows.filter((r) => r.pendingOp !== null);
    if (busy.length > 0) {
      throw issuerError(IssuerErrorCode.STATUS_CHANGE_PENDING, "a status change of this credential is not settled yet", {
        details: { ids: busy.slice(0, 20).map((r) => r.jti), operations: [...new Set(busy.map((r) => r.pendingOp))] },
        hint: "run reconcile (mid issuer reconcile) once the ledger is reachable",
      });
    }
    const refused = rows.filter((r) => TRANSITIONS[action][r.status] === "refuse");
    if (refused.length > 0) {
      throw issuerError(IssuerErrorCode.CREDENTIAL_REVOKED, `a revoked credential cannot be ${action === "suspend" ? "suspended" : "reinstated"}`, {
        details: { ids: refused.slice(0, 20).map((r) => r.jti), count: refused.length },
        hint: "revocation is permanent: issue a new credential instead",
      });
    }
    const toChange = rows.filter((r) => TRANSITIONS[action][r.status] === "change");
    const unchanged = rows.filter((r) => TRANSITIONS[action][r.status] === "same").map((r) => r.jti);

    const byList = new Map<string, CredentialRow[]>();
    for (const r of toChange) {
      const listId = action === "revoke" ? r.revocationListId : r.suspensionListId;
      const group = byList.get(listId);
      if (group === undefined) byList.set(listId, [r]);
      else group.push(r);
    }

    const transactions: StatusTransaction[] = [];
    const changed: string[] = [];
    for (const [listId, group] of [...byList].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1))) {
      try {
        await writeStatusEntries(ctx, { signer: operator.signer, action, listId, rows: group, reason: params.reason, transactions, changed });
      } catch (e) {
        throw withProgress(e, transactions, changed);
      }
    }
    return { changed, unchanged, transactions };
  });
}

/** Adds what already took effect to an error thrown part-way through a multi-list change. */
function withProgress(e: unknown, transactions: readonly StatusTransaction[], changed: readonly string[]): unknown {
  if (!(e instanceof MobileIdError) || transactions.length === 0) return e;
  return new MobileIdError(e.code, e.message, {
    cause: e.cause,
    details: { ...e.details, completed: transactions, changed },
    ...(e.hint === undefined ? {} : { hint: e.hint }),
  });
}
