import type { Command } from "commander";
import { CREDENTIAL_TYPES, MobileIdError, credentialTypeId, reasonName } from "@mobile-id/core";
import {
  AccreditationStatus,
  changeRelyingPartyStanding,
  createRelyingPartyReader,
  registerRelyingParty,
  setRelyingPartyClaims,
} from "@mobile-id/chain";
import type { Runner } from "../runner.ts";
import { signerFrom } from "../context.ts";
import { identityOf, reasonOf, timeOf, typeIdOf } from "./gov.ts";

interface KeyOpts {
  readonly keyFile?: string;
  readonly devAccount?: string;
}

const STATUS_NAMES = Object.fromEntries(Object.entries(AccreditationStatus).map(([k, v]) => [v, k])) as Record<number, string>;

const keyOptions = (c: Command) =>
  c.option("--key-file <file>", "file holding the acting identity's owner key (hex)").option(
    "--dev-account <n>",
    "development chain only: use public development account n",
  );

/** `TYPE=claim,claim` (repeatable) into per-type claim lists. */
function claimsOption(value: string, previous: readonly { type: string; claims: string[] }[] = []) {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new MobileIdError("INVALID_ARGUMENT", `--claims takes TYPE=claim,claim (got ${value})`);
  const claims = value.slice(eq + 1).split(",").map((c) => c.trim()).filter((c) => c !== "");
  return [...previous, { type: value.slice(0, eq), claims }];
}

/**
 * `mid gov rp …`: relying parties (verifiers) registered on the ledger by an accreditor, with the claims of
 * each credential type they may ask for; suspended, reinstated or revoked by their registrar or the root.
 *
 * @example
 * ```sh
 * mid gov rp register 0xShop --as 0xPolice --name "Seoul Mart" --purpose "Age check" \
 *   --claims DriversLicenseCredential=age_equal_or_over.19 --until 2027-12-31
 * ```
 */
export function registerGovRelyingPartyCommands(gov: Command, run: Runner): void {
  const rp = gov.command("rp").description("relying parties (verifiers) registered on the ledger");

  keyOptions(
    rp
      .command("register <identity>")
      .description("accreditor: register a relying party with its name, purpose and permitted claims")
      .requiredOption("--as <accreditor>", "the accreditor identity acting (in force for every type named)")
      .requiredOption("--name <name>", "public display name (at most 128 bytes)")
      .requiredOption("--purpose <purpose>", "why it asks for credentials (at most 256 bytes)")
      .requiredOption("--claims <TYPE=claims>", "claims of one type it may ask for, comma-separated (repeatable)", claimsOption)
      .option("--from <time>", "start of the window (default: now)")
      .option("--until <time>", "end of the window (default: one year from the start)")
      .option("--reason <code>", "reason code or name", "GRANTED"),
  ).action((identity: string, o: KeyOpts & { as: string; name: string; purpose: string; claims: { type: string; claims: string[] }[]; from?: string; until?: string; reason: string }) =>
    run(async (ctx, out) => {
      const r = await registerRelyingParty({
        descriptor: ctx.descriptor,
        journal: ctx.journal(),
        signer: signerFrom(ctx, o),
        accreditor: identityOf(o.as),
        relyingParty: identityOf(identity),
        name: o.name,
        purpose: o.purpose,
        ...(o.from === undefined ? {} : { validFrom: timeOf(o.from) }),
        ...(o.until === undefined ? {} : { validUntil: timeOf(o.until) }),
        reason: reasonOf(o.reason),
        types: o.claims.map((c) => ({ credentialTypeId: typeIdOf(c.type), claims: c.claims })),
      });
      out.result({ registered: identityOf(identity), tx: r.hash }, () => `registered relying party ${identityOf(identity)} (tx ${r.hash})`);
    }),
  );

  keyOptions(
    rp
      .command("claims <identity> <type> [claims...]")
      .description("accreditor in force for <type>: replace the claims of it the party may ask for (none: withdraw)")
      .requiredOption("--as <accreditor>", "the accreditor identity acting"),
  ).action((identity: string, type: string, claims: string[], o: KeyOpts & { as: string }) =>
    run(async (ctx, out) => {
      const r = await setRelyingPartyClaims({
        descriptor: ctx.descriptor,
        journal: ctx.journal(),
        signer: signerFrom(ctx, o),
        accreditor: identityOf(o.as),
        relyingParty: identityOf(identity),
        credentialTypeId: typeIdOf(type),
        claims,
      });
      out.result({ relyingParty: identityOf(identity), type, claims, tx: r.hash }, () => `${type}: ${claims.length === 0 ? "withdrawn" : claims.join(", ")} (tx ${r.hash})`);
    }),
  );

  for (const [verb, description] of [
    ["suspend", "suspend a relying party (reversible)"],
    ["reinstate", "reinstate a suspended relying party"],
    ["revoke", "revoke a relying party (final)"],
  ] as const) {
    keyOptions(
      rp
        .command(`${verb} <identity>`)
        .description(`registrar or root: ${description}`)
        .requiredOption("--as <actor>", "the identity acting (the party's registrar, or the root)")
        .requiredOption("--reason <code>", "reason code or name (e.g. AUDIT_FINDING, MISCONDUCT)"),
    ).action((identity: string, o: KeyOpts & { as: string; reason: string }) =>
      run(async (ctx, out) => {
        const r = await changeRelyingPartyStanding({
          descriptor: ctx.descriptor,
          journal: ctx.journal(),
          signer: signerFrom(ctx, o),
          actor: identityOf(o.as),
          relyingParty: identityOf(identity),
          action: verb,
          reason: reasonOf(o.reason),
        });
        out.result({ [verb]: identityOf(identity), tx: r.hash }, () => `${verb}: relying party ${identityOf(identity)} (tx ${r.hash})`);
      }),
    );
  }

  rp.command("show <identity>")
    .description("a relying party's registration and permitted claims (now, or at --at)")
    .option("--at <time>", "the time to answer for (unix seconds or ISO 8601; default: the ledger's now)")
    .action((identity: string, o: { at?: string }) =>
      run(async (ctx, out) => {
        const reader = createRelyingPartyReader({ descriptor: ctx.descriptor, provider: ctx.provider });
        const at = o.at === undefined ? ((await ctx.provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000)) : timeOf(o.at);
        const reg = await reader.relyingPartyAt(identityOf(identity), at);
        const types: { type: string; version: number; claims: readonly string[]; grantedBy: string; grantorInForce: boolean; since: number }[] = [];
        if (reg.status !== AccreditationStatus.None) {
          for (const t of CREDENTIAL_TYPES) {
            const p = await reader.permittedClaimsAt(reg.relyingParty, credentialTypeId(t.name, t.version), at);
            if (p.claims.length > 0) types.push({ type: t.name, version: t.version, claims: p.claims, grantedBy: p.grantedBy, grantorInForce: p.grantorInForce, since: p.since });
          }
        }
        const status = STATUS_NAMES[reg.status] ?? String(reg.status);
        out.result({ at, ...reg, status, reasonName: reasonName(reg.reason), types }, () =>
          [
            `${reg.relyingParty}  ${status}${reg.inForce ? " (in force)" : ""} at ${new Date(at * 1000).toISOString()}`,
            ...(reg.status === AccreditationStatus.None
              ? []
              : [
                  `  name      ${reg.name}`,
                  `  purpose   ${reg.purpose}`,
                  `  registrar ${reg.registrar}`,
                  `  window    ${new Date(reg.validFrom * 1000).toISOString()} .. ${new Date(reg.validUntil * 1000).toISOString()}`,
                  `  since     ${new Date(reg.since * 1000).toISOString()} (${reasonName(reg.reason)})`,
                  ...types.map((t) => `  ${t.type}: ${t.claims.join(", ")}${t.grantorInForce ? "" : " (lapsed: its accreditor is not in force)"}`),
                ]),
          ].join("\n"),
        );
      }),
    );
}
