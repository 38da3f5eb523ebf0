import {
  type ContractRunner,
  ContractFactory,
  type Provider,
  type Signer,
  getAddress,
  keccak256,
} from "ethers";
import {
  type ContractRef,
  DESCRIPTOR_FORMAT,
  MobileIdError,
  type NetworkContracts,
  type NetworkDescriptor,
  signNetworkDescriptor,
  toEthrDid,
} from "@mobile-id/core";
import { connectContracts } from "./contracts.ts";
import {
  accreditationRegistryAbi,
  accreditationRegistryBytecode,
  didRegistryAbi,
  didRegistryBytecode,
  relyingPartyRegistryAbi,
  relyingPartyRegistryBytecode,
  statusRegistryAbi,
  statusRegistryBytecode,
} from "./generated/contracts.ts";

export type ContractName = keyof NetworkContracts;

export interface DeployNetworkParameters {
  /** Sends the deployment transactions and, unless `root` is given, is the root. */
  readonly deployer: Signer;
  /** The root identity's key: named root in the registry and signer of the descriptor. Default: `deployer`. */
  readonly root?: Signer;
  /** Public name of the root (e.g. the Ministry of the Interior and Safety). */
  readonly rootName: string;
  /** Network name written into the descriptor. */
  readonly networkName: string;
  /** RPC URL written into the descriptor as a hint for components. */
  readonly rpcUrl: string;
  /** Seconds a root hand-over must wait (1 hour to 30 days). Default: 2 days. */
  readonly rootTransferDelay?: number;
  /**
   * A descriptor (or the partial journal of an interrupted run) from an earlier run. Contracts it names that
   * are present on this chain with the recorded code are reused; when all are, the descriptor is returned
   * unchanged, so a second run changes nothing.
   */
  readonly existing?: { readonly chainId?: number; readonly contracts: Partial<NetworkContracts> };
  /** Called after each contract is deployed or verified (persist it to survive a crash mid-deployment). */
  readonly onContract?: (name: ContractName, ref: ContractRef, reused: boolean) => void | Promise<void>;
  /** Clock for `issuedAt`. Default: the latest block's timestamp. */
  readonly now?: () => number;
}

export interface DeployNetworkReturnType {
  readonly descriptor: NetworkDescriptor;
  /** Which contracts this run deployed (empty on an idempotent re-run). */
  readonly deployed: readonly ContractName[];
}

const DEFAULT_ROOT_TRANSFER_DELAY = 2 * 24 * 60 * 60;

/**
 * Deploys the ERC-1056 DID registry, the accreditation registry, the status registry and the relying-party
 * registry, idempotently, and returns the network descriptor signed by the root's key.
 *
 * @example
 * ```ts
 * const { descriptor } = await deployNetwork({ deployer: wallet, rootName: "행정안전부", networkName: "dev",
 *   rpcUrl: "http://127.0.0.1:8545" });
 * ```
 */
export async function deployNetwork(params: DeployNetworkParameters): Promise<DeployNetworkReturnType> {
  const deployer = params.deployer;
  const root = params.root ?? deployer;
  const provider = requireProvider(deployer);
  const chainId = Number((await provider.getNetwork()).chainId);
  const rootAddress = getAddress(await root.getAddress());
  const delay = params.rootTransferDelay ?? DEFAULT_ROOT_TRANSFER_DELAY;
  const existing = params.existing;
  if (existing?.chainId !== undefined && existing.chainId !== chainId) {
    throw new MobileIdError("CHAIN_MISMATCH", "the existing descriptor is for another chain", {
      details: { descriptorChainId: existing.chainId, chainId },
      hint: "write the descriptor for this chain to another file, or point at the right RPC URL",
    });
  }

  const deployed: ContractName[] = [];
  const refs: Partial<Record<ContractName, ContractRef>> = {};

  // Each contract depends on those before it: once one is deployed anew, the later ones must be too.
  let mustDeploy = false;
  const ensure = async (name: ContractName, deploy: () => Promise<ContractRef>, matches: (r: ContractRef) => Promise<boolean>) => {
    const prior = existing?.contracts[name];
    if (!mustDeploy && prior !== undefined && (await isDeployed(provider, prior)) && (await matches(prior))) {
      refs[name] = prior;
      await params.onContract?.(name, prior, true);
      return prior;
    }
    mustDeploy = true;
    const ref = await deploy();
    refs[name] = ref;
    deployed.push(name);
    await params.onContract?.(name, ref, false);
    return ref;
  };

  const did = await ensure(
    "didRegistry",
    () => deployContract(deployer, didRegistryAbi, didRegistryBytecode, []),
    async () => true,
  );
  const acc = await ensure(
    "accreditationRegistry",
    () =>
      deployContract(deployer, accreditationRegistryAbi, accreditationRegistryBytecode, [
        did.address,
        rootAddress,
        params.rootName,
        delay,
      ]),
    async (r) => {
      const c = connectContracts({ descriptor: { contracts: { ...placeholder(), accreditationRegistry: r } }, runner: provider });
      const [registry, currentRoot] = await Promise.all([
        c.accreditationRegistry.getFunction("identityRegistry")(),
        c.accreditationRegistry.getFunction("root")(),
      ]);
      return getAddress(registry) === getAddress(did.address) && getAddress(currentRoot) === rootAddress;
    },
  );
  const status = await ensure(
    "statusRegistry",
    () => deployContract(deployer, statusRegistryAbi, statusRegistryBytecode, [did.address, acc.address]),
    async (r) => {
      const c = connectContracts({ descriptor: { contracts: { ...placeholder(), statusRegistry: r } }, runner: provider });
      const [identityRegistry, accreditationRegistry] = (await c.statusRegistry.getFunction("registries")()) as [
        string,
        string,
      ];
      return getAddress(identityRegistry) === getAddress(did.address) && getAddress(accreditationRegistry) === getAddress(acc.address);
    },
  );

  const relyingParties = await ensure(
    "relyingPartyRegistry",
    () => deployContract(deployer, relyingPartyRegistryAbi, relyingPartyRegistryBytecode, [acc.address]),
    async (r) => {
      const c = connectContracts({ descriptor: { contracts: { ...placeholder(), relyingPartyRegistry: r } }, runner: provider });
      const governing = (await c.relyingPartyRegistry.getFunction("accreditationRegistry")()) as string;
      return getAddress(governing) === getAddress(acc.address);
    },
  );

  const contracts: NetworkContracts = {
    didRegistry: did,
    accreditationRegistry: acc,
    statusRegistry: status,
    relyingPartyRegistry: relyingParties,
  };
  const rootDid = toEthrDid(chainId, rootAddress);
  if (deployed.length === 0 && isCompleteDescriptor(existing) && existing.root.address === rootAddress) {
    return { descriptor: existing, deployed };
  }
  const issuedAt = params.now?.() ?? (await provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);
  const descriptor = await signNetworkDescriptor({
    descriptor: {
      format: DESCRIPTOR_FORMAT,
      name: params.networkName,
      chainId,
      rpcUrl: params.rpcUrl,
      root: { did: rootDid, address: rootAddress },
      contracts,
      issuedAt,
    },
    signer: root,
  });
  return { descriptor, deployed };
}

function requireProvider(runner: ContractRunner): Provider {
  if (runner.provider == null) {
    throw new MobileIdError("INVALID_ARGUMENT", "the deployer signer has no provider");
  }
  return runner.provider;
}

function placeholder(): NetworkContracts {
  const zero = { address: "0x0000000000000000000000000000000000000000", deployBlock: 0, codeHash: "0x" };
  return { didRegistry: zero, accreditationRegistry: zero, statusRegistry: zero, relyingPartyRegistry: zero };
}

function isCompleteDescriptor(
  existing: DeployNetworkParameters["existing"],
): existing is NetworkDescriptor {
  return existing !== undefined && "proof" in existing && "root" in existing;
}

async function isDeployed(provider: Provider, ref: ContractRef): Promise<boolean> {
  const code = await provider.getCode(ref.address);
  return code !== "0x" && keccak256(code) === ref.codeHash;
}

async function deployContract(
  deployer: Signer,
  abi: ConstructorParameters<typeof ContractFactory>[0],
  bytecode: string,
  args: unknown[],
): Promise<ContractRef> {
  const factory = new ContractFactory(abi, bytecode, deployer);
  const contract = await factory.deploy(...args);
  const receipt = await contract.deploymentTransaction()?.wait();
  if (receipt == null || receipt.status !== 1) {
    throw new MobileIdError("LEDGER_REJECTED", "contract deployment failed", { details: { receipt } });
  }
  const address = getAddress(await contract.getAddress());
  const provider = requireProvider(deployer);
  const code = await provider.getCode(address);
  return { address, deployBlock: receipt.blockNumber, codeHash: keccak256(code) };
}
