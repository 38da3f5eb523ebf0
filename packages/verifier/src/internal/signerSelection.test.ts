import { getAddress, hexlify, randomBytes } from "ethers";
import { describe, expect, it } from "vitest";
import type { IdentityDelegate, IdentityState } from "@mobile-id/chain";
import { MAX_SIGNER_CANDIDATES, VerificationCode, parseEthrDid } from "@mobile-id/core";
import { selectSigners } from "./signerSelection.ts";

const T = 1_800_000_000;
const randomAddress = () => getAddress(hexlify(randomBytes(20)));

function identity(delegates: IdentityDelegate[]): { did: NonNullable<ReturnType<typeof parseEthrDid>>; state: IdentityState } {
  const address = randomAddress();
  const did = parseEthrDid(`did:ethr:0x7a69:${address.toLowerCase()}`)!;
  return { did, state: { identity: address, owner: address, deactivated: false, delegates, attributes: [], changes: delegates.length } };
}
const delegate = (delegateType: string, validTo = BigInt(T + 3600), address = randomAddress()): IdentityDelegate => ({ delegateType, delegate: address, validTo });

describe("selectSigners", () => {
  it("with a kid, returns the one key it names out of 10,000 delegates", () => {
    const named = delegate("veriKey");
    const delegates = Array.from({ length: 10_000 }, () => delegate("veriKey"));
    delegates[6_000] = named;
    const { did, state } = identity(delegates);
    const kid = `${did.did}#delegate-${named.delegate.toLowerCase()}`;
    expect(selectSigners(did, state, T, "assertion", kid)).toEqual({ ok: true, candidates: [{ address: named.delegate.toLowerCase() }] });
    // A veriKey delegate cannot sign a presentation; an expired one signs nothing.
    expect(selectSigners(did, state, T, "authentication", kid)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
    expect(selectSigners(did, state, T + 3600, "assertion", kid)).toMatchObject({ ok: false, code: VerificationCode.SIGNATURE_INVALID });
    expect(selectSigners(did, state, T, "assertion", `${did.did}#controller`)).toEqual({ ok: true, candidates: [{ address: state.owner.toLowerCase() }] });
  });

  it("without a kid, counts only the keys that may sign now against the cap of 8", () => {
    const usable = Array.from({ length: MAX_SIGNER_CANDIDATES - 1 }, () => delegate("sigAuth"));
    const unusable = [
      ...Array.from({ length: 50 }, () => delegate("sigAuth", BigInt(T))), // expired (validTo <= t)
      ...Array.from({ length: 50 }, () => delegate("veriKey")), // cannot sign presentations
      ...Array.from({ length: 50 }, () => delegate("otherKind")),
    ];
    const { did, state } = identity([...unusable, ...usable]);
    const ok = selectSigners(did, state, T, "authentication", undefined);
    expect(ok.ok && ok.candidates.length).toBe(MAX_SIGNER_CANDIDATES);
    // For a credential, veriKey delegates count too: far over the cap.
    expect(selectSigners(did, state, T, "assertion", undefined)).toMatchObject({ ok: false, code: VerificationCode.DID_TOO_COMPLEX });
    const over = identity([...usable, delegate("sigAuth")]);
    expect(selectSigners(over.did, over.state, T, "authentication", undefined)).toMatchObject({ ok: false, code: VerificationCode.DID_TOO_COMPLEX });
  });
});
