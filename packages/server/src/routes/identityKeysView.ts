import type { IdentityState } from "@mobile-id/chain";

/** An identity's ERC-1056 keys as the public routes answer them (`GET /parties/:address`, `GET /relying-parties/:address`). */
export interface IdentityKeysView {
  readonly owner: string;
  readonly deactivated: boolean;
  readonly delegates: readonly { readonly delegateType: string; readonly delegate: string; readonly validTo: string }[];
  /** Public-key attributes (`did/pub/…`, hex values): a `veriKey`/`sigAuth` key may sign for the identity too. */
  readonly attributes: readonly { readonly name: string; readonly value: string; readonly validTo: string }[];
}

/**
 * The keys a wallet checks a signature against (owner, delegates, public-key attributes, with their validity),
 * with times as decimal strings. Pure.
 *
 * @example
 * ```ts
 * identityKeysView(mirror.identity(address)) // { owner: "0x…", deactivated: false, delegates: [], attributes: [] }
 * ```
 */
export function identityKeysView(keys: Pick<IdentityState, "owner" | "deactivated" | "delegates" | "attributes">): IdentityKeysView {
  return {
    owner: keys.owner,
    deactivated: keys.deactivated,
    delegates: keys.delegates.map((d) => ({ delegateType: d.delegateType, delegate: d.delegate, validTo: d.validTo.toString() })),
    attributes: keys.attributes.map((a) => ({ name: a.name, value: a.value, validTo: a.validTo.toString() })),
  };
}
