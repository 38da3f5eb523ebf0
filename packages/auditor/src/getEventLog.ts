import { reasonName } from "@mobile-id/core";
import {
  type AccreditationChangedEvent,
  type LedgerEvent,
  type LedgerEventName,
  type RelyingPartyChangedEvent,
  type RelyingPartyRegisteredEvent,
  type StatusListCreatedEvent,
  compareEvents,
} from "./events.ts";
import { classifyAccreditationChanges, logKey } from "./classifyAccreditationChanges.ts";
import { AuditorError } from "./errors.ts";
import { type GovernanceAction, type GovernanceChange, getGovernanceChanges } from "./getGovernanceChanges.ts";
import { readDirectory, partyName, typeName } from "./internal/directory.ts";
import { type LogQuery, queryEvents } from "./internal/logs.ts";
import { isoTime } from "./internal/time.ts";
import type { AuditLedger } from "./openLedger.ts";
import type { ProgressListener } from "./progress.ts";
import { type ReportHeader, reportHeader } from "./reportHeader.ts";

/** The kinds of event the log tells apart (filters and the dashboard's columns). */
export const EVENT_CATEGORIES = ["governance", "accreditation", "status", "list", "relyingParty"] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

/** What happened, by name: the governance actions and the status-list ones. */
export type EventLogAction =
  | GovernanceAction
  | "CredentialsRevoked"
  | "CredentialsSuspended"
  | "CredentialsReinstated"
  | "StatusListCreated"
  | "StatusListOperatorSet"
  | "RelyingPartyRegistered"
  | "RelyingPartyGranted"
  | "RelyingPartyRenewed"
  | "RelyingPartySuspended"
  | "RelyingPartyReinstated"
  | "RelyingPartyRevoked"
  | "RelyingPartyClaimsSet";

/**
 * One event: who (actor), what (action, subject, type), when (block, time), why (reason), in one shape for all: a
 * governance change's fields (empty strings where a kind has no such field; a status change's actor is the list's
 * issuer), with its category and, for status writes, how many credentials it touched.
 */
export interface EventLogRow extends Omit<GovernanceChange, "action"> {
  readonly category: EventCategory;
  readonly action: EventLogAction;
  /** Credentials whose status a status write set or cleared (its mask's bits), else null. */
  readonly entries: number | null;
}

export interface GetEventLogParameters {
  readonly ledger: AuditLedger;
  /** Default: the head. */
  readonly atBlock?: number;
  /** Only these kinds. */
  readonly category?: EventCategory;
  /** Only events this identity acted in (an address). */
  readonly actor?: string;
  /** Only events of this credential type (its name, e.g. `StudentIDCredential`, any version). */
  readonly credentialType?: string;
  /** Only events at or after / at or before these times (seconds). */
  readonly from?: number;
  readonly to?: number;
  readonly onProgress?: ProgressListener;
}

export interface EventLogReport extends ReportHeader {
  readonly kind: "eventLog";
  /** Events of the kinds read (all, or the asked category's) before the other filters (for "N of M"). */
  readonly total: number;
  /** In ledger order. */
  readonly events: readonly EventLogRow[];
}

function bits(masks: readonly bigint[]): number {
  let n = 0;
  for (let m of masks) {
    while (m > 0n) {
      m &= m - 1n;
      n++;
    }
  }
  return n;
}

/**
 * Every event an auditor follows, one row each (not counts): governance changes ({@link getGovernanceChanges}),
 * every accreditation change (including accreditors' changes to issuers), status lists created and their
 * operators, each revocation, suspension and reinstatement write with its issuer, reason and the number of
 * credentials it changed, and relying parties (verifiers) registered, their standing changes with reasons and the
 * claims they may ask for per type. A kind asked for (`category`) decides which logs are read; the other filters
 * apply after reading, and `total` tells how many events of the kinds read there were.
 *
 * @example
 * ```ts
 * const report = await getEventLog({ ledger, category: "status", from: Date.parse("2026-12-01") / 1000 });
 * process.stdout.write(formatReport({ report, format: "csv" }));
 * ```
 */
export async function getEventLog(params: GetEventLogParameters): Promise<EventLogReport> {
  const { ledger, onProgress } = params;
  const atBlock = await ledger.resolveBlock(params.atBlock);
  for (const [k, v] of [["from", params.from], ["to", params.to]] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw new AuditorError("INVALID_ARGUMENT", `${k} must be whole seconds`, { details: { [k]: v } });
  }
  const governance = await getGovernanceChanges({ ledger, atBlock, includeKeyRotations: true, ...(onProgress === undefined ? {} : { onProgress }) });
  const dir = await readDirectory(ledger, atBlock, onProgress);
  // Only the logs the asked kind is made of: status writes (by far the most, growing with every revocation) are not
  // read for a question about governance, accreditations or relying parties.
  const wants = (c: EventCategory) => params.category === undefined || params.category === c;
  const statusEvents: LedgerEventName[] = [
    ...(wants("list") || wants("status") ? ["StatusListCreated" as const] : []),
    ...(wants("list") ? ["StatusListOperatorSet" as const] : []),
    ...(wants("status") ? (["StatusEntrySet", "StatusEntryCleared", "StatusWordsSet", "StatusWordsCleared"] as const) : []),
  ];
  const queries: LogQuery[] = [
    ...(wants("accreditation") ? [{ source: "accreditationRegistry" as const, events: ["AccreditationChanged" as const] }] : []),
    ...(statusEvents.length === 0 ? [] : [{ source: "statusRegistry" as const, events: statusEvents }]),
    ...(wants("relyingParty") ? [{ source: "relyingPartyRegistry" as const, events: ["RelyingPartyRegistered", "RelyingPartyChanged", "RelyingPartyClaimsSet"] as const }] : []),
  ];
  const rest = await queryEvents(ledger, queries, 0, atBlock, onProgress);
  const seen = new Set(governance.changes.map((c) => logKey(c)));
  const accreditations = rest.filter((e): e is AccreditationChangedEvent => e.name === "AccreditationChanged");
  const classified = classifyAccreditationChanges(accreditations);
  // Relying parties: their names from their registrations; standing changes told apart as accreditations are.
  const rpNames = new Map(rest.filter((e): e is RelyingPartyRegisteredEvent => e.name === "RelyingPartyRegistered").map((e) => [e.relyingParty, e.partyName]));
  const rpClassified = classifyAccreditationChanges(
    rest
      .filter((e): e is RelyingPartyChangedEvent => e.name === "RelyingPartyChanged")
      .map((e) => ({ ...e, name: "AccreditationChanged" as const, party: e.relyingParty, credentialType: "" })),
  );
  const nameOf = (identity: string) => partyName(dir, identity) || rpNames.get(identity) || "";
  const lists = new Map(rest.filter((e): e is StatusListCreatedEvent => e.name === "StatusListCreated").map((e) => [e.listId, e]));
  const others = rest.filter((e) => !seen.has(logKey(e)));
  const times = await ledger.blockTimestamps(
    others.map((e) => e.blockNumber),
    onProgress,
  );
  const type = (id: string) => {
    const t = typeName(dir, id);
    return { credentialType: id, typeName: t.version === null ? "" : `${t.name} v${t.version}` };
  };
  const rows: EventLogRow[] = governance.changes.map((c) => ({
    category: c.action.startsWith("Accreditation") ? "accreditation" : "governance",
    action: c.action,
    blockNumber: c.blockNumber,
    logIndex: c.logIndex,
    timestamp: c.timestamp,
    time: c.time,
    transactionHash: c.transactionHash,
    actor: c.actor,
    actorName: c.actorName,
    subject: c.subject,
    subjectName: c.subjectName,
    credentialType: c.credentialType,
    typeName: c.typeName,
    reason: c.reason,
    reasonName: c.reasonName,
    entries: null,
    detail: c.detail,
  }));
  for (const e of others as LedgerEvent[]) {
    const timestamp = times.get(e.blockNumber) ?? 0;
    const base = { blockNumber: e.blockNumber, logIndex: e.logIndex, timestamp, time: isoTime(timestamp), transactionHash: e.transactionHash, credentialType: "", typeName: "" };
    if (e.name === "AccreditationChanged") {
      const a = classified.get(logKey(e)) ?? "granted";
      rows.push({
        ...base,
        category: "accreditation",
        action: `Accreditation${a[0]?.toUpperCase()}${a.slice(1)}` as GovernanceAction,
        actor: e.actor,
        actorName: partyName(dir, e.actor),
        subject: e.party,
        subjectName: partyName(dir, e.party),
        ...type(e.credentialType),
        reason: e.reason,
        reasonName: reasonName(e.reason),
        entries: null,
        detail: `${e.status}, window ${isoTime(e.validFrom)} to ${isoTime(e.validUntil)}`,
      });
      continue;
    }
    if (e.name === "StatusListCreated" || e.name === "StatusListOperatorSet") {
      const issuer = e.name === "StatusListCreated" ? e.issuer : (lists.get(e.listId)?.issuer ?? "");
      rows.push({
        ...base,
        category: "list",
        action: e.name,
        actor: issuer,
        actorName: partyName(dir, issuer),
        subject: e.listId.toString(),
        subjectName: `list ${e.listId.toString()}`,
        reason: null,
        reasonName: "",
        entries: null,
        detail: e.name === "StatusListCreated" ? `${e.purpose} list of ${e.size.toString()} entries` : `operator ${e.operator} ${e.allowed ? "named" : "removed"}`,
      });
      continue;
    }
    if (e.name === "RelyingPartyRegistered") {
      rows.push({
        ...base,
        category: "relyingParty",
        action: "RelyingPartyRegistered",
        actor: e.registrar,
        actorName: nameOf(e.registrar),
        subject: e.relyingParty,
        subjectName: e.partyName,
        reason: null,
        reasonName: "",
        entries: null,
        detail: `purpose: ${e.purpose}`,
      });
      continue;
    }
    if (e.name === "RelyingPartyChanged") {
      const a = rpClassified.get(logKey(e)) ?? "granted";
      rows.push({
        ...base,
        category: "relyingParty",
        action: `RelyingParty${a[0]?.toUpperCase()}${a.slice(1)}` as EventLogAction,
        actor: e.actor,
        actorName: nameOf(e.actor),
        subject: e.relyingParty,
        subjectName: nameOf(e.relyingParty),
        reason: e.reason,
        reasonName: reasonName(e.reason),
        entries: null,
        detail: `${e.status}, window ${isoTime(e.validFrom)} to ${isoTime(e.validUntil)}`,
      });
      continue;
    }
    if (e.name === "RelyingPartyClaimsSet") {
      rows.push({
        ...base,
        category: "relyingParty",
        action: "RelyingPartyClaimsSet",
        actor: e.actor,
        actorName: nameOf(e.actor),
        subject: e.relyingParty,
        subjectName: nameOf(e.relyingParty),
        ...type(e.credentialType),
        reason: null,
        reasonName: "",
        entries: e.claims.length,
        detail: e.claims.length === 0 ? "claims withdrawn" : `${e.claims.length} claims may be asked for`,
      });
      continue;
    }
    if (e.name === "StatusEntrySet" || e.name === "StatusEntryCleared" || e.name === "StatusWordsSet" || e.name === "StatusWordsCleared") {
      const list = lists.get(e.listId);
      const set = e.name === "StatusEntrySet" || e.name === "StatusWordsSet";
      const action = !set ? "CredentialsReinstated" : list?.purpose === "Revocation" ? "CredentialsRevoked" : "CredentialsSuspended";
      const issuer = list?.issuer ?? "";
      const entries = "index" in e ? 1 : bits(e.masks);
      rows.push({
        ...base,
        category: "status",
        action,
        actor: issuer,
        actorName: partyName(dir, issuer),
        subject: e.listId.toString(),
        subjectName: `list ${e.listId.toString()}`,
        reason: e.reason,
        reasonName: reasonName(e.reason),
        entries,
        detail: `${entries} entr${entries === 1 ? "y" : "ies"} ${set ? "set" : "cleared"} on ${list?.purpose ?? "unknown"} list ${e.listId.toString()}`,
      });
    }
  }
  rows.sort(compareEvents);
  const actor = params.actor?.toLowerCase();
  const typeRef = params.credentialType;
  const events = rows.filter(
    (r) =>
      (params.category === undefined || r.category === params.category) &&
      (actor === undefined || r.actor.toLowerCase() === actor) &&
      (typeRef === undefined || r.typeName.replace(/ v\d+$/, "") === typeRef || r.credentialType === typeRef.toLowerCase()) &&
      (params.from === undefined || r.timestamp >= params.from) &&
      (params.to === undefined || r.timestamp <= params.to),
  );
  return { kind: "eventLog", ...(await reportHeader(ledger, atBlock)), total: rows.length, events };
}
