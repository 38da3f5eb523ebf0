import type { Command } from "commander";
import type { Context, GlobalOptions } from "./context.ts";
import { ExitCode } from "./exitCode.ts";
import type { Printer } from "./output.ts";

/** Runs a command body with an opened context; a numeric result is the exit code (default 0). */
export type Runner = (body: (ctx: Context, out: Printer) => Promise<unknown>) => Promise<void>;

/** A runner for commands that do not need the ledger. */
export type LocalRunner = (body: (options: GlobalOptions, out: Printer) => Promise<unknown>) => Promise<void>;

export function globalOptionsOf(program: Command): GlobalOptions {
  const o = program.opts<{ descriptor?: string; trustRoot?: string; rpc?: string; dataDir: string; json: boolean }>();
  return {
    dataDir: o.dataDir,
    json: o.json,
    ...(o.descriptor === undefined ? {} : { descriptor: o.descriptor }),
    ...(o.trustRoot === undefined ? {} : { trustRoot: o.trustRoot }),
    ...(o.rpc === undefined ? {} : { rpc: o.rpc }),
  };
}

export function createRunners(program: Command): { run: Runner; runLocal: LocalRunner } {
  // The context (ethers, the chain bindings) and the printer (core) load when a command runs, not when `mid`
  // starts: `mid --help` and the parse errors need neither.
  const runLocal: LocalRunner = async (body) => {
    const { createPrinter, exitCodeFor } = await import("./output.ts");
    const options = globalOptionsOf(program);
    const out = createPrinter(options.json);
    try {
      const code = await body(options, out);
      process.exitCode = typeof code === "number" ? code : ExitCode.OK;
    } catch (e) {
      out.error(e);
      process.exitCode = exitCodeFor(e);
    }
  };
  const run: Runner = (body) =>
    runLocal(async (options, out) => {
      const { openContext } = await import("./context.ts");
      const ctx = await openContext(options);
      try {
        return await body(ctx, out);
      } finally {
        ctx.close();
      }
    });
  return { run, runLocal };
}
