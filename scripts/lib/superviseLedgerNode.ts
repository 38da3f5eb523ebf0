/**
 * Keeps the embedded ledger node running under `pnpm start`: when the anvil process dies (killed, crashed, out of
 * memory) it is started again on the same port and state directory, a bounded number of times, each restart
 * logged. The services keep running meanwhile: they answer 503 `LEDGER_UNAVAILABLE` while the node is away, and
 * once it answers again the issuers write back whatever it lost (its state file lags by up to a second).
 */
import type { LedgerNode } from "@mobile-id/chain";

export interface SuperviseLedgerNodeParameters {
  /** The node as first started. */
  readonly node: LedgerNode;
  /** Starts the node again (same port, same state directory; repairing its state file first). */
  readonly restart: () => Promise<LedgerNode>;
  /** Most restarts within `windowMs` before giving up. Default 5. */
  readonly maxRestarts?: number;
  /** Default 60,000 ms. */
  readonly windowMs?: number;
  /** Pause before the first restart attempt, doubled after each failed one (at most 8 s). Default 1,000 ms. */
  readonly backoffMs?: number;
  readonly log: (line: string) => void;
}

export interface SupervisedLedgerNode {
  /** The node running now (undefined while it is being restarted). */
  current(): LedgerNode | undefined;
  /** Restarts so far. */
  restarts(): number;
  /** Resolves with the reason when supervision gives up (too many restarts in the window, or a restart failed). */
  readonly gaveUp: Promise<string>;
  /** Stops supervising and stops the node cleanly (it saves its state). */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Supervises `node`: see the module comment.
 *
 * @example
 * ```ts
 * const supervisor = superviseLedgerNode({ node, restart: () => startLedgerNode({ dataDir, port: node.port }), log: console.error });
 * const reason = await supervisor.gaveUp; // only if it keeps dying
 * ```
 */
export function superviseLedgerNode(params: SuperviseLedgerNodeParameters): SupervisedLedgerNode {
  const maxRestarts = params.maxRestarts ?? 5;
  const windowMs = params.windowMs ?? 60_000;
  const backoffMs = params.backoffMs ?? 1000;
  let node: LedgerNode | undefined = params.node;
  let stopping = false;
  let restarts = 0;
  /** A restart in progress: `stop` waits for it, so that no node is started after the supervisor stopped. */
  let restarting: Promise<void> | undefined;
  const recent: number[] = [];
  let giveUp!: (reason: string) => void;
  const gaveUp = new Promise<string>((resolve) => {
    giveUp = resolve;
  });

  const watch = (n: LedgerNode): void => {
    restarting = undefined;
    void n.exited.then((code) => {
      restarting = restartAfter(n, code);
    });
  };
  const restartAfter = async (n: LedgerNode, code: number | string): Promise<void> => {
    if (stopping || node !== n) return;
    node = undefined;
    params.log(`the ledger node exited unexpectedly (${String(code)}); the services answer 503 until it is back`);
    let delay = backoffMs;
    for (;;) {
      const now = Date.now();
      while (recent.length > 0 && (recent[0] as number) < now - windowMs) recent.shift();
      if (recent.length >= maxRestarts) {
        giveUp(`the ledger node died ${maxRestarts + 1} times within ${Math.round(windowMs / 1000)} s`);
        return;
      }
      recent.push(now);
      restarts++;
      await sleep(delay);
      if (stopping) return;
      params.log(`restarting the ledger node (restart ${restarts}; at most ${maxRestarts} within ${Math.round(windowMs / 1000)} s) ...`);
      try {
        const next = await params.restart();
        if (stopping) {
          await next.stop();
          return;
        }
        node = next;
        params.log(`the ledger node is back at ${next.url} (pid ${next.pid}); the issuers write again what it lost`);
        watch(next);
        return;
      } catch (e) {
        params.log(`the ledger node did not start: ${e instanceof Error ? e.message : String(e)}`);
        delay = Math.min(delay * 2, 8000);
      }
    }
  };
  watch(params.node);

  return {
    current: () => node,
    restarts: () => restarts,
    gaveUp,
    stop: async () => {
      stopping = true;
      await restarting;
      await node?.stop();
    },
  };
}
