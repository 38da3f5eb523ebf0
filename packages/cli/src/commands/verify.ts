import { join } from "node:path";
import type { Command } from "commander";
import type { VerifyPresentationReturnType } from "@mobile-id/verifier";
import type { Context } from "../context.ts";
import { ExitCode } from "../exitCode.ts";
import type { Runner } from "../runner.ts";
import { table } from "../table.ts";

// `verify` and `request` are top-level commands, so `mid --help` registers them: this module stays light and
// loads the verifier, the chain bindings and core only when one of them runs (see main.ts).
const invalidArgument = async (message: string, hint?: string): Promise<Error> => {
  const { MobileIdError } = await import("@mobile-id/core");
  return new MobileIdError("INVALID_ARGUMENT", message, hint === undefined ? {} : { hint });
};

async function verifierFor(ctx: Context) {
  const [{ RpcLedgerReader }, { createVerifier, openDurableNonceStore }] = await Promise.all([
    import("@mobile-id/chain"),
    import("@mobile-id/verifier"),
  ]);
  // One process per verification: read the ledger directly (cold path). Challenges are remembered on disk so
  // that a presentation cannot be replayed to a later `mid verify` either.
  return createVerifier({
    descriptor: ctx.descriptor,
    ledger: new RpcLedgerReader({ rpc: ctx.provider, descriptor: ctx.descriptor }),
    // With its commit mark, as the services keep it: consumed challenges lost to a damaged WAL are refused.
    nonceStore: openDurableNonceStore({ path: join(ctx.options.dataDir, "verifier", "nonces.sqlite") }).store,
  });
}

async function typesOf(value: string): Promise<string[]> {
  const types = value.split(",").map((t) => t.trim()).filter((t) => t !== "");
  if (types.length === 0) throw await invalidArgument("--types needs at least one credential type");
  return types;
}

function describe(outcome: VerifyPresentationReturnType): string {
  const lines = [outcome.verified ? "VERIFIED" : `REJECTED ${outcome.code ?? ""}`];
  if (outcome.verified) {
    lines.push(`holder ${outcome.holder ?? "?"}`);
    for (const c of outcome.credentials) {
      lines.push("", `${c.type} from ${c.issuer}`, ...Object.entries(c.claims).map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`));
      if (c.withheld !== undefined && c.withheld.length > 0) lines.push(`  (withheld: ${c.withheld.join(", ")})`);
    }
  }
  lines.push("", table(["check", "result", "code", "detail"], outcome.checks.map((c) => [
    c.credential === undefined ? c.check : `${c.check}[${c.credential}]`,
    c.passed ? "pass" : "FAIL",
    c.code ?? "",
    c.message ?? "",
  ])));
  if (outcome.ledger !== undefined) lines.push("", `decided against ledger block ${outcome.ledger.blockNumber}`);
  return lines.join("\n");
}

/** `a.b,c?` → `[{ path: "a.b" }, { path: "c", required: false }]` (SD-JWT VC requested claims). */
function claimsOf(list: string): { path: string; required?: boolean }[] {
  return list
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => (p.endsWith("?") ? { path: p.slice(0, -1), required: false } : { path: p }));
}

/** `mid verify …`: the verifier at the counter. */
export function registerVerifyCommands(program: Command, run: Runner): void {
  program
    .command("verify [presentation]")
    .description("verify a presentation (VP JWT: argument, --file or stdin) against the challenge and domain you issued")
    .option("--file <file>", "read the presentation from a file")
    .option("--challenge <challenge>", "the challenge of your presentation request")
    .option("--domain <domain>", "your domain (the presentation's audience)")
    .option("--types <types>", "accepted credential types, comma-separated")
    .option("--expires-at <time>", "when your request expires (unix seconds; default: now + 300)")
    .option("--allow-issuer-suspended-now", "accept credentials whose issuer was in force at issuance but is not now", false)
    .option("--claims <paths>", "SD-JWT VC: claims asked for, comma-separated dotted paths (e.g. age_equal_or_over.19); suffix ? for optional")
    .action((arg: string | undefined, o: { file?: string; challenge?: string; domain?: string; types?: string; expiresAt?: string; allowIssuerSuspendedNow: boolean; claims?: string }) =>
      run(async (ctx, out) => {
        if (o.challenge === undefined || o.domain === undefined || o.types === undefined) {
          throw await invalidArgument(
            "--challenge, --domain and --types are required",
            "create a request with `mid request --domain D --types T` and hand it to the wallet",
          );
        }
        const { readTextInput } = await import("../input.ts");
        const presentation = await readTextInput(arg, o.file, "presentation");
        const now = Math.floor(Date.now() / 1000);
        const credentialTypes = await typesOf(o.types);
        const outcome = await (await verifierFor(ctx)).verifyPresentation({
          presentation,
          request: {
            challenge: o.challenge,
            domain: o.domain,
            credentialTypes,
            expiresAt: o.expiresAt === undefined ? now + 300 : Number(o.expiresAt),
            ...(o.allowIssuerSuspendedNow ? { issuerPolicy: { requireInForceNow: false } } : {}),
            ...(o.claims === undefined ? {} : { claims: claimsOf(o.claims) }),
          },
        });
        out.result(outcome, () => describe(outcome));
        return outcome.verified ? ExitCode.OK : ExitCode.REJECTED;
      }),
    );

  program
    .command("request")
    .description("verifier: create a presentation request (a fresh challenge) to hand to a wallet")
    .requiredOption("--domain <domain>", "your domain")
    .requiredOption("--types <types>", "accepted credential types, comma-separated")
    .option("--ttl <seconds>", "seconds until the request expires", "300")
    .option("--claims <paths>", "SD-JWT VC: claims asked for, comma-separated dotted paths (e.g. age_equal_or_over.19); suffix ? for optional")
    .action((o: { domain: string; types: string; ttl: string; claims?: string }) =>
      run(async (ctx, out) => {
        const credentialTypes = await typesOf(o.types);
        const request = (await verifierFor(ctx)).createPresentationRequest({
          domain: o.domain,
          credentialTypes,
          ttlSeconds: Number(o.ttl),
          ...(o.claims === undefined ? {} : { claims: claimsOf(o.claims) }),
        });
        out.result(request, () => JSON.stringify(request));
      }),
    );
}
