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
}
