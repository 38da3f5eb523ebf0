/**
 * The Node wallet's ledger checks for the standard protocols (issue 11), injected into the platform-neutral
 * wallet functions: is an issuer accredited for a type (before the holder types the transaction code), may a
 * relying party ask for these claims (`assertRelyingPartyMayRequest`), and the project's `did:ethr` resolution.
 */
import { RpcLedgerReader, createEthrDidResolver, createRelyingPartyReader } from "@mobile-id/chain";
import { credentialTypeId, findCredentialType, parseEthrDid } from "@mobile-id/core";
import { assertRelyingPartyMayRequest } from "@mobile-id/verifier";
import type { DidResolver, IssuerCheck, RelyingPartyCheck } from "@mobile-id/wallet";
import type { Context } from "../context.ts";

export interface WalletLedgerChecks {
  readonly checkIssuer: IssuerCheck;
  readonly checkRelyingParty: RelyingPartyCheck;
  readonly resolveDid: DidResolver;
}

/** The ledger's time: local chains run ahead of the wall clock, and a registration made seconds ago must count. */
async function ledgerTime(ctx: Context): Promise<number> {
  return (await ctx.provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);
}

export function walletLedgerChecks(ctx: Context): WalletLedgerChecks {
  const reader = new RpcLedgerReader({ rpc: ctx.provider, descriptor: ctx.descriptor });
  const relyingParties = createRelyingPartyReader({ descriptor: ctx.descriptor, provider: ctx.provider });
  const resolver = createEthrDidResolver({ provider: ctx.provider, descriptor: ctx.descriptor });
  return {
    async checkIssuer({ issuerDid, credentialType }) {
      const did = parseEthrDid(issuerDid);
      const type = findCredentialType(credentialType);
      if (did === undefined || did.chainId !== BigInt(ctx.descriptor.chainId)) return { accredited: false, code: "ISSUER_NOT_ON_THIS_NETWORK", message: "the issuer's DID is not of this network" };
      if (type === undefined) return { accredited: false, code: "UNKNOWN_CREDENTIAL_TYPE", message: "the ledger does not know this credential type" };
      const now = Math.max(Math.floor(Date.now() / 1000), await ledgerTime(ctx));
      const facts = await reader.read({
        identities: [],
        standings: [{ party: did.address, credentialType: credentialTypeId(type.name, type.version), at: "current" }],
        statusEntries: [],
        credentialTypes: [],
        now,
      });
      const standing = facts.standings[0];
      return standing?.inForce === true
        ? { accredited: true }
        : { accredited: false, code: "ISSUER_NOT_IN_FORCE", message: `not accredited in force for ${credentialType} on the ledger (status ${standing?.status ?? "none"})` };
    },
    async checkRelyingParty(query) {
      return assertRelyingPartyMayRequest({ ledger: relyingParties, ...query, at: Math.max(query.at, await ledgerTime(ctx)) });
    },
    resolveDid: (did) => resolver.resolve(did) as ReturnType<DidResolver>,
  };
}
