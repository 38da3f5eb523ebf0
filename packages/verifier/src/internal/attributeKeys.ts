import type { IdentityAttribute, IdentityState } from "@mobile-id/chain";
import { type SignerCandidate, addressOfPublicKey } from "../crypto/es256k.ts";
import type { SignerPurpose } from "./signerSelection.ts";

/**
 * The ERC-1056 attribute names whose value is a secp256k1 public key that may sign: `veriKey` (ethr-did-resolver
 * lists it under `assertionMethod`) and `sigAuth` (also `authentication`), encoded for the DID document as hex
 * (the default), base64 or base58. The encoding is only how the resolver writes the key out: the registry
 * holds the same bytes whatever it says. Other algorithms (Ed25519, RSA…), `enc` keys and PEM are not keys an
 * ES256K signature can come from.
 */
const SIGNING_KEY_NAME = /^did\/pub\/Secp256k1\/(veriKey|sigAuth)(?:\/(?:hex|base64|base58))?$/;

/** Keyed by the mirror's attribute objects (reused across snapshots): decompression and hashing run once per key. */
const signers = new WeakMap<IdentityAttribute, SignerCandidate | null>();

function decode(a: IdentityAttribute): SignerCandidate | null {
  const hex = a.value.startsWith("0x") ? a.value.slice(2) : a.value;
  if (!/^(0[23][0-9a-f]{64}|04[0-9a-f]{128})$/i.test(hex)) return null;
  const publicKey = Buffer.from(hex, "hex");
  try {
    // Throws for a point off the curve: such a key can sign nothing.
    return { address: addressOfPublicKey(publicKey), publicKey };
  } catch {
    return null;
  }
}

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
  const m = SIGNING_KEY_NAME.exec(a.name);
  if (m === null || (purpose === "authentication" && m[1] !== "sigAuth")) return undefined;
  let signer = signers.get(a);
  if (signer === undefined) {
    signer = decode(a);
    signers.set(a, signer);
  }
  return signer ?? undefined;
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
