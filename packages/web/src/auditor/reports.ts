/** What the auditor API answers (`/auditor/...`), as the dashboard reads it. */
export interface InForceParty {
  readonly party: string;
  readonly name: string;
  readonly role: "Accreditor" | "Issuer" | string;
  readonly inForce: boolean;
  readonly status: string;
  readonly accreditor: string;
  readonly accreditorName: string;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly since: number;
  readonly reasonName: string;
}
export interface InForceReport {
  readonly atBlock: number;
  readonly atBlockTimestamp: number;
  readonly credentialType: { readonly name: string; readonly governingAccreditor: string; readonly governingAccreditorName: string };
  readonly parties: readonly InForceParty[];
}
export interface GovernanceReport {
  readonly atBlock: number;
  readonly atBlockTimestamp: number;
  readonly root: string;
  readonly rootName: string;
  readonly changes: readonly {
    readonly blockNumber: number;
    readonly logIndex: number;
    readonly timestamp: number;
    readonly action: string;
    readonly actorName: string;
    readonly subjectName: string;
    readonly subject: string;
    readonly typeName: string;
    readonly reasonName: string;
    readonly detail: string;
  }[];
}
export interface ActivityReport {
  readonly rows: readonly { readonly day: string; readonly issuer: string; readonly issuerName: string; readonly revoked: number; readonly suspended: number; readonly reinstated: number }[];
  readonly totals: { readonly revoked: number; readonly suspended: number; readonly reinstated: number };
}
export interface ConsistencyReport {
  readonly atBlock: number;
  readonly consistent: boolean;
  readonly checked: { readonly records: number; readonly words: number };
  readonly mismatches: readonly { readonly subject?: string; readonly key?: string; readonly field?: string; readonly expected?: unknown; readonly actual?: unknown }[];
  readonly summary: string;
}

/** One ledger event as `GET /auditor/events` answers it. */
export interface EventLogRow {
  readonly category: "governance" | "accreditation" | "status" | "list" | "relyingParty";
  readonly action: string;
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly timestamp: number;
  readonly time: string;
  readonly transactionHash: string;
  readonly actor: string;
  readonly actorName: string;
  readonly subject: string;
  readonly subjectName: string;
  readonly credentialType: string;
  readonly typeName: string;
  readonly reason: number | null;
  readonly reasonName: string;
  readonly entries: number | null;
  readonly detail: string;
}
export interface EventLogReport {
  readonly atBlock: number;
  readonly total: number;
  readonly events: readonly EventLogRow[];
}
/** The event list's filters as the form holds them ("" = any; dates `YYYY-MM-DD`). */
export interface EventFilters {
  readonly category: EventLogRow["category"] | "";
  readonly actor: string;
  readonly type: string;
  readonly from: string;
  readonly to: string;
}

/** What the dashboard holds: the reports read at one block, and the check's progress. */
export interface AuditorState {
  readonly inForce: readonly InForceReport[];
  readonly governance: GovernanceReport | undefined;
  readonly activity: ActivityReport | undefined;
  readonly consistency: ConsistencyReport | undefined;
  readonly checking: boolean;
  readonly loading: boolean;
  readonly error: string | undefined;
  readonly typeTitles: ReadonlyMap<string, { readonly ko: string; readonly en: string }>;
  readonly events: EventLogReport | undefined;
  /** The unfiltered list (the filters' actor and type choices). */
  readonly allEvents: EventLogReport | undefined;
  readonly eventFilters: EventFilters;
  readonly eventsLoading: boolean;
}
