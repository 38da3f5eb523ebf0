import { toChecksumAddress } from "./formats/ethrDid.ts";

/**
 * Most signer keys a verifier tries for one signature when the token's header names none (`kid` absent).
 * An ERC-1056 identity can have any number of delegates; trying each would make one verification cost as much
 * as its controller wants. A DID with more acceptable keys than this must name its key in `kid`, or its
 * tokens are refused with `DID_TOO_COMPLEX` (core README, "Key ids").
 */
export const MAX_SIGNER_CANDIDATES = 8;

/** The verification method a JWS `kid` selects: the identity's current owner key, or one delegate. */
export type EthrKeyRef =
  | { readonly kind: "controller" }
  /** `address` is EIP-55 checksummed. */
  | { readonly kind: "delegate"; readonly address: string };

const DELEGATE_FRAGMENT = /^delegate-0x([0-9a-fA-F]{40})$/;

/**
 * The key a `kid` names, per the core README: `<did>#controller` or `<did>#controllerKey` (the identity's
 * current owner key, ethr-did-resolver's ids for it) or `<did>#delegate-0x<address>` (the ERC-1056 delegate
 * with that address). `undefined` for a kid of another DID or any other fragment, including
 * ethr-did-resolver's counter form `#delegate-3`: its number depends on the order and the time of the registry's
 * events, so only a reader of the identity's whole history can map it to a key (the verifier's signer selection
 * does, from the ledger mirror). Pure.
 *
 * @example
 * ```ts
 * parseEthrKeyId(`${did}#delegate-0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc`, did)
 * // { kind: "delegate", address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" }
 * ```
 */
export function parseEthrKeyId(kid: string, did: string): EthrKeyRef | undefined {
  if (!kid.startsWith(`${did}#`)) return undefined;
  const fragment = kid.slice(did.length + 1);
  if (fragment === "controller" || fragment === "controllerKey") return { kind: "controller" };
  const m = DELEGATE_FRAGMENT.exec(fragment);
  if (m === null) return undefined;
  return { kind: "delegate", address: toChecksumAddress((m[1] as string).toLowerCase()) };
}

/**
 * The `kid` that names one of `did`'s keys (the inverse of {@link parseEthrKeyId}).
 *
 * @example
 * ```ts
 * ethrKeyId(did, { kind: "delegate", address }) // "did:ethr:0x7a69:0x…#delegate-0x…"
 * ```
 */
export function ethrKeyId(did: string, key: EthrKeyRef): string {
  return key.kind === "controller" ? `${did}#controller` : `${did}#delegate-${key.address.toLowerCase()}`;
}
