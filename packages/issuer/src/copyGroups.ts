/** @internal Not exported from the package. */
import type { ChangeStatusParameters } from "./changeCredentialStatus.ts";
import type { IssuerContext } from "./issuerContext.ts";

/**
 * Replaces every id that names a batch issuance (SD-JWT VC copies) by the ids of all its copies, so that a status
 * change of the credential changes every copy in the same request: the copies share one list pair, so
 * `changeCredentialStatus` writes them in ONE batched transaction per list. Other ids pass unchanged.
 */
export function expandCopyGroups(ctx: IssuerContext, params: ChangeStatusParameters): ChangeStatusParameters {
  const ids = typeof params.ids === "string" ? [params.ids] : params.ids;
  if (!Array.isArray(ids)) return params;
  const out: string[] = [];
  for (const id of ids) {
    const copies = typeof id === "string" ? ctx.records.copiesOfGroup(id) : [];
    if (copies.length === 0) out.push(id);
    else out.push(...copies);
  }
  return { ...params, ids: out };
}
