import type { Command } from "commander";
import { connectContracts } from "@mobile-id/chain";
import { CREDENTIAL_TYPES, credentialTypeId } from "@mobile-id/core";
import { table } from "../output.ts";
import type { LocalRunner, Runner } from "../runner.ts";
import { registerNetworkSetupCommands } from "./networkSetup.ts";

/** `mid network …`: what the descriptor says, checked against the ledger. */
export function registerNetworkCommands(program: Command, run: Runner, runLocal: LocalRunner): void {
  const network = program.command("network").description("the network this descriptor describes");
  registerNetworkSetupCommands(network, run, runLocal);
  network
    .command("info")
    .description("chain, contracts, root and credential types, as verified from the signed descriptor")
    .action(() =>
      run(async (ctx, out) => {
        const { descriptor } = ctx;
        const registry = connectContracts({ descriptor, runner: ctx.provider }).accreditationRegistry;
        const head = await ctx.provider.getBlock("latest");
        const types: Record<string, unknown>[] = [];
        for (const t of CREDENTIAL_TYPES) {
          const id = credentialTypeId(t.name, t.version);
          try {
            const onChain = await registry.getFunction("credentialType")(id);
            types.push({ name: t.name, version: t.version, id, governingAccreditor: onChain.governingAccreditor as string, deprecated: onChain.deprecated as boolean });
          } catch {
            types.push({ name: t.name, version: t.version, id, registered: false });
          }
        }
        const info = {
          name: descriptor.name,
          chainId: descriptor.chainId,
          head: { block: head?.number, timestamp: head?.timestamp },
          root: { ...descriptor.root, current: (await registry.getFunction("root")()) as string },
          contracts: descriptor.contracts,
          credentialTypes: types,
        };
        out.result(info, () =>
          [
            `${descriptor.name}  (chain ${descriptor.chainId}, block ${head?.number ?? "?"})`,
            `root ${descriptor.root.did}`,
            "",
            table(
              ["contract", "address", "deployed at block"],
              Object.entries(descriptor.contracts).map(([k, v]) => [k, v.address, String(v.deployBlock)]),
            ),
            "",
            table(
              ["credential type", "governing accreditor", "deprecated"],
              types.map((t) => [String(t["name"]), typeof t["governingAccreditor"] === "string" ? t["governingAccreditor"] : "(not registered)", t["deprecated"] === true ? "yes" : "no"]),
            ),
          ].join("\n"),
        );
      }),
    );
}
