import { MobileIdError } from "@mobile-id/core";
import { ExitCode } from "./exitCode.ts";
import { table } from "./table.ts";

// ExitCode lives in its own module so that the dispatcher (main.ts) can use it without loading core.
export { ExitCode, table };

/** Thrown by commands for a rejection that is not an error of use (exit 1). */
export class RejectedError extends MobileIdError {
  override readonly name = "RejectedError";
}

/**
 * Codes that mean "you used me wrong, or the setup is broken" (exit 2). Every other code is a refusal by the
 * ledger, a policy or a check: the operation was rejected (exit 1).
 */
const USAGE_CODES = new Set([
  "INVALID_ARGUMENT",
  "INVALID_REQUEST",
  "DESCRIPTOR_INVALID",
  "DESCRIPTOR_SIGNATURE_INVALID",
  "DESCRIPTOR_UNTRUSTED_SIGNER",
  "CHAIN_MISMATCH",
  "CONTRACT_MISSING",
  "LEDGER_UNAVAILABLE",
  "DATABASE_UNAVAILABLE",
  "UNKNOWN_CREDENTIAL_TYPE",
  "WALLET_NOT_FOUND",
  "WALLET_EXISTS",
  "WALLET_PASSPHRASE_INVALID",
  "WALLET_KDF_TOO_WEAK",
  "WALLET_TAMPERED",
  "WALLET_LOCKED",
]);

export function exitCodeFor(e: unknown): ExitCode {
  if (e instanceof RejectedError) return ExitCode.REJECTED;
  if (e instanceof MobileIdError) return USAGE_CODES.has(e.code) ? ExitCode.USAGE : ExitCode.REJECTED;
  return ExitCode.USAGE;
}

export interface Printer {
  readonly json: boolean;
  /** A result: JSON on stdout with --json, else the human text. */
  result(value: unknown, human: () => string): void;
  /** Progress and notes, on stderr so that stdout stays machine-readable. */
  progress(line: string): void;
  error(e: unknown): void;
}

export function createPrinter(json: boolean): Printer {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, bigintReplacer, 2)}\n` : `${human()}\n`);
    },
    progress(line) {
      if (!json || process.stderr.isTTY) process.stderr.write(`${line}\n`);
    },
    error(e) {
      if (e instanceof MobileIdError) {
        if (json) {
          process.stdout.write(
            `${JSON.stringify({ error: { code: e.code, message: e.message, details: e.details, hint: e.hint } }, bigintReplacer, 2)}\n`,
          );
        } else {
          process.stderr.write(`error ${e.code}: ${e.message}\n`);
          if (Object.keys(e.details).length > 0) process.stderr.write(`  details: ${JSON.stringify(e.details, bigintReplacer)}\n`);
          if (e.hint !== undefined) process.stderr.write(`  hint: ${e.hint}\n`);
        }
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      if (json) process.stdout.write(`${JSON.stringify({ error: { code: "INTERNAL", message } })}\n`);
      else process.stderr.write(`error INTERNAL: ${message}\n`);
    },
  };
}

export function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
