import { AccreditationStatus, type PermittedClaims, type RelyingPartyLedger, type RelyingPartyRegistration } from "@mobile-id/chain";
import { MobileIdError } from "@mobile-id/core";
import type { LedgerReadiness } from "./ledgerReadiness.ts";

export interface OfflineRelyingPartyLedgerParameters {
  /** Reads registrations from the node (`createRelyingPartyReader`). */
  readonly ledger: RelyingPartyLedger;
  /** The services' ledger gate: open, offline within the policy, or closed. */
  readonly readiness: Pick<LedgerReadiness, "status">;
  /** Most remembered answers. Default 10,000. */
  readonly maxEntries?: number;
}

const unavailable = (why: string) =>
  new MobileIdError("LEDGER_UNAVAILABLE", `relying-party registrations cannot be read: ${why}`, {
    hint: "the ledger node does not answer; retry shortly",
  });

/**
 * Relying-party registrations that keep working offline at the counter, within the same policy as the rest of the
 * verifier. Online, every question goes to the node (`ledger`) and the answer is remembered per party (and type)
 * with the replica head it was read under. While the node does not answer and the gate serves from the replica
 * (`ledger-unreachable`, within `maxStalenessSeconds`), the node is not called at all (a silent node would hang the
 * counter): the answer read under the replica's head is given again, re-judged for the time asked about (a
 * registration whose window has ended is `Expired`, not in force); one never read is `LEDGER_UNAVAILABLE`. Past the
 * policy, or with the gate closed for any other reason, every question is `LEDGER_UNAVAILABLE` (fail closed).
 *
 * @example
 * ```ts
 * const registrations = offlineRelyingPartyLedger({ ledger: createRelyingPartyReader({ descriptor, provider }), readiness });
 * ```
 */
export function offlineRelyingPartyLedger(params: OfflineRelyingPartyLedgerParameters): RelyingPartyLedger {
  const max = params.maxEntries ?? 10_000;
  const known = new Map<string, { readonly head: string; readonly answer: unknown }>();
  const remember = (key: string, head: string | undefined, answer: unknown) => {
    if (head === undefined) return;
    if (known.size >= max) known.clear();
    known.set(key, { head, answer });
  };

  const ask = async <T>(key: string, read: () => Promise<T>, offline: (answer: T) => T): Promise<T> => {
    const s = params.readiness.status();
    const head = s.freshness?.head.blockHash;
    if (s.ok) {
      const answer = await read();
      remember(key, head, answer);
      return answer;
    }
    if (s.reason !== "ledger-unreachable" || head === undefined) throw unavailable(s.reason ?? "the ledger gate is closed");
    const last = known.get(key);
    if (last === undefined || last.head !== head) throw unavailable("offline, and this registration was not read before the node went away");
    return offline(last.answer as T);
  };

  return {
    relyingPartyAt: (party, at) =>
      ask<RelyingPartyRegistration>(`r|${party.toLowerCase()}`, () => params.ledger.relyingPartyAt(party, at), (r) =>
        r.inForce && (at >= r.validUntil || at < r.validFrom)
          ? { ...r, inForce: false, status: at >= r.validUntil ? AccreditationStatus.Expired : AccreditationStatus.Pending, final: false }
          : { ...r, final: false },
      ),
    permittedClaimsAt: (party, typeId, at) =>
      ask<PermittedClaims>(`c|${party.toLowerCase()}|${typeId.toLowerCase()}`, () => params.ledger.permittedClaimsAt(party, typeId, at), (c) => c),
  };
}
