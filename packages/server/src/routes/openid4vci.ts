import type { FastifyInstance, FastifyReply } from "fastify";
import { CREDENTIAL_TYPES } from "@mobile-id/core";
import { type Openid4vciIssuerEndpoints, Openid4vciError, OPENID4VCI_BATCH_SIZE } from "@mobile-id/issuer";
import { requireAccessControl } from "../access.ts";
import { HttpError, errorBodySchema } from "../errors.ts";
import { findBadText } from "../validation/text.ts";

export interface Openid4vciRoutesParameters {
  /** One OpenID4VCI issuer per tenant slug. */
  readonly issuers: ReadonlyMap<string, Openid4vciIssuerEndpoints>;
}

const FORM = "application/x-www-form-urlencoded";
const tenantParam = { type: "object", required: ["issuer"], properties: { issuer: { type: "string", pattern: "^[a-z0-9-]{1,40}$" } } } as const;
// The wallet-facing routes name the tenant `:tenant`, not `:issuer`: an `:issuer` route is an agency route (access.ts).
const walletTenantParam = { type: "object", required: ["tenant"], properties: { tenant: { type: "string", pattern: "^[a-z0-9-]{1,40}$" } } } as const;

/** The one `DPoP` header (RFC 9449 §4.3: more than one is an error). */
function dpopHeader(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) throw new Openid4vciError("invalid_dpop_proof", "DPoP proof: more than one DPoP header");
  return value;
}

/** OAuth's error body (RFC 6749 §5.2): what any OpenID4VCI wallet parses. */
function sendOauthError(reply: FastifyReply, e: Openid4vciError): void {
  const description = e.message.replace(/"/g, "'");
  if (e.code === "invalid_token") void reply.header("www-authenticate", `Bearer error="invalid_token", error_description="${description}", DPoP algs="ES256"`);
  if (e.code === "invalid_dpop_proof" && e.status === 401) void reply.header("www-authenticate", `DPoP error="invalid_dpop_proof", error_description="${description}", algs="ES256"`);
  void reply
    .code(e.status)
    .header("cache-control", "no-store")
    .type("application/json")
    .send({ error: e.code, error_description: e.message, ...(Object.keys(e.details).length > 0 ? { error_details: e.details } : {}) });
}

/**
 * OpenID4VCI 1.0 issuance (pre-authorized code + `tx_code`), per tenant, Credential Issuer `${origin}/issuers/:tenant`:
 *
 * - `GET /.well-known/openid-credential-issuer/issuers/:tenant`, `GET /.well-known/oauth-authorization-server/issuers/:tenant`
 * - `POST /issuers/:issuer/openid4vci/offers` (agency API key): `{ credentialType, formats?, reference, claims, copies?, ttlSeconds? }`
 *   → 201 `{ offerId, offerUri, credentialOfferUri, txCode, expiresAt }`
 * - `GET /issuers/:issuer/openid4vci/offers/:id/status` (agency API key): `{ state, expiresAt, credentials: { [format]: { id, expiresAt } } }`
 * - `GET /issuers/:tenant/openid4vci/offers/:id`: the Credential Offer object (until redeemed, expired or locked)
 * - `POST /issuers/:tenant/token` (form), `POST /issuers/:tenant/nonce`, `POST /issuers/:tenant/credential` (Bearer)
 *
 * The protocol routes answer errors in OAuth's shape `{ error, error_description }` with the status the
 * specifications name (400, 401 `invalid_token`), never a 500 for bad input.
 */
export function registerOpenid4vciRoutes(app: FastifyInstance, p: Openid4vciRoutesParameters): void {
  requireAccessControl(app);
  const issuerOf = (tenant: string): Openid4vciIssuerEndpoints => {
    const vci = p.issuers.get(tenant);
    if (vci === undefined) throw new HttpError(404, "NOT_FOUND", `no issuer ${tenant} on this service`);
    return vci;
  };

  app.post<{
    Params: { issuer: string };
    Body: { credentialType: string; formats?: ("dc+sd-jwt" | "jwt_vc_json")[]; reference: string; claims: Record<string, unknown>; copies?: number; ttlSeconds?: number };
  }>(
    "/issuers/:issuer/openid4vci/offers",
    {
      schema: {
        tags: ["issuer"],
        summary:
          "Create an OpenID4VCI pre-authorized credential offer for a person by the agency's own record (no DID): the openid-credential-offer:// link for the QR and the 6-digit tx_code to hand over separately",
        params: tenantParam,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["credentialType", "reference", "claims"],
          properties: {
            credentialType: { type: "string", enum: CREDENTIAL_TYPES.map((t) => t.name) },
            formats: { type: "array", minItems: 1, maxItems: 2, uniqueItems: true, items: { type: "string", enum: ["dc+sd-jwt", "jwt_vc_json"] } },
            reference: { type: "string", minLength: 1, maxLength: 128 },
            claims: { type: "object", maxProperties: 64 },
            copies: { type: "integer", minimum: 1, maximum: OPENID4VCI_BATCH_SIZE },
            ttlSeconds: { type: "integer", minimum: 60, maximum: 86400 },
          },
        },
        response: { 201: { type: "object", additionalProperties: true }, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const vci = issuerOf(request.params.issuer);
      const bad = findBadText({ reference: request.body.reference, claims: request.body.claims }, "");
      if (bad !== undefined) throw new HttpError(400, "INVALID_TEXT", "a claim holds text that cannot be shown safely", { details: { path: bad.path, problem: bad.problem } });
      try {
        const offer = vci.createOffer({
          credentialType: request.body.credentialType,
          reference: request.body.reference,
          claims: request.body.claims,
          ...(request.body.formats === undefined ? {} : { formats: request.body.formats }),
          ...(request.body.copies === undefined ? {} : { copies: request.body.copies }),
          ...(request.body.ttlSeconds === undefined ? {} : { ttlSeconds: request.body.ttlSeconds }),
        });
        return await reply.code(201).header("cache-control", "no-store").send(offer);
      } catch (e) {
        if (e instanceof Openid4vciError) throw new HttpError(400, "INVALID_REQUEST", e.message, { details: e.details });
        throw e;
      }
    },
  );

  app.get<{ Params: { issuer: string; id: string } }>(
    "/issuers/:issuer/openid4vci/offers/:id/status",
    {
      schema: {
        tags: ["issuer"],
        summary: "Where the agency's offer stands: pending, expired, locked, redeemed or issued, with the issued credentials' ids per format (what revocation takes)",
        params: { type: "object", required: ["issuer", "id"], properties: { ...tenantParam.properties, id: { type: "string", pattern: "^[A-Za-z0-9_-]{22}$" } } },
        response: { 200: { type: "object", additionalProperties: true }, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const status = issuerOf(request.params.issuer).offerStatus(request.params.id);
      if (status === undefined) throw new HttpError(404, "OFFER_NOT_FOUND", "no offer with this id from this agency");
      return reply.header("cache-control", "no-store").send(status);
    },
  );

  // The wallet-facing protocol routes: public, OAuth error bodies, form bodies on the token endpoint.
  app.register(async (scope) => {
    if (!scope.hasContentTypeParser(FORM)) {
      scope.addContentTypeParser(FORM, { parseAs: "string", bodyLimit: 16 * 1024 }, (_request, body, done) => {
        const form: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(body as string)) {
          if (Object.hasOwn(form, k)) {
            done(new Openid4vciError("invalid_request", `parameter ${k} appears twice`), undefined);
            return;
          }
          form[k] = v;
        }
        done(null, form);
      });
    }
    scope.setErrorHandler((error, request, reply) => {
      if (error instanceof Openid4vciError) return sendOauthError(reply, error);
      if (error instanceof HttpError && error.statusCode === 404) return sendOauthError(reply, new Openid4vciError("invalid_request", error.message));
      const fe = error as { statusCode?: number; validation?: unknown; message?: string };
      if (fe.validation !== undefined || (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500)) {
        return sendOauthError(reply, new Openid4vciError("invalid_request", fe.message ?? "bad request"));
      }
      request.log.error({ err: error }, "openid4vci: unhandled error");
      return reply.code(500).send({ error: "server_error", error_description: "internal error" });
    });
    // Read by the holder's wallet from its own origin: public, and readable cross-origin.
    const publicRoute = { config: { access: "public" as const, crossOrigin: true } };

    scope.get<{ Params: { tenant: string } }>(
      "/.well-known/openid-credential-issuer/issuers/:tenant",
      { ...publicRoute, schema: { tags: ["issuer"], summary: "OpenID4VCI 1.0 Credential Issuer Metadata of a tenant (public)", params: walletTenantParam } },
      async (request, reply) => reply.header("cache-control", "public, max-age=60").send(await issuerOf(request.params.tenant).credentialIssuerMetadata()),
    );
    scope.get<{ Params: { tenant: string } }>(
      "/.well-known/oauth-authorization-server/issuers/:tenant",
      { ...publicRoute, schema: { tags: ["issuer"], summary: "OAuth 2.0 Authorization Server Metadata of a tenant (public)", params: walletTenantParam } },
      async (request, reply) => reply.header("cache-control", "public, max-age=60").send(issuerOf(request.params.tenant).authorizationServerMetadata()),
    );
    scope.get<{ Params: { tenant: string; id: string } }>(
      "/issuers/:tenant/openid4vci/offers/:id",
      {
        ...publicRoute,
        schema: {
          tags: ["issuer"],
          summary: "The Credential Offer behind a credential_offer_uri, until it is redeemed, expires or locks (public)",
          params: { type: "object", required: ["tenant", "id"], properties: { ...walletTenantParam.properties, id: { type: "string", pattern: "^[A-Za-z0-9_-]{22}$" } } },
        },
      },
      async (request, reply) => reply.header("cache-control", "no-store").send(issuerOf(request.params.tenant).credentialOffer(request.params.id)),
    );
    scope.post<{ Params: { tenant: string }; Body: Record<string, unknown> }>(
      "/issuers/:tenant/token",
      { ...publicRoute, schema: { tags: ["issuer"], summary: "OAuth token endpoint: pre-authorized code + tx_code, or refresh_token (form body; public)", params: walletTenantParam } },
      async (request, reply) => {
        if (!(request.headers["content-type"] ?? "").startsWith(FORM)) throw new Openid4vciError("invalid_request", `the token request is ${FORM}`);
        const form = typeof request.body === "object" && request.body !== null ? request.body : {};
        return reply.header("cache-control", "no-store").send(issuerOf(request.params.tenant).token(form, dpopHeader(request.headers.dpop)));
      },
    );
    scope.post<{ Params: { tenant: string } }>(
      "/issuers/:tenant/nonce",
      { ...publicRoute, schema: { tags: ["issuer"], summary: "OpenID4VCI nonce endpoint: a fresh single-use c_nonce (public)", params: walletTenantParam } },
      async (request, reply) => reply.header("cache-control", "no-store").send(issuerOf(request.params.tenant).nonce()),
    );
    scope.post<{ Params: { tenant: string }; Body: unknown }>(
      "/issuers/:tenant/credential",
      { ...publicRoute, schema: { tags: ["issuer"], summary: "OpenID4VCI credential endpoint: proofs.jwt, one per copy (Bearer access token)", params: walletTenantParam } },
      async (request, reply) => {
        const vci = issuerOf(request.params.tenant);
        const answer = await vci.credential(request.headers.authorization, request.body, dpopHeader(request.headers.dpop));
        return reply.header("cache-control", "no-store").send(answer);
      },
    );
  });
}
