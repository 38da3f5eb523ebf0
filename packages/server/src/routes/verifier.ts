import type { FastifyInstance } from "fastify";
import QRCode from "qrcode";
import { type Clock, CREDENTIAL_TYPES, MAX_PRESENTATION_BYTES, VerificationCode, systemClock } from "@mobile-id/core";
import type { Verifier } from "@mobile-id/verifier";
import { HttpError, errorBodySchema } from "../errors.ts";
import type { RequestStore, StoredRequest } from "../stores/requestStore.ts";
import { normalizeDomain } from "../validation/text.ts";

export interface VerifierRoutesParameters {
  readonly verifier: Verifier;
  readonly requests: RequestStore;
  /** Base URL that wallets reach this service at, e.g. `http://127.0.0.1:8080`. */
  readonly publicBaseUrl: string;
  /**
   * Base URL of the wallet's own origin when the wallet is served apart from the counter pages (`pnpm start`):
   * the request and response URIs a wallet uses, and the QR code's content, are on it, since a wallet talks only
   * to its own origin. Default: {@link publicBaseUrl}. Read on every request.
   */
  readonly walletBaseUrl?: string;
  /** The verifier's own domain, the default audience of its requests. */
  readonly domain: string;
  readonly clock?: Clock;
  /**
   * Failed answers a request accepts; then it is closed (`REQUEST_CLOSED`), so that one request cannot be used
   * to try presentation after presentation. Default 3.
   */
  readonly maxFailedAnswers?: number;
}

/** Per-IP cap on creating requests (no API key is needed to create one). */
export interface CreateRateLimit {
  readonly max: number;
  readonly windowMs: number;
}

const errors = { 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema, 503: errorBodySchema };
const createErrors = { ...errors, 429: errorBodySchema };
const answerErrors = { ...errors, 409: errorBodySchema };

/** Outcomes that say nothing about the presentation, only that the verifier could not decide now. */
const UNDECIDED: ReadonlySet<string> = new Set([VerificationCode.LEDGER_UNAVAILABLE, VerificationCode.TIME_BUDGET_EXCEEDED]);
const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^[A-Za-z0-9_-]{10,64}$" } } } as const;

/** What a wallet needs: the request and where to send the answer; for the counter, the outcome once. */
function view(stored: StoredRequest, base: string, maxFailedAnswers: number, walletBase: string = base) {
  return {
    id: stored.id,
    request: stored.request,
    requestUri: `${walletBase}/verifier/requests/${stored.id}`,
    responseUri: `${walletBase}/verifier/requests/${stored.id}/presentation`,
    qrCodeUri: `${base}/verifier/requests/${stored.id}/qr.svg`,
    state: stored.state,
    failedAnswers: stored.failedAnswers,
    closed: isClosed(stored, maxFailedAnswers),
    ...(stored.outcome === undefined ? {} : { outcome: stored.outcome }),
  };
}

const isClosed = (stored: StoredRequest, maxFailedAnswers: number): boolean =>
  stored.state !== "verified" && stored.failedAnswers >= maxFailedAnswers;

/**
 * The verifier API: create a presentation request (JSON and a QR code of its URI), receive the wallet's
 * presentation, return the outcome with its codes. Challenges are consumed once, durably.
 */
export function registerVerifierRoutes(app: FastifyInstance, p: VerifierRoutesParameters, createRateLimit?: CreateRateLimit): void {
  const clock = p.clock ?? systemClock;
  const maxFailed = p.maxFailedAnswers ?? 3;
  // Answers being verified right now, per request: with the failures already recorded, they bound how many
  // answers one request can take, also when they all arrive at once.
  const inFlight = new Map<string, number>();
  let lastPurge = -1;
  // Read on every use: with port 0 the URL is known only once the server listens.
  const baseUrl = () => p.publicBaseUrl.replace(/\/$/, "");
  const walletBaseUrl = () => (p.walletBaseUrl ?? p.publicBaseUrl).replace(/\/$/, "");

  app.post<{ Body: { credentialTypes: string[]; domain?: string; ttlSeconds?: number } }>(
    "/verifier/requests",
    {
      // Anyone may create a request: capped per client IP (the @fastify/rate-limit plugin reads this).
      ...(createRateLimit === undefined ? {} : { config: { rateLimit: { max: createRateLimit.max, timeWindow: createRateLimit.windowMs } } }),
      schema: {
        tags: ["verifier"],
        summary: "Create a presentation request (challenge, domain, accepted types, expiry)",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["credentialTypes"],
          properties: {
            credentialTypes: { type: "array", minItems: 1, maxItems: 8, uniqueItems: true, items: { type: "string", enum: CREDENTIAL_TYPES.map((t) => t.name) } },
            domain: { type: "string", minLength: 1, maxLength: 253, description: "a host name (internationalised names are converted to punycode)" },
            ttlSeconds: { type: "integer", minimum: 30, maximum: 3600 },
          },
        },
        response: createErrors,
      },
    },
    async (request, reply) => {
      let domain = p.domain;
      if (request.body.domain !== undefined) {
        const normalized = normalizeDomain(request.body.domain);
        if (normalized === undefined) throw new HttpError(400, "INVALID_DOMAIN", "domain is not a valid host name", { hint: "e.g. library.snu.ac.kr" });
        domain = normalized;
      }
      const created = p.verifier.createPresentationRequest({
        domain,
        credentialTypes: request.body.credentialTypes,
        ttlSeconds: request.body.ttlSeconds ?? 300,
      });
      const now = clock();
      // Expired requests go as new ones come in (at most once a second), besides the services' periodic purge.
      if (now !== lastPurge) {
        p.requests.purge(now);
        lastPurge = now;
      }
      const stored = p.requests.create(created, now);
      return reply.code(201).header("cache-control", "no-store").send({ ...view(stored, baseUrl(), maxFailed, walletBaseUrl()), counterToken: stored.counterToken });
    },
  );

  const load = (id: string): StoredRequest => {
    const stored = p.requests.get(id);
    if (stored === undefined) throw new HttpError(404, "REQUEST_NOT_FOUND", "no such presentation request");
    return stored;
  };

  app.get<{ Params: { id: string } }>(
    "/verifier/requests/:id",
    {
      schema: {
        tags: ["verifier"],
        summary: "A presentation request and its state; with the counter token, the outcome, returned once and then erased",
        description:
          "Without credentials (a wallet fetching the request): the request and its state. With `Authorization: Bearer " +
          "<counterToken>` (the token from the creation answer): also the outcome with the holder's claims, once; the " +
          "service then erases it. Another token: 403.",
        params: idParams,
        response: { ...errors, 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      const header = request.headers.authorization;
      let stored: StoredRequest | undefined;
      if (header === undefined) {
        stored = p.requests.get(request.params.id);
        if (stored !== undefined) stored = { ...stored, outcome: undefined };
      } else {
        const token = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header)?.[1];
        if (p.requests.get(request.params.id) === undefined) throw new HttpError(404, "REQUEST_NOT_FOUND", "no such presentation request");
        if (token === undefined || !p.requests.isCounterToken(request.params.id, token)) {
          throw new HttpError(403, "FORBIDDEN", "this is not the counter token of this request");
        }
        stored = p.requests.takeForCounter(request.params.id, clock());
      }
      if (stored === undefined) throw new HttpError(404, "REQUEST_NOT_FOUND", "no such presentation request");
      return reply.header("cache-control", "no-store").send(view(stored, baseUrl(), maxFailed, walletBaseUrl()));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/verifier/requests/:id/qr.svg",
    { schema: { tags: ["verifier"], summary: "QR code (SVG) of the request URI, for the wallet's camera", params: idParams } },
    async (request, reply) => {
      const stored = load(request.params.id);
      const svg = await QRCode.toString(`${walletBaseUrl()}/verifier/requests/${stored.id}`, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      return reply.type("image/svg+xml").header("cache-control", "no-store").send(svg);
    },
  );

  app.post<{ Params: { id: string }; Body: { presentation: string } }>(
    "/verifier/requests/:id/presentation",
    {
      schema: {
        tags: ["verifier"],
        summary: "Receive the wallet's self-signed presentation; returns the verification outcome",
        params: idParams,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["presentation"],
          properties: { presentation: { type: "string", minLength: 1, maxLength: MAX_PRESENTATION_BYTES } },
        },
        response: answerErrors,
      },
    },
    async (request, reply) => {
      const stored = load(request.params.id);
      const busy = inFlight.get(stored.id) ?? 0;
      if (isClosed(stored, maxFailed)) {
        throw new HttpError(409, "REQUEST_CLOSED", `this request took ${maxFailed} failed answers and is closed`, {
          hint: "create a new presentation request",
          details: { failedAnswers: stored.failedAnswers },
        });
      }
      // Answers still being verified may all fail: together with the recorded failures they must stay under the cap.
      if (stored.state !== "verified" && stored.failedAnswers + busy >= maxFailed) {
        throw new HttpError(409, "REQUEST_BUSY", "this request is already answering; wait for the answers under way", {
          details: { failedAnswers: stored.failedAnswers, answering: busy },
        });
      }
      inFlight.set(stored.id, busy + 1);
      try {
        const outcome = await p.verifier.verifyPresentation({ presentation: request.body.presentation, request: stored.request });
        // The verifier could not decide (ledger unreachable or too slow): like every ledger-backed route, 503, and
        // the answer is neither recorded nor counted against the request; the holder sends it again.
        if (!outcome.verified && outcome.code !== undefined && UNDECIDED.has(outcome.code)) {
          void reply.header("retry-after", "2");
          throw new HttpError(503, outcome.code, "the verifier cannot read the ledger now; send the presentation again shortly", {
            hint: "retry in a few seconds",
          });
        }
        await p.requests.answer(stored.id, outcome, clock());
        return reply.header("cache-control", "no-store").send(outcome);
      } finally {
        const left = (inFlight.get(stored.id) ?? 1) - 1;
        if (left === 0) inFlight.delete(stored.id);
        else inFlight.set(stored.id, left);
      }
    },
  );
}
