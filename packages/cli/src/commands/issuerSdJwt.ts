/**
 * `mid issuer issue-sd-jwt`: one SD-JWT VC issuance (`dc+sd-jwt`, issue 10) from the command line. The holder's
 * wallet makes one P-256 key per copy (`mid wallet keys --count N > keys.json`); the issuer signs one copy per
 * key and prints the batch as JSON (`{ id, copies, … }`), which `mid wallet import --file` takes as it is.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { MobileIdError } from "@mobile-id/core";
import { readTextInput } from "../input.ts";
import type { Runner } from "../runner.ts";
import { timeOf } from "./gov.ts";
import { type IssuerOpts, issuerOptions, withIssuer } from "./issuer.ts";

/** Where `pnpm start` serves Status List Tokens unless `--status-list-base-url` says otherwise. */
export const DEFAULT_STATUS_LIST_BASE_URL = "http://127.0.0.1:8080";

interface IssueSdJwtOpts extends IssuerOpts {
  readonly type: string;
  readonly claims?: string;
  readonly claimsFile?: string;
  readonly holderKeys: string;
  readonly copies?: string;
  readonly expiresAt?: string;
  readonly statusListBaseUrl: string;
}

function jsonObjectOf(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new MobileIdError("INVALID_ARGUMENT", `the ${what} are not JSON`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new MobileIdError("INVALID_ARGUMENT", `the ${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

/** The holder keys file: a JSON array of public JWKs (what `mid wallet keys` prints), cut to `copies` when given. */
function holderKeysOf(file: string, copies: string | undefined): unknown[] {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new MobileIdError("INVALID_ARGUMENT", "the holder keys file is not JSON", { hint: "use the output of `mid wallet keys --count N`" });
  }
  if (!Array.isArray(v) || v.length === 0) throw new MobileIdError("INVALID_ARGUMENT", "the holder keys file must hold a JSON array of public JWKs");
  if (copies === undefined) return v;
  const n = Number(copies);
  if (!Number.isInteger(n) || n < 1) throw new MobileIdError("INVALID_ARGUMENT", "--copies must be a positive integer");
  if (n > v.length) {
    throw new MobileIdError("INVALID_ARGUMENT", `--copies ${n} needs ${n} holder keys; the file has ${v.length}`, { hint: `mid wallet keys --count ${n}` });
  }
  return v.slice(0, n);
}

/** @internal Registers `mid issuer issue-sd-jwt` on the `mid issuer` command. */
export function registerIssueSdJwtCommand(iss: Command, run: Runner): void {
  issuerOptions(
    iss
      .command("issue-sd-jwt")
      .description("issue a credential as SD-JWT VC copies (dc+sd-jwt), one per holder key; prints JSON for `mid wallet import`")
      .requiredOption("--type <name>", "credential type, e.g. ResidentIDCredential")
      .requiredOption("--holder-keys <file>", "JSON array of the holder's P-256 public JWKs (`mid wallet keys --count N`)")
      .option("--copies <n>", "how many copies (default: one per holder key)")
      .option("--claims <json>", "claims as JSON (or use --claims-file, or stdin)")
      .option("--claims-file <file>", "read the claims from a file")
      .option("--expires-at <time>", "expiry (unix seconds or ISO 8601; default: the issuer's validity)")
      .option("--status-list-base-url <url>", "public URL of the services serving the Status List Tokens", DEFAULT_STATUS_LIST_BASE_URL),
  ).action((o: IssueSdJwtOpts) =>
    run(async (ctx, out) => {
      const holderKeys = holderKeysOf(o.holderKeys, o.copies);
      const claims = jsonObjectOf(await readTextInput(o.claims, o.claimsFile, "claims"), "claims");
      const batch = await withIssuer(ctx, o, (issuer) =>
        issuer.issueSdJwtVc({
          type: o.type,
          claims,
          holderKeys,
          statusListBaseUrl: o.statusListBaseUrl,
          ...(o.expiresAt === undefined ? {} : { expiresAt: timeOf(o.expiresAt) }),
        }),
      );
      out.result(batch, () => JSON.stringify(batch));
      out.progress(`issued ${batch.copies.length} SD-JWT VC copies of ${batch.type} ${batch.id} (revoke, suspend, reinstate by this id)`);
    }),
  );
}
