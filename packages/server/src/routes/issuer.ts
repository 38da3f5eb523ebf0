import type { FastifyInstance } from "fastify";
import { CREDENTIAL_TYPES, ReasonCode } from "@mobile-id/core";
import type { Issuer } from "@mobile-id/issuer";
import { requireAccessControl } from "../access.ts";
import { HttpError, errorBodySchema } from "../errors.ts";
import { integerQuerySchema, queryInteger } from "../http/queryInteger.ts";
import { findBadText } from "../validation/text.ts";

/** One agency served by this issuer API. */
export interface IssuerTenant {
  /** URL id, e.g. `snu`. */
  readonly id: string;
  readonly name: string;
  readonly issuer: Issuer;
}

const reasonNames = Object.keys(ReasonCode);
const reasonSchema = { anyOf: [{ type: "integer", minimum: 1, maximum: 4294967295 }, { type: "string", enum: reasonNames }] } as const;
const idSchema = { type: "string", minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9:._-]+$" } as const;
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema, 503: errorBodySchema };

function reasonCode(value: string | number): ReasonCode {
  return (typeof value === "number" ? value : (ReasonCode as Record<string, number>)[value]) as ReasonCode;
}

/**
 * The issuer API, multi-tenant: `/issuers/:issuer/…`. Every route needs the agency's API key (401 without,
 * 403 with another agency's).
 */
export function registerIssuerRoutes(app: FastifyInstance, tenants: readonly IssuerTenant[]): void {
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const tenantOf = (id: string): IssuerTenant => {
    const t = byId.get(id);
    if (t === undefined) throw new HttpError(404, "NOT_FOUND", `no issuer ${id} on this service`);
    return t;
  };
  const params = { type: "object", required: ["issuer"], properties: { issuer: { type: "string", pattern: "^[a-z0-9-]{1,40}$" } } } as const;

  // Every route below with an :issuer parameter is an agency route: access.ts authenticates it on the matched
  // route, before its body is read.
  requireAccessControl(app);

  app.get("/issuers", { config: { access: "public" }, schema: { tags: ["issuer"], summary: "The agencies this service issues for (public)" } }, async () =>
    tenants.map((t) => ({ id: t.id, name: t.name, did: t.issuer.did })),
  );

  app.post<{ Params: { issuer: string }; Body: { type: string; holder: string; claims: Record<string, unknown>; expiresAt?: number } }>(
    "/issuers/:issuer/credentials",
    {
      schema: {
        tags: ["issuer"],
        summary: "Issue a credential to a holder DID (schema-checked, in-force checked); returns the VC JWT",
        params,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["type", "holder", "claims"],
          properties: {
            type: { type: "string", enum: CREDENTIAL_TYPES.map((t) => t.name) },
            holder: { type: "string", maxLength: 200 },
            claims: { type: "object", maxProperties: 64 },
            expiresAt: { type: "integer", minimum: 0 },
          },
        },
        response: { 201: { type: "object", additionalProperties: true }, ...errors },
      },
    },
    async (request, reply) => {
      const { issuer } = tenantOf(request.params.issuer);
      // Claim values are what a verifier's counter shows a person: no invisible, control or reordering text.
      const bad = findBadText(request.body.claims, "/claims");
      if (bad !== undefined) {
        throw new HttpError(400, "INVALID_TEXT", "a claim holds text that cannot be shown safely", { details: { path: bad.path, problem: bad.problem } });
      }
      const issued = await issuer.issue({
        type: request.body.type,
        holder: request.body.holder,
        claims: request.body.claims,
        ...(request.body.expiresAt === undefined ? {} : { expiresAt: request.body.expiresAt }),
      });
      return reply.code(201).send(issued);
    },
  );

  app.get<{ Params: { issuer: string }; Querystring: { type?: string; status?: "active" | "suspended" | "revoked"; holder?: string; limit?: string; cursor?: string } }>(
    "/issuers/:issuer/credentials",
    {
      schema: {
        tags: ["issuer"],
        summary: "What this agency issued, filtered, a page at a time",
        params,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            type: { type: "string", maxLength: 100 },
            status: { type: "string", enum: ["active", "suspended", "revoked"] },
            holder: { type: "string", maxLength: 200 },
            limit: integerQuerySchema(1, 1000),
            cursor: { type: "string", maxLength: 200 },
          },
        },
        response: errors,
      },
    },
    async (request) => {
      const { issuer } = tenantOf(request.params.issuer);
      const q = request.query;
      const limit = queryInteger(q.limit, "limit", 1, 1000);
      return issuer.listCredentials({
        ...(q.type === undefined ? {} : { type: q.type }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.holder === undefined ? {} : { holder: q.holder }),
        ...(limit === undefined ? {} : { limit }),
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      });
    },
  );

  app.get<{ Params: { issuer: string; id: string } }>(
    "/issuers/:issuer/credentials/:id",
    { schema: { tags: ["issuer"], summary: "One credential with its status history", params: { type: "object", required: ["issuer", "id"], properties: { issuer: params.properties.issuer, id: idSchema } }, response: errors } },
    async (request) => {
      const c = tenantOf(request.params.issuer).issuer.getCredential(request.params.id);
      if (c === undefined) throw new HttpError(404, "CREDENTIAL_NOT_FOUND", `no credential ${request.params.id}`);
      return c;
    },
  );

  app.post<{ Params: { issuer: string }; Body: { action: "revoke" | "suspend" | "reinstate"; ids: string[]; reason: string | number } }>(
    "/issuers/:issuer/credentials/status",
    {
      schema: {
        tags: ["issuer"],
        summary: "Revoke, suspend or reinstate one or many credentials (one ledger transaction per list)",
        params,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["action", "ids", "reason"],
          properties: {
            action: { type: "string", enum: ["revoke", "suspend", "reinstate"] },
            ids: { type: "array", minItems: 1, maxItems: 10000, items: idSchema },
            reason: reasonSchema,
          },
        },
        response: errors,
      },
    },
    async (request) => {
      const { issuer } = tenantOf(request.params.issuer);
      const { action, ids, reason } = request.body;
      return issuer[action]({ ids, reason: reasonCode(reason) });
    },
  );

  app.get<{ Params: { issuer: string }; Querystring: { reference?: string; name?: string; credential?: string; limit?: string } }>(
    "/issuers/:issuer/holders",
    {
      schema: {
        tags: ["issuer"],
        summary: "Find cards by the agency's own reference (exact) and/or the person's name (case and spaces ignored), or by credential id: name, thumbnail, type, dates, each credential's status",
        params,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            reference: { type: "string", maxLength: 64 },
            name: { type: "string", maxLength: 128 },
            credential: { type: "string", maxLength: 200 },
            limit: integerQuerySchema(1, 500),
          },
        },
        response: errors,
      },
    },
    async (request, reply) => {
      const { issuer } = tenantOf(request.params.issuer);
      const q = request.query;
      const limit = queryInteger(q.limit, "limit", 1, 500);
      const items = issuer.findHolders({
        ...(q.reference === undefined ? {} : { reference: q.reference }),
        ...(q.name === undefined ? {} : { name: q.name }),
        ...(q.credential === undefined ? {} : { credentialId: q.credential }),
        ...(limit === undefined ? {} : { limit }),
      });
      // Personal data: no cache along the way keeps a copy.
      void reply.header("cache-control", "no-store");
      return { items };
    },
  );

  app.get<{ Params: { issuer: string } }>(
    "/issuers/:issuer/lists",
    { schema: { tags: ["issuer"], summary: "This agency's status list pairs and how full they are", params, response: errors } },
    async (request) => tenantOf(request.params.issuer).issuer.statusLists(),
  );
}
