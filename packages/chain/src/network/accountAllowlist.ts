import { type Log, type Provider, getAddress } from "ethers";
import type { NetworkDescriptor } from "@mobile-id/core";
import { accreditationRegistryInterface, didRegistryInterface, statusRegistryInterface } from "../ledger/events.ts";
import { AccreditationStatus } from "../ledger/types.ts";

/** Why an account may send transactions. */
export type AllowlistReason = "root" | "accreditor" | "issuer" | "operator" | "owner-key";

/** One account of the allowlist with every reason it is there (an `owner-key` entry also names its identity). */
export interface AllowlistEntry {
  readonly address: string;
  readonly reasons: readonly AllowlistReason[];
  /** For `owner-key`: the identities whose current ERC-1056 owner key this is. */
  readonly keyOf: readonly string[];
}

/** The account allowlist: sorted, checksummed, each with its reasons. */
export interface AccountAllowlist {
  readonly accounts: readonly string[];
  readonly entries: readonly AllowlistEntry[];
}

/** The governance events the allowlist is derived from, in ledger order. */
export type GovernanceLogEvent =
  | { readonly name: "PartyRegistered"; readonly identity: string; readonly role: number }
  | { readonly name: "AccreditationChanged"; readonly party: string; readonly credentialType: string; readonly status: number }
  | { readonly name: "StatusListCreated"; readonly listId: bigint; readonly issuer: string }
  | { readonly name: "StatusListOperatorSet"; readonly listId: bigint; readonly operator: string; readonly allowed: boolean }
  | { readonly name: "DIDOwnerChanged"; readonly identity: string; readonly owner: string };

export interface DeriveAccountAllowlistParameters {
  /** The current root (`root()` at the head; genesis networks have no event naming it). */
  readonly root: string;
  readonly events: Iterable<GovernanceLogEvent>;
}

/**
 * Who may transact, from the governance on the ledger (pure; no I/O):
 * - the current root;
 * - every registered accreditor and issuer, until every accreditation it had is revoked (a suspended issuer stays:
 *   it must still be able to revoke its credentials; one registered but not yet accredited is allowed, so that it
 *   can prepare its lists);
 * - every status-list operator still allowed on a list whose issuer is allowed;
 * - for each of those identities, its current ERC-1056 owner key when the key was rotated away from the identity.
 *
 * @example
 * ```ts
 * const { accounts } = deriveAccountAllowlist({ root, events });
 * ```
 */
export function deriveAccountAllowlist(params: DeriveAccountAllowlistParameters): AccountAllowlist {
  const roles = new Map<string, "accreditor" | "issuer">();
  const accreditations = new Map<string, Map<string, number>>();
  const listIssuer = new Map<bigint, string>();
  const operators = new Map<bigint, Set<string>>();
  const owners = new Map<string, string>();
  for (const e of params.events) {
    switch (e.name) {
      case "PartyRegistered":
        if (e.role === 2) roles.set(getAddress(e.identity), "accreditor");
        else if (e.role === 3) roles.set(getAddress(e.identity), "issuer");
        break;
      case "AccreditationChanged": {
        const party = getAddress(e.party);
        const byType = accreditations.get(party) ?? new Map<string, number>();
        byType.set(e.credentialType, e.status);
        accreditations.set(party, byType);
        break;
      }
      case "StatusListCreated":
        listIssuer.set(e.listId, getAddress(e.issuer));
        break;
      case "StatusListOperatorSet": {
        const set = operators.get(e.listId) ?? new Set<string>();
        if (e.allowed) set.add(getAddress(e.operator));
        else set.delete(getAddress(e.operator));
        operators.set(e.listId, set);
        break;
      }
      case "DIDOwnerChanged":
        owners.set(getAddress(e.identity), getAddress(e.owner));
        break;
    }
  }
  const entries = new Map<string, { reasons: Set<AllowlistReason>; keyOf: Set<string> }>();
  const add = (address: string, reason: AllowlistReason, keyOf?: string) => {
    const e = entries.get(address) ?? { reasons: new Set<AllowlistReason>(), keyOf: new Set<string>() };
    e.reasons.add(reason);
    if (keyOf !== undefined) e.keyOf.add(keyOf);
    entries.set(address, e);
  };
  const identities: string[] = [];
  const allowIdentity = (identity: string, reason: AllowlistReason) => {
    add(identity, reason);
    identities.push(identity);
  };
  allowIdentity(getAddress(params.root), "root");
  for (const [identity, role] of roles) {
    const statuses = [...(accreditations.get(identity)?.values() ?? [])];
    const allRevoked = statuses.length > 0 && statuses.every((s) => s === AccreditationStatus.Revoked);
    if (!allRevoked) allowIdentity(identity, role);
  }
  for (const [listId, ops] of operators) {
    const issuer = listIssuer.get(listId);
    if (issuer === undefined || !identities.includes(issuer)) continue;
    for (const op of ops) allowIdentity(op, "operator");
  }
  for (const identity of identities) {
    const owner = owners.get(identity);
    if (owner !== undefined && owner !== identity) add(owner, "owner-key", identity);
  }
  const sorted = [...entries.entries()].sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  return {
    accounts: sorted.map(([a]) => a),
    entries: sorted.map(([address, e]) => ({ address, reasons: [...e.reasons].sort(), keyOf: [...e.keyOf].sort() })),
  };
}

export interface ReadAccountAllowlistParameters {
  readonly provider: Provider;
  readonly descriptor: Pick<NetworkDescriptor, "contracts">;
  /** Blocks per `eth_getLogs` request. Default 10,000. */
  readonly chunkBlocks?: number;
}

/**
 * Reads the governance events from the ledger (from the contracts' deployment blocks to the head) and derives
 * the account allowlist ({@link deriveAccountAllowlist}).
 *
 * @example
 * ```ts
 * const { accounts } = await readAccountAllowlist({ provider, descriptor });
 * ```
 */
export async function readAccountAllowlist(params: ReadAccountAllowlistParameters): Promise<AccountAllowlist & { readonly head: number }> {
  const { provider, descriptor } = params;
  const c = descriptor.contracts;
  const head = await provider.getBlockNumber();
  const chunk = params.chunkBlocks ?? 10_000;
  const sources = [
    { ref: c.accreditationRegistry, iface: accreditationRegistryInterface, events: ["PartyRegistered", "AccreditationChanged"] },
    { ref: c.statusRegistry, iface: statusRegistryInterface, events: ["StatusListCreated", "StatusListOperatorSet"] },
    { ref: c.didRegistry, iface: didRegistryInterface, events: ["DIDOwnerChanged"] },
  ] as const;
  const logs: { log: Log; source: (typeof sources)[number] }[] = [];
  for (const source of sources) {
    const topics = source.events.map((n) => source.iface.getEvent(n)?.topicHash as string);
    for (let from = source.ref.deployBlock; from <= head; from += chunk) {
      const got = await provider.getLogs({ address: source.ref.address, topics: [topics], fromBlock: from, toBlock: Math.min(head, from + chunk - 1) });
      for (const log of got) logs.push({ log, source });
    }
  }
  logs.sort((a, b) => a.log.blockNumber - b.log.blockNumber || a.log.index - b.log.index);
  const events: GovernanceLogEvent[] = [];
  for (const { log, source } of logs) {
    const d = source.iface.parseLog({ topics: [...log.topics], data: log.data });
    if (d === null) continue;
    const a = d.args;
    switch (d.name) {
      case "PartyRegistered":
        events.push({ name: d.name, identity: a.getValue("identity") as string, role: Number(a.getValue("role")) });
        break;
      case "AccreditationChanged":
        events.push({ name: d.name, party: a.getValue("party") as string, credentialType: a.getValue("credentialType") as string, status: Number(a.getValue("status")) });
        break;
      case "StatusListCreated":
        events.push({ name: d.name, listId: a.getValue("listId") as bigint, issuer: a.getValue("issuer") as string });
        break;
      case "StatusListOperatorSet":
        events.push({ name: d.name, listId: a.getValue("listId") as bigint, operator: a.getValue("operator") as string, allowed: a.getValue("allowed") as boolean });
        break;
      case "DIDOwnerChanged":
        events.push({ name: d.name, identity: a.getValue("identity") as string, owner: a.getValue("owner") as string });
        break;
    }
  }
  const root = (await provider.call({ to: c.accreditationRegistry.address, data: accreditationRegistryInterface.encodeFunctionData("root", []), blockTag: head }));
  const [rootAddress] = accreditationRegistryInterface.decodeFunctionResult("root", root) as unknown as [string];
  return { ...deriveAccountAllowlist({ root: rootAddress, events }), head };
}
