import { isError } from "ethers";
import { MobileIdError } from "@mobile-id/core";
import { unavailable } from "./rpc.ts";

/** Socket errors Node raises when the node's port is closed, reset or silent (a node that died or restarts). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_SOCKET"]);

/**
 * `LEDGER_UNAVAILABLE` for an error thrown while talking to the ledger node that means it did not answer
 * usably: a refused or reset connection (ethers passes Node's socket error through as is), an ethers timeout,
 * a server or transport error, or a reply ethers could not decode (a node that came back without the
 * contracts' state). `undefined` for anything else (a contract revert, a bug), which callers treat as before.
 * With `rpc.ts`, the one place where ethers' and Node's error shapes are read.
 *
 * @example
 * ```ts
 * const e = ledgerTransportError(error);
 * if (e !== undefined) return reply503(e);
 * ```
 */
export function ledgerTransportError(e: unknown): MobileIdError | undefined {
  if (e instanceof MobileIdError) return e.code === "LEDGER_UNAVAILABLE" ? e : undefined;
  if (isError(e, "NETWORK_ERROR") || isError(e, "TIMEOUT") || isError(e, "SERVER_ERROR") || isError(e, "BAD_DATA") || isError(e, "UNKNOWN_ERROR")) {
    return unavailable("the ledger node did not answer usably", e);
  }
  const seen = new Set<unknown>();
  for (let x: unknown = e; x !== null && typeof x === "object" && !seen.has(x); x = (x as { cause?: unknown }).cause) {
    seen.add(x);
    const code = (x as { code?: unknown }).code;
    if (typeof code === "string" && SOCKET_CODES.has(code)) return unavailable("the ledger node cannot be reached", e);
  }
  return undefined;
}
