import type { IdentityAttribute, IdentityState } from "@mobile-id/chain";
import { signingKeyAttribute } from "@mobile-id/core";
import type { SignerCandidate } from "../crypto/es256k.ts";
import type { SignerPurpose } from "./signerSelection.ts";

/** Keyed by the mirror's attribute objects (reused across snapshots): decompression and hashing run once per key. */
const signers = new WeakMap<IdentityAttribute, { readonly use: "veriKey" | "sigAuth"; readonly address: string; readonly publicKey: Uint8Array } | null>();

/**
 * The signer an ERC-1056 public-key attribute stands for, when it may sign for `purpose` (validity in time is
 * the caller's). `veriKey` keys sign credentials only; `sigAuth` keys sign credentials and presentations.
 *
 * @example
 * ```ts
 * attributeSigner({ name: "did/pub/Secp256k1/veriKey/hex", value: "0x02…", validTo }, "assertion")
 * // { address: "0x…", publicKey: Uint8Array(33) }
 * ```
 */
export function attributeSigner(a: IdentityAttribute, purpose: SignerPurpose): SignerCandidate | undefined {
  let signer = signers.get(a);
  if (signer === undefined) {
    // Which attributes are signing keys (names, encodings, points on the curve) is core's, shared with the wallet.
    const key = signingKeyAttribute(a.name, a.value);
    signer = key === undefined ? null : { use: key.use, address: key.address, publicKey: Buffer.from(key.publicKey) };
    signers.set(a, signer);
  }
  if (signer === null || (purpose === "authentication" && signer.use !== "sigAuth")) return undefined;
  return { address: signer.address, publicKey: signer.publicKey };
}

/**
 * ethr-did-resolver's N (`#delegate-N`) at time `now` for a key whose latest event has counter `c`: `c` plus
 * the irregular `did/pub/…` events before it that are not valid at `now` (see `ResolverKeyCounter`).
 *
 * @example
 * ```ts
 * const numberOf = resolverKeyNumbering(state, BigInt(t));
 * numberOf(delegate.counter) // 3 → the resolver's `#delegate-3`
 * ```
 */
export function resolverKeyNumbering(state: IdentityState, now: bigint): (counter: number) => number {
  const irregular = state.irregularKeyEvents ?? [];
  if (irregular.length === 0) return (c) => c;
  // Positions (already in chain order) of the irregular events the resolver counts at `now`.
  const counted = irregular.filter((e) => e.validTo <= now).map((e) => e.after);
  return (c) => {
    // Binary search: how many counted irregular events came after fewer than `c` counted events.
    let lo = 0;
    let hi = counted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((counted[mid] as number) < c) lo = mid + 1;
      else hi = mid;
    }
    return c + lo;
  };
}
