import type { LedgerRpc } from "./types.ts";

export interface CreateFetchLedgerRpcParameters {
  /** The node's JSON-RPC URL. */
  readonly url: string;
  /** Per request. Default 60 s (a catch-up `eth_getLogs` over a large ledger returns tens of MB). */
  readonly timeoutMs?: number;
}

/** A JSON-RPC error answered by the node, with its code and data (revert data for `eth_call`). */
export class JsonRpcResponseError extends Error {
  override readonly name = "JsonRpcResponseError";
  readonly code: number;
  readonly data: unknown;
  constructor(message: string, code: number, data: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/**
 * A {@link LedgerRpc} over the platform's `fetch`, one request per call. For bulk reads (a ledger mirror catching
 * up): ethers' Node transport grows the response body by one copy per received chunk, which is quadratic in the
 * response's size; `fetch` reads it in linear time.
 *
 * @example
 * ```ts
 * const mirror = new LedgerMirror({ rpc: createFetchLedgerRpc({ url: descriptor.rpcUrl }), descriptor });
 * ```
 */
export function createFetchLedgerRpc(params: CreateFetchLedgerRpcParameters): LedgerRpc {
  let id = 0;
  return {
    async send(method, rpcParams) {
      const response = await fetch(params.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: rpcParams }),
        signal: AbortSignal.timeout(params.timeoutMs ?? 60_000),
      });
      if (!response.ok) throw new Error(`the ledger node answered HTTP ${response.status} to ${method}`);
      const body = (await response.json()) as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
      if (body.error !== undefined && body.error !== null) {
        throw new JsonRpcResponseError(String(body.error.message ?? "JSON-RPC error"), Number(body.error.code ?? 0), body.error.data);
      }
      if (!("result" in body)) throw new Error(`the ledger node answered ${method} with no result`);
      return body.result;
    },
  };
}
