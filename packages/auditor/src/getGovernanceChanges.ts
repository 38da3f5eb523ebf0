import { ZERO_ADDRESS } from "@mobile-id/chain";
import { reasonName } from "@mobile-id/core";
import { AuditorError } from "./errors.ts";
import { type AccreditationChangedEvent, type LedgerEvent, compareEvents } from "./events.ts";
import { classifyAccreditationChanges, logKey } from "./classifyAccreditationChanges.ts";
import { buildDirectory, partyName, typeName } from "./internal/directory.ts";
import { queryEvents, topicAddress } from "./internal/logs.ts";
import { isoTime } from "./internal/time.ts";
import type { AuditLedger } from "./openLedger.ts";
import type { ProgressListener } from "./progress.ts";
import { type ReportHeader, reportHeader } from "./reportHeader.ts";

export interface GetGovernanceChangesParameters {
  readonly ledger: AuditLedger;
  /** List changes from this block on (default: the deployment). Names are always resolved from the start. */
  readonly fromBlock?: number;
  /** Default: the head. */
  readonly atBlock?: number;
  /** Include ERC-1056 owner-key changes of the root and accreditor identities (they move all their authority
   * at once, in one step). Default true. */
  readonly includeKeyRotations?: boolean;
  readonly onProgress?: ProgressListener;
}

export const GOVERNANCE_ACTIONS = [
  "RootTransferStarted",
  "RootTransferCanceled",
  "RootTransferred",
  "KeyRotated",
  "PartyRegistered",
  "CredentialTypeRegistered",
  "CredentialTypeDeprecated",
  "AccreditationGranted",
  "AccreditationRenewed",
  "AccreditationSuspended",
  "AccreditationReinstated",
  "AccreditationRevoked",
] as const;
export type GovernanceAction = (typeof GOVERNANCE_ACTIONS)[number];

/** One governance change, in one shape for every kind (empty strings where a kind has no such field). */
export interface GovernanceChange {
  readonly action: GovernanceAction;
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly timestamp: number;
  readonly time: string;
  readonly transactionHash: string;
  /** The identity that acted ("" for the deployment's initial root). */
  readonly actor: string;
  readonly actorName: string;
  /** The party or root concerned, or the credential type's id for type changes. */
  readonly subject: string;
  readonly subjectName: string;
  /** The credential type concerned ("" when none). */
  readonly credentialType: string;
  readonly typeName: string;
  /** The rest, in words: role, window, schedule, new key, schema… */
  readonly detail: string;
  readonly reason: number | null;
  readonly reasonName: string;
}

export interface GovernanceReport extends ReportHeader {
  readonly kind: "governance";
  readonly fromBlock: number;
  /** The root as of `atBlock`, and a hand-over pending then (if any). */
  readonly root: string;
  readonly rootName: string;
  readonly pendingRoot: { readonly newRoot: string; readonly acceptSchedule: number; readonly acceptTime: string } | null;
  /** In ledger order. */
  readonly changes: readonly GovernanceChange[];
}

/**
 * Every governance change, in one chronological list: root hand-overs (started, cancelled, completed), owner-key
 * rotations of the root and accreditor identities, parties registered, credential types registered and
 * deprecated, accreditors' accreditations and their changes, and any change the root made to an issuer's
 * accreditation.
 *
 * @example
 * ```ts
 * const report = await getGovernanceChanges({ ledger });
 * process.stdout.write(formatReport({ report, format: "csv" }));
 * ```
 */
export async function getGovernanceChanges(params: GetGovernanceChangesParameters): Promise<GovernanceReport> {
  const { ledger, onProgress } = params;
  const atBlock = await ledger.resolveBlock(params.atBlock);
  const fromBlock = params.fromBlock ?? 0;
  if (!Number.isSafeInteger(fromBlock) || fromBlock < 0 || fromBlock > atBlock) {
    throw new AuditorError("BLOCK_OUT_OF_RANGE", "fromBlock must be between 0 and atBlock", { details: { fromBlock, atBlock } });
  }
  const base = await queryEvents(
    ledger,
    [
      {
        source: "accreditationRegistry",
        events: [
          "PartyRegistered",
          "CredentialTypeRegistered",
          "CredentialTypeDeprecated",
          "RootTransferStarted",
          "RootTransferCanceled",
          "RootTransferred",
        ],
      },
    ],
    0,
    atBlock,
    onProgress,
  );
  const dir = buildDirectory(base);
  const accreditors = [...dir.parties.values()].filter((p) => p.role === "Accreditor").map((p) => p.identity);
  const roots = [...dir.parties.values()].filter((p) => p.role === "Root").map((p) => p.identity);
  // Accreditation events are read from the start even with fromBlock: telling a renewal from a reinstatement
  // needs each record's previous state.
  const more = await queryEvents(
    ledger,
    [
      { source: "accreditationRegistry", events: ["AccreditationChanged"], topics: [accreditors.map(topicAddress)] },
      { source: "accreditationRegistry", events: ["AccreditationChanged"], topics: [null, null, roots.map(topicAddress)] },
      ...(params.includeKeyRotations === false
        ? []
        : [{ source: "didRegistry" as const, events: ["DIDOwnerChanged" as const], topics: [[...roots, ...accreditors].map(topicAddress)] }]),
    ],
    0,
    atBlock,
    onProgress,
  );
  // Root-initiated changes to issuers are read without their earlier history: fetch each such record's full
  // history so its changes can be classified too.
  const issuerKeys = new Set(
    more
      .filter((e): e is AccreditationChangedEvent => e.name === "AccreditationChanged" && !accreditors.includes(e.party))
      .map((e) => e.party),
  );
  const issuerHistory = await queryEvents(
    ledger,
    [{ source: "accreditationRegistry", events: ["AccreditationChanged"], topics: [[...issuerKeys].map(topicAddress)] }],
    0,
    atBlock,
    onProgress,
  );
  const unique = new Map<string, AccreditationChangedEvent>();
  for (const e of [...more, ...issuerHistory]) {
    if (e.name === "AccreditationChanged") unique.set(logKey(e), e);
  }
  const accreditationEvents = [...unique.values()].sort(compareEvents);
  const actions = classifyAccreditationChanges(accreditationEvents);
  const rootActs = new Set(roots);

  const all: LedgerEvent[] = [...base, ...more].sort(compareEvents);
  const accreditorSet = new Set(accreditors);
  const selected = all.filter(
    (e) =>
      e.blockNumber >= fromBlock &&
      (e.name !== "AccreditationChanged" || accreditorSet.has(e.party) || rootActs.has(e.actor)),
  );
  const times = await ledger.blockTimestamps(
    selected.map((e) => e.blockNumber),
    onProgress,
  );

  const selectedSet = new Set(selected);
  let root = "";
  let pending: GovernanceReport["pendingRoot"] = null;
  const changes: GovernanceChange[] = [];
  for (const e of all) {
    // The root of the moment: credential-type registrations do not name it in their event.
    if (e.name === "RootTransferred") {
      root = e.newRoot;
      pending = null;
    } else if (e.name === "RootTransferStarted") {
      pending = { newRoot: e.newRoot, acceptSchedule: e.acceptSchedule, acceptTime: isoTime(e.acceptSchedule) };
    } else if (e.name === "RootTransferCanceled") {
      pending = null;
    }
    if (!selectedSet.has(e)) continue;
    const timestamp = times.get(e.blockNumber) ?? 0;
    const row = {
      blockNumber: e.blockNumber,
      logIndex: e.logIndex,
      timestamp,
      time: isoTime(timestamp),
      transactionHash: e.transactionHash,
      credentialType: "",
      typeName: "",
      reason: null,
      reasonName: "",
    };
    const party = (identity: string) => ({ subject: identity, subjectName: partyName(dir, identity) });
    const actor = (identity: string) => ({ actor: identity, actorName: partyName(dir, identity) });
    const type = (id: string) => {
      const t = typeName(dir, id);
      return { credentialType: id, typeName: t.version === null ? "" : `${t.name} v${t.version}` };
    };
    switch (e.name) {
      case "RootTransferStarted":
        changes.push({ ...row, action: e.name, ...actor(e.currentRoot), ...party(e.newRoot), detail: `can accept from ${isoTime(e.acceptSchedule)}` });
        break;
      case "RootTransferCanceled":
        changes.push({ ...row, action: e.name, ...actor(e.currentRoot), ...party(e.pendingRoot), detail: "pending hand-over cancelled" });
        break;
      case "RootTransferred":
        changes.push({
          ...row,
          action: e.name,
          ...(e.previousRoot === ZERO_ADDRESS ? { actor: "", actorName: "" } : actor(e.newRoot)),
          ...party(e.newRoot),
          detail: e.previousRoot === ZERO_ADDRESS ? "initial root (deployment)" : `root authority moved from ${e.previousRoot}`,
        });
        break;
      case "PartyRegistered":
        changes.push({
          ...row,
          action: e.name,
          ...(e.registeredBy === ZERO_ADDRESS ? { actor: "", actorName: "" } : actor(e.registeredBy)),
          subject: e.identity,
          subjectName: e.partyName,
          detail: `registered as ${e.role} (party #${e.id})`,
        });
        break;
      case "CredentialTypeRegistered":
        changes.push({
          ...row,
          action: e.name,
          ...actor(root),
          subject: e.id,
          subjectName: `${e.typeName} v${e.version}`,
          ...type(e.id),
          detail: `governed by ${partyName(dir, e.governingAccreditor) || e.governingAccreditor}; schema ${e.schemaUri} (${e.schemaHash})`,
        });
        break;
      case "CredentialTypeDeprecated":
        changes.push({
          ...row,
          action: e.name,
          ...actor(e.root),
          subject: e.id,
          subjectName: type(e.id).typeName,
          ...type(e.id),
          detail: "no new accreditations for this type",
          reason: e.reason,
          reasonName: reasonName(e.reason),
        });
        break;
      case "AccreditationChanged": {
        const a = actions.get(logKey(e)) ?? "granted";
        changes.push({
          ...row,
          action: `Accreditation${a[0]?.toUpperCase()}${a.slice(1)}` as GovernanceAction,
          ...actor(e.actor),
          ...party(e.party),
          ...type(e.credentialType),
          detail: `${e.status}, window ${isoTime(e.validFrom)} to ${isoTime(e.validUntil)}`,
          reason: e.reason,
          reasonName: reasonName(e.reason),
        });
        break;
      }
      case "DIDOwnerChanged":
        changes.push({ ...row, action: "KeyRotated", ...actor(e.identity), ...party(e.identity), detail: `owner key now ${e.owner}` });
        break;
      default:
        break;
    }
  }
  return {
    kind: "governance",
    ...(await reportHeader(ledger, atBlock)),
    fromBlock,
    root,
    rootName: partyName(dir, root),
    pendingRoot: pending,
    changes,
  };
}
