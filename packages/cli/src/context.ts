import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, type Signer, Wallet } from "ethers";
import { DEV_MNEMONIC, type LedgerWriteJournal, devRoster, openLedgerWriteJournal } from "@mobile-id/chain";
import { DEV_CHAIN_ID, MobileIdError, type NetworkDescriptor, loadNetworkDescriptor } from "@mobile-id/core";
import { HDNodeWallet, Mnemonic } from "ethers";

/** Options every command understands (commander's global options). */
export interface GlobalOptions {
  readonly descriptor?: string;
  readonly trustRoot?: string;
  readonly rpc?: string;
  readonly dataDir: string;
  readonly json: boolean;
}

/** The public development root key; trusted by default only for a descriptor of chain 31337. */
export const DEV_ROOT_KEY = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

export interface Context {
  readonly options: GlobalOptions;
  readonly descriptor: NetworkDescriptor;
  readonly provider: JsonRpcProvider;
  /**
   * The journal of governance writes, `<data-dir>/ledger-journal.sqlite` (opened on first use): each signed
   * transaction is recorded before it is broadcast, and the services write again what a restarted ledger node lost.
   */
  journal(): LedgerWriteJournal;
  /** Closes the provider (and the journal). */
  close(): void;
}

/**
 * Loads and verifies the network descriptor, then connects to its ledger. The trust anchor is the root key
 * from --trust-root or MID_TRUST_ROOT; with neither, the development root is trusted for chain 31337 only.
 */
export async function openContext(options: GlobalOptions): Promise<Context> {
  const path = options.descriptor ?? process.env["MID_DESCRIPTOR"] ?? join(options.dataDir, "network.json");
  if (!existsSync(path)) {
    throw new MobileIdError("DESCRIPTOR_INVALID", `no network descriptor at ${path}`, {
      hint: "start the network with `pnpm start` (it writes .data/network.json), or pass --descriptor FILE",
    });
  }
  const trust = options.trustRoot ?? process.env["MID_TRUST_ROOT"];
  let trustedRootKeys: string[];
  if (trust !== undefined && trust !== "") {
    trustedRootKeys = trust.split(",").map((k) => k.trim());
  } else {
    const peek = JSON.parse(readFileSync(path, "utf8")) as { chainId?: unknown };
    if (peek.chainId !== DEV_CHAIN_ID) {
      throw new MobileIdError("INVALID_ARGUMENT", "no trusted root key configured for this network", {
        hint: "pass --trust-root 0x… (or set MID_TRUST_ROOT) with the root key your network published",
      });
    }
    trustedRootKeys = [DEV_ROOT_KEY];
  }
  const descriptor = await loadNetworkDescriptor({ path, trustedRootKeys });
  const url = options.rpc ?? process.env["MID_RPC"] ?? descriptor.rpcUrl;
  const provider = new JsonRpcProvider(url, descriptor.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  try {
    const chainId = Number((await provider.getNetwork()).chainId);
    if (chainId !== descriptor.chainId) {
      throw new MobileIdError("CHAIN_MISMATCH", "the RPC endpoint serves another chain than the descriptor's", {
        details: { rpc: url, chainId, descriptorChainId: descriptor.chainId },
      });
    }
    await provider.getBlockNumber();
  } catch (cause) {
    provider.destroy();
    if (cause instanceof MobileIdError) throw cause;
    throw new MobileIdError("LEDGER_UNAVAILABLE", `cannot reach the ledger at ${url}`, {
      cause,
      hint: "is the node running? (`pnpm start`), or pass --rpc URL",
    });
  }
  let journal: LedgerWriteJournal | undefined;
  return {
    options,
    descriptor,
    provider,
    journal: () => (journal ??= openLedgerWriteJournal(join(options.dataDir, "ledger-journal.sqlite"))),
    close: () => {
      provider.destroy();
      journal?.close();
    },
  };
}

/**
 * A signing key for an actor: `--key-file FILE` (hex private key), or env `MID_KEY`, or on the development
 * chain `--dev-account N` (the public development accounts: 0 root, 1-4 accreditors, 5-8 issuers).
 */
export function signerFrom(
  ctx: Context,
  opts: { readonly keyFile?: string; readonly devAccount?: string },
): Signer {
  if (opts.keyFile !== undefined) {
    return new Wallet(readFileSync(opts.keyFile, "utf8").trim(), ctx.provider);
  }
  const env = process.env["MID_KEY"];
  if (env !== undefined && env !== "") return new Wallet(env, ctx.provider);
  if (opts.devAccount !== undefined) {
    if (ctx.descriptor.chainId !== DEV_CHAIN_ID) {
      throw new MobileIdError("INVALID_ARGUMENT", `--dev-account works on the development chain (${DEV_CHAIN_ID}) only`);
    }
    const index = Number(opts.devAccount);
    if (!Number.isInteger(index) || index < 0 || index > 19) {
      throw new MobileIdError("INVALID_ARGUMENT", "--dev-account takes 0..19");
    }
    return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`).connect(ctx.provider);
  }
  throw new MobileIdError("INVALID_ARGUMENT", "no signing key", {
    hint: "pass --key-file FILE or set MID_KEY (on the development chain: --dev-account N)",
  });
}

/** The private key behind {@link signerFrom} (for JWT signing, which needs the raw key). */
export function privateKeyFrom(ctx: Context, opts: { readonly keyFile?: string; readonly devAccount?: string }): string {
  const signer = signerFrom(ctx, opts) as Signer & { privateKey?: string };
  if (typeof signer.privateKey !== "string") throw new MobileIdError("INVALID_ARGUMENT", "this key source cannot sign JWTs");
  return signer.privateKey;
}

export { devRoster };
