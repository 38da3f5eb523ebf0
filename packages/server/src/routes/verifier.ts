import type { FastifyInstance } from "fastify";
import QRCode from "qrcode";
import { type Clock, CREDENTIAL_TYPES, systemClock } from "@mobile-id/core";
import type { Verifier } from "@mobile-id/verifier";
import { HttpError, errorBodySchema } from "../errors.ts";
import type { RequestStore, StoredRequest } from "../stores/requestStore.ts";

export interface VerifierRoutesParameters {
  readonly verifier: Verifier;
  readonly requests: RequestStore;
  /** Base URL that wallets reach this service at, e.g. `http://127.0.0.1:8080`. */
  readonly publicBaseUrl: string;
  /** The verifier's own domain, the default audience of its requests. */
  readonly domain: string;
  readonly clock?: Clock;
}

const errors = { 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema, 503: errorBodySchema };
const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^[A-Za-z0-9_-]{10,64}$" } } } as const;

/** What a wallet needs: the request and where to send the answer. */
function view(stored: StoredRequest, base: string) {
  return {
    id: stored.id,
    request: stored.request,
    requestUri: `${base}/verifier/requests/${stored.id}`,
    responseUri: `${base}/verifier/requests/${stored.id}/presentation`,
    qrCodeUri: `${base}/verifier/requests/${stored.id}/qr.svg`,
    state: stored.state,
    ...(stored.outcome === undefined ? {} : { outcome: stored.outcome }),
  };
}

/**
 * The verifier API: create a presentation request (JSON and a QR code of its URI), receive the wallet's
 * presentation, return the outcome with its codes. Challenges are consumed once, durably.
 */
export function registerVerifierRoutes(app: FastifyInstance, p: VerifierRoutesParameters): void {
  const clock = p.clock ?? systemClock;
  // Read on every use: with port 0 the URL is known only once the server listens.
  const baseUrl = () => p.publicBaseUrl.replace(/\/$/, "");

  app.post<{ Body: { credentialTypes: string[]; domain?: string; ttlSeconds?: number } }>(
    "/verifier/requests",
    {
      schema: {
        tags: ["verifier"],
        summary: "Create a presentation request (challenge, domain, accepted types, expiry)",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["credentialTypes"],
          properties: {
            credentialTypes: { type: "array", minItems: 1, maxItems: 8, uniqueItems: true, items: { type: "string", enum: CREDENTIAL_TYPES.map((t) => t.name) } },
            domain: { type: "string", minLength: 1, maxLength: 253, pattern: "^[a-z0-9.-]+$" },
            ttlSeconds: { type: "integer", minimum: 30, maximum: 3600 },
          },
        },
        response: errors,
      },
    },
    async (request, reply) => {
      const created = p.verifier.createPresentationRequest({
        domain: request.body.domain ?? p.domain,
        credentialTypes: request.body.credentialTypes,
        ttlSeconds: request.body.ttlSeconds ?? 300,
      });
      const stored = p.requests.create(created, clock());
      return reply.code(201).send(view(stored, baseUrl()));
    },
  );

  const load = (id: string): StoredRequest => {
    const stored = p.requests.get(id);
    if (stored === undefined) throw new HttpError(404, "REQUEST_NOT_FOUND", "no such presentation request");
    return stored;
  };

  app.get<{ Params: { id: string } }>(
    "/verifier/requests/:id",
    { schema: { tags: ["verifier"], summary: "A presentation request, its state and (once answered) the outcome", params: idParams, response: errors } },
    async (request) => view(load(request.params.id), baseUrl()),
  );

  app.get<{ Params: { id: string } }>(
    "/verifier/requests/:id/qr.svg",
    { schema: { tags: ["verifier"], summary: "QR code (SVG) of the request URI, for the wallet's camera", params: idParams } },
    async (request, reply) => {
      const stored = load(request.params.id);
      const svg = await QRCode.toString(`${baseUrl()}/verifier/requests/${stored.id}`, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
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
          properties: { presentation: { type: "string", minLength: 1, maxLength: 65536 } },
        },
        response: errors,
      },
    },
    async (request) => {
      const stored = load(request.params.id);
      const outcome = await p.verifier.verifyPresentation({ presentation: request.body.presentation, request: stored.request });
      await p.requests.answer(stored.id, outcome, clock());
      return outcome;
    },
  );
}
