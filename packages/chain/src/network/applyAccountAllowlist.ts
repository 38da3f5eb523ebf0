import { getAddress } from "ethers";
import { MobileIdError } from "@mobile-id/core";

/** What was changed on one node. */
export interface NodeAllowlistChange {
  readonly node: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface ApplyAccountAllowlistParameters {
  /** The allowlist to hold on every node. */
  readonly accounts: readonly string[];
  /** JSON-RPC URLs of the Besu nodes (PERM API enabled). */
  readonly nodes: readonly string[];
  /** Accounts to leave on the nodes although the ledger does not name them (e.g. an operations account). */
  readonly keep?: readonly string[];
  /** Compute and report the changes without sending them. */
  readonly dryRun?: boolean;
  /** Injected for tests. Default: global `fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * Brings each node's local account allowlist to `accounts` through Besu's permissioning RPC: reads
 * `perm_getAccountsAllowlist`, then `perm_addAccountsToAllowlist` for the missing and
 * `perm_removeAccountsFromAllowlist` for the extra (Besu writes the change into the node's
 * `permissions_config.toml`). Nodes are changed one after the other; a node that fails stops the run with
 * `LEDGER_UNAVAILABLE` or `LEDGER_REJECTED` naming it (the earlier nodes keep their change: run it again).
 *
 * @example
 * ```ts
 * const changes = await applyAccountAllowlist({ accounts, nodes: ["http://10.0.0.11:8545"] });
 * ```
 */
export async function applyAccountAllowlist(params: ApplyAccountAllowlistParameters): Promise<NodeAllowlistChange[]> {
  const doFetch = params.fetch ?? fetch;
  const wanted = new Set([...params.accounts, ...(params.keep ?? [])].map((a) => getAddress(a)));
  const changes: NodeAllowlistChange[] = [];
  for (const node of params.nodes) {
    let id = 0;
    const rpc = async (method: string, args: unknown[]): Promise<unknown> => {
      let res: Response;
      try {
        res = await doFetch(node, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: args }),
        });
      } catch (cause) {
        throw new MobileIdError("LEDGER_UNAVAILABLE", `node ${node} did not answer ${method}`, { cause, details: { node } });
      }
      const body = (await res.json().catch(() => ({}))) as { result?: unknown; error?: { code?: number; message?: string } };
      if (body.error !== undefined || !("result" in body)) {
        throw new MobileIdError("LEDGER_REJECTED", `node ${node} refused ${method}: ${body.error?.message ?? `HTTP ${res.status}`}`, {
          details: { node, method, error: body.error },
          hint: "enable the PERM API and the accounts allowlist file on the node (config.toml from `mid network init`)",
        });
      }
      return body.result;
    };
    const current = (await rpc("perm_getAccountsAllowlist", [])) as string[];
    if (!Array.isArray(current)) {
      throw new MobileIdError("LEDGER_REJECTED", `node ${node} answered perm_getAccountsAllowlist with no list`, { details: { node } });
    }
    const have = new Set(current.map((a) => getAddress(a)));
    const added = [...wanted].filter((a) => !have.has(a)).sort();
    const removed = [...have].filter((a) => !wanted.has(a)).sort();
    if (params.dryRun !== true) {
      // Add first: an account moving to a new key is never without access in between.
      if (added.length > 0) await rpc("perm_addAccountsToAllowlist", [added]);
      if (removed.length > 0) await rpc("perm_removeAccountsFromAllowlist", [removed]);
    }
    changes.push({ node, added, removed });
  }
  return changes;
}
