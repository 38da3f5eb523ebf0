import { describeLedgerError } from "@mobile-id/chain";
import { AuditorError } from "../errors.ts";

/**
 * Where chain's classification of ledger errors ({@link describeLedgerError}) becomes auditor errors. A revert of a view becomes
 * `LEDGER_CALL_REVERTED` (with the decoded custom error when ethers knows it); anything else the transport or
 * the node throws becomes `LEDGER_UNAVAILABLE`. Our own errors pass through unchanged. Keep `call` to the RPC
 * request itself, so that a bug in our code is not reported as an unreachable ledger.
 */
export async function ledgerCall<T>(
  what: string,
  details: Readonly<Record<string, unknown>>,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw auditorLedgerError(what, details, cause);
  }
}

export function auditorLedgerError(
  what: string,
  details: Readonly<Record<string, unknown>>,
  cause: unknown,
): AuditorError {
  if (cause instanceof AuditorError) return cause;
  const failure = describeLedgerError(cause);
  if (failure.kind === "reverted") {
    return new AuditorError("LEDGER_CALL_REVERTED", `${what} reverted`, {
      cause,
      details: { ...details, revert: failure.error ?? null, revertArgs: failure.error === undefined ? null : failure.args.map(String) },
    });
  }
  return new AuditorError("LEDGER_UNAVAILABLE", `the ledger did not answer: ${what}`, {
    cause,
    details,
    hint:
      "check that the node is running and reachable; comparing state at a past block (consistency --at-block) " +
      "needs a node that keeps past states (an archive node on Besu; anvil only for blocks since its last start)",
  });
}

/** Rejects with `LEDGER_UNAVAILABLE` when `promise` has not settled after `ms` milliseconds. */
export async function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AuditorError("LEDGER_UNAVAILABLE", `the ledger did not answer within ${ms} ms: ${what}`, {
            details: { timeoutMs: ms },
            hint: "check that the node is running and that the RPC URL is right",
          }),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `fn` over `items` with at most `limit` calls in flight; results keep the order of `items`. `onDone` is
 * called after each item completes (for progress).
 */
export async function mapLimit<I, O>(
  items: readonly I[],
  limit: number,
  fn: (item: I, index: number) => Promise<O>,
  onDone?: (done: number) => void,
): Promise<O[]> {
  const out = new Array<O>(items.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    // After one failure the others stop taking items: the caller gets the first error, not a flood of calls.
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as I, i);
      } catch (e) {
        failed = true;
        throw e;
      }
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
