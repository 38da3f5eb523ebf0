/**
 * Serves fetch-style handlers (`(Request) => Promise<Response>`) over real HTTP, as another organisation's server
 * would: on an origin of its own, readable by a browser wallet on any origin (CORS: `*`, no credentials, the
 * preflight answered for the headers the protocols send). Every request is logged with its `Origin`. Test support
 * for the web wallet's tests against issuers and verifiers we did not write.
 */
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ForeignRequest {
  readonly method: string;
  readonly url: string;
  /** The `Origin` header the browser sent, if any. */
  readonly origin: string | undefined;
  readonly cookie: string | undefined;
}

export interface ForeignServer {
  /** e.g. `http://localhost:40123`. */
  readonly origin: string;
  readonly requests: ForeignRequest[];
  /** Routes requests whose path starts with `prefix` to `handle` (first match wins). */
  route(prefix: string, handle: (req: Request) => Promise<Response>): void;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? "/", origin), { method: req.method ?? "GET", headers, ...(body === undefined ? {} : { body }) });
}

/**
 * Starts the server on 127.0.0.1 and names it `name` in its origin (default `localhost`: another origin than the
 * services' `127.0.0.1`, reached at the same address; bound to IPv4 explicitly, so that no other process can hold
 * the port on the other address family).
 */
export async function startForeignServer(name = "localhost"): Promise<ForeignServer> {
  const routes: { prefix: string; handle: (req: Request) => Promise<Response> }[] = [];
  const requests: ForeignRequest[] = [];
  let origin = "";
  const server: Server = createServer((req, res) => {
    void (async () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", origin: req.headers.origin, cookie: req.headers.cookie });
      const cors = { "access-control-allow-origin": "*", "access-control-expose-headers": "dpop-nonce, www-authenticate" };
      if (req.method === "OPTIONS") {
        res.writeHead(204, { ...cors, "access-control-allow-methods": "GET, POST", "access-control-allow-headers": "authorization, content-type, dpop", "access-control-max-age": "600" }).end();
        return;
      }
      const path = new URL(req.url ?? "/", origin).pathname;
      const route = routes.find((r) => path.startsWith(r.prefix));
      try {
        const answer = route === undefined ? new Response(JSON.stringify({ error: "not_found" }), { status: 404 }) : await route.handle(await toRequest(req, origin));
        const headers: Record<string, string> = { ...cors };
        answer.headers.forEach((v, k) => {
          headers[k] = v;
        });
        res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
      } catch (e) {
        res.writeHead(500, { ...cors, "content-type": "application/json" }).end(JSON.stringify({ error: "server_error", error_description: String(e) }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  origin = `http://${name}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    route: (prefix, handle) => void routes.push({ prefix, handle }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
