import type { Provider } from "ethers";
import { Resolver } from "did-resolver";
import { getResolver } from "ethr-did-resolver";
import type { NetworkDescriptor } from "@mobile-id/core";

export interface CreateEthrDidResolverParameters {
  readonly provider: Provider;
  readonly descriptor: Pick<NetworkDescriptor, "chainId" | "contracts">;
  /** did-resolver's own in-memory cache. Default true. */
  readonly cache?: boolean;
}

/**
 * The stock `did:ethr` resolver (ethr-did-resolver behind did-resolver) for this network, for tools that speak
 * did-resolver's `Resolvable` (did-jwt, did-jwt-vc) and as the baseline of the verification benchmark.
 * mobile-id's verifier does not use it: it walks the `previousChange` chain with one request per changed
 * block and judges delegate validity by the caller's wall clock (TOOLCHAIN.md).
 *
 * @example
 * ```ts
 * const resolver = createEthrDidResolver({ provider, descriptor });
 * await resolver.resolve("did:ethr:0x7a69:0x…");
 * ```
 */
export function createEthrDidResolver(params: CreateEthrDidResolverParameters): Resolver {
  const chainId = params.descriptor.chainId;
  return new Resolver(
    getResolver({
      networks: [
        {
          name: `0x${chainId.toString(16)}`,
          chainId,
          // ethr-did-resolver is typed against ethers' CommonJS build; at run time it is the same provider.
          provider: params.provider as never,
          registry: params.descriptor.contracts.didRegistry.address,
        },
      ],
    }),
    { cache: params.cache ?? true },
  );
}
