import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { ledgerTransportError } from "@mobile-id/chain";
import { MobileIdError } from "@mobile-id/core";

/** The body of every error response: a stable code, a short message, and what to do about it. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
    readonly hint?: string;
  };
}

/** Errors that a route raises on purpose, with their HTTP status. */
export class HttpError extends MobileIdError {
  override readonly name = "HttpError";
  readonly statusCode: number;
  constructor(statusCode: number, code: string, message: string, options: ConstructorParameters<typeof MobileIdError>[2] = {}) {
    super(code, message, options);
    this.statusCode = statusCode;
  }
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_REQUEST: 400,
  UNKNOWN_CREDENTIAL_TYPE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  LEDGER_REJECTED: 409,
  LEDGER_UNAVAILABLE: 503,
  NONCE_STORE_FULL: 503,
};

const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_BODY_TOO_LARGE: "BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "INVALID_REQUEST",
};

/** Status for a MobileIdError raised by a package (domain errors are client errors unless listed). */
export function statusFor(e: MobileIdError): number {
  if (e instanceof HttpError) return e.statusCode;
  return STATUS_BY_CODE[e.code] ?? (/NOT_FOUND$/.test(e.code) ? 404 : 422);
}

function send(reply: FastifyReply, status: number, body: ErrorBody): void {
  void reply.code(status).type("application/json").send(body);
}

/**
 * Bad input gets a 4xx with a stable code, never a 500 or a stack trace. Unknown faults are logged with their
 * stack and answered with a bare 500 `INTERNAL`.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError | MobileIdError | Error, request, reply) => {
    // A route that read the ledger node directly and found it down (or back without state) answers 503
    // LEDGER_UNAVAILABLE like the routes that read the mirror, not 500.
    const error = thrown instanceof MobileIdError ? thrown : (ledgerTransportError(thrown) ?? thrown);
    if (error instanceof MobileIdError) {
      const status = statusFor(error);
      if (status >= 500) request.log.warn({ code: error.code, err: error }, "service unavailable");
      send(reply, status, {
        error: {
          code: error.code,
          message: error.message,
          ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
          ...(error.hint === undefined ? {} : { hint: error.hint }),
        },
      });
      return;
    }
    const fe = error as FastifyError;
    if (fe.validation !== undefined) {
      send(reply, 400, {
        error: {
          code: "INVALID_REQUEST",
          message: "the request does not match the API schema",
          details: { problems: fe.validation.map((v) => `${v.instancePath || fe.validationContext || "/"} ${v.message ?? ""}`.trim()) },
        },
      });
      return;
    }
    if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify's own client errors (bad JSON, body too large, media type...), under our stable codes.
      send(reply, fe.statusCode, { error: { code: FASTIFY_CODES[fe.code] ?? "INVALID_REQUEST", message: fe.message } });
      return;
    }
    request.log.error({ err: error }, "unhandled error");
    send(reply, 500, { error: { code: "INTERNAL", message: "internal error" } });
  });
  app.setNotFoundHandler((request, reply) => {
    send(reply, 404, { error: { code: "NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0] ?? ""}` } });
  });
}

/** JSON schema of {@link ErrorBody}, for OpenAPI responses. */
export const errorBodySchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        details: { type: "object", additionalProperties: true },
        hint: { type: "string" },
      },
    },
  },
} as const;
