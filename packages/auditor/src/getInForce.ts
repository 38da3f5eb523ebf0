import { reasonName } from "@mobile-id/core";
import { AuditorError } from "./errors.ts";
import { ACCREDITATION_STATUSES, type AccreditationChangedEvent, type AccreditationStatusName, type PartyRoleName } from "./events.ts";
import { compareRole, compareText } from "./internal/compare.ts";
import { partyName, readDirectory, resolveCredentialType } from "./internal/directory.ts";
import { queryEvents, topicBytes32 } from "./internal/logs.ts";
import { ledgerCall, mapLimit } from "./internal/rpc.ts";
import { isoTime } from "./internal/time.ts";
import type { AuditLedger } from "./openLedger.ts";
import type { ProgressListener } from "./progress.ts";
import { type ReportHeader, didOf, reportHeader } from "./reportHeader.ts";

export interface GetInForceParameters {
  readonly ledger: AuditLedger;
  /** The credential type: 32-byte id or registered name (highest version unless `version` is given). */
  readonly credentialType: string;
  readonly version?: number;
  /** The moment asked about, in seconds. Default: the time of `atBlock`. */
  readonly at?: number;
  /** The block whose state answers (default: the head). An answer for a time before this block is final. */
  readonly atBlock?: number;
  readonly onProgress?: ProgressListener;
}

/** `standingAt(party, type, at)` of one party, labelled. */
export interface InForceEntry {
  readonly party: string;
  readonly did: string;
  readonly name: string;
  readonly role: PartyRoleName;
  /** Its own accreditation and its accreditor's were both active and inside their windows at `at`. */
  readonly inForce: boolean;
  /** Effective status at `at` (`Pending` / `Expired` derived from the window; `None`: no record yet then). */
  readonly status: AccreditationStatusName;
  /** The grantor (for an accreditor: the root that accredited it); "" when there was no record at `at`. */
  readonly accreditor: string;
  readonly accreditorName: string;
  readonly accreditorStatus: AccreditationStatusName;
  readonly validFrom: number;
  readonly validUntil: number;
  /** When the record in effect at `at` took effect (0 when none). */
  readonly since: number;
  readonly reason: number;
  readonly reasonName: string;
  /** `at` is before `atBlock`'s time: this answer can never change. */
  readonly final: boolean;
}

export interface InForceReport extends ReportHeader {
  readonly kind: "inForce";
  readonly credentialType: {
    readonly id: string;
    readonly name: string;
    readonly version: number;
    readonly deprecated: boolean;
    readonly governingAccreditor: string;
    readonly governingAccreditorName: string;
  };
  readonly at: number;
  readonly atTime: string;
  /** Every answer is final (`at` is before the time of `atBlock`). */
  readonly final: boolean;
  readonly inForceCount: number;
  /** Every party with a record for the type as of `atBlock` (accreditors first, then by name). */
  readonly parties: readonly InForceEntry[];
}

const MAX_UINT40 = 2 ** 40 - 1;

/**
 * Who was in force for a credential type at a moment: every party that has an accreditation record for the
 * type as of `atBlock`, each answered by the ledger's own `standingAt` (one `eth_call` each), with its
 * accreditor and whether the answer is final. A time before `atBlock`'s is answered from the on-chain history
 * at the head, so past reports need no node that keeps past states.
 *
 * @example
 * ```ts
 * const report = await getInForce({ ledger, credentialType: "StudentIDCredential", at: Date.parse("2026-03-02") / 1000 });
 * for (const p of report.parties) console.log(p.name, p.inForce, p.status);
 * ```
 */
export async function getInForce(params: GetInForceParameters): Promise<InForceReport> {
  const { ledger, onProgress } = params;
  if (params.at !== undefined && (!Number.isSafeInteger(params.at) || params.at < 0 || params.at > MAX_UINT40)) {
    throw new AuditorError("INVALID_ARGUMENT", "`at` must be whole seconds since the epoch", { details: { at: params.at } });
  }
  const atBlock = await ledger.resolveBlock(params.atBlock);
  const header = await reportHeader(ledger, atBlock);
  const dir = await readDirectory(ledger, atBlock, onProgress);
  const type = resolveCredentialType(dir, params.credentialType, params.version);
  const at = params.at ?? header.atBlockTimestamp;

  const events = (await queryEvents(
    ledger,
    [{ source: "accreditationRegistry", events: ["AccreditationChanged"], topics: [null, topicBytes32(type.id)] }],
    0,
    atBlock,
    onProgress,
  )) as AccreditationChangedEvent[];
  const parties = [...new Set(events.map((e) => e.party))];

  const standingAt = ledger.contracts.accreditationRegistry.getFunction("standingAt");
  // Nodes that keep no past states (anvil once restarted, as the embedded node keeps only the latest state on
  // disk; a Besu full node) cannot run a call at an old block. The contract keeps every accreditation's history
  // on chain, and its answer for a time before a block's time never changes afterwards: for such a time the head
  // gives the very answer `atBlock` would. Only a time at or after `atBlock`'s needs that block's own state.
  const callBlock = at < header.atBlockTimestamp ? await ledger.resolveBlock() : atBlock;
  const entries = await mapLimit(
    parties,
    ledger.concurrency,
    async (party): Promise<InForceEntry> => {
      const s = await ledgerCall("standingAt", { party, credentialType: type.id, at, atBlock, callBlock }, () =>
        standingAt.staticCall(party, type.id, at, { blockTag: callBlock }),
      );
      const accreditor = String(s.accreditor);
      const known = accreditor !== "0x0000000000000000000000000000000000000000";
      const reason = Number(s.reason);
      return {
        party,
        did: didOf(ledger, party),
        name: partyName(dir, party),
        role: dir.parties.get(party)?.role ?? "None",
        inForce: Boolean(s.inForce),
        status: statusName(s.status),
        accreditor: known ? accreditor : "",
        accreditorName: known ? partyName(dir, accreditor) : "",
        accreditorStatus: statusName(s.accreditorStatus),
        validFrom: Number(s.validFrom),
        validUntil: Number(s.validUntil),
        since: Number(s.since),
        reason,
        reasonName: reason === 0 ? "" : reasonName(reason),
        final: Boolean(s.final_),
      };
    },
    (done) => onProgress?.({ phase: "calls", done, total: parties.length, detail: "standingAt" }),
  );
  entries.sort((a, b) => compareRole(a.role, b.role) || compareText(a.name, b.name) || compareText(a.party, b.party));

  return {
    kind: "inForce",
    ...header,
    credentialType: {
      id: type.id,
      name: type.name,
      version: type.version,
      deprecated: type.deprecated,
      governingAccreditor: type.governingAccreditor,
      governingAccreditorName: partyName(dir, type.governingAccreditor),
    },
    at,
    atTime: isoTime(at),
    final: at < header.atBlockTimestamp,
    inForceCount: entries.filter((e) => e.inForce).length,
    parties: entries,
  };
}

function statusName(v: unknown): AccreditationStatusName {
  const name = ACCREDITATION_STATUSES[Number(v)];
  if (name === undefined) {
    throw new AuditorError("LEDGER_DATA_INVALID", "standingAt returned an unknown status", { details: { status: String(v) } });
  }
  return name;
}
