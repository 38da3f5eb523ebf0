import type { Command } from "commander";
import {
  type AuditLedger,
  type AuditProgress,
  type AuditReport,
  checkConsistency,
  formatReport,
  getAccreditationHistory,
  getGovernanceChanges,
  getInForce,
  getStatusActivity,
  openLedger,
} from "@mobile-id/auditor";
import { MobileIdError } from "@mobile-id/core";
import type { Context } from "../context.ts";
import { ExitCode, type Printer } from "../output.ts";
import type { Runner } from "../runner.ts";
import { identityOf, timeOf } from "./gov.ts";

interface FormatOpts {
  readonly format: string;
  readonly atBlock?: string;
}

function formatOf(o: FormatOpts, out: Printer): "table" | "json" | "csv" {
  if (out.json) return "json";
  if (o.format === "table" || o.format === "json" || o.format === "csv") return o.format;
  throw new MobileIdError("INVALID_ARGUMENT", "--format takes table, json or csv");
}

function blockOf(o: FormatOpts): number | undefined {
  if (o.atBlock === undefined) return undefined;
  const n = Number(o.atBlock);
  if (!Number.isSafeInteger(n) || n < 0) throw new MobileIdError("INVALID_ARGUMENT", "--at-block takes a block number");
  return n;
}

/** Long scans report progress on stderr (a line per phase change, and every 10%). */
function progressPrinter(out: Printer): (p: AuditProgress) => void {
  let last = "";
  return (p) => {
    const pct = p.total > 0 ? Math.floor((p.done * 10) / p.total) * 10 : 0;
    const key = `${p.phase}:${pct}`;
    if (key !== last) {
      last = key;
      out.progress(`  ${p.phase} ${p.done}/${p.total}${p.detail === undefined ? "" : ` (${p.detail})`}`);
    }
  };
}

async function report(ctx: Context, out: Printer, o: FormatOpts, make: (ledger: AuditLedger) => Promise<AuditReport>): Promise<AuditReport> {
  const ledger = await openLedger({ descriptor: ctx.descriptor, provider: ctx.provider });
  try {
    const r = await make(ledger);
    process.stdout.write(formatReport({ report: r, format: formatOf(o, out) }));
    return r;
  } finally {
    await ledger.close();
  }
}

const formatOptions = (c: Command) =>
  c.option("--format <format>", "table, json or csv", "table").option("--at-block <n>", "answer as of this block (default: the head)");

/** `mid audit …`: read-only reports from the ledger's events and state (no holder data exists there). */
export function registerAuditCommands(program: Command, run: Runner): void {
  const audit = program.command("audit").description("auditor: who was accredited for what and when, activity, consistency");

  formatOptions(audit.command("history <party>").description("a party's accreditation history, per type"))
    .option("--type <name>", "only this credential type")
    .action((party: string, o: FormatOpts & { type?: string }) =>
      run(async (ctx, out) => {
        await report(ctx, out, o, (ledger) =>
          getAccreditationHistory({ ledger, party: identityOf(party), ...(o.type === undefined ? {} : { credentialType: o.type }), ...atBlock(o), includeSenders: true, onProgress: progressPrinter(out) }),
        );
      }),
    );

  formatOptions(audit.command("in-force <type>").description("who was in force for a credential type at a time"))
    .option("--at <time>", "the time asked about (unix seconds or ISO 8601; default: now)")
    .action((type: string, o: FormatOpts & { at?: string }) =>
      run(async (ctx, out) => {
        await report(ctx, out, o, (ledger) =>
          getInForce({ ledger, credentialType: type, ...(o.at === undefined ? {} : { at: timeOf(o.at) }), ...atBlock(o), onProgress: progressPrinter(out) }),
        );
      }),
    );

  formatOptions(audit.command("governance").description("every governance change, in order")).action((o: FormatOpts) =>
    run(async (ctx, out) => {
      await report(ctx, out, o, (ledger) => getGovernanceChanges({ ledger, ...atBlock(o), includeKeyRotations: true, onProgress: progressPrinter(out) }));
    }),
  );

  formatOptions(audit.command("activity").description("revocations and suspensions per issuer per day"))
    .option("--issuer <identity>", "only this issuer")
    .option("--utc-offset <minutes>", "day boundaries at this UTC offset (540 = KST)", "0")
    .action((o: FormatOpts & { issuer?: string; utcOffset: string }) =>
      run(async (ctx, out) => {
        await report(ctx, out, o, (ledger) =>
          getStatusActivity({ ledger, ...(o.issuer === undefined ? {} : { issuer: identityOf(o.issuer) }), utcOffsetMinutes: Number(o.utcOffset), ...atBlock(o), onProgress: progressPrinter(out) }),
        );
      }),
    );

  formatOptions(audit.command("consistency").description("rebuild state from events and compare with contract reads at one block")).action((o: FormatOpts) =>
    run(async (ctx, out) => {
      const r = await report(ctx, out, o, (ledger) => checkConsistency({ ledger, ...atBlock(o), onProgress: progressPrinter(out) }));
      return "consistent" in r && r.consistent === false ? ExitCode.REJECTED : ExitCode.OK;
    }),
  );
}

function atBlock(o: FormatOpts): { atBlock?: number } {
  const b = blockOf(o);
  return b === undefined ? {} : { atBlock: b };
}
