/**
 * `pnpm start`: runs the mobile-id ledger on the embedded default. Starts the ledger node (anvil, state kept
 * under .data/ledger), deploys and bootstraps the network on the first run only (later runs find it), prints
 * where everything is and who is in force, and runs until Ctrl-C, which shuts the node down cleanly.
 *
 *   node scripts/start.ts [--data-dir DIR] [--port N]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { JsonRpcProvider } from "ethers";
import { bootstrapNetwork, connectContracts, devRoster, startLedgerNode } from "@mobile-id/chain";
import { CREDENTIAL_TYPES, credentialTypeId, verifyNetworkDescriptor } from "@mobile-id/core";
import { deployToFile, reportError } from "./lib/ledger.ts";

const USAGE = "usage: node scripts/start.ts [--data-dir DIR] [--port N]";

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: { "data-dir": { type: "string", default: ".data" }, port: { type: "string", default: "8545" } },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const dataDir = args["data-dir"];
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a TCP port number\n${USAGE}`);
    return 2;
  }
  console.log(`starting the ledger node (state in ${join(dataDir, "ledger")}) ...`);
  const node = await startLedgerNode({ dataDir: join(dataDir, "ledger"), port });
  const provider = new JsonRpcProvider(node.url, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the ledger node (it saves its state) ...`);
    provider.destroy();
    await node.stop();
    console.log("stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const roster = devRoster(provider);
  const descriptorPath = join(dataDir, "network.json");
  const descriptor = await deployToFile({
    root: roster.root,
    out: descriptorPath,
    chainId: 31337,
    networkName: "mobile-id (embedded)",
    rpcUrl: node.url,
    log: (line) => console.log(line),
  });
  verifyNetworkDescriptor({ descriptor, trustedRootKeys: [await roster.root.getAddress()] });
  const { changed } = await bootstrapNetwork({
    descriptor,
    root: roster.root,
    accreditors: roster.accreditors,
    issuers: roster.issuers,
  });
  console.log(changed.length === 0 ? "network found in place (resumed)" : `bootstrapped: ${changed.length} steps applied`);

  const registry = connectContracts({ descriptor, runner: provider }).accreditationRegistry;
  const now = (await provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);
  console.log(`\nmobile-id ledger is running`);
  console.log(`  JSON-RPC          ${node.url}  (chain ${descriptor.chainId})`);
  console.log(`  descriptor        ${descriptorPath}  (signed by root ${descriptor.root.address})`);
  console.log(`  root              ${descriptor.root.did}`);
  console.log(`\n  issuers in force now:`);
  for (const issuer of roster.issuers) {
    const address = await issuer.signer.getAddress();
    for (const name of issuer.credentialTypes) {
      const type = CREDENTIAL_TYPES.find((t) => t.name === name);
      if (type === undefined) continue;
      const s = await registry.getFunction("standingAt")(address, credentialTypeId(type.name, type.version), now);
      console.log(`    ${s.inForce ? "yes" : "NO "}  ${type.title.en.padEnd(18)} ${issuer.name}`);
    }
  }
  console.log(`\nPress Ctrl-C to stop; the next start resumes with all state.`);
  await node.exited;
  if (!stopping) {
    console.error("the ledger node exited unexpectedly");
    return 1;
  }
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => process.exit(reportError(e)));
