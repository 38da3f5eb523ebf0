import { Command, CommanderError } from "commander";
import { registerAuditCommands } from "./commands/audit.ts";
import { registerGovCommands } from "./commands/gov.ts";
import { registerIssuerCommands } from "./commands/issuer.ts";
import { registerNetworkCommands } from "./commands/network.ts";
import { registerVerifyCommands } from "./commands/verify.ts";
import { registerWalletCommands } from "./commands/wallet.ts";
import { ExitCode } from "./output.ts";
import { createRunners } from "./runner.ts";

/**
 * Builds the `mid` program. Commands are grouped by actor: gov (root and accreditors), issuer, wallet,
 * verify, audit, plus network and node.
 */
export function createProgram(): Command {
  const program = new Command("mid")
    .description("mobile-id: mobile ID cards on a permissioned ledger")
    .option("--descriptor <file>", "signed network descriptor (default: $MID_DESCRIPTOR or <data-dir>/network.json)")
    .option("--trust-root <address>", "root key(s) to trust, comma-separated (default: $MID_TRUST_ROOT)")
    .option("--rpc <url>", "ledger JSON-RPC URL (default: the descriptor's)")
    .option("--data-dir <dir>", "local state directory", process.env["MID_DATA_DIR"] ?? ".data")
    .option("--json", "machine-readable output on stdout", false)
    .showHelpAfterError()
    .exitOverride();
  const { run, runLocal } = createRunners(program);
  registerNetworkCommands(program, run, runLocal);
  registerGovCommands(program, run);
  registerIssuerCommands(program, run);
  registerWalletCommands(program, run, runLocal);
  registerVerifyCommands(program, run);
  registerAuditCommands(program, run);
  return program;
}

/** Runs `mid` with `argv` (user arguments only); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every other parse failure is a usage error.
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    throw e;
  }
  return typeof process.exitCode === "number" ? process.exitCode : ExitCode.OK;
}
