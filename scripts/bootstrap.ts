/**
 * Registers the article's authorities, the four credential types and a sample issuer per type on a running
 * development ledger (chain 31337), from a deployed network's descriptor. Idempotent.
 *
 *   node scripts/bootstrap.ts --rpc URL [--descriptor FILE] [--trust-root ADDRESS]
 */
import { parseArgs } from "node:util";
import { loadNetworkDescriptor } from "@mobile-id/core";
import { devRoster } from "@mobile-id/chain";
import { DEV_CHAIN_ID, bootstrapDevRoster, connectLedger, reportError } from "./lib/ledger.ts";

const USAGE = "usage: node scripts/bootstrap.ts --rpc URL [--descriptor FILE] [--trust-root ADDRESS]";

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        rpc: { type: "string" },
        descriptor: { type: "string", default: ".data/network.json" },
        "trust-root": { type: "string" },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.rpc === undefined) {
    console.error(`--rpc is required (the embedded chain lives only inside one process: use deploy --bootstrap)\n${USAGE}`);
    return 2;
  }
  const ledger = await connectLedger(args.rpc);
  try {
    if (ledger.chainId !== DEV_CHAIN_ID) {
      console.error("bootstrap uses the development roster and runs on chain 31337 only");
      return 2;
    }
    const roster = devRoster(ledger.provider);
    const trustRoot = args["trust-root"] ?? (await roster.root.getAddress());
    const descriptor = await loadNetworkDescriptor({ path: args.descriptor, trustedRootKeys: [trustRoot] });
    await bootstrapDevRoster({ descriptor, root: roster.root, provider: ledger.provider, log: (line) => console.log(line) });
    return 0;
  } finally {
    await ledger.close();
  }
}

main().then((code) => process.exit(code), (e: unknown) => process.exit(reportError(e)));
