import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import type { AuditLedger } from "@mobile-id/auditor";
import { CREDENTIAL_TYPES, type NetworkDescriptor, loadSchema } from "@mobile-id/core";
import { installAccessControl } from "./access.ts";
import type { ApiKeyRecord } from "./auth.ts";
import { HttpError, installErrorHandling } from "./errors.ts";
import { DEFAULT_HTTP_LIMITS, type HttpLimits, fastifyLimitOptions } from "./http/edge.ts";
import { parseStrictJson } from "./http/strictJson.ts";
import { type WalletOrigin, installWalletOriginGuard } from "./http/walletOrigin.ts";
import { installCrossOrigin } from "./http/crossOrigin.ts";
import { registerAuditorRoutes } from "./routes/auditor.ts";
import { type HolderRoutesParameters, registerHolderRoutes } from "./routes/holder.ts";
import { type IssuerTenant, registerIssuerRoutes } from "./routes/issuer.ts";
import { type OfferRoutesParameters, registerOfferRoutes } from "./routes/offers.ts";
import { type Openid4vciRoutesParameters, registerOpenid4vciRoutes } from "./routes/openid4vci.ts";
import { type SdJwtVcRoutesParameters, registerSdJwtVcRoutes } from "./routes/sdJwtVc.ts";
import { type VerifierRoutesParameters, registerVerifierRoutes } from "./routes/verifier.ts";
import { type Openid4vpRoutesParameters, registerOpenid4vpRoutes } from "./routes/openid4vp.ts";
import { registerRelyingPartyRoutes } from "./routes/relyingParties.ts";
import { type WebRoutesParameters, registerWebRoutes } from "./routes/web.ts";

export interface CreateServerParameters {
  readonly descriptor: NetworkDescriptor;
  /** What `/health` reports about the ledger; `ok: false` (or a throw) answers 503. */
  readonly ledgerStatus: () => { readonly ok: boolean } | Promise<{ readonly ok: boolean }>;
  readonly issuers?: { readonly tenants: readonly IssuerTenant[]; readonly keys: readonly ApiKeyRecord[] };
  readonly verifier?: VerifierRoutesParameters;
  /** OpenID4VP 1.0 with DCQL, the verifier side (issue 11): requests signed by the services' relying party. */
  readonly openid4vp?: Openid4vpRoutesParameters;
  readonly auditor?: AuditLedger;
  /** Credential offers: agencies hand issued credentials to wallets (one-time links and QR codes). */
  readonly offers?: OfferRoutesParameters;
  /** Public per-issuer and per-list ledger reads for wallets (party names, keys, standings, whole status lists). */
  readonly holder?: HolderRoutesParameters;
  /**
   * SD-JWT VC: batch issuance for the tenants (`POST /issuers/:issuer/sd-jwt-vc`), Token Status List Tokens
   * (`GET /status-lists/:revocationListId/:suspensionListId`) and the JSON Schemas (`GET /schemas/:file`).
   */
  readonly sdJwtVc?: SdJwtVcRoutesParameters;
  /** OpenID4VCI 1.0 issuance per tenant (metadata, offers, token, nonce, credential endpoints). */
  readonly openid4vci?: Openid4vciRoutesParameters;
  /** The built web app, served under `/app/`. */
  readonly web?: WebRoutesParameters;
  /** pino logger options, or false. Default: JSON logs at `info`. */
  readonly logger?: boolean | { readonly level: string };
  /** Largest request body, bytes. Default 128 KiB (a presentation is capped at 64 KiB). */
  readonly bodyLimit?: number;
  /**
   * `host[:port]` authorities this server is reached under, beyond the address it listens on (e.g. a public
   * name): absolute-form request targets naming anything else are refused (421).
   */
  readonly authorities?: () => readonly string[];
  /** Timeouts and connection caps against slow or greedy clients (defaults: {@link DEFAULT_HTTP_LIMITS}). */
  readonly httpLimits?: Partial<HttpLimits>;
  /**
   * Per client IP cap on creating things without an API key (presentation requests): at most `max` in each
   * `windowMs`; more get 429 `RATE_LIMITED` with `Retry-After`. Default 60 per minute.
   */
  readonly createRateLimit?: { readonly max: number; readonly windowMs: number };
  /** Key and certificate chain (PEM): the server speaks HTTPS only (`pnpm start --lan`). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /**
   * The wallet's own origin (a second listener, see `listenWalletOrigin`): the wallet pages are served there
   * only, and `/app/wallet/` here redirects to it.
   */
  readonly walletOrigin?: WalletOrigin;
}

/**
 * The mobile-id services on one Fastify instance: the issuer, verifier and auditor APIs (each optional), the
 * signed network descriptor, the credential types' JSON Schemas, health, and the OpenAPI document at
 * `/openapi.json`. Requests are schema-validated; bad input gets a 4xx with a stable code.
 *
 * @example
 * ```ts
 * const app = await createServer({ descriptor, ledger: mirror, verifier: { verifier, requests, publicBaseUrl, domain } });
 * await app.listen({ host: "127.0.0.1", port: 8080 });
 * ```
 */
export async function createServer(params: CreateServerParameters): Promise<FastifyInstance> {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...params.httpLimits };
  const app = Fastify({
    // Fastify's instance type follows its server; an HTTPS server is handled the same way here (listen, close, limits).
    ...(params.tls === undefined ? {} : { https: { key: params.tls.key, cert: params.tls.cert } }),
    logger: params.logger === false ? false : { level: params.logger === true || params.logger === undefined ? "info" : params.logger.level },
    bodyLimit: params.bodyLimit ?? 128 * 1024,
    ...fastifyLimitOptions(limits),
    // Strict request validation: unknown properties are errors, not silently dropped, and no type is coerced
    // (`"1"` is not the integer 1, `"true"` not a boolean): query strings declare their numbers as digit strings.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // `//issuers//snu/credentials` is routed as `/issuers/snu/credentials`, so it meets that route's access rule.
    routerOptions: { ignoreDuplicateSlashes: true },
    // A URL the router cannot decode never reaches the error handler: answer it in the same shape.
    frameworkErrors: (error, _request, reply) => {
      void (reply as FastifyReply).code(400).type("application/json").send({ error: { code: "INVALID_URL", message: error.message } });
    },
  });
  app.server.maxConnections = limits.maxConnections;
  installErrorHandling(app);
  // Before any route (and before the OpenAPI plugin reads them): access is decided on the matched route.
  installAccessControl(app, {
    keys: params.issuers?.keys ?? [],
    ...(params.authorities === undefined ? {} : { authorities: params.authorities }),
  });
  // JSON bodies: duplicate keys and prototype-poisoning keys are refused (Fastify's parser lets the last key win).
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    try {
      done(null, parseStrictJson(body as string));
    } catch (e) {
      done(e as HttpError, undefined);
    }
  });
  if (params.walletOrigin !== undefined) installWalletOriginGuard(app, params.walletOrigin);
  // Before any route: the wallet's protocol endpoints are read from the wallet's own origin.
  installCrossOrigin(app);
  const createLimit = params.createRateLimit ?? { max: 60, windowMs: 60_000 };
  await app.register(rateLimit, {
    global: false,
    // In memory, per IP (an LRU of 5,000 clients by default): one service process is the unit that is protected.
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, "RATE_LIMITED", "too many requests from this address", { hint: `retry in ${context.after}`, details: { max: context.max } }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "mobile-id services",
        version: "1",
        description:
          "Issuer, verifier and auditor APIs of a mobile-id network. Errors: `{ error: { code, message, hint? } }`. " +
          "Any request may also be answered 400 `BAD_HTTP_REQUEST` (unparsable HTTP), 400 `INVALID_URL`, 400 `INVALID_JSON` or " +
          "`DUPLICATE_JSON_KEY` (JSON bodies), 408 `REQUEST_TIMEOUT` (headers or body too slow), 413 `BODY_TOO_LARGE`, " +
          "415 `UNSUPPORTED_MEDIA_TYPE` or 431 `HEADERS_TOO_LARGE`.",
      },
      components: { securitySchemes: { agencyKey: { type: "http", scheme: "bearer", description: "an agency's API key" } } },
      tags: [
        { name: "network", description: "the signed network descriptor and credential types" },
        { name: "issuer", description: "agencies issue and manage credentials (API key per agency)" },
        { name: "verifier", description: "presentation requests and verification" },
        { name: "auditor", description: "read-only ledger reports" },
      ],
    },
  });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/network", { schema: { tags: ["network"], summary: "The signed network descriptor (verify it against your trusted root key)" } }, async () => params.descriptor);
  app.get("/credential-types", { schema: { tags: ["network"], summary: "The credential types and their JSON Schemas" } }, async () =>
    CREDENTIAL_TYPES.map((t) => ({ name: t.name, version: t.version, title: t.title, schemaUri: t.schemaUri, schema: loadSchema(t) })),
  );
  app.get("/health", { schema: { tags: ["network"], summary: "Liveness and the ledger head the services see" } }, async (_request, reply) => {
    try {
      const ledger = await params.ledgerStatus();
      return reply.code(ledger.ok ? 200 : 503).send({ ok: ledger.ok, ledger });
    } catch (e) {
      return reply.code(503).send({ ok: false, error: { code: "LEDGER_UNAVAILABLE", message: e instanceof Error ? e.message : "ledger unavailable" } });
    }
  });

  if (params.issuers !== undefined) registerIssuerRoutes(app, params.issuers.tenants);
  if (params.verifier !== undefined) registerVerifierRoutes(app, params.verifier, createLimit);
  if (params.openid4vp !== undefined) registerOpenid4vpRoutes(app, params.openid4vp, createLimit);
  if (params.auditor !== undefined) registerAuditorRoutes(app, params.auditor);
  if (params.offers !== undefined) registerOfferRoutes(app, params.offers);
  if (params.holder !== undefined) registerHolderRoutes(app, params.holder);
  const holder = params.holder;
  if (holder !== undefined && params.openid4vp !== undefined) {
    const { registrations, ledgerTime } = params.openid4vp;
    registerRelyingPartyRoutes(app, { chainId: holder.chainId, registrations, ledgerTime, identity: (a) => holder.ledger.identity(a) });
  }
  if (params.sdJwtVc !== undefined) registerSdJwtVcRoutes(app, params.sdJwtVc);
  if (params.openid4vci !== undefined) registerOpenid4vciRoutes(app, params.openid4vci);
  if (params.web !== undefined) registerWebRoutes(app, params.web);
  return app;
}
