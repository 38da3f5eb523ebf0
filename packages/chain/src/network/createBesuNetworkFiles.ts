import { type Signer, getAddress } from "ethers";
import {
  MobileIdError,
  type NetworkDescriptor,
  type UnsignedNetworkDescriptor,
  signNetworkDescriptor,
  verifyNetworkDescriptor,
} from "@mobile-id/core";
import { deriveAccountAllowlist } from "./accountAllowlist.ts";
import { type BesuNodeSpec, besuNodeConfigToml, composeFile, enodeUrls, permissionsConfigToml } from "./besuNetworkFiles.ts";
import { type BesuGenesis, type CreateQbftGenesisParameters, createQbftGenesis } from "./createQbftGenesis.ts";
import { type BesuNodeIdentity, devNodeKey } from "./validatorKeys.ts";

/** One file of the network folder. */
export interface NetworkFile {
  /** Relative to the output folder. */
  readonly path: string;
  readonly content: string;
  /** Private key files are 0600 like every data file; listed so that a caller can say which are secrets. */
  readonly secret: boolean;
}

export interface CreateBesuNetworkFilesParameters extends Omit<CreateQbftGenesisParameters, "validators"> {
  /** The validators: parsed addresses or public keys ({@link parseNodeIdentity}). */
  readonly validators: readonly BesuNodeIdentity[];
  /** The RPC node's identity (public key, for the node allowlist), if known. */
  readonly rpcNode?: BesuNodeIdentity;
  /** Development keys: writes each node's private key file (public development keys; for a local trial only). */
  readonly devKeys?: readonly (BesuNodeIdentity & { readonly privateKeyFileContent: string })[];
  /**
   * Accounts allowed to transact from genesis besides the root (`--dev`: the development roster, so that the
   * development services can bootstrap before the first allowlist run). Default none.
   */
  readonly genesisAccounts?: readonly string[];
  /** Signs the descriptor; without it the descriptor is written unsigned (`network.unsigned.json`). */
  readonly rootSigner?: Signer;
  /** Besu image for the compose file. Default `hyperledger/besu:25.6.0`. */
  readonly besuImage?: string;
}

export interface CreateBesuNetworkFilesReturnType {
  readonly files: readonly NetworkFile[];
  readonly genesis: BesuGenesis;
  readonly descriptor: NetworkDescriptor | UnsignedNetworkDescriptor;
  readonly nodes: readonly BesuNodeSpec[];
}

const SUBNET = "172.16.239.0/24";
const ip = (n: number) => `172.16.239.${n}`;

/**
 * Everything a Besu QBFT network of this project needs, as files: `genesis.json` (contracts in `alloc`), the
 * signed descriptor `network.json` (or `network.unsigned.json` without the root's key), one `config.toml` and
 * `permissions_config.toml` per node (validators `validator-1…n`, then `rpc-1`), `docker-compose.yml`, and
 * `allowlist.json` (the accounts and why). Private node keys are written only for development keys.
 *
 * @example
 * ```ts
 * const { files } = await createBesuNetworkFiles({ chainId: 31337, validators: [0, 1, 2, 3].map((i) => devNodeKey(i)),
 *   root, rootName, networkName: "dev", rpcUrl: "http://127.0.0.1:8545", timestamp: 1767225600, rootSigner });
 * ```
 */
export async function createBesuNetworkFiles(params: CreateBesuNetworkFilesParameters): Promise<CreateBesuNetworkFilesReturnType> {
  if (params.validators.length === 0) throw new MobileIdError("INVALID_ARGUMENT", "give at least one validator");
  const rpcIdentity = params.rpcNode ?? { address: "0x0000000000000000000000000000000000000000", enodeId: undefined, endpoint: undefined };
  const nodes: BesuNodeSpec[] = [
    ...params.validators.map((v, i) => ({ ...v, name: `validator-${i + 1}`, role: "validator" as const, composeIp: ip(11 + i), p2pPort: 30303, rpcPort: 8545 })),
    { ...rpcIdentity, name: "rpc-1", role: "rpc" as const, composeIp: ip(11 + params.validators.length), p2pPort: 30303, rpcPort: 8545 },
  ];
  const { genesis, descriptor: unsigned } = await createQbftGenesis({ ...params, validators: params.validators.map((v) => v.address) });
  const descriptor = params.rootSigner === undefined ? unsigned : await signNetworkDescriptor({ descriptor: unsigned, signer: params.rootSigner });
  if (params.rootSigner !== undefined && (descriptor as NetworkDescriptor).proof.signer !== unsigned.root.address) {
    throw new MobileIdError("INVALID_ARGUMENT", "the root key given does not belong to the root identity", {
      details: { root: unsigned.root.address, key: (descriptor as NetworkDescriptor).proof.signer },
    });
  }
  // Fail closed on a descriptor the components would refuse (e.g. a contract of NetworkContracts missing from
  // GENESIS_CONTRACTS): the same check every component runs.
  if (params.rootSigner !== undefined) verifyNetworkDescriptor({ descriptor, trustedRootKeys: [unsigned.root.address] });
  // At genesis the ledger's governance is the root alone.
  const allowlist = deriveAccountAllowlist({ root: unsigned.root.address, events: [] });
  const genesisAccounts = [...new Set([...allowlist.accounts, ...(params.genesisAccounts ?? []).map((a) => getAddress(a))])];
  const permissions = permissionsConfigToml(genesisAccounts, enodeUrls(nodes));
  const devServices = params.devKeys !== undefined && params.rootSigner !== undefined ? { keep: params.genesisAccounts ?? [] } : undefined;
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  const files: NetworkFile[] = [
    { path: "genesis.json", content: json(genesis), secret: false },
    { path: params.rootSigner === undefined ? "network.unsigned.json" : "network.json", content: json(descriptor), secret: false },
    { path: "allowlist.json", content: json({ head: 0, ...allowlist, genesisAccounts }), secret: false },
    { path: "permissions_config.toml", content: permissions, secret: false },
    { path: "docker-compose.yml", content: composeFile({ nodes, besuImage: params.besuImage ?? "hyperledger/besu:25.6.0", subnet: SUBNET, ...(devServices === undefined ? {} : { devServices }) }), secret: false },
  ];
  if (devServices !== undefined) {
    // The services' data directory: the start script finds the descriptor there and reuses the genesis contracts.
    files.push({ path: "services-data/network.json", content: json(descriptor), secret: false });
  }
  for (const n of nodes) {
    files.push({ path: `nodes/${n.name}/config.toml`, content: besuNodeConfigToml(n, nodes), secret: false });
    files.push({ path: `nodes/${n.name}/permissions_config.toml`, content: permissions, secret: false });
  }
  for (const [i, key] of (params.devKeys ?? []).entries()) {
    const node = nodes[i];
    if (node !== undefined) files.push({ path: `nodes/${node.name}/key`, content: key.privateKeyFileContent, secret: true });
  }
  return { files, genesis, descriptor, nodes };
}

/**
 * The development layout: `validators` validator keys and one RPC node key, all from the public development
 * mnemonic, with their compose-network endpoints.
 *
 * @example
 * ```ts
 * const { validators, rpcNode, devKeys } = devNetworkKeys(4);
 * ```
 */
export function devNetworkKeys(validators: number): {
  validators: BesuNodeIdentity[];
  rpcNode: BesuNodeIdentity;
  devKeys: ReturnType<typeof devNodeKey>[];
} {
  if (!Number.isInteger(validators) || validators < 1 || validators > 100) {
    throw new MobileIdError("INVALID_ARGUMENT", "--validators takes 1 to 100");
  }
  const keys = Array.from({ length: validators + 1 }, (_, i) => devNodeKey(i, `${ip(11 + i)}:30303`));
  return { validators: keys.slice(0, validators), rpcNode: keys[validators] as BesuNodeIdentity, devKeys: keys };
}
