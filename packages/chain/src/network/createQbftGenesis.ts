import { getAddress, keccak256, toBeHex } from "ethers";
import {
  type ContractRef,
  DESCRIPTOR_FORMAT,
  MobileIdError,
  type NetworkContracts,
  type UnsignedNetworkDescriptor,
  toEthrDid,
} from "@mobile-id/core";
import { type GenesisAllocAccount, computeGenesisAlloc } from "./computeGenesisAlloc.ts";
import { encodeQbftExtraData } from "./qbftExtraData.ts";

/** QBFT's fixed genesis `mixHash` ("Istanbul digest"), as Besu's QBFT genesis files carry it. */
export const QBFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";

/**
 * Default block gas limit: 50 million. Two of the largest status batches (1,024 fresh words, about 24 million
 * gas) fit in one block, and at 2 s blocks it is 25 Mgas/s, a load a Besu validator on ordinary hardware carries.
 */
export const DEFAULT_GAS_LIMIT = 50_000_000;

/** The smallest block gas limit accepted: one full status batch (1,024 fresh words) must fit in a block. */
export const MIN_GAS_LIMIT = 30_000_000;

export interface CreateQbftGenesisParameters {
  readonly chainId: number;
  /** Validator addresses (the validators' node keys' addresses). */
  readonly validators: readonly string[];
  readonly root: string;
  readonly rootName: string;
  readonly networkName: string;
  /** RPC URL written into the descriptor (the RPC node's public address). */
  readonly rpcUrl: string;
  /** Seconds between blocks. Default 2. */
  readonly blockPeriodSeconds?: number;
  /** Blocks between vote resets. Default 30,000. */
  readonly epochLength?: number;
  /** Seconds before a round change. Default: twice the block period. */
  readonly requestTimeoutSeconds?: number;
  /** Block gas limit. Default {@link DEFAULT_GAS_LIMIT}. */
  readonly gasLimit?: number;
  /** Seconds a root hand-over must wait (1 hour to 30 days). Default 2 days. */
  readonly rootTransferDelay?: number;
  /** Genesis timestamp (seconds). */
  readonly timestamp: number;
}

/** A Besu genesis file (the fields this project writes). */
export interface BesuGenesis {
  readonly config: Record<string, unknown> & {
    readonly chainId: number;
    readonly qbft: { readonly blockperiodseconds: number; readonly epochlength: number; readonly requesttimeoutseconds: number };
  };
  readonly nonce: string;
  readonly timestamp: string;
  readonly gasLimit: string;
  readonly difficulty: string;
  readonly mixHash: string;
  readonly coinbase: string;
  readonly baseFeePerGas: string;
  readonly extraData: string;
  readonly alloc: Readonly<Record<string, GenesisAllocAccount>>;
}

export interface CreateQbftGenesisReturnType {
  readonly genesis: BesuGenesis;
  /** The descriptor of this network (contracts at block 0), to be signed by the root. */
  readonly descriptor: UnsignedNetworkDescriptor;
}

/**
 * Builds a Besu QBFT genesis whose `alloc` already holds the network's contracts (code and the storage their
 * constructors write: the root identity, nothing else), and the matching unsigned network descriptor. Fork
 * milestones run to Cancun at genesis (the contracts use OpenZeppelin 5.7, compiled for Cancun); gas is free
 * (`zeroBaseFee`, and nodes run with `min-gas-price=0`); who may transact is the account allowlist's business.
 *
 * @example
 * ```ts
 * const { genesis, descriptor } = await createQbftGenesis({ chainId: 2026, validators, root, rootName: "행정안전부",
 *   networkName: "mobile-id", rpcUrl: "https://rpc.example.go.kr", timestamp: Math.floor(Date.now() / 1000) });
 * ```
 */
export async function createQbftGenesis(params: CreateQbftGenesisParameters): Promise<CreateQbftGenesisReturnType> {
  const blockPeriod = params.blockPeriodSeconds ?? 2;
  const epochLength = params.epochLength ?? 30_000;
  const requestTimeout = params.requestTimeoutSeconds ?? 2 * blockPeriod;
  const gasLimit = params.gasLimit ?? DEFAULT_GAS_LIMIT;
  const rootTransferDelay = params.rootTransferDelay ?? 2 * 24 * 60 * 60;
  const positive = (name: string, n: number, min = 1) => {
    if (!Number.isSafeInteger(n) || n < min) {
      throw new MobileIdError("INVALID_ARGUMENT", `${name} must be a whole number ≥ ${min}`, { details: { [name]: n } });
    }
  };
  positive("chainId", params.chainId);
  positive("blockPeriodSeconds", blockPeriod);
  positive("epochLength", epochLength);
  positive("requestTimeoutSeconds", requestTimeout, blockPeriod + 1);
  positive("gasLimit", gasLimit, MIN_GAS_LIMIT);
  const extraData = encodeQbftExtraData(params.validators);
  const root = getAddress(params.root);
  const { contracts } = await computeGenesisAlloc({
    root,
    rootName: params.rootName,
    rootTransferDelay,
    timestamp: params.timestamp,
    chainId: params.chainId,
  });
  const alloc: Record<string, GenesisAllocAccount> = {};
  const refs = {} as Record<keyof NetworkContracts, ContractRef>;
  for (const [name, c] of Object.entries(contracts) as [keyof NetworkContracts, (typeof contracts)[keyof NetworkContracts]][]) {
    // Lowercase, as Besu's own genesis files write alloc addresses (alloc keys are the one case-sensitive part).
    alloc[c.address.toLowerCase()] = c.account;
    refs[name] = { address: c.address, deployBlock: 0, codeHash: keccak256(c.account.code) };
  }
  const genesis: BesuGenesis = {
    config: {
      chainId: params.chainId,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      muirGlacierBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      shanghaiTime: 0,
      cancunTime: 0,
      zeroBaseFee: true,
      qbft: { blockperiodseconds: blockPeriod, epochlength: epochLength, requesttimeoutseconds: requestTimeout },
    },
    nonce: "0x0",
    timestamp: toBeHex(params.timestamp),
    gasLimit: toBeHex(gasLimit),
    difficulty: "0x1",
    mixHash: QBFT_MIX_HASH,
    coinbase: "0x0000000000000000000000000000000000000000",
    baseFeePerGas: "0x0",
    extraData,
    alloc,
  };
  const descriptor: UnsignedNetworkDescriptor = {
    format: DESCRIPTOR_FORMAT,
    name: params.networkName,
    chainId: params.chainId,
    rpcUrl: params.rpcUrl,
    root: { did: toEthrDid(params.chainId, root), address: root },
    contracts: refs,
    issuedAt: params.timestamp,
  };
  return { genesis, descriptor };
}
