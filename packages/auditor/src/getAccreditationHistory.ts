import { reasonName } from "@mobile-id/core";
import { AuditorError } from "./errors.ts";
import type { AccreditationChangedEvent, AccreditationStatusName, PartyRoleName } from "./events.ts";
import { type AccreditationAction, classifyAccreditationChanges, logKey } from "./classifyAccreditationChanges.ts";
import { partyName, parseIdentity, readDirectory, resolveCredentialType, typeName } from "./internal/directory.ts";
import { queryEvents, topicAddress, topicBytes32 } from "./internal/logs.ts";
import { compareText } from "./internal/compare.ts";
import { isoTime } from "./internal/time.ts";
import type { AuditLedger } from "./openLedger.ts";
import type { ProgressListener } from "./progress.ts";
import { type ReportHeader, didOf, reportHeader } from "./reportHeader.ts";

export interface GetAccreditationHistoryParameters {
  readonly ledger: AuditLedger;
  /** The issuer or accreditor: an address or its address-form `did:ethr`. */
  readonly party: string;
  /** Only this credential type (32-byte id or registered name). Default: every type. */
  readonly credentialType?: string;
  readonly version?: number;
  /** Default: the head. */
  readonly atBlock?: number;
  /** Also read the key that sent each change (one `eth_getTransactionByHash` per transaction). Default true. */
  readonly includeSenders?: boolean;
  readonly onProgress?: ProgressListener;
}

/** One `AccreditationChanged` event, labelled. */
export interface AccreditationChange {
  readonly credentialType: string;
  readonly typeName: string;
  readonly typeVersion: number | null;
  /** What the change did, from the record's previous state. */
  readonly action: AccreditationAction;
  /** The stored state after the change. */
  readonly status: AccreditationStatusName;
  readonly validFrom: number;
  readonly validUntil: number;
  /** The identity that acted (the grantor or the root). */
  readonly actor: string;
  readonly actorName: string;
  /** The key that sent the transaction (`null` when senders were not read). */
  readonly sender: string | null;
  readonly reason: number;
  readonly reasonName: string;
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly timestamp: number;
  readonly time: string;
  readonly transactionHash: string;
}

export interface AccreditationHistoryReport extends ReportHeader {
  readonly kind: "accreditationHistory";
  readonly party: {
    readonly identity: string;
    readonly did: string;
    readonly name: string;
    readonly role: PartyRoleName;
  };
  /** One entry per credential type the party ever had a record for, each with its changes in ledger order. */
  readonly types: readonly {
    readonly credentialType: string;
    readonly typeName: string;
    readonly typeVersion: number | null;
    readonly changes: readonly AccreditationChange[];
  }[];
}

/**
 * Every accreditation change of one party (issuer or accreditor), per credential type: who acted, the new
 * state and window, the reason, and block, time and transaction. Throws `UNKNOWN_PARTY` for an identity that
 * is neither registered nor mentioned by any accreditation event.
 *
 * @example
 * ```ts
 * const report = await getAccreditationHistory({ ledger, party: "did:ethr:0x7a69:0x9965…" });
 * console.log(formatReport({ report, format: "table" }));
 * ```
 */
export async function getAccreditationHistory(
  params: GetAccreditationHistoryParameters,
): Promise<AccreditationHistoryReport> {
  const { ledger, onProgress } = params;
  const identity = parseIdentity(params.party, ledger.descriptor.chainId);
  const atBlock = await ledger.resolveBlock(params.atBlock);
  const dir = await readDirectory(ledger, atBlock, onProgress);
  const type =
    params.credentialType === undefined ? undefined : resolveCredentialType(dir, params.credentialType, params.version);
  const events = (await queryEvents(
    ledger,
    [
      {
        source: "accreditationRegistry",
        events: ["AccreditationChanged"],
        topics: [topicAddress(identity), type === undefined ? null : topicBytes32(type.id)],
      },
    ],
    0,
    atBlock,
    onProgress,
  )) as AccreditationChangedEvent[];
  const registered = dir.parties.get(identity);
  if (registered === undefined && events.length === 0) {
    throw new AuditorError("UNKNOWN_PARTY", "no party with this identity is registered", {
      details: { party: identity, atBlock },
    });
  }
  const times = await ledger.blockTimestamps(
    events.map((e) => e.blockNumber),
    onProgress,
  );
  const senders =
    params.includeSenders === false
      ? new Map<string, string>()
      : await ledger.transactionSenders(
          events.map((e) => e.transactionHash),
          onProgress,
        );

  const actions = classifyAccreditationChanges(events);
  const byType = new Map<string, AccreditationChange[]>();
  for (const e of events) {
    const t = typeName(dir, e.credentialType);
    const timestamp = times.get(e.blockNumber) ?? 0;
    const change: AccreditationChange = {
      credentialType: e.credentialType,
      typeName: t.name,
      typeVersion: t.version,
      action: actions.get(logKey(e)) ?? "granted",
      status: e.status,
      validFrom: e.validFrom,
      validUntil: e.validUntil,
      actor: e.actor,
      actorName: partyName(dir, e.actor),
      sender: senders.get(e.transactionHash) ?? null,
      reason: e.reason,
      reasonName: reasonName(e.reason),
      blockNumber: e.blockNumber,
      logIndex: e.logIndex,
      timestamp,
      time: isoTime(timestamp),
      transactionHash: e.transactionHash,
    };
    const list = byType.get(e.credentialType) ?? [];
    list.push(change);
    byType.set(e.credentialType, list);
  }
  const types = [...byType.entries()]
    .map(([credentialType, changes]) => {
      const t = typeName(dir, credentialType);
      return { credentialType, typeName: t.name, typeVersion: t.version, changes };
    })
    .sort((a, b) => compareText(a.typeName, b.typeName) || (a.typeVersion ?? 0) - (b.typeVersion ?? 0) || compareText(a.credentialType, b.credentialType));

  return {
    kind: "accreditationHistory",
    ...(await reportHeader(ledger, atBlock)),
    party: { identity, did: didOf(ledger, identity), name: registered?.name ?? "", role: registered?.role ?? "None" },
    types,
  };
}
