import type { Command } from "commander";
import { getAddress } from "ethers";
import { connectContracts, sendTransaction } from "@mobile-id/chain";
import {
  CREDENTIAL_TYPES,
  MobileIdError,
  ReasonCode,
  credentialTypeId,
  findCredentialType,
  registeredSchemaHash,
} from "@mobile-id/core";
import type { Runner } from "../runner.ts";
import { signerFrom } from "../context.ts";
import { registerGovRelyingPartyCommands } from "./govRelyingParty.ts";

/** Accepts a did:ethr or a bare address; returns the identity address. */
export function identityOf(value: string): string {
  const m = /^(?:did:ethr:(?:0x[0-9a-fA-F]+:)?)?(0x[0-9a-fA-F]{40})$/.exec(value);
  if (m?.[1] === undefined) {
    throw new MobileIdError("INVALID_ARGUMENT", `not an identity address or did:ethr: ${value}`);
  }
  return getAddress(m[1]);
}

/** A credential type by name (latest version) or by its 0x id. */
export function typeIdOf(value: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  const t = findCredentialType(value);
  if (t === undefined) {
    throw new MobileIdError("UNKNOWN_CREDENTIAL_TYPE", `unknown credential type ${value}`, {
      hint: `known: ${CREDENTIAL_TYPES.map((c) => c.name).join(", ")}`,
    });
  }
  return credentialTypeId(t.name, t.version);
}

export function reasonOf(value: string): number {
  const named = (ReasonCode as Record<string, number>)[value.toUpperCase()];
  const n = named ?? Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 0xffffffff) {
    throw new MobileIdError("INVALID_ARGUMENT", `reason must be a positive code or one of ${Object.keys(ReasonCode).join(", ")}`);
  }
  return n;
}

export function timeOf(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new MobileIdError("INVALID_ARGUMENT", `not a time (unix seconds or ISO 8601): ${value}`);
  return Math.floor(ms / 1000);
}

const keyOptions = (c: Command) =>
  c.option("--key-file <file>", "file holding the acting identity's owner key (hex)").option(
    "--dev-account <n>",
    "development chain only: use public development account n",
  );

/** `mid gov …`: the root's and the accreditors' ledger operations. */
export function registerGovCommands(program: Command, run: Runner): void {
  const gov = program.command("gov").description("governance: the root and the accreditors (on the ledger)");
  registerGovRelyingPartyCommands(gov, run);

  keyOptions(gov.command("register-accreditor <identity> <name>").description("root: register an accreditor"))
    .action((identity: string, name: string, o: KeyOpts) =>
      run(async (ctx, out) => {
        const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
        const r = await sendTransaction({ journal: ctx.journal(), contract: registry, signer: signerFrom(ctx, o), method: "registerAccreditor", args: [identityOf(identity), name] });
        out.result({ registered: identityOf(identity), tx: r.hash }, () => `registered accreditor ${identityOf(identity)} (tx ${r.hash})`);
      }),
    );

  keyOptions(gov.command("register-type <name> <accreditor>").description("root: register a known credential type, governed by <accreditor>"))
    .action((name: string, accreditor: string, o: KeyOpts) =>
      run(async (ctx, out) => {
        const t = findCredentialType(name);
        if (t === undefined) throw new MobileIdError("UNKNOWN_CREDENTIAL_TYPE", `no schema for ${name} in this software`);
        const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
        const r = await sendTransaction({ journal: ctx.journal(),
          contract: registry,
          signer: signerFrom(ctx, o),
          method: "registerCredentialType",
          args: [t.name, t.version, registeredSchemaHash(t), t.schemaUri, identityOf(accreditor)],
        });
        const id = credentialTypeId(t.name, t.version);
        out.result({ credentialType: t.name, id, tx: r.hash }, () => `registered ${t.name} v${t.version} as ${id}`);
      }),
    );

  keyOptions(
    gov
      .command("accredit-accreditor <accreditor> <types...>")
      .description("root: accredit an accreditor for the types it governs")
      .requiredOption("--until <time>", "end of the window (unix seconds or ISO 8601)")
      .option("--from <time>", "start of the window (default: now)")
      .option("--reason <code>", "reason code or name", "GRANTED"),
  ).action((accreditor: string, types: string[], o: KeyOpts & WindowOpts) =>
    run(async (ctx, out) => {
      const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
      const now = (await ctx.provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);
      const r = await sendTransaction({ journal: ctx.journal(),
        contract: registry,
        signer: signerFrom(ctx, o),
        method: "accreditAccreditor",
        args: [identityOf(accreditor), types.map(typeIdOf), o.from === undefined ? now : timeOf(o.from), timeOf(o.until), reasonOf(o.reason)],
      });
      out.result({ accreditor: identityOf(accreditor), types, tx: r.hash }, () => `accredited ${identityOf(accreditor)} for ${types.join(", ")}`);
    }),
  );

  keyOptions(
    gov
      .command("register-issuer <issuer> <name>")
      .description("accreditor: register an issuer")
      .requiredOption("--as <accreditor>", "the accreditor identity acting"),
  ).action((issuer: string, name: string, o: KeyOpts & { as: string }) =>
    run(async (ctx, out) => {
      const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
      const r = await sendTransaction({ journal: ctx.journal(), contract: registry, signer: signerFrom(ctx, o), method: "registerIssuer", args: [identityOf(o.as), identityOf(issuer), name] });
      out.result({ registered: identityOf(issuer), tx: r.hash }, () => `registered issuer ${identityOf(issuer)} (tx ${r.hash})`);
    }),
  );

  keyOptions(
    gov
      .command("accredit-issuer <issuer> <type>")
      .description("accreditor: accredit an issuer for a type, inside the accreditor's own scope")
      .requiredOption("--as <accreditor>", "the accreditor identity acting")
      .requiredOption("--until <time>", "end of the window (unix seconds or ISO 8601)")
      .option("--from <time>", "start of the window (default: now)")
      .option("--reason <code>", "reason code or name", "GRANTED"),
  ).action((issuer: string, type: string, o: KeyOpts & WindowOpts & { as: string }) =>
    run(async (ctx, out) => {
      const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
      const now = (await ctx.provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);
      const r = await sendTransaction({ journal: ctx.journal(),
        contract: registry,
        signer: signerFrom(ctx, o),
        method: "accreditIssuer",
        args: [identityOf(o.as), identityOf(issuer), typeIdOf(type), o.from === undefined ? now : timeOf(o.from), timeOf(o.until), reasonOf(o.reason)],
      });
      out.result({ issuer: identityOf(issuer), type, tx: r.hash }, () => `accredited ${identityOf(issuer)} for ${type}`);
    }),
  );

  for (const [verb, description] of [
    ["suspend", "suspend an accreditation (reversible)"],
    ["reinstate", "reinstate a suspended accreditation"],
    ["revoke", "revoke an accreditation (final)"],
  ] as const) {
    keyOptions(
      gov
        .command(`${verb} <party> <type>`)
        .description(`grantor or root: ${description}`)
        .requiredOption("--as <actor>", "the identity acting (the party's accreditor, or the root)")
        .requiredOption("--reason <code>", "reason code or name (e.g. AUDIT_FINDING, MISCONDUCT)"),
    ).action((party: string, type: string, o: KeyOpts & { as: string; reason: string }) =>
      run(async (ctx, out) => {
        const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
        const r = await sendTransaction({ journal: ctx.journal(), contract: registry, signer: signerFrom(ctx, o), method: verb, args: [identityOf(o.as), identityOf(party), typeIdOf(type), reasonOf(o.reason)] });
        out.result({ [verb]: identityOf(party), type, tx: r.hash }, () => `${verb}: ${identityOf(party)} for ${type} (tx ${r.hash})`);
      }),
    );
  }

  const root = gov.command("root").description("two-step, delayed hand-over of the root");
  keyOptions(root.command("begin <newRoot>").description("current root: propose a new root")).action((newRoot: string, o: KeyOpts) =>
    run(async (ctx, out) => {
      const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
      const r = await sendTransaction({ journal: ctx.journal(), contract: registry, signer: signerFrom(ctx, o), method: "beginRootTransfer", args: [identityOf(newRoot)] });
      const [pending, schedule] = (await registry.getFunction("pendingRoot")()) as [string, bigint];
      out.result({ pendingRoot: pending, acceptableFrom: Number(schedule), tx: r.hash }, () => `proposed ${pending}; it can accept from ${new Date(Number(schedule) * 1000).toISOString()}`);
    }),
  );
  keyOptions(root.command("cancel").description("current root: cancel the pending hand-over")).action((o: KeyOpts) =>
    run(async (ctx, out) => {
      const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
      const r = await sendTransaction({ journal: ctx.journal(), contract: registry, signer: signerFrom(ctx, o), method: "cancelRootTransfer", args: [] });
      out.result({ cancelled: true, tx: r.hash }, () => "pending root hand-over cancelled");
    }),
  );
  keyOptions(root.command("accept").description("pending root: accept after the delay")).action((o: KeyOpts) =>
    run(async (ctx, out) => {
      const registry = connectContracts({ descriptor: ctx.descriptor, runner: ctx.provider }).accreditationRegistry;
      const r = await sendTransaction({ journal: ctx.journal(), contract: registry, signer: signerFrom(ctx, o), method: "acceptRootTransfer", args: [] });
      const newRoot = (await registry.getFunction("root")()) as string;
      out.result({ root: newRoot, tx: r.hash }, () => `root is now ${newRoot}`);
    }),
  );
}

interface KeyOpts {
  readonly keyFile?: string;
  readonly devAccount?: string;
}
interface WindowOpts {
  readonly until: string;
  readonly from?: string;
  readonly reason: string;
}
