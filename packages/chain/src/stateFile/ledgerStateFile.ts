import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { MobileIdError } from "@mobile-id/core";
import { type CopyStateFileOutcome, type RestoreStateFileReturnType, readStateSignature } from "./copyStateFile.ts";
import type { StateFileJob, StateFileResponse } from "./stateFileWorker.ts";

/*
 * anvil rewrites its state file in place (truncate, then write) every interval. A SIGKILL in the middle of a write
 * leaves a torn file, and anvil then refuses to start at all. So: keep the last complete copy beside it
 * (`state.complete.json`, replaced atomically), and restore it before a start if the state file is torn. What
 * the copy misses (a second or two more than the node loses anyway) is written again by the issuers from their
 * journals; deployment and bootstrap are redone idempotently (addresses follow the deployer's nonce).
 *
 * The file can be hundreds of MB: every read of it in full (the check, the copy) runs in a worker thread, and the
 * copier looks at it in full only when a cheap signature (size, first and last KiB) says that anvil wrote a
 * different state, not each time it rewrote the same one.
 */

/** The state file and its last complete copy in a ledger data directory. */
export function ledgerStateFiles(ledgerDir: string): { readonly stateFile: string; readonly copyFile: string } {
  return { stateFile: join(ledgerDir, "state.json"), copyFile: join(ledgerDir, "state.complete.json") };
}

/** A worker thread that runs state file jobs one at a time; it keeps the process alive only while it works. */
class StateFileWorker {
  // Compiled into dist/ (the published package), this module and its worker are .js files.
  readonly #worker = new Worker(new URL(import.meta.url.endsWith(".ts") ? "./stateFileWorker.ts" : "./stateFileWorker.js", import.meta.url));
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  #next = 1;
  #failure: unknown;

  constructor() {
    this.#worker.unref();
    this.#worker.on("message", (r: StateFileResponse) => {
      const p = this.#pending.get(r.id);
      this.#pending.delete(r.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (r.ok) p?.resolve(r.value);
      else p?.reject(new MobileIdError("INVALID_ARGUMENT", "the ledger state file job failed", { details: { error: r.error } }));
    });
    const fail = (e: unknown) => {
      this.#failure = e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new MobileIdError("INVALID_ARGUMENT", "the ledger state file worker exited", { details: { code } })));
  }

  /** The thread died (an uncaught error, killed): it takes no more jobs. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  run<T>(request: StateFileJob): Promise<T> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#next++;
    // A job in progress keeps the process alive (a last copy on shutdown completes); an idle worker does not.
    this.#worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

export interface RestoreLedgerStateParameters {
  /** The ledger data directory (`state.json` and `state.complete.json`). */
  readonly ledgerDir: string;
  /** Receives what was done (a torn file kept aside, the copy restored). */
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

/**
 * Before a node start: puts the last complete copy in place of a torn (or missing) state file, keeping the torn
 * one aside as `state.json.torn-<ms>`. A complete state file is left as it is, whatever its size. The check reads
 * the file in a worker thread, in chunks, with no `JSON.parse`.
 *
 * @example
 * ```ts
 * await restoreLedgerState({ ledgerDir: ".data/ledger", log: console.error });
 * const node = await startLedgerNode({ dataDir: ".data/ledger" });
 * ```
 */
export async function restoreLedgerState(params: RestoreLedgerStateParameters): Promise<RestoreStateFileReturnType> {
  const worker = new StateFileWorker();
  try {
    const r = await worker.run<RestoreStateFileReturnType>({ op: "restore", ...ledgerStateFiles(params.ledgerDir), now: (params.now ?? Date.now)() });
    if (r.tornKeptAs !== undefined) params.log?.(`the ledger state file was torn by a crash (kept as ${r.tornKeptAs})`);
    if (r.restored) params.log?.("restored the last complete ledger state; the issuers write again what it lacks");
    return r;
  } finally {
    await worker.close();
  }
}

export interface KeepLedgerStateCopiesParameters {
  readonly ledgerDir: string;
  /** How often to look at the state file's signature. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Called after each copy taken (for tests and logs). */
  readonly onCopy?: (outcome: CopyStateFileOutcome) => void;
  /** How long the state file must keep its signature before it is copied (not being written), ms. Default 100. */
  readonly settleMs?: number;
}

export interface LedgerStateCopier {
  /** Takes a last copy (e.g. after the node's final dump on a clean stop), then stops. */
  stop(): Promise<void>;
}

/**
 * Keeps `state.complete.json` equal to the last complete state that anvil wrote: each interval it reads the state
 * file's signature (its size and two KiB: cheap); when it differs from the last copy's and still holds `settleMs`
 * later, a worker thread copies the file if it is whole and was not rewritten meanwhile (else a later tick tries
 * again).
 *
 * @example
 * ```ts
 * const copier = keepLedgerStateCopies({ ledgerDir: ".data/ledger" });
 * // ... on shutdown, after the node has stopped:
 * await copier.stop();
 * ```
 */
export function keepLedgerStateCopies(params: KeepLedgerStateCopiesParameters): LedgerStateCopier {
  const { stateFile, copyFile } = ledgerStateFiles(params.ledgerDir);
  const settleMs = params.settleMs ?? 100;
  let worker = new StateFileWorker();
  let copied: string | undefined = readStateSignature(copyFile);
  let running: Promise<void> | undefined;
  const copy = (): Promise<void> =>
    worker.run<CopyStateFileOutcome>({ op: "copy", from: stateFile, to: copyFile }).then(
      (r) => {
        if (r.outcome === "copied") copied = r.signature;
        params.onCopy?.(r);
      },
      () => {
        // The next tick tries again, on a new thread if this one died.
        if (worker.failed) worker = new StateFileWorker();
      },
    );
  /** Whether the state file still has `signature` after `settleMs`: it is not being written. */
  const heldStill = (signature: string): Promise<boolean> =>
    new Promise((resolve) => setTimeout(() => resolve(readStateSignature(stateFile) === signature), settleMs));
  // A copy is started only for a state file that held still for a moment: while anvil rewrites a large file (a
  // second or more at hundreds of MB) its size and tail keep changing, and copying it then would read up to the
  // whole file only to find it torn. A small file is written in milliseconds and is copied at the next tick, also
  // on a busy chain whose every dump differs. `force` (on stop, the node's final dump written) copies at once.
  const take = (force = false): Promise<void> => {
    if (running !== undefined) return running;
    const signature = readStateSignature(stateFile);
    if (signature === undefined || signature === copied) return Promise.resolve();
    running = (force ? Promise.resolve(true) : heldStill(signature))
      .then((still) => (still ? copy() : undefined))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void take(), params.intervalMs ?? 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await take(true);
      await worker.close();
    },
  };
}
