/**
 * The worker thread of the ledger state copier: it runs the file-sized work (reading, checking and copying the
 * state file) so that the services' event loop never does. One request at a time, answered by id.
 */
import { parentPort } from "node:worker_threads";
import { copyCompleteStateFile, restoreStateFile } from "./copyStateFile.ts";

export type StateFileJob =
  | { readonly op: "copy"; readonly from: string; readonly to: string }
  | { readonly op: "restore"; readonly stateFile: string; readonly copyFile: string; readonly now: number };

export type StateFileRequest = StateFileJob & { readonly id: number };

export type StateFileResponse = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: string };

parentPort?.on("message", (request: StateFileRequest) => {
  let response: StateFileResponse;
  try {
    const value =
      request.op === "copy"
        ? copyCompleteStateFile({ from: request.from, to: request.to })
        : restoreStateFile({ stateFile: request.stateFile, copyFile: request.copyFile, now: request.now });
    response = { id: request.id, ok: true, value };
  } catch (e) {
    response = { id: request.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  parentPort?.postMessage(response);
});
