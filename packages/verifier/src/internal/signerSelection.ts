import type { IdentityState } from "@mobile-id/chain";
import { type EthrDid, MAX_SIGNER_CANDIDATES, VerificationCode, parseEthrKeyId, uncompressedPublicKeyOf } from "@mobile-id/core";
import type { SignerCandidate } from "../crypto/es256k.ts";

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
 *   owner, `#delegate-0x<address>` that delegate if it is valid at `t` (`validTo > t`, as the registry's
 *   `validDelegate`) and of a type that may sign for `purpose`; any other kid, or a key that may not sign now,
 *   is `SIGNATURE_INVALID`;
 * - without a kid, the owner and every valid delegate of an acceptable type, as long as they are at most
 *   {@link MAX_SIGNER_CANDIDATES}; a DID with more is refused with `DID_TOO_COMPLEX` before any key is tried,
 *   so that no DID can make a verifier try thousands of keys (and no DID's layout picks which ones).
 *
 * Attribute keys are not accepted (core README: owner key or delegate). Pure.
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
      return {
        ok: false,
        code: VerificationCode.SIGNATURE_INVALID,
        message: "the header kid is not #controller, #controllerKey or #delegate-0x<address> of the signer's DID",
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
    if (out.length === MAX_SIGNER_CANDIDATES) {
      return {
        ok: false,
        code: VerificationCode.DID_TOO_COMPLEX,
        message: `the DID has more than ${MAX_SIGNER_CANDIDATES} keys that may sign and the header kid names none`,
      };
    }
    out.push({ address: d.delegate.toLowerCase() });
  }
  return { ok: true, candidates: out };
}
