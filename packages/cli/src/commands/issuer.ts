import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { MobileIdError, toEthrDid } from "@mobile-id/core";
import { type ChangeStatusResult, type Issuer, createIssuer, createJwtSigner } from "@mobile-id/issuer";
import { type Context, privateKeyFrom, signerFrom } from "../context.ts";
import { readTextInput } from "../input.ts";
import { table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { identityOf, reasonOf, timeOf } from "./gov.ts";
import { registerIssueSdJwtCommand } from "./issuerSdJwt.ts";

/** @internal Options every `mid issuer` command takes. */
export interface IssuerOpts {
  readonly issuer: string;
  readonly keyFile?: string;
  readonly devAccount?: string;
  readonly operatorKeyFile?: string;
  readonly db?: string;
}

/** @internal Adds the issuer identity, key and database options. */
export const issuerOptions = (c: Command): Command =>
  c
    .requiredOption("--issuer <identity>", "the issuer identity (address or did:ethr)")
    .option("--key-file <file>", "the issuer identity's owner key (signs credentials, creates lists)")
    .option("--dev-account <n>", "development chain only: use public development account n")
    .option("--operator-key-file <file>", "a separate operator key for status writes (default: the owner key)")
    .option("--db <file>", "issuance database (default: <data-dir>/issuer/<identity>.sqlite)");

/** @internal Opens the issuer for one command and closes it afterwards. */
export async function withIssuer<T>(ctx: Context, o: IssuerOpts, body: (issuer: Issuer) => Promise<T>): Promise<T> {
  const identity = identityOf(o.issuer);
  const owner = signerFrom(ctx, o);
  const databasePath = o.db ?? join(ctx.options.dataDir, "issuer", `${identity.toLowerCase()}.sqlite`);
  mkdirSync(dirname(databasePath), { recursive: true });
  const issuer = await createIssuer({
    descriptor: ctx.descriptor,
    provider: ctx.provider,
    issuer: toEthrDid(ctx.descriptor.chainId, identity),
    jwtSigner: createJwtSigner(privateKeyFrom(ctx, o)),
    owner,
    operator: o.operatorKeyFile === undefined ? owner : signerFrom(ctx, { keyFile: o.operatorKeyFile }),
    databasePath,
  });
  try {
    return await body(issuer);
  } finally {
    await issuer.close();
  }
}

function statusText(verb: string, r: ChangeStatusResult): string {
  return [
    `${verb}: ${r.changed.length} changed, ${r.unchanged.length} already so`,
    ...r.transactions.map((t) => `  tx ${JSON.stringify(t)}`),
  ].join("\n");
}

/** `mid issuer …`: an agency issuing and managing credentials. */
export function registerIssuerCommands(program: Command, run: Runner): void {
  const iss = program.command("issuer").description("issuer: issue credentials, revoke, suspend, reinstate");

  issuerOptions(iss.command("lists").description("create status lists until a pair accepts credentials (owner key)")).action((o: IssuerOpts) =>
    run(async (ctx, out) => {
      const r = await withIssuer(ctx, o, (issuer) => issuer.ensureStatusLists());
      out.result(r, () => `${r.created.length} list pair(s) created; ${r.pairs.length} pair(s) in all`);
    }),
  );

  issuerOptions(
    iss
      .command("issue")
      .description("issue a credential to a holder DID; prints the VC JWT for the holder's wallet")
      .requiredOption("--type <name>", "credential type, e.g. StudentIDCredential")
      .requiredOption("--holder <did>", "the holder's did:ethr")
      .option("--claims <json>", "claims as JSON (or use --claims-file, or stdin)")
      .option("--claims-file <file>", "read the claims from a file")
      .option("--expires-at <time>", "expiry (unix seconds or ISO 8601; default: the issuer's validity)"),
  ).action((o: IssuerOpts & { type: string; holder: string; claims?: string; claimsFile?: string; expiresAt?: string }) =>
    run(async (ctx, out) => {
      const text = await readTextInput(o.claims, o.claimsFile, "claims");
      let claims: unknown;
      try {
        claims = JSON.parse(text);
      } catch {
        throw new MobileIdError("INVALID_ARGUMENT", "the claims are not JSON");
      }
      if (claims === null || typeof claims !== "object" || Array.isArray(claims)) {
        throw new MobileIdError("INVALID_ARGUMENT", "the claims must be a JSON object");
      }
      const issued = await withIssuer(ctx, o, (issuer) =>
        issuer.issue({
          type: o.type,
          holder: o.holder,
          claims: claims as Record<string, unknown>,
          ...(o.expiresAt === undefined ? {} : { expiresAt: timeOf(o.expiresAt) }),
        }),
      );
      out.result(issued, () => issued.jwt);
      out.progress(`issued ${issued.type} ${issued.id} to ${issued.holder}`);
    }),
  );

  registerIssueSdJwtCommand(iss, run);

  for (const verb of ["revoke", "suspend", "reinstate"] as const) {
    issuerOptions(
      iss
        .command(`${verb} <ids...>`)
        .description(`${verb} credentials by id (one ledger transaction per list)`)
        .requiredOption("--reason <code>", "reason code or name (e.g. DEVICE_LOST, GRADUATION)"),
    ).action((ids: string[], o: IssuerOpts & { reason: string }) =>
      run(async (ctx, out) => {
        const r = await withIssuer(ctx, o, (issuer) => issuer[verb]({ ids, reason: reasonOf(o.reason) as never }));
        out.result(r, () => statusText(verb, r));
      }),
    );
  }

  issuerOptions(
    iss
      .command("list")
      .description("what this issuer issued")
      .option("--type <name>")
      .option("--status <status>", "active, suspended or revoked")
      .option("--holder <did>")
      .option("--limit <n>", "page size", "100")
      .option("--cursor <cursor>", "next page"),
  ).action((o: IssuerOpts & { type?: string; status?: string; holder?: string; limit: string; cursor?: string }) =>
    run(async (ctx, out) => {
      const page = await withIssuer(ctx, o, async (issuer) =>
        issuer.listCredentials({
          limit: Number(o.limit),
          ...(o.type === undefined ? {} : { type: o.type }),
          ...(o.status === undefined ? {} : { status: o.status as never }),
          ...(o.holder === undefined ? {} : { holder: o.holder }),
          ...(o.cursor === undefined ? {} : { cursor: o.cursor }),
        }),
      );
      out.result(page, () =>
        [
          table(
            ["id", "type", "status", "holder", "expires"],
            page.items.map((c) => [c.id, c.type, `${c.status}${c.pendingChange ? " (pending)" : ""}`, c.holder, new Date(c.expiresAt * 1000).toISOString().slice(0, 10)]),
          ),
          ...(page.nextCursor === undefined ? [] : [`more: --cursor ${page.nextCursor}`]),
        ].join("\n"),
      );
    }),
  );

  issuerOptions(iss.command("show <id>").description("one credential with its status history")).action((id: string, o: IssuerOpts) =>
    run(async (ctx, out) => {
      const c = await withIssuer(ctx, o, async (issuer) => issuer.getCredential(id));
      if (c === undefined) throw new MobileIdError("CREDENTIAL_NOT_FOUND", `no credential ${id} in this issuer's records`);
      out.result(c, () => JSON.stringify(c, null, 2));
    }),
  );

  issuerOptions(iss.command("reconcile").description("settle journaled ledger writes and align records with the ledger")).action((o: IssuerOpts) =>
    run(async (ctx, out) => {
      const r = await withIssuer(ctx, o, (issuer) => issuer.reconcile());
      out.result(r, () => JSON.stringify(r, null, 2));
    }),
  );
}
