/**
 * `pnpm start`: runs the mobile-id network on the embedded default. Starts the ledger node (anvil, state kept
 * under .data/ledger) unless one already answers on the port, deploys and bootstraps the network on the first
 * run only (later runs find it), starts the issuer, verifier and auditor services on 127.0.0.1, prints their
 * URLs, and runs until Ctrl-C, which shuts everything down cleanly. The next start resumes with all state, also
 * after a kill -9: a torn ledger state file is replaced by its last complete copy, a deployment or bootstrap the
 * node lost is redone, and the issuers write again what they had acknowledged and the node lost. If the ledger
 * node alone dies, it is restarted (a bounded number of times, each logged) while the services keep running; they
 * watch their journals and write back what the node lost (see scripts/lib/superviseLedgerNode.ts).
 *
 * The wallet has its own origin (`--wallet-port`, 8081): no issuer, verifier or auditor page shares its storage.
 * With `--lan`, every app is served over HTTPS on the machine's LAN address (`--lan-address` to choose it), with a
 * certificate from a local CA made once under the data directory (scripts/lib/lanMode.ts): the services on
 * `--https-port` (8443), the wallet on `--wallet-port` (8444), and on `--http-port` (8080), over plain HTTP, only
 * the page from which a phone installs the CA certificate. `--lan-name HOST` (e.g. `<hostname>.local`) puts that
 * name in the certificate and in every URL, for phones that resolve it: WebAuthn (screen-lock unlock) refuses
 * IP-address origins.
 *
 *   node scripts/start.ts [--data-dir DIR] [--port N] [--http-port N] [--wallet-port N] [--lan [--lan-address IP] [--lan-name HOST] [--https-port N]]
 *     [--replica-file FILE] [--max-staleness-seconds N]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type HDNodeWallet, JsonRpcProvider } from "ethers";
import {
  type LedgerNode,
  bootstrapNetwork,
  bootstrapRelyingParties,
  connectContracts,
  devRoster,
  keepLedgerStateCopies,
  restoreLedgerState,
  startLedgerNode,
} from "@mobile-id/chain";
import { type RunningServices, startServices } from "@mobile-id/server";
import { CREDENTIAL_TYPES, DEV_CHAIN_ID, credentialTypeId, verifyNetworkDescriptor } from "@mobile-id/core";
import { refuseSecondNetwork } from "./lib/descriptorGuard.ts";
import { deployToFile, reportError } from "./lib/ledger.ts";
import { type SupervisedLedgerNode, superviseLedgerNode } from "./lib/superviseLedgerNode.ts";
import { lanAddress, lanCertificates, lanName, printLanBanner, startCaInstallPage } from "./lib/lanMode.ts";

const USAGE =
  "usage: node scripts/start.ts [--data-dir DIR] [--port N] [--http-port N] [--wallet-port N] [--lan [--lan-address IP] [--lan-name HOST] [--https-port N]] " +
  "[--requests-per-minute N] [--quiet] [--accept-data-loss FILE]... [--replica-file FILE] [--max-staleness-seconds N]";

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        "data-dir": { type: "string", default: ".data" },
        port: { type: "string", default: "8545" },
        "http-port": { type: "string", default: "8080" },
        // The wallet's own origin: 8081 on loopback, 8444 with --lan.
        "wallet-port": { type: "string" },
        lan: { type: "boolean", default: false },
        "lan-address": { type: "string" },
        // The name a phone reaches the machine by (e.g. <hostname>.local): WebAuthn unlock needs a named origin.
        "lan-name": { type: "string" },
        "https-port": { type: "string", default: "8443" },
        // Presentation requests one client address may create per minute (the one thing made without a key).
        "requests-per-minute": { type: "string", default: "60" },
        quiet: { type: "boolean", default: false },
        // A data file whose loss the operator accepts, named as the refusal named it (repeatable).
        "accept-data-loss": { type: "string", multiple: true, default: [] },
        // The verifier's ledger replica (default <data-dir>/verifier/ledger-replica.bin) and its offline policy:
        // how long it keeps verifying while the ledger is unreachable (default 900 s, at most 86400).
        "replica-file": { type: "string" },
        "max-staleness-seconds": { type: "string", default: "900" },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const dataDir = args["data-dir"];
  // Every file and directory this process and the ledger node create is private to the operator (0600/0700).
  process.umask(0o077);
  const port = Number(args.port);
  const httpPort = Number(args["http-port"]);
  const lan = args.lan;
  const httpsPort = Number(args["https-port"]);
  const walletPort = Number(args["wallet-port"] ?? (lan ? "8444" : "8081"));
  const ports = [port, httpPort, walletPort, ...(lan ? [httpsPort] : [])];
  if (!ports.every((p) => Number.isInteger(p) && p >= 0 && p <= 65535)) {
    console.error(`--port, --http-port, --https-port and --wallet-port must be TCP port numbers\n${USAGE}`);
    return 2;
  }
  if (new Set(ports.filter((p) => p !== 0)).size !== ports.filter((p) => p !== 0).length) {
    console.error(`the ledger, services, wallet${lan ? " and CA page" : ""} ports must differ\n${USAGE}`);
    return 2;
  }
  for (const option of ["lan-address", "lan-name"] as const) {
    if (!lan && args[option] !== undefined) {
      console.error(`--${option} needs --lan\n${USAGE}`);
      return 2;
    }
  }
  const lanHost = lan ? lanAddress(args["lan-address"]) : undefined;
  if (lanHost !== undefined && "error" in lanHost) {
    console.error(`${lanHost.error}\n${USAGE}`);
    return 2;
  }
  const named = lanName(args["lan-name"]);
  if ("error" in named) {
    console.error(`${named.error}\n${USAGE}`);
    return 2;
  }
  const requestsPerMinute = Number(args["requests-per-minute"]);
  if (!/^[1-9][0-9]{0,6}$/.test(args["requests-per-minute"])) {
    console.error(`--requests-per-minute must be a whole number from 1 to 9999999\n${USAGE}`);
    return 2;
  }
  const maxStalenessSeconds = Number(args["max-staleness-seconds"]);
  if (!/^[1-9][0-9]{0,4}$/.test(args["max-staleness-seconds"]) || maxStalenessSeconds > 86_400) {
    console.error(`--max-staleness-seconds must be a whole number from 1 to 86400 (24 hours)\n${USAGE}`);
    return 2;
  }
  // A node already answering on the port (e.g. `mid node`, or a Besu node) is used as it is.
  const existing = await probeLedger(`http://127.0.0.1:${port}`);
  let node: LedgerNode | undefined;
  let supervisor: SupervisedLedgerNode | undefined;
  let rpcUrl: string;
  let stopStateCopies: (() => Promise<void>) | undefined;
  if (existing !== undefined) {
    if (existing !== DEV_CHAIN_ID) {
      console.error(`a ledger with chain id ${existing} already answers on port ${port}; stop it or choose --port`);
      return 2;
    }
    rpcUrl = `http://127.0.0.1:${port}`;
    console.log(`using the ledger node already running at ${rpcUrl}`);
  } else {
    const ledgerDir = join(dataDir, "ledger");
    console.log(`starting the ledger node (state in ${ledgerDir}) ...`);
    // A torn state file (a kill during anvil's rewrite) is replaced by its last complete copy; the copies are
    // taken on change, checked and copied in a worker thread (packages/chain/src/stateFile).
    await restoreLedgerState({ ledgerDir, log: (line) => console.error(line) });
    node = await startLedgerNode({ dataDir: ledgerDir, port });
    rpcUrl = node.url;
    const copier = keepLedgerStateCopies({ ledgerDir });
    stopStateCopies = () => copier.stop();
    // The node is restarted if it dies (same port and state directory, its state file repaired first); the
    // services stay up and answer 503 meanwhile.
    const started = node;
    const running = superviseLedgerNode({
      node: started,
      restart: async () => {
        await restoreLedgerState({ ledgerDir, log: (line) => console.error(line) });
        return startLedgerNode({ dataDir: ledgerDir, port: started.port });
      },
      log: (line) => console.error(line),
    });
    supervisor = running;
    // A start-up failure past this point must not leave the node running without its supervisor (an orphan
    // that keeps the port, and that the next start would take for a node someone else runs).
    onFailure.stop = async () => {
      await running.stop();
      await stopStateCopies?.();
    };
  }
  const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
  // Assigned once the services run; the shutdown handler, installed before, closes them if present.
  const running: { services?: RunningServices; caPage?: { close: () => void } } = {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the services and the ledger node (it saves its state) ...`);
    running.caPage?.close();
    await running.services?.close();
    provider.destroy();
    await supervisor?.stop();
    await stopStateCopies?.();
    console.log("stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const roster = devRoster(provider);
  const descriptorPath = join(dataDir, "network.json");
  await refuseSecondNetwork({ descriptorPath, root: roster.root, ledgerDir: node === undefined ? undefined : join(dataDir, "ledger") });
  const descriptor = await deployToFile({
    root: roster.root,
    out: descriptorPath,
    chainId: DEV_CHAIN_ID,
    networkName: "mobile-id (embedded)",
    rpcUrl,
    log: (line) => console.log(line),
  });
  verifyNetworkDescriptor({ descriptor, trustedRootKeys: [await roster.root.getAddress()] });
  const { changed } = await bootstrapNetwork({
    descriptor,
    root: roster.root,
    accreditors: roster.accreditors,
    issuers: roster.issuers,
  });
  // The verifier counter is a registered relying party (issue 11): holders see its registered name and purpose.
  const parties = await bootstrapRelyingParties({ descriptor, accreditors: roster.accreditors, relyingParties: roster.relyingParties });
  const steps = changed.length + parties.length;
  console.log(steps === 0 ? "network found in place (resumed)" : `bootstrapped: ${steps} steps applied`);

  const webRoot = ensureWebApp();
  const registry = connectContracts({ descriptor, runner: provider }).accreditationRegistry;
  const now = (await provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);
  const tls = lanHost === undefined ? undefined : await lanCertificates(dataDir, lanHost.address, (line) => console.log(line), named.name);
  const services = await startServices({
    descriptor,
    rpcUrl,
    dataDir,
    ...(lanHost === undefined || tls === undefined
      ? { port: httpPort }
      : { host: lanHost.address, ...(named.name === undefined ? {} : { publicHost: named.name }), port: httpsPort, tls: tls.server }),
    walletPort,
    agencies: roster.issuers.map((i) => ({ slug: i.slug, name: i.name, signer: i.signer as HDNodeWallet })),
    // The counter's OpenID4VP requests are signed by the registered relying party (dev account 9).
    ...(roster.relyingParties[0] === undefined ? {} : { relyingParty: { signer: roster.relyingParties[0].signer as HDNodeWallet } }),
    logger: args.quiet ? false : { level: "warn" },
    createRateLimit: { max: requestsPerMinute, windowMs: 60_000 },
    acceptDataLoss: args["accept-data-loss"],
    maxStalenessSeconds,
    ...(args["replica-file"] === undefined ? {} : { replicaFile: args["replica-file"] }),
    // Shown the moment they exist (a start that fails later must not lose them: only their hashes are kept).
    onNewApiKeys: (keys) => {
      console.log(`\n  agency API keys (shown once, not stored: only their hashes are kept; a new one: pnpm api-key:rotate <agency>):`);
      for (const [slug, key] of Object.entries(keys)) console.log(`    ${slug.padEnd(14)} ${key}`);
    },
    ...(webRoot === undefined ? {} : { webRoot }),
  });
  running.services = services;
  const caPage =
    lanHost === undefined || tls === undefined
      ? undefined
      : await startCaInstallPage({ host: lanHost.address, publicHost: named.name, port: httpPort, tls, walletUrl: services.walletUrl, appsUrl: services.url });
  if (caPage !== undefined) running.caPage = caPage.server;
  const base = services.url;
  console.log(`\nmobile-id is running`);
  if (webRoot !== undefined) {
    console.log(`  wallet (phone)      ${services.walletUrl}/app/wallet/   (its own origin)`);
    console.log(`  verifier counter    ${base}/app/verifier/`);
    console.log(`  issuer console      ${base}/app/issuer/`);
    console.log(`  auditor dashboard   ${base}/app/auditor/`);
  }
  console.log(`  ledger (JSON-RPC)   ${rpcUrl}  (chain ${descriptor.chainId})`);
  console.log(`  network descriptor  ${base}/network   (file: ${descriptorPath}; root key ${descriptor.root.address})`);
  console.log(`  issuer API          ${base}/issuers/{${roster.issuers.map((i) => i.slug).join("|")}}/credentials`);
  console.log(`  verifier API        ${base}/verifier/requests`);
  console.log(`  auditor API         ${base}/auditor/governance`);
  console.log(`  OpenAPI             ${base}/openapi.json`);
  console.log(`  health              ${base}/health`);
  if (caPage !== undefined && tls !== undefined) {
    console.log(`  CA certificate page ${caPage.url}`);
    printLanBanner({ walletUrl: services.walletUrl, installUrl: caPage.url, tls });
  }
  console.log(`\n  issuers in force now:`);
  for (const issuer of roster.issuers) {
    const address = await issuer.signer.getAddress();
    for (const name of issuer.credentialTypes) {
      const type = CREDENTIAL_TYPES.find((t) => t.name === name);
      if (type === undefined) continue;
      const s = await registry.getFunction("standingAt")(address, credentialTypeId(type.name, type.version), now);
      console.log(`    ${s.inForce ? "yes" : "NO "}  ${type.title.en.padEnd(18)} ${issuer.slug.padEnd(14)} ${issuer.name}`);
    }
  }
  console.log(`\nPress Ctrl-C to stop; the next start resumes with all state.`);
  if (supervisor === undefined) return new Promise<number>(() => undefined);
  const reason = await supervisor.gaveUp;
  if (!stopping) {
    console.error(`${reason}: giving up`);
    return 1;
  }
  // A shutdown stopped the node: it exits the process once it has finished (last state copy included).
  return new Promise<number>(() => undefined);
}

/**
 * The web pages (packages/web/dist), built first when missing or older than their sources (a fresh clone builds
 * them on its first start, in a second or two). A failed build does not stop the network: the APIs still run.
 */
function ensureWebApp(): string | undefined {
  const web = join(dirname(fileURLToPath(import.meta.url)), "..", "packages", "web");
  const build = spawnSync(process.execPath, [join(web, "scripts", "build.ts"), "--if-stale"], { stdio: "inherit" });
  const dist = join(web, "dist");
  if (build.status !== 0 || !existsSync(join(dist, "index.html"))) {
    console.error("the web pages could not be built (pnpm build:web shows why); the APIs run without them");
    return existsSync(join(dist, "index.html")) ? dist : undefined;
  }
  return dist;
}

/** The chain id of a node answering at `url`, or undefined when nothing answers. */
async function probeLedger(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    const body = (await response.json()) as { result?: string };
    return body.result === undefined ? undefined : Number(body.result);
  } catch {
    return undefined;
  }
}

/** What to stop if `main` fails after starting the ledger node. */
const onFailure: { stop?: () => Promise<void> } = {};

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    const code = reportError(e);
    await onFailure.stop?.().catch(() => undefined);
    process.exit(code);
  },
);
