import { JsonRpcProvider, Network } from "ethers";

export interface CreateLedgerProviderParameters {
  /** `http(s)://` or `ws(s)://` JSON-RPC endpoint. */
  readonly rpcUrl: string;
  readonly chainId: number;
}

/**
 * A JSON-RPC provider for reading the ledger: a static network (ethers would otherwise retry network
 * detection forever against a dead node), no request batching and no response cache (TOOLCHAIN.md: fastest
 * against a local node; readers want fresh heads). Call `destroy()` when done.
 *
 * @example
 * ```ts
 * const provider = createLedgerProvider({ rpcUrl: descriptor.rpcUrl, chainId: descriptor.chainId });
 * ```
 */
export function createLedgerProvider(params: CreateLedgerProviderParameters): JsonRpcProvider {
  return new JsonRpcProvider(params.rpcUrl, Network.from(params.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
    cacheTimeout: -1,
  });
}
