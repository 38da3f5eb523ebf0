import type { FastifyInstance } from "fastify";
import { type Clock, MAX_CREDENTIAL_BYTES, parseCompactJws, systemClock } from "@mobile-id/core";
import { requireAccessControl } from "../access.ts";
import { HttpError, errorBodySchema } from "../errors.ts";
import type { IssuerTenant } from "./issuer.ts";
import type { OfferStore } from "./offerStore.ts";

export interface OfferRoutesParameters {
  readonly tenants: readonly IssuerTenant[];
  readonly offers: OfferStore;
  /** Base URL wallets reach this service at (read on every request: it is known only after listen). */
  readonly publicBaseUrl: string;
  /**
   * Base URL of the wallet's own origin when the wallet is served apart from the issuer pages (`pnpm start`): the
   * offer and wallet links point there, since a wallet talks only to its own origin. Default: {@link publicBaseUrl}.
   */
  readonly walletBaseUrl?: string;
  /**
   * Verifies the offered credential (signature, issuer, status: the verifier's `verifyCredential`). Only a
   * credential that verifies is stored, so an offer link never hands a wallet a forged or damaged credential.
   */
  readonly verifyCredential: (credential: string) => Promise<{ readonly verified: boolean; readonly code?: string | undefined }>;
  readonly clock?: Clock;
}

/** Largest VC JWT an offer carries: the cap every actor shares (core `protocol.ts`), so an offer never hands a wallet a credential it or a verifier would refuse. */
const MAX_CREDENTIAL_CHARS = MAX_CREDENTIAL_BYTES;
const DEFAULT_TTL_SECONDS = 15 * 60;

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 410: errorBodySchema, 422: errorBodySchema };
const offerIdParams = { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^[A-Za-z0-9_-]{22}$" } } } as const;

/**
 * Credential offers: how an issued credential reaches the holder's phone. The agency (API key) turns a VC JWT it
 * issued into a one-time, expiring offer; the offer's link or QR code opens the wallet, which fetches the
 * credential once with `GET /offers/:id`. The id travels in the wallet link's `#fragment`, which browsers never
 * send to a server, so link previews and proxies cannot redeem it by accident.
 */
export function registerOfferRoutes(app: FastifyInstance, p: OfferRoutesParameters): void {
  requireAccessControl(app);
  const clock = p.clock ?? systemClock;
  const byId = new Map(p.tenants.map((t) => [t.id, t]));
  const base = () => (p.walletBaseUrl ?? p.publicBaseUrl).replace(/\/$/, "");

  app.post<{ Params: { issuer: string }; Body: { credential: string; ttlSeconds?: number } }>(
    "/issuers/:issuer/offers",
    {
      // Authenticated on this matched route before the body is parsed (access.ts): a caller without the key learns nothing.
      config: { access: "agency" },
      schema: {
        tags: ["issuer"],
        summary: "Hand a credential this agency issued to its holder: a one-time, expiring offer (link and QR code)",
        security: [{ agencyKey: [] }],
        params: { type: "object", required: ["issuer"], properties: { issuer: { type: "string", pattern: "^[a-z0-9-]{1,40}$" } } },
        body: {
          type: "object",
          additionalProperties: false,
          required: ["credential"],
          properties: {
            credential: { type: "string", minLength: 1, maxLength: MAX_CREDENTIAL_CHARS },
            ttlSeconds: { type: "integer", minimum: 60, maximum: 86_400 },
          },
        },
        response: { 201: { type: "object", additionalProperties: true }, ...errors },
      },
    },
    async (request, reply) => {
      const tenant = byId.get(request.params.issuer);
      if (tenant === undefined) throw new HttpError(404, "NOT_FOUND", `no issuer ${request.params.issuer} on this service`);
      const now = clock();
      const parsed = parseCompactJws(request.body.credential, { maxBytes: MAX_CREDENTIAL_CHARS });
      if (!parsed.ok) throw new HttpError(422, "OFFER_CREDENTIAL_INVALID", "not a credential JWT", { details: { reason: parsed.message } });
      const { iss, exp } = parsed.jws.payload;
      // The offer service carries this agency's own credentials only: it is not a general-purpose drop box.
      if (typeof iss !== "string" || iss.toLowerCase() !== tenant.issuer.did.toLowerCase()) {
        throw new HttpError(422, "OFFER_CREDENTIAL_INVALID", "the credential was not issued by this agency", { details: { iss, issuer: tenant.issuer.did } });
      }
      if (typeof exp !== "number" || exp <= now) throw new HttpError(422, "OFFER_CREDENTIAL_INVALID", "the credential has expired");
      const verified = await p.verifyCredential(request.body.credential);
      if (!verified.verified) {
        throw new HttpError(422, "OFFER_CREDENTIAL_INVALID", "the credential does not verify", { details: { code: verified.code ?? "UNKNOWN" } });
      }
      const expiresAt = Math.min(now + (request.body.ttlSeconds ?? DEFAULT_TTL_SECONDS), exp);
      const { id } = p.offers.create({ tenant: tenant.id, credential: request.body.credential, expiresAt, now });
      const offerUri = `${base()}/offers/${id}`;
      return reply.code(201).send({ id, offerUri, walletUri: `${base()}/app/wallet/#offer=${encodeURIComponent(offerUri)}`, expiresAt });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/offers/:id",
    {
      schema: {
        tags: ["issuer"],
        summary: "Redeem a credential offer (the holder's wallet): returns the credential once, then never again",
        params: offerIdParams,
        response: errors,
      },
    },
    async (request, reply) => {
      const result = p.offers.redeem(request.params.id, clock());
      void reply.header("cache-control", "no-store");
      if (!result.ok) {
        if (result.reason === "not-found") throw new HttpError(404, "OFFER_NOT_FOUND", "no such credential offer");
        if (result.reason === "redeemed") throw new HttpError(410, "OFFER_REDEEMED", "this offer was already used", { hint: "ask the agency for a new offer" });
        throw new HttpError(410, "OFFER_EXPIRED", "this offer has expired", { hint: "ask the agency for a new offer" });
      }
      const tenant = byId.get(result.tenant);
      return { credential: result.credential, issuer: { id: result.tenant, name: tenant?.name ?? result.tenant, did: tenant?.issuer.did ?? null } };
    },
  );
}
