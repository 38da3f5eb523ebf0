import { STATUS_CODES, type ServerOptions } from "node:http";
import type { Socket } from "node:net";
import type { FastifyServerOptions } from "fastify";
import type { ErrorBody } from "../errors.ts";

/**
 * Limits of the HTTP server against slow and greedy clients. A client that trickles its headers or body is cut
 * when its time is up; connections beyond `maxConnections` are closed as they arrive, so a thousand trickling
 * clients hold at most that many sockets (file descriptors).
 */
export interface HttpLimits {
  /** The request line and headers must arrive within this time, ms. Default 10 000. */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this time, ms. Default 30 000. */
  readonly requestTimeoutMs: number;
  /** A socket with no traffic at all is closed after this time, ms. Default 60 000. */
  readonly idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time, ms. Default 5 000. */
  readonly keepAliveTimeoutMs: number;
  /** Requests served on one keep-alive connection before it is closed. Default 1 000. */
  readonly maxRequestsPerSocket: number;
  /** Open connections at once; more are refused at accept. Default 512. */
  readonly maxConnections: number;
  /** How often Node checks the header and request timeouts, ms (a timeout fires up to this late). Default 1 000. */
  readonly checkIntervalMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestsPerSocket: 1_000,
  maxConnections: 512,
  checkIntervalMs: 1_000,
};

/** The Fastify constructor options that carry `limits`. */
export function fastifyLimitOptions(limits: HttpLimits): Pick<
  FastifyServerOptions,
  "connectionTimeout" | "keepAliveTimeout" | "requestTimeout" | "maxRequestsPerSocket" | "clientErrorHandler"
> & { readonly http: ServerOptions } {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    // Node checks headersTimeout and requestTimeout only every connectionsCheckingInterval (30 s by default).
    http: { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.checkIntervalMs },
    clientErrorHandler,
  };
}

const CLIENT_ERRORS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: "REQUEST_TIMEOUT", message: "the request did not arrive in time" },
  HPE_HEADER_OVERFLOW: { status: 431, code: "HEADERS_TOO_LARGE", message: "the request headers are too large" },
};

/**
 * A request Node could not parse (bad framing, headers too large, too slow) never reaches Fastify: answer it
 * here, with the same `{error:{code,message}}` body as every other error, when the socket can still be written.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  if (socket.writable) {
    const known = err.code === undefined ? undefined : CLIENT_ERRORS[err.code];
    const { status, code, message } = known ?? { status: 400, code: "BAD_HTTP_REQUEST", message: "the HTTP request is malformed" };
    const body: ErrorBody = { error: { code, message } };
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}
