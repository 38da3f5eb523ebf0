import type { IdentityState } from "@mobile-id/chain";
import { type EthrDid, MAX_SIGNER_CANDIDATES, VerificationCode, parseEthrKeyId, uncompressedPublicKeyOf } from "@mobile-id/core";
import type { SignerCandidate } from "../crypto/es256k.ts";
import { attributeSigner, resolverKeyNumbering } from "./attributeKeys.ts";

/** The keys one signature is checked against, or why none is (a stable code, fail closed). */
export type SignerSelection =
  | { readonly ok: true; readonly candidates: readonly SignerCandidate[] }
  | { readonly ok: false; readonly code: VerificationCode; readonly message: string };

/** What a key may sign: presentations need `sigAuth` (`authentication`), credentials also accept `veriKey`. */
export type SignerPurpose = "authentication" | "assertion";

function ownerCandidate(did: EthrDid, state: IdentityState): SignerCandidate {
  const owner = state.owner.toLowerCase();
  // A public-key DID names its key; it is the owner's key only while the identity owns itself.
  if (did.publicKey !== undefined && state.owner === state.identity) {
    return { address: owner, publicKey: uncompressedPublicKeyOf(did) ?? Buffer.from(did.publicKey.slice(2), "hex") };
  }
  return { address: owner };
}

function acceptable(delegateType: string, purpose: SignerPurpose): boolean {
  return delegateType === "sigAuth" || (purpose === "assertion" && delegateType === "veriKey");
}

/**
 * The keys that may have made a signature for `did` at time `t` (the ledger's time), bounded whatever the DID
 * holds:
 *
 * - a `kid` (already checked to name `did`) selects exactly one key: `#controller`/`#controllerKey` the current
 *   owner, `#delegate-0x<address>` that delegate and `#delegate-N` the delegate or attribute key
 *   ethr-did-resolver gives that id, if it is valid at `t` (`validTo > t`, as the registry's `validDelegate`)
 *   and of a type that may sign for `purpose`; any other kid, or a key that may not sign now, is
 *   `SIGNATURE_INVALID`;
 * - without a kid, the owner and every valid delegate or attribute key of an acceptable type, as long as they are at most
 *   {@link MAX_SIGNER_CANDIDATES}; a DID with more is refused with `DID_TOO_COMPLEX` before any key is tried,
 *   so that no DID can make a verifier try thousands of keys (and no DID's layout picks which ones).
 *
 * ERC-1056 public-key attributes `did/pub/Secp256k1/veriKey[/hex|/base64|/base58]` (and `…/sigAuth…`, which
 * may also sign presentations) are keys too, valid while `validTo > t`, as ethr-did-resolver lists them. A kid
 * may also be ethr-did-resolver's own id, `#delegate-N` (N counts delegate and key events in chain order, see
 * `ResolverKeyCounter`): it selects the delegate or attribute key the resolver gives that id at `t`. Pure.
 *
 * @example
 * ```ts
 * const s = selectSigners(issuerDid, state, facts.currentTime, "assertion", credential.proof.kid);
 * if (s.ok) ctx.signatures.verify(input, signature, s.candidates);
 * ```
 */
export function selectSigners(
  did: EthrDid,
  state: IdentityState,
  t: number,
  purpose: SignerPurpose,
  kid: string | undefined,
): SignerSelection {
  const now = BigInt(t);
  if (kid !== undefined) {
    const ref = parseEthrKeyId(kid, did.did);
    if (ref === undefined) {
      const n = resolverKeyNumber(kid, did.did);
      if (n !== undefined) return selectByResolverNumber(state, t, purpose, n);
      return {
        ok: false,
        code: VerificationCode.SIGNATURE_INVALID,
        message: "the header kid is not #controller, #controllerKey, #delegate-N or #delegate-0x<address> of the signer's DID",
      };
    }
    if (ref.kind === "controller") return { ok: true, candidates: [ownerCandidate(did, state)] };
    // One pass over the delegates, comparing checksummed strings: no key is tried but the one named.
    for (const d of state.delegates) {
      if (d.delegate === ref.address && d.validTo > now && acceptable(d.delegateType, purpose)) {
        return { ok: true, candidates: [{ address: d.delegate.toLowerCase() }] };
      }
    }
    return { ok: false, code: VerificationCode.SIGNATURE_INVALID, message: "the key the header kid names may not sign for this DID now" };
  }
  const out: SignerCandidate[] = [ownerCandidate(did, state)];
  for (const d of state.delegates) {
    if (d.validTo <= now || !acceptable(d.delegateType, purpose)) continue;
    if (out.length === MAX_SIGNER_CANDIDATES) return tooComplex();
    out.push({ address: d.delegate.toLowerCase() });
  }
  for (const a of state.attributes) {
    if (a.validTo <= now) continue;
    const signer = attributeSigner(a, purpose);
    if (signer === undefined) continue;
    if (out.length === MAX_SIGNER_CANDIDATES) return tooComplex();
    out.push(signer);
  }
  return { ok: true, candidates: out };
}

function tooComplex(): SignerSelection {
  return {
    ok: false,
    code: VerificationCode.DID_TOO_COMPLEX,
    message: `the DID has more than ${MAX_SIGNER_CANDIDATES} keys that may sign and the header kid names none`,
  };
}

const RESOLVER_KEY_FRAGMENT = /^delegate-([1-9][0-9]{0,8})$/;

/** N of ethr-did-resolver's `<did>#delegate-N`, or `undefined`. */
function resolverKeyNumber(kid: string, did: string): number | undefined {
  if (!kid.startsWith(`${did}#`)) return undefined;
  const m = RESOLVER_KEY_FRAGMENT.exec(kid.slice(did.length + 1));
  return m === null ? undefined : Number(m[1]);
}

/** The one key ethr-did-resolver calls `#delegate-n` at `t`, if it may sign for `purpose`. One pass over the keys. */
function selectByResolverNumber(state: IdentityState, t: number, purpose: SignerPurpose, n: number): SignerSelection {
  const now = BigInt(t);
  const numberOf = resolverKeyNumbering(state, now);
  // Counters are distinct, so at most one valid key has the number n; a delegate of a type that may not sign
  // or an attribute that is no signing key (an Ed25519 key, a service) selects nothing.
  let signer: SignerCandidate | undefined;
  const d = state.delegates.find((x) => x.counter !== undefined && x.validTo > now && numberOf(x.counter) === n);
  if (d !== undefined) {
    if (acceptable(d.delegateType, purpose)) signer = { address: d.delegate.toLowerCase() };
  } else {
    const a = state.attributes.find((x) => x.counter !== undefined && x.validTo > now && numberOf(x.counter) === n);
    if (a !== undefined) signer = attributeSigner(a, purpose);
  }
  if (signer === undefined) {
    return { ok: false, code: VerificationCode.SIGNATURE_INVALID, message: "the key the header kid names may not sign for this DID now" };
  }
  return { ok: true, candidates: [signer] };
}
