/**
 * The issuer-signature check for SD-JWT VC copies the wallet receives: the ES256K signature must recover to the
 * issuer identity's current owner key, a valid `veriKey`/`sigAuth` delegate or public-key attribute, read from the ledger's public party
 * facts (`GET /parties/:address`), as the JWT-VC status check does (`status.ts`).
 */
import { encodeBase64url, parseEthrDid } from "@mobile-id/core/browser";
import type { SdJwtVcIssuerEnvelope } from "@mobile-id/core/sd-jwt-vc";
import type { PartyFacts } from "../../lib/api.ts";
import { es256kSigners, signedByIssuer } from "../status.ts";

/**
 * A `verifyIssuerSignature` for {@link receiveCopies} backed by the ledger's party facts. Fails closed: an unknown
 * party, an unreachable ledger, an algorithm other than ES256K or a signer that is not the issuer's key: `false`.
 *
 * @example
 * ```ts
 * await receiveCopies({ vault, copies, chainId, verifyIssuerSignature: ledgerIssuerSignature({ party: app.checker.party }) });
 * ```
 */
export function ledgerIssuerSignature(params: {
  readonly party: (address: string) => Promise<PartyFacts>;
  readonly now?: () => number;
}): (envelope: SdJwtVcIssuerEnvelope) => Promise<boolean> {
  const now = params.now ?? (() => Math.floor(Date.now() / 1000));
  return async (envelope) => {
    if (envelope.alg !== "ES256K") return false;
    const issuer = parseEthrDid(envelope.issuer.did);
    if (issuer === undefined || issuer.publicKey !== undefined) return false;
    let party: PartyFacts;
    try {
      party = await params.party(issuer.address);
    } catch {
      return false;
    }
    return signedByIssuer(es256kSigners(`${envelope.signingInput}.${encodeBase64url(envelope.signature)}`), party.keys, now());
  };
}
