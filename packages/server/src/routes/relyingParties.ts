import type { FastifyInstance } from "fastify";
import { AccreditationStatus, type LedgerMirror, type RelyingPartyLedger } from "@mobile-id/chain";
import { MobileIdError, findCredentialType, toEthrDid } from "@mobile-id/core";
import { assertRelyingPartyMayRequest } from "@mobile-id/verifier";
import { HttpError, errorBodySchema } from "../errors.ts";
import { parseAddress } from "../http/address.ts";
import { identityKeysView } from "./identityKeysView.ts";

export interface RelyingPartyRoutesParameters {
  readonly chainId: number;
  /** Where registrations are read (the services' cached `createRelyingPartyReader`). */
  readonly registrations: RelyingPartyLedger;
  /** The ledger's current time (registrations are judged at it). */
  readonly ledgerTime: () => Promise<number>;
  /** The relying party's ERC-1056 keys (owner, delegates), from the services' ledger mirror. */
  readonly identity: LedgerMirror["identity"];
}

const statusName = (s: number): string => Object.entries(AccreditationStatus).find(([, v]) => v === s)?.[0] ?? `Status${s}`;
/** At most this many claims per look-up (a DCQL credential query has at most 32). */
const MAX_CLAIMS = 32;

/**
 * Public ledger reads for wallets about a relying party (issue 11), so that a wallet can refuse, before it shows
 * anything, a request from a party that may not ask:
 *
 * - `GET /relying-parties/:address?type=<CredentialType>&claims=<id>,<id>`: its registration (registered name,
 *   purpose, standing), its ERC-1056 keys (to check the request object's signature on the phone) and, for the type
 *   and claims given, the ledger's decision (`assertRelyingPartyMayRequest`: `permitted`, or the stable code, the
 *   sentence and the claims outside the registration). Answered for any address (an unregistered one: `permitted:
 *   false`, `RELYING_PARTY_UNREGISTERED`); 503 `LEDGER_UNAVAILABLE` when the ledger cannot say (fail closed).
 */
export function registerRelyingPartyRoutes(app: FastifyInstance, p: RelyingPartyRoutesParameters): void {
  app.get<{ Params: { address: string }; Querystring: { type?: string; claims?: string } }>(
    "/relying-parties/:address",
    {
      schema: {
        tags: ["network"],
        summary: "A relying party's registration on the ledger, its keys, and whether it may ask for these claims of this type now (public)",
        params: { type: "object", required: ["address"], properties: { address: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } } },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { type: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9]{0,63}$" }, claims: { type: "string", maxLength: 2048 } },
        },
        response: { 400: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (request, reply) => {
      const address = parseAddress(request.params.address, "address");
      const { type, claims: rawClaims } = request.query;
      const claims = rawClaims === undefined || rawClaims === "" ? [] : rawClaims.split(",");
      if (claims.length > MAX_CLAIMS) throw new HttpError(400, "TOO_MANY_CLAIMS", `at most ${MAX_CLAIMS} claims per look-up`);
      if (type !== undefined && findCredentialType(type) === undefined) throw new HttpError(400, "UNKNOWN_CREDENTIAL_TYPE", "no credential type of this name");
      let at: number;
      let registration;
      let decision;
      try {
        at = await p.ledgerTime();
        registration = await p.registrations.relyingPartyAt(address, at);
        decision = type === undefined ? undefined : await assertRelyingPartyMayRequest({ ledger: p.registrations, relyingParty: address, credentialType: type, claims, at });
      } catch (e) {
        if (e instanceof MobileIdError && e.code === "INVALID_ARGUMENT") throw new HttpError(400, "INVALID_ARGUMENT", e.message);
        throw new HttpError(503, "LEDGER_UNAVAILABLE", "the relying-party registry cannot be read now", { cause: e });
      }
      const keys = p.identity(address);
      return reply.header("cache-control", "no-store").send({
        address,
        did: toEthrDid(p.chainId, address),
        name: registration.name,
        purpose: registration.purpose,
        status: statusName(registration.status),
        inForce: registration.inForce,
        validUntil: registration.validUntil,
        keys: identityKeysView(keys),
        at,
        ...(decision === undefined
          ? {}
          : decision.permitted
            ? { decision: { permitted: true, notPermitted: [] } }
            : { decision: { permitted: false, code: decision.code, message: decision.message, notPermitted: decision.notPermitted } }),
      });
    },
  );
}
