import { Command, CommanderError } from "commander";
import { ExitCode } from "./exitCode.ts";
import { type LocalRunner, type Runner, createRunners } from "./runner.ts";
import { registerVerifyCommands } from "./commands/verify.ts";

type Register = (program: Command, run: Runner, runLocal: LocalRunner) => void;

/**
 * The command groups, in the order `mid --help` lists them. A group's module (and with it ethers, the chain
 * bindings, the issuer, the wallet...) is imported only when its command runs: `mid --help` loads commander and
 * this table; `mid gov …` loads the governance commands and what they use, nothing of the wallet or the auditor.
 * A group not loaded is listed by name and description, which is all the top-level help shows of it.
 */
const GROUPS: readonly { readonly name: string; readonly description: string; readonly load: () => Promise<Register> }[] = [
  {
    name: "network",
    description: "the network this descriptor describes",
    load: async () => (await import("./commands/network.ts")).registerNetworkCommands,
  },
  {
    name: "gov",
    description: "governance: the root and the accreditors (on the ledger)",
    load: async () => (await import("./commands/gov.ts")).registerGovCommands,
  },
  {
    name: "issuer",
    description: "issuer: issue credentials, revoke, suspend, reinstate",
    load: async () => (await import("./commands/issuer.ts")).registerIssuerCommands,
  },
  {
    name: "wallet",
    description: "holder wallet: keys and credentials, encrypted on this device",
    load: async () => (await import("./commands/wallet.ts")).registerWalletCommands,
  },
  {
    name: "audit",
    description: "auditor: who was accredited for what and when, activity, consistency",
    load: async () => (await import("./commands/audit.ts")).registerAuditCommands,
  },
];

/** Where `verify` and `request` (top-level commands, light to register: see commands/verify.ts) are listed. */
const VERIFY_AFTER = "wallet";

/** Global options that take a value (`--rpc URL`): the word after them is not a command. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(["--descriptor", "--trust-root", "--rpc", "--data-dir"]);

/**
 * The command word of `argv`: the first word that is neither a global option nor its value (`mid help gov`
 * names `gov`). Undefined when there is none (`mid`, `mid --help`).
 */
function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? "";
    if (word === "--") return argv[i + 1];
    if (word.startsWith("-")) {
      if (GLOBAL_OPTIONS_WITH_VALUE.has(word)) i++;
      continue;
    }
    if (word === "help" && i + 1 < argv.length) return argv[i + 1];
    return word;
  }
  return undefined;
}

/**
 * Builds the `mid` program. Commands are grouped by actor: gov (root and accreditors), issuer, wallet,
 * verify, audit, plus network and node. With `argv`, only the group that `argv` names is loaded (every group
 * when `argv` names none that is known, so that commander's own errors and suggestions stay complete);
 * without, all of them.
 *
 * @example
 * const program = await createProgram(["gov", "--help"]);
 */
export async function createProgram(argv?: readonly string[]): Promise<Command> {
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
  const word = argv === undefined ? null : commandWord(argv);
  const known = word === null || word === undefined || word === "verify" || word === "request" || GROUPS.some((g) => g.name === word);
  const loadAll = word === null || !known;
  const registers = await Promise.all(GROUPS.map((g) => (loadAll || g.name === word ? g.load() : undefined)));
  GROUPS.forEach((group, i) => {
    const register = registers[i];
    if (register === undefined) program.command(group.name).description(group.description);
    else register(program, run, runLocal);
    if (group.name === VERIFY_AFTER) registerVerifyCommands(program, run);
  });
  return program;
}

/** Runs `mid` with `argv` (user arguments only); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await createProgram(argv);
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
