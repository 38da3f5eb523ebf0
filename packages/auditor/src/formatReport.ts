import { stringify } from "csv-stringify/sync";
import type { AccreditationHistoryReport } from "./getAccreditationHistory.ts";
import type { GovernanceReport } from "./getGovernanceChanges.ts";
import type { InForceReport } from "./getInForce.ts";
import type { StatusActivityReport } from "./getStatusActivity.ts";
import type { ConsistencyReport } from "./checkConsistency.ts";
import type { EventLogReport } from "./getEventLog.ts";
import { guardFormula, padDisplay, sanitizeCell, displayWidth } from "./internal/text.ts";
import { isoTime } from "./internal/time.ts";

/** Every report the auditor makes, discriminated by `kind`. */
export type AuditReport =
  | AccreditationHistoryReport
  | InForceReport
  | GovernanceReport
  | StatusActivityReport
  | ConsistencyReport
  | EventLogReport;

export type ReportFormat = "table" | "json" | "csv";

/** A report flattened to rows of text: what the table and CSV formats print. */
export interface ReportTable {
  readonly title: string;
  /** Context lines of the table format (network, block, party…); not part of the CSV. */
  readonly meta: readonly (readonly [string, string])[];
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** A closing line of the table format (totals, summary); not part of the CSV. */
  readonly footer: string;
}

export interface FormatReportParameters {
  readonly report: AuditReport;
  readonly format: ReportFormat;
  /** CSV only: prefix cells that a spreadsheet would run as formulas with `'`. Default true. */
  readonly csvFormulaGuard?: boolean;
}

/**
 * Renders a report as plain aligned text (`table`, with Korean names aligned by display width and control
 * characters made visible), `json` (the report object itself, 2-space indented) or `csv` (RFC 4180 via
 * csv-stringify: one header row, then the rows; formula-guarded by default).
 *
 * @example
 * ```ts
 * const report = await getStatusActivity({ ledger });
 * writeFileSync("activity.csv", formatReport({ report, format: "csv" }));
 * ```
 */
export function formatReport(params: FormatReportParameters): string {
  const { report, format } = params;
  if (format === "json") return `${JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
  const table = reportTable(report);
  if (format === "csv") {
    const guard = params.csvFormulaGuard ?? true;
    const cell = (c: string) => (guard ? guardFormula(c) : c);
    return stringify([table.columns.map(cell), ...table.rows.map((r) => r.map(cell))], { record_delimiter: "unix" });
  }
  return renderTable(table);
}

/**
 * The rows and columns of a report (shared by the table and CSV formats; usable for other renderers).
 *
 * @example
 * ```ts
 * const { columns, rows } = reportTable(report);
 * ```
 */
export function reportTable(report: AuditReport): ReportTable {
  const meta: [string, string][] = [
    ["network", `${report.network.name} (chain ${report.network.chainId})`],
    ["as of block", `${report.atBlock} (${report.atBlockTime})`],
  ];
  switch (report.kind) {
    case "eventLog":
      return {
        title: "Ledger events",
        meta: [...meta, ["events", `${report.events.length} of ${report.total}`]],
        columns: ["time", "block", "category", "action", "actor", "actor name", "subject", "subject name", "credential type", "reason", "reason code", "entries", "detail", "transaction"],
        rows: report.events.map((e) => [
          e.time,
          String(e.blockNumber),
          e.category,
          e.action,
          e.actor,
          e.actorName,
          e.subject,
          e.subjectName,
          e.typeName,
          e.reasonName,
          e.reason === null ? "" : String(e.reason),
          e.entries === null ? "" : String(e.entries),
          e.detail,
          e.transactionHash,
        ]),
        footer: "",
      };
    case "accreditationHistory":
      return {
        title: "Accreditation history",
        meta: [...meta, ["party", `${report.party.name || "(unregistered)"} ${report.party.identity} (${report.party.role})`], ["did", report.party.did]],
        columns: ["time", "block", "credential type", "action", "status", "valid from", "valid until", "actor", "actor name", "sender key", "reason", "reason code", "transaction"],
        rows: report.types.flatMap((t) =>
          t.changes.map((c) => [
            c.time,
            String(c.blockNumber),
            label(c.typeName, c.typeVersion, c.credentialType),
            c.action,
            c.status,
            isoTime(c.validFrom),
            isoTime(c.validUntil),
            c.actor,
            c.actorName,
            c.sender ?? "",
            c.reasonName,
            String(c.reason),
            c.transactionHash,
          ]),
        ),
        footer: `${report.types.reduce((n, t) => n + t.changes.length, 0)} changes over ${report.types.length} credential type(s)`,
      };
    case "inForce":
      return {
        title: `In force for ${report.credentialType.name} v${report.credentialType.version} at ${report.atTime}`,
        meta: [
          ...meta,
          ["credential type", `${report.credentialType.id}${report.credentialType.deprecated ? " (deprecated)" : ""}`],
          ["governed by", `${report.credentialType.governingAccreditorName} ${report.credentialType.governingAccreditor}`],
          ["final", report.final ? "yes (the time asked about is before the block)" : "no (the answer may still change)"],
        ],
        columns: ["party", "name", "role", "in force", "status", "accreditor", "accreditor name", "accreditor status", "valid from", "valid until", "since", "reason", "final"],
        rows: report.parties.map((p) => [
          p.party,
          p.name,
          p.role,
          p.inForce ? "yes" : "no",
          p.status,
          p.accreditor,
          p.accreditorName,
          p.accreditorStatus,
          p.validFrom === 0 ? "" : isoTime(p.validFrom),
          p.validUntil === 0 ? "" : isoTime(p.validUntil),
          p.since === 0 ? "" : isoTime(p.since),
          p.reasonName,
          p.final ? "yes" : "no",
        ]),
        footer: `${report.inForceCount} of ${report.parties.length} parties in force`,
      };
    case "governance":
      return {
        title: "Governance changes",
        meta: [
          ...meta,
          ["from block", String(report.fromBlock)],
          ["root", `${report.rootName} ${report.root}`],
          ["pending hand-over", report.pendingRoot === null ? "none" : `to ${report.pendingRoot.newRoot}, from ${report.pendingRoot.acceptTime}`],
        ],
        columns: ["time", "block", "action", "actor", "actor name", "subject", "subject name", "credential type", "detail", "reason", "transaction"],
        rows: report.changes.map((c) => [
          c.time,
          String(c.blockNumber),
          c.action,
          c.actor,
          c.actorName,
          c.subject,
          c.subjectName,
          c.typeName,
          c.detail,
          c.reasonName,
          c.transactionHash,
        ]),
        footer: `${report.changes.length} changes`,
      };
    case "statusActivity":
      return {
        title: `Status activity per issuer per day (${report.timeZone})`,
        meta: [...meta, ["from block", String(report.fromBlock)], ["lists", String(report.lists.length)]],
        columns: ["day", "issuer", "issuer name", "revoked", "suspended", "reinstated", "unchanged", "events"],
        rows: report.rows.map((r) => [r.day, r.issuer, r.issuerName, String(r.revoked), String(r.suspended), String(r.reinstated), String(r.unchanged), String(r.events)]),
        footer:
          `total: ${report.totals.revoked} revoked, ${report.totals.suspended} suspended, ${report.totals.reinstated} reinstated ` +
          `(${report.totals.unchanged} of them unchanged) in ${report.totals.events} events`,
      };
    case "consistency":
      return {
        title: "Consistency of events and state",
        meta: [...meta, ["events", `${report.eventCount} up to block ${report.eventsToBlock}`]],
        columns: ["subject", "key", "field", "from events", "on chain", "detail"],
        rows: report.mismatches.map((m) => [m.subject, m.key, m.field, m.fromEvents, m.onChain, m.detail]),
        footer: report.summary,
      };
  }
}

function label(name: string, version: number | null, id: string): string {
  return version === null ? id : `${name} v${version}`;
}

function renderTable(t: ReportTable): string {
  const lines: string[] = [t.title, ""];
  const metaWidth = Math.max(0, ...t.meta.map(([k]) => displayWidth(k)));
  for (const [k, v] of t.meta) lines.push(`${padDisplay(k, metaWidth)}  ${sanitizeCell(v)}`);
  lines.push("");
  if (t.rows.length === 0) {
    lines.push("(no rows)");
  } else {
    const rows = t.rows.map((r) => r.map(sanitizeCell));
    const widths = t.columns.map((c, i) => Math.max(displayWidth(c), ...rows.map((r) => displayWidth(r[i] ?? ""))));
    const line = (cells: readonly string[]) => cells.map((c, i) => padDisplay(c, widths[i] ?? 0)).join("  ").trimEnd();
    lines.push(line(t.columns), line(widths.map((w) => "-".repeat(w))), ...rows.map(line));
  }
  lines.push("", sanitizeCell(t.footer));
  return `${lines.join("\n")}\n`;
}
