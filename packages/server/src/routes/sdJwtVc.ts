import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { FastifyInstance } from "fastify";
import { type LedgerMirror, StatusPurpose, checksumAddress } from "@mobile-id/chain";
import { MOBILE_ID_CONTEXT_DOCUMENT, MOBILE_ID_CONTEXT_V1_PATH } from "@mobile-id/core";
import { SD_JWT_VC_PROFILES } from "@mobile-id/core/sd-jwt-vc";
import { MAX_SD_JWT_VC_COPIES } from "@mobile-id/issuer";
import { requireAccessControl } from "../access.ts";
import { HttpError, errorBodySchema } from "../errors.ts";
import { findBadText } from "../validation/text.ts";
import type { IssuerTenant } from "./issuer.ts";

export interface SdJwtVcRoutesParameters {
  readonly tenants: readonly IssuerTenant[];
  /** The services' public base URL: copies carry `<base>/status-lists/<revocationListId>/<suspensionListId>`. */
  readonly publicBaseUrl: string;
  /** The services' ledger mirror: its head keys the Status List Token cache; list records say who owns a list. */
  readonly ledger: Pick<LedgerMirror, "statusList" | "statusListBits" | "freshness">;
  /** `ttl` of the tokens (seconds; default 30): how long a relying party may cache one. */
  readonly ttlSeconds?: number;
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema, 503: errorBodySchema };
const b64url = { type: "string", minLength: 43, maxLength: 43, pattern: "^[A-Za-z0-9_-]{43}$" } as const;
const holderKeySchema = {
  type: "object",
  additionalProperties: false,
  required: ["kty", "crv", "x", "y"],
  properties: { kty: { const: "EC" }, crv: { const: "P-256" }, x: b64url, y: b64url },
} as const;
const MIN_REBUILD_SECONDS = 2;
const SCHEMA_FILE = /^[a-z][a-z-]{0,40}(\.sd-jwt-vc)?\.v[0-9]{1,3}\.json$/;

/**
 * The SD-JWT VC side of the services:
 *
 * - `POST /issuers/:issuer/sd-jwt-vc` (agency API key): one credential as N unlinkable SD-JWT VC copies, one per
 *   holder P-256 key; the answer's `id` is what `/issuers/:issuer/credentials/status` takes to revoke, suspend or
 *   reinstate every copy at once.
 * - `GET /status-lists/:revocationListId/:suspensionListId` (public): the pair's IETF Token Status List Token
 *   (`application/statuslist+jwt`, 2 bits per entry: 0 valid, 1 invalid, 2 suspended), built from the chain's
 *   bits at the mirror's head and signed by the issuer that owns the pair; rebuilt when the head moves (at most
 *   every 2 s) and before half its `ttl` has passed.
 * - `GET /schemas/:file` (public): the credential types' JSON Schemas (JWT-VC and SD-JWT VC).
 * - `GET /contexts/mobile-id-v1.jsonld` (public): the JSON-LD context every JWT-VC names second in `@context`.
 */
export function registerSdJwtVcRoutes(app: FastifyInstance, p: SdJwtVcRoutesParameters): void {
  requireAccessControl(app);
  const byId = new Map(p.tenants.map((t) => [t.id, t]));
  const byAddress = new Map(p.tenants.map((t) => [checksumAddress(t.issuer.address), t]));
  const ttl = p.ttlSeconds ?? 30;
  const tokens = new Map<string, { block: number; issuedAt: number; token: Promise<string> }>();

  app.post<{ Params: { issuer: string }; Body: { type: string; claims: Record<string, unknown>; holderKeys: unknown[]; expiresAt?: number; refresh?: string } }>(
    "/issuers/:issuer/sd-jwt-vc",
    {
      schema: {
        tags: ["issuer"],
        summary:
          "Issue a credential as N unlinkable SD-JWT VC copies (dc+sd-jwt), one per holder P-256 key (schema-checked, in-force checked); `refresh: <id>` adds copies to an active credential",
        params: { type: "object", required: ["issuer"], properties: { issuer: { type: "string", pattern: "^[a-z0-9-]{1,40}$" } } },
        body: {
          type: "object",
          additionalProperties: false,
          required: ["type", "claims", "holderKeys"],
          properties: {
            type: { type: "string", enum: SD_JWT_VC_PROFILES.map((t) => t.typeName) },
            claims: { type: "object", maxProperties: 64 },
            holderKeys: { type: "array", minItems: 1, maxItems: MAX_SD_JWT_VC_COPIES, items: holderKeySchema },
            expiresAt: { type: "integer", minimum: 0 },
            refresh: { type: "string", minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9:._-]+$" },
          },
        },
        response: { 201: { type: "object", additionalProperties: true }, ...errors },
      },
    },
    async (request, reply) => {
      const tenant = byId.get(request.params.issuer);
      if (tenant === undefined) throw new HttpError(404, "NOT_FOUND", `no issuer ${request.params.issuer} on this service`);
      const bad = findBadText(request.body.claims, "/claims");
      if (bad !== undefined) {
        throw new HttpError(400, "INVALID_TEXT", "a claim holds text that cannot be shown safely", { details: { path: bad.path, problem: bad.problem } });
      }
      const issued = await tenant.issuer.issueSdJwtVc({
        type: request.body.type,
        claims: request.body.claims,
        holderKeys: request.body.holderKeys,
        statusListBaseUrl: p.publicBaseUrl,
        ...(request.body.expiresAt === undefined ? {} : { expiresAt: request.body.expiresAt }),
        ...(request.body.refresh === undefined ? {} : { refresh: request.body.refresh }),
      });
      return reply.code(201).send(issued);
    },
  );

  app.get<{ Params: { revocationListId: string; suspensionListId: string } }>(
    "/status-lists/:revocationListId/:suspensionListId",
    {
      config: { access: "public" },
      schema: {
        tags: ["network"],
        summary: "An IETF Token Status List Token (statuslist+jwt, 2 bits: 0 valid, 1 invalid, 2 suspended) of a list pair, signed by its issuer (public)",
        params: {
          type: "object",
          required: ["revocationListId", "suspensionListId"],
          properties: { revocationListId: { type: "string", pattern: "^[0-9]{1,20}$" }, suspensionListId: { type: "string", pattern: "^[0-9]{1,20}$" } },
        },
        response: { 404: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { revocationListId, suspensionListId } = request.params;
      const rev = p.ledger.statusList(BigInt(revocationListId));
      const sus = p.ledger.statusList(BigInt(suspensionListId));
      const tenant = rev === undefined ? undefined : byAddress.get(checksumAddress(rev.issuer));
      const pair = tenant?.issuer.statusLists().find((x) => x.revocationListId === revocationListId && x.suspensionListId === suspensionListId);
      if (
        rev === undefined ||
        sus === undefined ||
        tenant === undefined ||
        pair === undefined ||
        rev.purpose !== StatusPurpose.Revocation ||
        sus.purpose !== StatusPurpose.Suspension ||
        checksumAddress(sus.issuer) !== checksumAddress(rev.issuer) ||
        rev.size !== sus.size
      ) {
        throw new HttpError(404, "STATUS_LIST_NOT_FOUND", "no status list pair of an issuer served here");
      }
      const f = p.ledger.freshness();
      if (f === undefined) throw new HttpError(503, "LEDGER_UNAVAILABLE", "the ledger mirror is not ready");
      const key = `${revocationListId}/${suspensionListId}`;
      const now = Math.floor(Date.now() / 1000);
      let cached = tokens.get(key);
      // One token per pair and mirror head, re-signed before its ttl runs out even if the chain did not move. A
      // moved head rebuilds it at most every MIN_REBUILD_SECONDS (two list reads each), so the token follows the
      // chain within seconds however fast blocks come.
      const moved = cached !== undefined && cached.block !== f.head.blockNumber && now - cached.issuedAt >= MIN_REBUILD_SECONDS;
      if (cached === undefined || moved || now - cached.issuedAt >= ttl / 2) {
        const block = f.head.blockNumber;
        // Both lists from the mirror, as of its head: no ledger read per token (a 2^20-entry pair was 1.3 s of RPC).
        const revoked = p.ledger.statusListBits(BigInt(revocationListId));
        const suspended = p.ledger.statusListBits(BigInt(suspensionListId));
        if (revoked === undefined || suspended === undefined) throw new HttpError(503, "LEDGER_UNAVAILABLE", "the ledger mirror lost the lists");
        const token = tenant.issuer.statusListToken({ revocationListId, suspensionListId, statusListBaseUrl: p.publicBaseUrl, revoked, suspended, ttlSeconds: ttl });
        cached = { block, issuedAt: now, token };
        tokens.set(key, cached);
        token.catch(() => tokens.delete(key));
      }
      const token = await cached.token;
      return reply.header("cache-control", `public, max-age=${ttl}`).type("application/statuslist+jwt").send(token);
    },
  );

  const require = createRequire(import.meta.url);
  const schemaDir = dirname(require.resolve("@mobile-id/core/schemas/student-id.v1.json"));
  const schemaFiles = new Set(readdirSync(schemaDir).filter((f) => SCHEMA_FILE.test(f)));
  app.get<{ Params: { file: string } }>(
    "/schemas/:file",
    {
      config: { access: "public" },
      schema: {
        tags: ["network"],
        summary:
          "A credential type's JSON Schema (2020-12) by file name: <type>.v1.json (JWT-VC subject), <type>.sd-jwt-vc.v1.json (SD-JWT VC payload; vct urn:mobile-id:vct:<Type>:1)",
        params: { type: "object", required: ["file"], properties: { file: { type: "string", pattern: SCHEMA_FILE.source } } },
        response: { 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const file = request.params.file;
      if (!schemaFiles.has(file)) throw new HttpError(404, "SCHEMA_NOT_FOUND", "no schema with this file name");
      return reply.header("cache-control", "public, max-age=3600").type("application/schema+json").send(readFileSync(`${schemaDir}/${file}`, "utf8"));
    },
  );

  const contextBody = JSON.stringify(MOBILE_ID_CONTEXT_DOCUMENT, null, 2);
  app.get(
    MOBILE_ID_CONTEXT_V1_PATH,
    {
      config: { access: "public" },
      schema: {
        tags: ["network"],
        summary: "The mobile-id JSON-LD context (https://mobile-id.example/contexts/mobile-id-v1.jsonld): the terms of every JWT-VC",
      },
    },
    async (_request, reply) => reply.header("cache-control", "public, max-age=3600").type("application/ld+json").send(contextBody),
  );
}

