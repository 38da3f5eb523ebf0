import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { type Provider, type Signer, Wallet } from "ethers";
import {
  type BesuNodeIdentity,
  applyAccountAllowlist,
  createBesuNetworkFiles,
  devNetworkKeys,
  devRoster,
  parseNodeIdentity,
  readAccountAllowlist,
} from "@mobile-id/chain";
import { DEV_CHAIN_ID, MobileIdError } from "@mobile-id/core";
import { identityOf } from "./gov.ts";
import { table } from "../output.ts";
import type { LocalRunner, Runner } from "../runner.ts";

interface InitOptions {
  out: string;
  dev: boolean;
  validators?: string;
  rpcNode?: string;
  root?: string;
  rootName?: string;
  rootKeyFile?: string;
  chainId?: string;
  name: string;
  rpcUrl?: string;
  blockPeriod: string;
  epochLength: string;
  requestTimeout?: string;
  gasLimit?: string;
  rootTransferDelay?: string;
  timestamp?: string;
  besuImage?: string;
  force: boolean;
}

const wholeNumber = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new MobileIdError("INVALID_ARGUMENT", `${name} must be a whole number`, { details: { [name]: value } });
  return Number(value);
};

/**
 * `mid network init` (a Besu QBFT network's folder from the agencies' public keys) and `mid network allowlist`
 * (the account allowlist from the ledger's governance, applied to running nodes).
 */
export function registerNetworkSetupCommands(network: Command, run: Runner, runLocal: LocalRunner): void {
  network
    .command("init")
    .description("write a Besu QBFT network: genesis with the contracts, node configs, allowlists, compose file, signed descriptor")
    .requiredOption("--out <dir>", "output folder (created; must be empty unless --force)")
    .option("--dev", "development keys for a local trial (public keys from the development mnemonic); needs no other input", false)
    .option("--validators <list>", "validators: comma-separated addresses or public keys, each optionally @host:port (with --dev: how many, default 4)")
    .option("--rpc-node <key>", "the RPC node's public key (@host:port), for the node allowlist")
    .option("--root <address>", "the root identity (address or did:ethr)")
    .option("--root-name <name>", "the root's public name")
    .option("--root-key-file <file>", "the root's key, to sign the descriptor (or MID_ROOT_KEY); without it the descriptor is written unsigned")
    .option("--chain-id <n>", "chain id (with --dev default 31337)")
    .option("--name <name>", "network name in the descriptor", "mobile-id")
    .option("--rpc-url <url>", "the RPC node's URL, written into the descriptor", "http://127.0.0.1:8545")
    .option("--block-period <s>", "seconds between blocks", "2")
    .option("--epoch-length <n>", "blocks between validator vote resets", "30000")
    .option("--request-timeout <s>", "seconds before a QBFT round change (default twice the block period)")
    .option("--gas-limit <n>", "block gas limit (default 50,000,000)")
    .option("--root-transfer-delay <s>", "seconds a root hand-over waits (default 2 days)")
    .option("--timestamp <s>", "genesis timestamp (default now)")
    .option("--besu-image <image>", "Besu image in the compose file", "hyperledger/besu:25.6.0")
    .option("--force", "write into a non-empty folder", false)
    .action((o: InitOptions) =>
      runLocal(async (_global, out) => {
        const dev = o.dev;
        const chainId = wholeNumber("--chain-id", o.chainId) ?? (dev ? DEV_CHAIN_ID : undefined);
        if (chainId === undefined) throw new MobileIdError("INVALID_ARGUMENT", "--chain-id is required (except with --dev)");
        let validators: BesuNodeIdentity[];
        let rpcNode: BesuNodeIdentity | undefined;
        let devKeys: ReturnType<typeof devNetworkKeys>["devKeys"] | undefined;
        if (dev) {
          const keys = devNetworkKeys(wholeNumber("--validators", o.validators) ?? 4);
          ({ validators, rpcNode, devKeys } = keys);
        } else {
          if (o.validators === undefined) throw new MobileIdError("INVALID_ARGUMENT", "--validators is required (addresses or public keys)");
          validators = o.validators.split(",").filter((s) => s.trim() !== "").map((s) => parseNodeIdentity(s));
          rpcNode = o.rpcNode === undefined ? undefined : parseNodeIdentity(o.rpcNode);
        }
        // The development roster's names and keys only: no ledger is involved.
        const roster = dev ? devRoster(null as unknown as Provider) : undefined;
        const rootSigner: Signer | undefined = rootKey(o.rootKeyFile) ?? roster?.root;
        const rootAddress = o.root !== undefined ? identityOf(o.root) : rootSigner !== undefined ? await rootSigner.getAddress() : undefined;
        if (rootAddress === undefined) throw new MobileIdError("INVALID_ARGUMENT", "--root is required (the root identity's address)");
        const rootName = o.rootName ?? roster?.rootName;
        if (rootName === undefined) throw new MobileIdError("INVALID_ARGUMENT", "--root-name is required");
        if (existsSync(o.out) && readdirSync(o.out).length > 0 && !o.force) {
          throw new MobileIdError("INVALID_ARGUMENT", `${o.out} is not empty`, { hint: "choose another --out, or pass --force to overwrite" });
        }
        const requestTimeout = wholeNumber("--request-timeout", o.requestTimeout);
        const gasLimit = wholeNumber("--gas-limit", o.gasLimit);
        const delay = wholeNumber("--root-transfer-delay", o.rootTransferDelay);
        const { files, genesis, descriptor, nodes } = await createBesuNetworkFiles({
          chainId,
          validators,
          ...(rpcNode === undefined ? {} : { rpcNode }),
          ...(devKeys === undefined ? {} : { devKeys }),
          ...(rootSigner === undefined ? {} : { rootSigner }),
          // The development roster may transact from genesis: the development services bootstrap it at once.
          ...(roster === undefined ? {} : { genesisAccounts: await Promise.all([roster.root, ...Object.values(roster.accreditors).map((a) => a.signer), ...roster.issuers.map((i) => i.signer)].map((s) => s.getAddress())) }),
          root: rootAddress,
          rootName,
          networkName: o.name,
          rpcUrl: o.rpcUrl ?? "http://127.0.0.1:8545",
          blockPeriodSeconds: wholeNumber("--block-period", o.blockPeriod) ?? 2,
          epochLength: wholeNumber("--epoch-length", o.epochLength) ?? 30_000,
          ...(requestTimeout === undefined ? {} : { requestTimeoutSeconds: requestTimeout }),
          ...(gasLimit === undefined ? {} : { gasLimit }),
          ...(delay === undefined ? {} : { rootTransferDelay: delay }),
          timestamp: wholeNumber("--timestamp", o.timestamp) ?? Math.floor(Date.now() / 1000),
          besuImage: o.besuImage ?? "hyperledger/besu:25.6.0",
        });
        // Every file 0600 and every folder 0700, as all data files of this project (keys included).
        mkdirSync(o.out, { recursive: true, mode: 0o700 });
        for (const f of files) {
          const path = join(o.out, f.path);
          mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
          writeFileSync(path, f.content, { mode: 0o600 });
        }
        const signed = "proof" in descriptor;
        out.result(
          { out: o.out, chainId, validators: nodes.filter((n) => n.role === "validator").map((n) => n.address), extraData: genesis.extraData, contracts: descriptor.contracts, signed, files: files.map((f) => f.path) },
          () =>
            [
              `wrote ${files.length} files to ${o.out} (chain ${chainId}, ${validators.length} validators, tolerating ${Math.floor((validators.length - 1) / 3)} faulty)`,
              table(["contract", "address (in genesis alloc)"], Object.entries(descriptor.contracts).map(([k, v]) => [k, v.address])),
              signed ? "descriptor: network.json (signed by the root)" : "descriptor: network.unsigned.json — sign it: run again with --root-key-file (or MID_ROOT_KEY)",
              dev ? "development keys: public, for a local trial only" : "",
            ].join("\n"),
        );
      }),
    );

  network
    .command("allowlist")
    .description("the account allowlist from the ledger's governance (root, accreditors, issuers, operators, rotated keys); --apply sets it on Besu nodes")
    .option("--apply <urls...>", "Besu node JSON-RPC URLs (PERM API) to bring in step")
    .option("--keep <addresses>", "comma-separated accounts to keep on the nodes although the ledger does not name them")
    .option("--dry-run", "with --apply: report the changes, send none", false)
    .action((o: { apply?: string[]; keep?: string; dryRun: boolean }) =>
      run(async (ctx, out) => {
        const allowlist = await readAccountAllowlist({ provider: ctx.provider, descriptor: ctx.descriptor });
        const keep = (o.keep ?? "").split(",").filter((s) => s.trim() !== "").map((s) => identityOf(s.trim()));
        const changes = o.apply === undefined ? [] : await applyAccountAllowlist({ accounts: allowlist.accounts, nodes: o.apply, keep, dryRun: o.dryRun });
        out.result({ ...allowlist, changes }, () =>
          [
            `account allowlist at block ${allowlist.head}: ${allowlist.accounts.length} accounts`,
            table(["account", "why"], allowlist.entries.map((e) => [e.address, e.reasons.join(", ") + (e.keyOf.length > 0 ? ` of ${e.keyOf.join(", ")}` : "")])),
            ...changes.map((c) => `${c.node}: +${c.added.length} -${c.removed.length}${o.dryRun ? " (dry run)" : ""}`),
          ].join("\n"),
        );
      }),
    );
}

function rootKey(file: string | undefined): Signer | undefined {
  const key = file !== undefined ? readFileSync(file, "utf8").trim() : process.env["MID_ROOT_KEY"];
  return key === undefined || key === "" ? undefined : new Wallet(key);
}
