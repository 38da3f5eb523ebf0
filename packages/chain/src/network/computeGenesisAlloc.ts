import { type ChildProcess, spawn } from "node:child_process";
import { gunzipSync } from "node:zlib";
import {
  ContractFactory,
  dataSlice,
  getAddress,
  getCreateAddress,
  keccak256,
  toBeHex,
  toUtf8Bytes,
  zeroPadValue,
} from "ethers";
import { MobileIdError, type NetworkContracts } from "@mobile-id/core";
import { anvilBinary } from "../startLedgerNode.ts";
import { GENESIS_CONTRACTS, type GenesisContractContext } from "./genesisContracts.ts";

/**
 * The account that "deploys" the genesis contracts: an address nobody holds a key for (a hash of a label), so
 * no later transaction can ever come from it and collide with the addresses its nonces 0, 1, 2… produced.
 */
export const GENESIS_DEPLOYER = getAddress(dataSlice(keccak256(toUtf8Bytes("mobile-id/genesis-deployer@1")), 12));

/** One genesis `alloc` entry with code (Besu's and anvil's genesis format). */
export interface GenesisAllocAccount {
  readonly balance: string;
  readonly nonce: string;
  readonly code: string;
  readonly storage: Readonly<Record<string, string>>;
}

export interface ComputeGenesisAllocParameters {
  /** The root identity's address (no key needed). */
  readonly root: string;
  readonly rootName: string;
  /** Seconds a root hand-over must wait. */
  readonly rootTransferDelay: number;
  /** The genesis block's timestamp: the root party's `registeredAt`. */
  readonly timestamp: number;
  readonly chainId: number;
}

export interface ComputeGenesisAllocReturnType {
  /** Contract name → its address and genesis account. */
  readonly contracts: Readonly<Record<keyof NetworkContracts, { readonly address: string; readonly account: GenesisAllocAccount }>>;
}

/**
 * Runs the contracts' real constructors on a throwaway anvil (no state file, loopback, killed afterwards) and
 * reads back the code and every storage slot they wrote (`anvil_dumpState`), so that genesis holds exactly what a
 * deployment would have left, root identity included, without a hand-written storage layout to drift from the
 * Solidity. All constructors run in one block stamped with the genesis timestamp.
 *
 * @example
 * ```ts
 * const { contracts } = await computeGenesisAlloc({ root, rootName: "Ministry", rootTransferDelay: 172800,
 *   timestamp: 1767225600, chainId: 2026 });
 * ```
 */
export async function computeGenesisAlloc(params: ComputeGenesisAllocParameters): Promise<ComputeGenesisAllocReturnType> {
  if (!Number.isSafeInteger(params.timestamp) || params.timestamp < 2) {
    throw new MobileIdError("INVALID_ARGUMENT", "the genesis timestamp must be a positive number of seconds");
  }
  const node = await startThrowawayAnvil(params.chainId, params.timestamp - 1);
  try {
    const rpc = node.rpc;
    await rpc("anvil_impersonateAccount", [GENESIS_DEPLOYER]);
    const addresses: Partial<Record<keyof NetworkContracts, string>> = {};
    const hashes: string[] = [];
    for (const [nonce, spec] of GENESIS_CONTRACTS.entries()) {
      const ctx: GenesisContractContext = {
        root: getAddress(params.root),
        rootName: params.rootName,
        rootTransferDelay: params.rootTransferDelay,
        addresses,
      };
      const tx = await new ContractFactory(spec.abi, spec.bytecode).getDeployTransaction(...spec.args(ctx));
      hashes.push(
        (await rpc("eth_sendTransaction", [
          { from: GENESIS_DEPLOYER, data: tx.data, gas: toBeHex(30_000_000), gasPrice: "0x0", nonce: toBeHex(nonce) },
        ])) as string,
      );
      addresses[spec.name] = getCreateAddress({ from: GENESIS_DEPLOYER, nonce });
    }
    await rpc("evm_mine", [params.timestamp]);
    for (const [i, hash] of hashes.entries()) {
      const receipt = (await rpc("eth_getTransactionReceipt", [hash])) as { status?: string; contractAddress?: string } | null;
      if (receipt?.status !== "0x1") {
        throw new MobileIdError("LEDGER_REJECTED", `the ${GENESIS_CONTRACTS[i]?.name ?? "?"} constructor reverted`, {
          details: { receipt },
          hint: "check the root name (1 to 64 bytes) and the root transfer delay (1 hour to 30 days)",
        });
      }
    }
    const dump = JSON.parse(gunzipSync(Buffer.from(((await rpc("anvil_dumpState", [])) as string).slice(2), "hex")).toString("utf8")) as {
      accounts: Record<string, { nonce: number; code: string; storage: Record<string, string> }>;
    };
    const byAddress = new Map(Object.entries(dump.accounts).map(([a, v]) => [getAddress(a), v]));
    const contracts = {} as Record<keyof NetworkContracts, { address: string; account: GenesisAllocAccount }>;
    for (const spec of GENESIS_CONTRACTS) {
      const address = addresses[spec.name] as string;
      const dumped = byAddress.get(address);
      const code = (await rpc("eth_getCode", [address, "latest"])) as string;
      if (dumped === undefined || code === "0x") {
        throw new MobileIdError("LEDGER_UNAVAILABLE", `the throwaway node lost ${spec.name}`);
      }
      const storage: Record<string, string> = {};
      for (const [slot, value] of Object.entries(dumped.storage)) {
        const v = zeroPadValue(toBeHex(BigInt(value)), 32);
        if (BigInt(value) !== 0n) storage[zeroPadValue(toBeHex(BigInt(slot)), 32)] = v;
      }
      contracts[spec.name] = { address, account: { balance: "0x0", nonce: toBeHex(dumped.nonce), code, storage } };
    }
    return { contracts };
  } finally {
    await node.stop();
  }
}

interface ThrowawayAnvil {
  rpc(method: string, params: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

async function startThrowawayAnvil(chainId: number, timestamp: number): Promise<ThrowawayAnvil> {
  const args = [
    "--host", "127.0.0.1", "--port", "0", "--chain-id", String(chainId), "--hardfork", "cancun",
    "--timestamp", String(timestamp), "--no-mining", "--gas-limit", "1000000000",
    "--base-fee", "0", "--gas-price", "0", "--disable-min-priority-fee", "--accounts", "0",
  ];
  const child: ChildProcess = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new MobileIdError("LEDGER_UNAVAILABLE", "the throwaway anvil did not start")), 20_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new MobileIdError("LEDGER_UNAVAILABLE", "the throwaway anvil exited during start-up", { details: { code, out } }));
    });
    child.once("error", (cause) => reject(new MobileIdError("LEDGER_UNAVAILABLE", "cannot start anvil", { cause })));
  }).catch(async (e: unknown) => {
    child.kill("SIGKILL");
    await exited;
    throw e;
  });
  let id = 0;
  return {
    rpc: async (method, params) => {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
      });
      const body = (await res.json()) as { result?: unknown; error?: { message: string } };
      if (body.error !== undefined) {
        throw new MobileIdError("LEDGER_REJECTED", `${method}: ${body.error.message}`, { details: { method } });
      }
      return body.result;
    },
    stop: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
