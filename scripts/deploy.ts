/**
 * Deploys the mobile-id contracts and writes the signed network descriptor. Idempotent: run it again
 * against the same chain and descriptor and nothing changes (no transaction, the file stays as it was).
 *
 *   node scripts/deploy.ts [--rpc URL] [--out FILE] [--name NAME] [--root-key-file FILE] [--bootstrap]
 *
 * Without --rpc it deploys to Hardhat's embedded in-process chain (gone when the process exits; useful as a
 * smoke test). --bootstrap also registers the authorities, the four credential types and a sample issuer per
 * type (development roster; chain 31337 only). A crash mid-deployment leaves FILE.partial.json, which the
 * next run resumes from.
 */
import { parseArgs } from "node:util";
import { DEV_CHAIN_ID, bootstrapDevRoster, connectLedger, deployToFile, reportError, rootSigner } from "./lib/ledger.ts";

const USAGE = "usage: node scripts/deploy.ts [--rpc URL] [--out FILE] [--name NAME] [--root-key-file FILE] [--bootstrap]";

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        rpc: { type: "string" },
        out: { type: "string" },
        name: { type: "string", default: "mobile-id" },
        "root-key-file": { type: "string" },
        bootstrap: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const ledger = await connectLedger(args.rpc);
  try {
    const out = args.out ?? (ledger.embedded ? ".data/network.embedded.json" : ".data/network.json");
    const root = rootSigner(ledger, args["root-key-file"]);
    console.log(`deploying to ${ledger.rpcUrl} (chain ${ledger.chainId})`);
    const descriptor = await deployToFile({
      root,
      out,
      chainId: ledger.chainId,
      networkName: args.name,
      rpcUrl: ledger.rpcUrl,
      log: (line) => console.log(line),
    });
    if (args.bootstrap) {
      if (ledger.chainId !== DEV_CHAIN_ID) {
        console.error("--bootstrap uses the development roster and runs on chain 31337 only");
        return 2;
      }
      await bootstrapDevRoster({ descriptor, root, provider: ledger.provider, log: (line) => console.log(line) });
    }
    return 0;
  } finally {
    await ledger.close();
  }
}

main().then((code) => process.exit(code), (e: unknown) => process.exit(reportError(e)));
