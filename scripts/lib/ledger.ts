/**
 * What the operator scripts share: reaching a ledger (the embedded in-process chain, or a JSON-RPC URL),
 * choosing keys, and writing files so that a crash never leaves a half-written one.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { BrowserProvider, JsonRpcProvider, type Provider, type Signer, Wallet } from "ethers";
import { DEV_MNEMONIC, bootstrapNetwork, bootstrapRelyingParties, deployNetwork, devRoster } from "@mobile-id/chain";
import { type ContractRef, DEV_CHAIN_ID, MobileIdError, type NetworkContracts, type NetworkDescriptor } from "@mobile-id/core";

/** Re-exported from core (`protocol.ts`) for the scripts that import it from here. */
export { DEV_CHAIN_ID };

export interface Ledger {
  readonly provider: Provider;
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to `rpcUrl`, or, without one, starts Hardhat's embedded in-process chain (EDR). The embedded chain
 * lives only as long as this process: use it for a one-shot run or a test. `pnpm start` runs a persistent node.
 */
export async function connectLedger(rpcUrl: string | undefined): Promise<Ledger> {
  if (rpcUrl === undefined) {
    const { network } = await import("hardhat");
    const connection = await network.connect();
    // Wrap the EIP-1193 provider in plain ethers, so that errors and behaviour are those of any RPC ledger.
    const provider = new BrowserProvider(connection.provider, undefined, { cacheTimeout: -1 });
    return {
      provider,
      rpcUrl: "embedded:hardhat",
      chainId: Number((await provider.getNetwork()).chainId),
      embedded: true,
      close: () => connection.close(),
    };
  }
  // No batching (measured fastest against a local node, TOOLCHAIN.md); no response cache, whose 250 ms reuse of
  // eth_getTransactionCount makes back-to-back transactions from one key collide on the nonce.
  const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
  let chainId: number;
  try {
    chainId = Number((await provider.getNetwork()).chainId);
  } catch (cause) {
    provider.destroy();
    throw new MobileIdError("LEDGER_UNAVAILABLE", `cannot reach the ledger at ${rpcUrl}`, {
      cause,
      hint: "start the node first (pnpm start, or mid node), or check --rpc",
    });
  }
  return { provider, rpcUrl, chainId, embedded: false, close: async () => provider.destroy() };
}

/**
 * The root key: from MID_ROOT_KEY or --root-key-file; on the development chain (31337) the public
 * development key is the default. Keys are never taken on the command line (they would show in `ps`).
 */
export function rootSigner(ledger: Ledger, rootKeyFile: string | undefined): Signer {
  const fromEnv = process.env["MID_ROOT_KEY"];
  const key = rootKeyFile !== undefined ? readFileSync(rootKeyFile, "utf8").trim() : fromEnv;
  if (key !== undefined && key !== "") return new Wallet(key, ledger.provider);
  if (ledger.chainId !== DEV_CHAIN_ID) {
    throw new MobileIdError("INVALID_ARGUMENT", "no root key for a non-development chain", {
      details: { chainId: ledger.chainId },
      hint: "set MID_ROOT_KEY or pass --root-key-file; the development mnemonic is refused off chain 31337",
    });
  }
  return devRoster(ledger.provider).root;
}

export { DEV_MNEMONIC };

/** Writes `path` atomically: a crash leaves the old file or the new one, never half of either. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}

export function readJsonIfExists(path: string): unknown {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Prints an error with its code and hint, and returns the exit code (2: usage/configuration). */
export function reportError(e: unknown): number {
  if (e instanceof MobileIdError) {
    console.error(`error ${e.code}: ${e.message}`);
    if (Object.keys(e.details).length > 0) console.error(`  details: ${JSON.stringify(e.details)}`);
    if (e.hint !== undefined) console.error(`  hint: ${e.hint}`);
    return 2;
  }
  console.error(e);
  return 1;
}

/**
 * Deploys (or finds) the network and keeps its descriptor in `out`. Each contract is journaled to
 * `out.partial.json` as soon as it exists, so a crash mid-deployment is resumed, not repeated; the descriptor
 * is rewritten only when something changed, so a re-run leaves the file byte for byte as it was.
 */
export async function deployToFile(params: {
  readonly root: Signer;
  readonly out: string;
  readonly chainId: number;
  readonly networkName: string;
  readonly rpcUrl: string;
  readonly log: (line: string) => void;
}): Promise<NetworkDescriptor> {
  const { out, log } = params;
  const journal = `${out}.partial.json`;
  const existing = (readJsonIfExists(out) ?? readJsonIfExists(journal)) as
    | { chainId?: number; contracts: Partial<NetworkContracts> }
    | undefined;
  const partial: Partial<Record<keyof NetworkContracts, ContractRef>> = { ...existing?.contracts };
  const provider = params.root.provider;
  if (provider == null) throw new MobileIdError("INVALID_ARGUMENT", "the root signer has no provider");
  const { descriptor, deployed } = await deployNetwork({
    deployer: params.root,
    rootName: devRoster(provider).rootName,
    networkName: params.networkName,
    rpcUrl: params.rpcUrl,
    ...(existing === undefined ? {} : { existing }),
    onContract: (name, ref, reused) => {
      log(`  ${reused ? "found   " : "deployed"} ${name.padEnd(22)} ${ref.address} (block ${ref.deployBlock})`);
      partial[name] = ref;
      writeFileAtomic(journal, `${JSON.stringify({ chainId: params.chainId, contracts: partial }, null, 2)}\n`);
    },
  });
  if (deployed.length > 0 || readJsonIfExists(out) === undefined) {
    writeFileAtomic(out, `${JSON.stringify(descriptor, null, 2)}\n`);
    log(`wrote ${out}, signed by root ${descriptor.root.address}`);
  } else {
    log(`${out} is up to date: nothing to do`);
  }
  rmSync(journal, { force: true });
  return descriptor;
}

/**
 * Registers the development roster (authorities, types, sample issuers) idempotently, printing each step;
 * returns how many steps changed the ledger.
 */
export async function bootstrapDevRoster(params: {
  readonly descriptor: NetworkDescriptor;
  readonly root: Signer;
  readonly provider: Provider;
  readonly log: (line: string) => void;
}): Promise<number> {
  const roster = devRoster(params.provider);
  const { changed } = await bootstrapNetwork({
    descriptor: params.descriptor,
    root: params.root,
    accreditors: roster.accreditors,
    issuers: roster.issuers,
    onStep: (step, did) => params.log(`  ${did ? "done " : "found"} ${step}`),
  });
  const parties = await bootstrapRelyingParties({
    descriptor: params.descriptor,
    accreditors: roster.accreditors,
    relyingParties: roster.relyingParties,
    onStep: (step, did) => params.log(`  ${did ? "done " : "found"} ${step}`),
  });
  const steps = changed.length + parties.length;
  params.log(steps === 0 ? "bootstrap: already in place" : `bootstrap: ${steps} steps applied`);
  return steps;
}
