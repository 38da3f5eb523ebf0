/**
 * `mid wallet receive | answer | history`: the holder's side of OpenID4VCI 1.0 and OpenID4VP 1.0 (issue 11) and
 * the presentation history, on the platform-neutral wallet functions with Node's fetch and the ledger checks.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { MobileIdError } from "@mobile-id/core";
import {
  type PresentationPlan,
  type PresentationRecord,
  answerPresentationRequest,
  deletePresentationHistory,
  exportPresentationHistory,
  LOW_COPIES,
  type WalletFetch,
  allowLoopbackHttp,
  listPresentationHistory,
  listSdJwtVcs,
  receiveCredentialOffer,
  refreshSdJwtVcCopies,
  resolvePresentationRequest,
} from "@mobile-id/wallet";
import { ask } from "../input.ts";
import { RejectedError, table } from "../output.ts";
import type { LocalRunner, Runner } from "../runner.ts";
import { type WalletOpts, ledgerCredentialVerifier, walletOptions, withWallet } from "./wallet.ts";
import { walletLedgerChecks } from "./walletLedgerChecks.ts";

const fetchWithTimeout: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(15_000) });

/**
 * https everywhere, plain http to this machine only (a development network started with `pnpm start` serves http on
 * loopback); set up when a command runs, not when `mid` loads.
 */
const walletFetch = (): WalletFetch => allowLoopbackHttp(fetchWithTimeout);

function describePlan(plan: PresentationPlan): string[] {
  const lines = [
    `${plan.relyingParty.name || "(no registered name)"} asks to see credentials`,
    `  registered on the ledger as ${plan.relyingParty.did}`,
    `  purpose: ${plan.relyingParty.purpose || "(none registered)"}`,
    `  answer goes to ${plan.responseOrigin}`,
  ];
  for (const c of plan.credentials) {
    lines.push(`  ${c.type} (${c.format}) from ${c.issuer}${c.copiesLeft === undefined ? "" : `, ${c.copiesLeft} unused copies`}:`);
    for (const claim of c.claims) lines.push(`    ${claim.id}: ${typeof claim.value === "string" ? claim.value : JSON.stringify(claim.value)}`);
    if (c.claims.length === 0) lines.push("    (no personal claims: only that you hold it)");
    if (c.beyondRequest.length > 0) lines.push(`    note: this card format cannot hide ${c.beyondRequest.join(", ")} (not asked for)`);
  }
  if (!plan.canAnswer) lines.push(`  the wallet holds nothing that answers: ${plan.missing.join(", ")}`);
  return lines;
}

const historyRow = (r: PresentationRecord) => [
  r.id.slice(0, 12),
  new Date(r.at * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
  r.relyingParty.name || r.relyingParty.did,
  r.credentials.map((c) => `${c.type}: ${c.claims.join(", ") || "-"}`).join("; "),
  r.code === undefined ? r.outcome : `${r.outcome} (${r.code})`,
];

/** Registers the protocol commands under `mid wallet`. */
export function registerWalletProtocolCommands(w: Command, run: Runner, runLocal: LocalRunner): void {
  walletOptions(
    w
      .command("receive <offer-uri>")
      .description("OpenID4VCI: receive the credential of an openid-credential-offer:// link (the issuer is checked on the ledger first)")
      .option("--tx-code <code>", "the transaction code the issuer handed over separately (asked on a terminal if missing)")
      .option("--copies <n>", "SD-JWT VC copies to ask for (capped by the issuer's batch size)", "10")
      .option("--format <format...>", "formats to take: dc+sd-jwt, jwt_vc_json (default: all offered)"),
  ).action((offer: string, o: WalletOpts & { txCode?: string; copies: string; format?: string[] }) =>
    run(async (ctx, out) => {
      const checks = walletLedgerChecks(ctx);
      const formats = o.format?.map((f) => {
        if (f !== "dc+sd-jwt" && f !== "jwt_vc_json") throw new MobileIdError("INVALID_ARGUMENT", `unknown format ${f}`);
        return f;
      });
      const r = await withWallet(ctx.options.dataDir, o, (wallet) =>
        receiveCredentialOffer({
          wallet,
          offer,
          fetch: walletFetch(),
          checkIssuer: checks.checkIssuer,
          resolveDid: checks.resolveDid,
          verifyCredential: ledgerCredentialVerifier(ctx),
          copies: Number(o.copies),
          ...(formats === undefined ? {} : { formats }),
          txCode: async (preview) => {
            out.progress(`${preview.issuerName} (${preview.issuerDid}, accredited on the ledger) offers ${preview.offered.map((x) => `${x.type} (${x.format})`).join(", ")}`);
            if (o.txCode !== undefined) return o.txCode;
            if (!process.stdin.isTTY) throw new MobileIdError("INVALID_ARGUMENT", "this offer needs its transaction code", { hint: "pass --tx-code CODE" });
            return ask(`transaction code${preview.txCode?.length === undefined ? "" : ` (${preview.txCode.length} ${preview.txCode.inputMode === "numeric" ? "digits" : "characters"})`}: `);
          },
        }),
      );
      out.result(r, () =>
        r.received
          .map((x) => (x.batch !== undefined ? `received ${x.batch.copies} SD-JWT VC copies of ${x.type} from ${r.preview.issuerName} (${x.batch.remaining} unused)` : `received ${x.type} (jwt_vc_json) from ${r.preview.issuerName}`))
          .join("\n"),
      );
    }),
  );

  walletOptions(
    w
      .command("answer <openid4vp-uri>")
      .description("OpenID4VP: show who asks (registered on the ledger) and what would be shared, then share or decline")
      .option("--yes", "share without asking (exactly what is listed)", false)
      .option("--decline", "decline (the verifier is told at once)", false),
  ).action((uri: string, o: WalletOpts & { yes: boolean; decline: boolean }) =>
    run(async (ctx, out) => {
      if (o.yes && o.decline) throw new MobileIdError("INVALID_ARGUMENT", "--yes and --decline exclude each other");
      const checks = walletLedgerChecks(ctx);
      return withWallet(ctx.options.dataDir, o, async (wallet) => {
        const fetch = walletFetch();
        const plan = await resolvePresentationRequest({ wallet, uri, fetch, resolveDid: checks.resolveDid, checkRelyingParty: checks.checkRelyingParty });
        for (const line of describePlan(plan)) out.progress(line);
        // Nothing answers: the verifier is told (access_denied) and the holder gets NO_MATCHING_CREDENTIAL.
        let consent = !o.decline && (o.yes || !plan.canAnswer);
        if (!o.yes && !o.decline && plan.canAnswer) {
          if (!process.stdin.isTTY) throw new MobileIdError("INVALID_ARGUMENT", "consent needed", { hint: "review what is shared above and pass --yes or --decline, or run in a terminal" });
          consent = /^y(es)?$/i.test((await ask("share? [y/N] ")).trim());
        }
        const r = await answerPresentationRequest({ plan, consent, fetch });
        const result = { outcome: r.outcome, delivered: r.delivered, relyingParty: plan.relyingParty, shared: r.record.credentials, copiesLeft: r.copiesLeft, ...(r.redirectUri === undefined ? {} : { redirectUri: r.redirectUri }) };
        out.result(result, () =>
          r.outcome === "shared"
            ? [`shared with ${plan.relyingParty.name || plan.relyingParty.did}`, ...r.copiesLeft.map((c) => `  ${c.remaining} unused copies left${c.remaining <= LOW_COPIES ? ` (get more: mid wallet refresh ${c.batch.slice(0, 12)})` : ""}`)].join("\n")
            : `declined${r.delivered ? "" : " (the verifier could not be told)"}`,
        );
        if (r.outcome === "declined" && !o.decline) throw new RejectedError("CONSENT_REFUSED", "not shared");
        return undefined;
      });
    }),
  );

  walletOptions(
    w
      .command("refresh <batch>")
      .description("OpenID4VCI: get fresh SD-JWT VC copies of a batch with the issuer's refresh grant (batch id or a unique prefix)")
      .option("--copies <n>", "copies to ask for (capped by the issuer's batch size)", "10"),
  ).action((prefix: string, o: WalletOpts & { copies: string }) =>
    run(async (ctx, out) => {
      const checks = walletLedgerChecks(ctx);
      const b = await withWallet(ctx.options.dataDir, o, async (wallet) => {
        const matches = (await listSdJwtVcs({ wallet })).filter((x) => x.batch.startsWith(prefix.toLowerCase()));
        if (matches.length !== 1) throw new MobileIdError(matches.length === 0 ? "WALLET_CREDENTIAL_NOT_FOUND" : "INVALID_ARGUMENT", matches.length === 0 ? `no batch ${prefix}` : `${prefix} is ambiguous`);
        return refreshSdJwtVcCopies({
          wallet,
          batch: matches[0]?.batch as string,
          fetch: walletFetch(),
          checkIssuer: checks.checkIssuer,
          verifyCredential: ledgerCredentialVerifier(ctx),
          copies: Number(o.copies),
        });
      });
      out.result(b, () => `received ${b.copies} fresh copies of ${b.type} (batch ${b.batch.slice(0, 16)}…)`);
    }),
  );

  walletOptions(
    w
      .command("history")
      .description("what the wallet shared, with whom and when (encrypted in the wallet); export or delete it")
      .option("--export <file>", "write the history as JSON (claim names only, no values) to FILE (mode 0600)")
      .option("--delete <id>", "delete one record (id or a unique prefix)")
      .option("--delete-all", "delete every record", false),
  ).action((o: WalletOpts & { export?: string; delete?: string; deleteAll: boolean }) =>
    runLocal(async (g, out) => {
      await withWallet(g.dataDir, o, async (wallet) => {
        if (o.deleteAll) {
          const r = await deletePresentationHistory({ wallet, all: true });
          out.result(r, () => `deleted ${r.deleted} record(s)`);
          return;
        }
        if (o.delete !== undefined) {
          const prefix = o.delete.toLowerCase();
          const matches = (await listPresentationHistory({ wallet })).filter((r) => r.id.startsWith(prefix));
          if (matches.length !== 1) {
            throw new MobileIdError(matches.length === 0 ? "HISTORY_RECORD_NOT_FOUND" : "INVALID_ARGUMENT", matches.length === 0 ? `no history record ${o.delete}` : `${o.delete} is ambiguous`);
          }
          const r = await deletePresentationHistory({ wallet, id: (matches[0] as PresentationRecord).id });
          out.result(r, () => `deleted ${o.delete}`);
          return;
        }
        if (o.export !== undefined) {
          const doc = await exportPresentationHistory({ wallet });
          writeFileSync(o.export, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
          out.result({ exported: o.export, records: doc.records.length }, () => `wrote ${doc.records.length} record(s) to ${o.export}`);
          return;
        }
        const records = await listPresentationHistory({ wallet });
        out.result(records, () => (records.length === 0 ? "(nothing shared yet)" : table(["id", "when", "to", "claims", "outcome"], records.map(historyRow))));
      });
    }),
  );
}
