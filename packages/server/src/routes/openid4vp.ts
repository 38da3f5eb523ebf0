import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import QRCode from "qrcode";
import type { RelyingPartyLedger } from "@mobile-id/chain";
import { type Clock, type JwsKeySigner, MAX_PRESENTATION_BYTES, MobileIdError, VerificationCode, systemClock } from "@mobile-id/core";
import {
  DCQL_LIMITS,
  MAX_VP_TOKEN_PRESENTATIONS,
  type Openid4vpVerifier,
  type VerifyAuthorizationResponseReturnType,
  createAuthorizationRequest,
  openAuthorizationResponse,
  verifyAuthorizationResponse,
} from "@mobile-id/verifier";
import { HttpError, errorBodySchema } from "../errors.ts";
import type { CreateRateLimit } from "./verifier.ts";
import { type Openid4vpSession, type Openid4vpSessionStore, createOpenid4vpSessionStore } from "./openid4vpStore.ts";

export interface Openid4vpRoutesParameters {
  /** The services' relying party: its registered `did:ethr` and ES256K key (dev roster account 9). */
  readonly relyingParty: { readonly did: string; readonly signer: JwsKeySigner };
  /** Where registrations are read (`createRelyingPartyReader`). */
  readonly registrations: RelyingPartyLedger;
  /** The ledger's current time (registrations are judged at it). */
  readonly ledgerTime: () => Promise<number>;
  readonly verifier: Openid4vpVerifier;
  /** Base URL of the counter's API (QR code images). Read on every request. */
  readonly publicBaseUrl: string;
  readonly clock?: Clock;
  readonly store?: Openid4vpSessionStore;
  /** Seconds an unread outcome is kept. Default 300. */
  readonly outcomeTtlSeconds?: number;
}

/** Largest form body of a response: the presentations' cap, with room for form encoding. */
export const MAX_RESPONSE_BODY_BYTES = MAX_PRESENTATION_BYTES * MAX_VP_TOKEN_PRESENTATIONS * 2;
const UNDECIDED: ReadonlySet<string> = new Set([VerificationCode.LEDGER_UNAVAILABLE, VerificationCode.TIME_BUDGET_EXCEEDED]);
const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^[A-Za-z0-9_-]{10,64}$" } } } as const;

/** An OAuth 2.0 error (RFC 6749 §5.2 shape) for the wallet-facing endpoints. */
class OauthError extends Error {
  readonly statusCode: number;
  readonly error: string;
  readonly description: string;
  /** Our stable code behind it, when there is one (`mobile_id_code`). */
  readonly code: string | undefined;
  constructor(statusCode: number, error: string, description: string, code?: string) {
    super(description);
    this.statusCode = statusCode;
    this.error = error;
    this.description = description;
    this.code = code;
  }
}

const oauthErrorSchema = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "string" }, error_description: { type: "string" }, mobile_id_code: { type: "string" } },
} as const;

/** What the counter's poll returns: state, and once, the verified claims. */
function resultView(s: Openid4vpSession) {
  const o = s.outcome;
  return {
    id: s.id,
    state: s.state,
    expiresAt: s.request.expiresAt,
    outcomeRead: s.outcomeRead,
    ...(o === undefined ? {} : { outcome: outcomeView(o) }),
  };
}

function outcomeView(o: VerifyAuthorizationResponseReturnType) {
  if (o.declined) return { verified: false, declined: true, error: o.error, ...(o.errorDescription === undefined ? {} : { errorDescription: o.errorDescription }) };
  return {
    verified: o.verified,
    declined: false,
    ...(o.code === undefined ? {} : { code: o.code, message: o.message }),
    ...(o.credentialQueryId === undefined ? {} : { credentialQueryId: o.credentialQueryId }),
    credentials: o.credentials.map((c) => ({
      credentialQueryId: c.credentialQueryId,
      format: c.format,
      type: c.type,
      issuer: c.issuer,
      subject: c.subject,
      claims: c.claims,
      validUntil: c.validUntil,
    })),
    ...(o.ledgerAsOf === undefined ? {} : { ledgerAsOf: o.ledgerAsOf }),
  };
}

/**
 * The verifier side of OpenID4VP 1.0 with DCQL (issue 11):
 *
 * - `POST /verifier/openid4vp/requests` (counter, rate-limited per IP): `{ dcqlQuery, ttlSeconds?, responseMode? }` →
 *   201 `{ id, link, requestUri, responseUri, qrCodeUri, clientId, relyingParty, expiresAt, responseMode, state,
 *   counterToken }`. Refusals `{ error: {
 *   code, message } }`: 400 `DCQL_INVALID` / `DCQL_UNSUPPORTED`, 413 `DCQL_TOO_LARGE`, 422 a `RelyingPartyCode`.
 * - `GET /verifier/openid4vp/requests/:id` (wallet): the signed request object, `application/oauth-authz-req+jwt`.
 * - `POST /verifier/openid4vp/responses/:id` (wallet, form-urlencoded): `vp_token` + `state`, or `error` (+
 *   `error_description`) + `state`; for `direct_post.jwt`, `response` = a JWE (ECDH-ES) of those fields. 200 `{}` when verified or declined; OAuth errors `{ error, error_description,
 *   mobile_id_code? }` otherwise (400 `invalid_request`, 413, 415, 503 `temporarily_unavailable`). One response per
 *   request.
 * - `GET /verifier/openid4vp/requests/:id/result` (counter, `Authorization: Bearer <counterToken>`): `{ id, state,
 *   expiresAt, outcome? }`, the outcome (claims, `ledgerAsOf`) returned once.
 * - `GET /verifier/openid4vp/requests/:id/qr.svg`: the QR code of the `openid4vp://` link.
 */
export function registerOpenid4vpRoutes(app: FastifyInstance, p: Openid4vpRoutesParameters, createRateLimit?: CreateRateLimit): void {
  const clock = p.clock ?? systemClock;
  const store = p.store ?? createOpenid4vpSessionStore(p.outcomeTtlSeconds === undefined ? {} : { outcomeTtlSeconds: p.outcomeTtlSeconds });
  const base = () => p.publicBaseUrl.replace(/\/$/, "");
  // The verifier's own URLs: the wallet reads them from its origin, whatever it is (CORS, see http/crossOrigin.ts).
  const requestUri = (id: string) => `${base()}/verifier/openid4vp/requests/${id}`;
  const link = (s: Openid4vpSession) => `openid4vp://?client_id=${encodeURIComponent(s.request.clientId)}&request_uri=${encodeURIComponent(requestUri(s.id))}`;
  let lastPurge = -1;

  app.post<{ Body: { dcqlQuery: unknown; ttlSeconds?: number; responseMode?: "direct_post" | "direct_post.jwt" } }>(
    "/verifier/openid4vp/requests",
    {
      ...(createRateLimit === undefined ? {} : { config: { rateLimit: { max: createRateLimit.max, timeWindow: createRateLimit.windowMs } } }),
      // The DCQL cap with room for the rest: a larger body is refused before it is parsed.
      bodyLimit: DCQL_LIMITS.maxBytes * 2,
      schema: {
        tags: ["verifier"],
        summary: "Create an OpenID4VP authorization request with a DCQL query (signed request object, openid4vp:// link)",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["dcqlQuery"],
          properties: {
            dcqlQuery: { type: "object" },
            ttlSeconds: { type: "integer", minimum: 30, maximum: 3600 },
            responseMode: { type: "string", enum: ["direct_post", "direct_post.jwt"], description: "direct_post.jwt: the wallet encrypts its response (ECDH-ES, P-256)" },
          },
        },
        response: { 400: errorBodySchema, 413: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (request, reply) => {
      const now = clock();
      if (now !== lastPurge) {
        store.purge(now);
        lastPurge = now;
      }
      const id = store.newId();
      let created;
      try {
        created = await createAuthorizationRequest({
          relyingParty: p.relyingParty,
          ledger: p.registrations,
          dcqlQuery: request.body.dcqlQuery,
          responseUri: `${base()}/verifier/openid4vp/responses/${id}`,
          ttlSeconds: request.body.ttlSeconds ?? 300,
          responseMode: request.body.responseMode ?? "direct_post",
          clock,
          registrationTime: await p.ledgerTime(),
        });
      } catch (e) {
        if (e instanceof MobileIdError && e.code === "DCQL_TOO_LARGE") throw new HttpError(413, e.code, e.message, { details: e.details });
        if (e instanceof MobileIdError && (e.code === "DCQL_INVALID" || e.code === "DCQL_UNSUPPORTED")) throw new HttpError(400, e.code, e.message, { details: e.details });
        throw e;
      }
      let made;
      try {
        made = store.create(created, now, id);
      } catch {
        throw new HttpError(503, "TOO_MANY_REQUESTS_OPEN", "too many open presentation requests; try again shortly");
      }
      const s = made.session;
      return reply
        .code(201)
        .header("cache-control", "no-store")
        .send({
          id: s.id,
          link: link(s),
          requestUri: requestUri(s.id),
          responseUri: created.responseUri,
          qrCodeUri: `${base()}/verifier/openid4vp/requests/${s.id}/qr.svg`,
          clientId: created.clientId,
          relyingParty: created.relyingParty,
          expiresAt: created.expiresAt,
          responseMode: created.responseMode,
          state: s.state,
          counterToken: made.counterToken,
        });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/verifier/openid4vp/requests/:id/result",
    {
      schema: {
        tags: ["verifier"],
        summary: "The counter's poll: state (pending, fetched, verified, rejected, declined, expired) and, once, the verified claims",
        params: idParams,
        response: { 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const token = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(request.headers.authorization ?? "")?.[1];
      if (store.get(id, clock()) === undefined) throw new HttpError(404, "REQUEST_NOT_FOUND", "no such presentation request");
      if (token === undefined || !store.isCounterToken(id, token)) throw new HttpError(403, "FORBIDDEN", "this is not the counter token of this request");
      const s = store.takeForCounter(id, clock()) as Openid4vpSession;
      return reply.header("cache-control", "no-store").send(resultView(s));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/verifier/openid4vp/requests/:id/qr.svg",
    { schema: { tags: ["verifier"], summary: "QR code (SVG) of the openid4vp:// link", params: idParams } },
    async (request, reply) => {
      const s = store.get(request.params.id, clock());
      if (s === undefined) throw new HttpError(404, "REQUEST_NOT_FOUND", "no such presentation request");
      const svg = await QRCode.toString(link(s), { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      return reply.type("image/svg+xml").header("cache-control", "no-store").send(svg);
    },
  );

  // The wallet's endpoints answer in OAuth's error shape, in a scope of their own (error handler, form parser).
  void app.register(async (wallet) => {
    wallet.setErrorHandler((thrown: FastifyError | OauthError | Error, request, reply: FastifyReply) => {
      if (thrown instanceof OauthError) {
        void reply.code(thrown.statusCode).header("cache-control", "no-store").send({
          error: thrown.error,
          error_description: thrown.description,
          ...(thrown.code === undefined ? {} : { mobile_id_code: thrown.code }),
        });
        return;
      }
      const fe = thrown as FastifyError;
      const status = typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : fe.validation !== undefined ? 400 : 500;
      if (status === 500) request.log.error({ err: thrown }, "unhandled error");
      void reply
        .code(status)
        .header("cache-control", "no-store")
        .send({ error: status === 500 ? "server_error" : "invalid_request", error_description: status === 500 ? "internal error" : fe.message });
    });
    wallet.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: MAX_RESPONSE_BODY_BYTES }, (_request, body, done) => {
      const form = new URLSearchParams(body as string);
      const out: Record<string, string> = {};
      for (const [k, v] of form) {
        if (Object.hasOwn(out, k)) {
          done(new OauthError(400, "invalid_request", `parameter ${k} appears more than once`), undefined);
          return;
        }
        out[k] = v;
      }
      done(null, out);
    });

    wallet.get<{ Params: { id: string } }>(
      "/verifier/openid4vp/requests/:id",
      {
        // Read by the holder's wallet from its own origin.
        config: { crossOrigin: true },
        schema: { tags: ["verifier"], summary: "The signed request object (request_uri), application/oauth-authz-req+jwt", params: idParams },
      },
      async (request, reply) => {
        const s = store.get(request.params.id, clock());
        if (s === undefined) throw new OauthError(404, "invalid_request", "no such request (request_uri unknown)", "REQUEST_NOT_FOUND");
        if (s.state === "expired") throw new OauthError(400, "invalid_request", "this request has expired", VerificationCode.EXPIRED);
        if (s.answered) throw new OauthError(400, "invalid_request", "this request was already answered", VerificationCode.REPLAYED);
        if (s.state === "pending") s.state = "fetched";
        return reply.type("application/oauth-authz-req+jwt").header("cache-control", "no-store").send(s.request.requestObject);
      },
    );

    wallet.post<{ Params: { id: string }; Body: Record<string, string> }>(
      "/verifier/openid4vp/responses/:id",
      {
        bodyLimit: MAX_RESPONSE_BODY_BYTES,
        config: { crossOrigin: true },
        schema: { tags: ["verifier"], summary: "The wallet's authorization response (direct_post, form-urlencoded)", params: idParams, response: { 400: oauthErrorSchema } },
      },
      async (request, reply) => {
        const form = request.body;
        if (form === null || typeof form !== "object" || Array.isArray(form)) throw new OauthError(400, "invalid_request", "send the response form-urlencoded");
        const now = clock();
        const s = store.get(request.params.id, now);
        if (s === undefined) throw new OauthError(400, "invalid_request", "no such request", "REQUEST_NOT_FOUND");
        if (s.answered) throw new OauthError(400, "invalid_request", "this request was already answered", VerificationCode.REPLAYED);
        if (s.state === "expired") throw new OauthError(400, "invalid_request", "this request has expired", VerificationCode.EXPIRED);
        // direct_post.jwt: the fields are inside the JWE; a response that cannot be opened does not spend the request.
        const opened = openAuthorizationResponse({ request: s.request, response: form });
        if (!opened.ok) throw new OauthError(400, "invalid_request", opened.message, opened.code);
        const body = opened.response;
        if (typeof body["state"] !== "string" || body["state"] !== s.request.state) {
          throw new OauthError(400, "invalid_request", "state is not this request's", VerificationCode.STATE_MISMATCH);
        }
        if ((body["vp_token"] === undefined) === (body["error"] === undefined)) {
          throw new OauthError(400, "invalid_request", "send either vp_token or error", VerificationCode.MALFORMED);
        }
        // Taken before the first await: a second response arriving meanwhile is a replay.
        s.answered = true;
        let outcome: VerifyAuthorizationResponseReturnType;
        try {
          outcome = await verifyAuthorizationResponse({ verifier: p.verifier, request: s.request, response: body, opened: true });
        } catch (e) {
          s.answered = false;
          throw e;
        }
        if (!outcome.declined && !outcome.verified && outcome.code !== undefined && UNDECIDED.has(outcome.code)) {
          // The verifier could not decide now: nothing recorded, the wallet may send the same response again.
          s.answered = false;
          void reply.header("retry-after", "2");
          throw new OauthError(503, "temporarily_unavailable", "the verifier cannot read the ledger now; send the response again shortly", outcome.code);
        }
        s.outcome = outcome;
        s.answeredAt = now;
        s.state = outcome.declined ? "declined" : outcome.verified ? "verified" : "rejected";
        if (!outcome.declined && !outcome.verified) {
          throw new OauthError(400, "invalid_request", outcome.message ?? "the presentation was not accepted", outcome.code);
        }
        return reply.header("cache-control", "no-store").send({});
      },
    );
  });
}
