import { type Contract, type Provider, getAddress, isError } from "ethers";
import { MobileIdError, type NetworkDescriptor, claimsDigest, decodeClaimIdentifiers } from "@mobile-id/core";
import { connectContracts } from "../contracts.ts";
import type { AccreditationStatus } from "../ledger/types.ts";
import type { PermittedClaims, RelyingPartyLedger, RelyingPartyRegistration } from "./types.ts";

export interface CreateRelyingPartyReaderParameters {
  readonly descriptor: Pick<NetworkDescriptor, "contracts">;
  readonly provider: Provider;
  /** Most `RelyingPartyClaimsSet` events read for one (party, type) before failing closed. Default 256. */
  readonly maxClaimEvents?: number;
}

const ZERO_DIGEST = `0x${"00".repeat(20)}`;

/**
 * Reads relying-party registrations from the `RelyingPartyRegistry` over JSON-RPC: `standingAt` and `claimsAt`
 * by `eth_call`, and the claim list itself from the `RelyingPartyClaimsSet` event whose list hashes to the
 * stored commitment (the contract keeps only the commitment, to keep registration cheap). A list that does not
 * match the commitment, or a node that cannot answer, fails closed with `LEDGER_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const reader = createRelyingPartyReader({ descriptor, provider });
 * const rp = await reader.relyingPartyAt("0x…", Math.floor(Date.now() / 1000));
 * if (rp.inForce) console.log(rp.name, rp.purpose);
 * ```
 */
export function createRelyingPartyReader(params: CreateRelyingPartyReaderParameters): RelyingPartyLedger {
  const registry = connectContracts({ descriptor: params.descriptor, runner: params.provider }).relyingPartyRegistry;
  const fromBlock = params.descriptor.contracts.relyingPartyRegistry.deployBlock;
  const maxEvents = params.maxClaimEvents ?? 256;
  return {
    async relyingPartyAt(relyingParty, at) {
      const identity = getAddress(relyingParty);
      const [s, p] = await read("standingAt", () =>
        Promise.all([registry.getFunction("standingAt")(identity, at), registry.getFunction("relyingParty")(identity)]),
      );
      const registered = Number(s.status) !== 0;
      const result: RelyingPartyRegistration = {
        relyingParty: identity,
        inForce: Boolean(s.inForce),
        status: Number(s.status) as AccreditationStatus,
        validFrom: Number(s.validFrom),
        validUntil: Number(s.validUntil),
        since: Number(s.since),
        registrar: getAddress(s.registrar as string),
        reason: Number(s.reason),
        final: Boolean(s.final_),
        name: registered ? (p.name as string) : "",
        purpose: registered ? (p.purpose as string) : "",
      };
      return result;
    },
    async permittedClaimsAt(relyingParty, credentialTypeId, at) {
      const identity = getAddress(relyingParty);
      const c = await read("claimsAt", () => registry.getFunction("claimsAt")(identity, credentialTypeId, at));
      const digest = (c.claimsDigest as string).toLowerCase();
      const base = {
        claimsDigest: digest,
        since: Number(c.since),
        grantedBy: getAddress(c.setBy as string),
        grantorInForce: Boolean(c.grantorInForce),
      };
      if (digest === ZERO_DIGEST) return { ...base, claims: [] } satisfies PermittedClaims;
      const claims = await claimListFor(registry, identity, credentialTypeId, digest, Number(c.claimCount), fromBlock, maxEvents);
      return { ...base, claims } satisfies PermittedClaims;
    },
  };
}

async function claimListFor(
  registry: Contract,
  relyingParty: string,
  credentialTypeId: string,
  digest: string,
  count: number,
  fromBlock: number,
  maxEvents: number,
): Promise<string[]> {
  const events = await read("eth_getLogs", () =>
    registry.queryFilter(registry.getEvent("RelyingPartyClaimsSet")(relyingParty, credentialTypeId), fromBlock, "latest"),
  );
  if (events.length > maxEvents) {
    throw new MobileIdError("LEDGER_UNAVAILABLE", "too many claim changes to read for one relying party and type", {
      details: { relyingParty, credentialTypeId, events: events.length, maxEvents },
    });
  }
  // Newest first: the stored commitment is usually the last list set.
  for (const e of [...events].reverse()) {
    if (!("args" in e)) continue;
    const ids = [...(e.args[4] as readonly string[])].map((id) => id.toLowerCase());
    if (ids.length === count && claimsDigest(ids) === digest && (e.args[3] as string).toLowerCase() === digest) {
      return decodeClaimIdentifiers(ids);
    }
  }
  throw new MobileIdError("LEDGER_UNAVAILABLE", "no claim list on the ledger matches the stored commitment", {
    details: { relyingParty, credentialTypeId, digest },
    hint: "the node's logs are incomplete (pruned?) or do not match its state",
  });
}

async function read<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof MobileIdError) throw e;
    if (isError(e, "CALL_EXCEPTION")) {
      throw new MobileIdError("LEDGER_UNAVAILABLE", `the relying-party registry did not answer ${what}`, { cause: e });
    }
    throw new MobileIdError("LEDGER_UNAVAILABLE", `the ledger did not answer ${what}`, { cause: e });
  }
}
