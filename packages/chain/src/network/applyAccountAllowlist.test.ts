import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { applyAccountAllowlist } from "./applyAccountAllowlist.ts";

const [a, b, c, ops] = Array.from({ length: 4 }, () => Wallet.createRandom().address) as [string, string, string, string];

/** A fake fetch answering Besu's PERM methods from `onNode`, recording each call. */
function fakeNodes(onNode: Record<string, string[] | "down" | "no-perm">) {
  const calls: { node: string; method: string; params: unknown[] }[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    const node = String(url);
    const state = onNode[node];
    if (state === "down" || state === undefined) throw new TypeError("fetch failed");
    const { id, method, params } = JSON.parse(String(init?.body)) as { id: number; method: string; params: unknown[] };
    calls.push({ node, method, params });
    const body = state === "no-perm"
      ? { jsonrpc: "2.0", id, error: { code: -32604, message: "Method not enabled" } }
      : { jsonrpc: "2.0", id, result: method === "perm_getAccountsAllowlist" ? state : "Success" };
    return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe("applyAccountAllowlist", () => {
  it("adds the missing and removes the extra on each node, leaving --keep accounts alone", async () => {
    const { calls, fetchFn } = fakeNodes({ "http://n1": [a.toLowerCase(), c, ops], "http://n2": [] });
    const changes = await applyAccountAllowlist({ accounts: [a, b], keep: [ops], nodes: ["http://n1", "http://n2"], fetch: fetchFn });
    expect(changes).toEqual([
      { node: "http://n1", added: [b], removed: [c] },
      { node: "http://n2", added: [a, b, ops].sort(), removed: [] },
    ]);
    expect(calls.map((x) => `${x.node} ${x.method}`)).toEqual([
      "http://n1 perm_getAccountsAllowlist",
      "http://n1 perm_addAccountsToAllowlist",
      "http://n1 perm_removeAccountsFromAllowlist",
      "http://n2 perm_getAccountsAllowlist",
      "http://n2 perm_addAccountsToAllowlist",
    ]);
  });

  it("sends nothing but reads on a dry run", async () => {
    const { calls, fetchFn } = fakeNodes({ "http://n1": [c] });
    const changes = await applyAccountAllowlist({ accounts: [a], nodes: ["http://n1"], dryRun: true, fetch: fetchFn });
    expect(changes).toEqual([{ node: "http://n1", added: [a], removed: [c] }]);
    expect(calls.map((x) => x.method)).toEqual(["perm_getAccountsAllowlist"]);
  });

  it("fails closed naming the node: unreachable is LEDGER_UNAVAILABLE, PERM refused is LEDGER_REJECTED", async () => {
    const { fetchFn } = fakeNodes({ "http://down": "down", "http://noperm": "no-perm" });
    await expect(applyAccountAllowlist({ accounts: [a], nodes: ["http://down"], fetch: fetchFn })).rejects.toMatchObject({ code: "LEDGER_UNAVAILABLE", details: { node: "http://down" } });
    await expect(applyAccountAllowlist({ accounts: [a], nodes: ["http://noperm"], fetch: fetchFn })).rejects.toMatchObject({ code: "LEDGER_REJECTED", details: { node: "http://noperm" } });
  });
});
