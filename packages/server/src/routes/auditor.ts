import type { FastifyInstance, FastifyReply } from "fastify";
import {
  type AuditLedger,
  type AuditReport,
  EVENT_CATEGORIES,
  type EventCategory,
  checkConsistency,
  formatReport,
  getEventLog,
  getAccreditationHistory,
  getGovernanceChanges,
  getInForce,
  getStatusActivity,
} from "@mobile-id/auditor";
import { errorBodySchema } from "../errors.ts";
import { parseAddress } from "../http/address.ts";
import { integerQuerySchema, queryInteger } from "../http/queryInteger.ts";

const errors = { 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema, 503: errorBodySchema };
const formatQuery = {
  format: { type: "string", enum: ["json", "csv", "table"] },
  atBlock: integerQuerySchema(0, Number.MAX_SAFE_INTEGER),
} as const;

function send(reply: FastifyReply, report: AuditReport, format: "json" | "csv" | "table" | undefined): FastifyReply {
  if (format === "csv") return reply.type("text/csv; charset=utf-8").send(formatReport({ report, format: "csv" }));
  if (format === "table") return reply.type("text/plain; charset=utf-8").send(formatReport({ report, format: "table" }));
  return reply.type("application/json").send(formatReport({ report, format: "json" }));
}

/** The auditor API: read-only queries of the auditor package, as JSON (default), CSV or a text table. */
export function registerAuditorRoutes(app: FastifyInstance, ledger: AuditLedger): void {
  type Fmt = { format?: "json" | "csv" | "table"; atBlock?: string };
  const at = (q: Fmt) => {
    const atBlock = queryInteger(q.atBlock, "atBlock", 0, Number.MAX_SAFE_INTEGER);
    return atBlock === undefined ? {} : { atBlock };
  };

  app.get<{ Params: { party: string }; Querystring: Fmt & { type?: string } }>(
    "/auditor/parties/:party/history",
    {
      schema: {
        tags: ["auditor"],
        summary: "A party's accreditation history, per credential type",
        params: { type: "object", required: ["party"], properties: { party: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } } },
        querystring: { type: "object", additionalProperties: false, properties: { ...formatQuery, type: { type: "string", maxLength: 100 } } },
        response: errors,
      },
    },
    async (request, reply) =>
      send(reply, await getAccreditationHistory({ ledger, party: parseAddress(request.params.party, "party"), ...(request.query.type === undefined ? {} : { credentialType: request.query.type }), ...at(request.query) }), request.query.format),
  );

  app.get<{ Params: { type: string }; Querystring: Fmt & { at?: string } }>(
    "/auditor/types/:type/in-force",
    {
      schema: {
        tags: ["auditor"],
        summary: "Who was in force for a credential type at time `at` (default now)",
        params: { type: "object", required: ["type"], properties: { type: { type: "string", maxLength: 100 } } },
        querystring: { type: "object", additionalProperties: false, properties: { ...formatQuery, at: integerQuerySchema(0, Number.MAX_SAFE_INTEGER) } },
        response: errors,
      },
    },
    async (request, reply) =>
      {
      const when = queryInteger(request.query.at, "at", 0, Number.MAX_SAFE_INTEGER);
      return send(reply, await getInForce({ ledger, credentialType: request.params.type, ...(when === undefined ? {} : { at: when }), ...at(request.query) }), request.query.format);
    },
  );

  app.get<{ Querystring: Fmt }>(
    "/auditor/governance",
    { schema: { tags: ["auditor"], summary: "Every governance change, in order", querystring: { type: "object", additionalProperties: false, properties: formatQuery }, response: errors } },
    async (request, reply) => send(reply, await getGovernanceChanges({ ledger, includeKeyRotations: true, ...at(request.query) }), request.query.format),
  );

  app.get<{ Querystring: Fmt & { issuer?: string; utcOffsetMinutes?: string } }>(
    "/auditor/activity",
    {
      schema: {
        tags: ["auditor"],
        summary: "Revocations and suspensions per issuer per day",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { ...formatQuery, issuer: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" }, utcOffsetMinutes: integerQuerySchema(-720, 840, true) },
        },
        response: errors,
      },
    },
    async (request, reply) => {
      const utcOffsetMinutes = queryInteger(request.query.utcOffsetMinutes, "utcOffsetMinutes", -720, 840);
      return send(
        reply,
        await getStatusActivity({
          ledger,
          ...(request.query.issuer === undefined ? {} : { issuer: parseAddress(request.query.issuer, "issuer") }),
          ...(utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes }),
          ...at(request.query),
        }),
        request.query.format,
      );
    },
  );

  app.get<{ Querystring: Fmt & { category?: EventCategory; actor?: string; type?: string; from?: string; to?: string } }>(
    "/auditor/events",
    {
      schema: {
        tags: ["auditor"],
        summary: "Every event, one row each (who, what, when, why), filtered by kind, actor, credential type and time (seconds)",
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            ...formatQuery,
            category: { type: "string", enum: [...EVENT_CATEGORIES] },
            actor: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" },
            type: { type: "string", maxLength: 100 },
            from: integerQuerySchema(0, Number.MAX_SAFE_INTEGER),
            to: integerQuerySchema(0, Number.MAX_SAFE_INTEGER),
          },
        },
        response: errors,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const from = queryInteger(q.from, "from", 0, Number.MAX_SAFE_INTEGER);
      const to = queryInteger(q.to, "to", 0, Number.MAX_SAFE_INTEGER);
      const report = await getEventLog({
        ledger,
        ...(q.category === undefined ? {} : { category: q.category }),
        ...(q.actor === undefined ? {} : { actor: parseAddress(q.actor, "actor") }),
        ...(q.type === undefined ? {} : { credentialType: q.type }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...at(q),
      });
      if (q.format === "csv") void reply.header("content-disposition", 'attachment; filename="ledger-events.csv"');
      return send(reply, report, q.format);
    },
  );

  app.get<{ Querystring: Fmt }>(
    "/auditor/consistency",
    { schema: { tags: ["auditor"], summary: "Rebuild state from events and compare with contract reads at one block", querystring: { type: "object", additionalProperties: false, properties: formatQuery }, response: errors } },
    async (request, reply) => send(reply, await checkConsistency({ ledger, ...at(request.query) }), request.query.format),
  );
}
