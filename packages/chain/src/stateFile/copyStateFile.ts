import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { SCAN_CHUNK_BYTES, createJsonDocumentScan, isCompleteJsonFile } from "./scanJsonDocument.ts";

/** What {@link copyCompleteStateFile} did. */
export type CopyStateFileOutcome =
  /** `to` now holds the complete document that `from` held. */
  | { readonly outcome: "copied"; readonly signature: string }
  /** `from` is not (yet) one whole JSON document: being written, or torn. `to` is untouched. */
  | { readonly outcome: "incomplete" }
  /** `from` was rewritten while being read. `to` is untouched. */
  | { readonly outcome: "changed" }
  /** `from` does not exist. */
  | { readonly outcome: "missing" };

/** Bytes of the head and of the tail that, with the size, tell one state dump from another (see stateSignature). */
const SIGNATURE_BYTES = 1024;

/**
 * What tells one state dump from the next without reading it all: its size, its first KiB (anvil writes the
 * pending block's number and time there, so every mined block changes it) and its last KiB. anvil rewrites the
 * file every interval even when nothing happened; equal signatures mean the same dump again, and no copy.
 *
 * @example
 * ```ts
 * if (readStateSignature(".data/ledger/state.json") !== lastCopied) copyAgain();
 * ```
 */
export function readStateSignature(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(SIGNATURE_BYTES, size));
    const tail = Buffer.alloc(Math.min(SIGNATURE_BYTES, size));
    readSync(fd, head, 0, head.length, 0);
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return signatureOf(size, head, tail);
  } finally {
    closeSync(fd);
  }
}

function signatureOf(size: number, head: Buffer, tail: Buffer): string {
  return `${size}:${head.toString("base64")}:${tail.toString("base64")}`;
}

/**
 * Copies `from` to `to` (through `to.tmp`, fsynced, then renamed: `to` is always a whole earlier copy or the new
 * one) if and only if `from` holds one whole JSON document and was not rewritten during the copy. Reads, checks
 * and writes in 1 MiB chunks, so memory stays flat whatever the size. Synchronous: the ledger state copier runs
 * it in a worker thread, never on the services' event loop.
 *
 * @example
 * ```ts
 * const r = copyCompleteStateFile({ from: "state.json", to: "state.complete.json" });
 * if (r.outcome !== "copied") retryLater();
 * ```
 */
export function copyCompleteStateFile(params: { readonly from: string; readonly to: string }): CopyStateFileOutcome {
  let src: number;
  try {
    src = openSync(params.from, "r");
  } catch {
    return { outcome: "missing" };
  }
  const tmp = `${params.to}.tmp`;
  let dst: number | undefined;
  let keep = false;
  try {
    const before = fstatSync(src);
    dst = openSync(tmp, "w", 0o600);
    const scan = createJsonDocumentScan();
    const chunk = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
    const head = Buffer.alloc(Math.min(SIGNATURE_BYTES, before.size));
    const tail = Buffer.alloc(Math.min(SIGNATURE_BYTES, before.size));
    let offset = 0;
    for (;;) {
      const n = readSync(src, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const part = chunk.subarray(0, n);
      scan.push(part);
      writeSync(dst, part);
      // The signature's bytes, taken from the very bytes copied.
      if (offset < head.length) part.copy(head, offset, 0, Math.min(n, head.length - offset));
      const tailStart = before.size - tail.length;
      if (offset + n > tailStart && offset < before.size) {
        const from = Math.max(0, tailStart - offset);
        part.copy(tail, offset + from - tailStart, from, Math.min(n, before.size - offset));
      }
      offset += n;
    }
    fsyncSync(dst);
    closeSync(dst);
    dst = undefined;
    let after;
    try {
      after = statSync(params.from);
    } catch {
      return { outcome: "changed" };
    }
    if (offset !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ino !== before.ino) {
      return { outcome: "changed" };
    }
    if (!scan.complete()) return { outcome: "incomplete" };
    renameSync(tmp, params.to);
    keep = true;
    syncDirectory(dirname(params.to));
    return { outcome: "copied", signature: signatureOf(before.size, head, tail) };
  } finally {
    if (dst !== undefined) closeSync(dst);
    closeSync(src);
    if (!keep) {
      try {
        unlinkSync(tmp);
      } catch {
        // not created
      }
    }
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
}

/** What {@link restoreStateFile} found and did. */
export interface RestoreStateFileReturnType {
  /** The state file was torn (or missing) and the last complete copy now stands in its place. */
  readonly restored: boolean;
  /** Where a torn state file was kept aside, if there was one. */
  readonly tornKeptAs?: string;
}

/**
 * Puts the last complete copy in place of a torn (or missing) state file, keeping the torn one aside as
 * `FILE.torn-<ms>`. A complete state file is left as it is, whatever its size. Synchronous and linear in the
 * file's size; see `restoreLedgerState` for the version that runs in a worker thread.
 *
 * @example
 * ```ts
 * const r = restoreStateFile({ stateFile: "ledger/state.json", copyFile: "ledger/state.complete.json", now: Date.now() });
 * ```
 */
export function restoreStateFile(params: {
  readonly stateFile: string;
  readonly copyFile: string;
  readonly now: number;
}): RestoreStateFileReturnType {
  const { stateFile, copyFile } = params;
  const exists = (p: string) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  };
  if (exists(stateFile) && isCompleteJsonFile(stateFile)) return { restored: false };
  let tornKeptAs: string | undefined;
  if (exists(stateFile)) {
    tornKeptAs = `${stateFile}.torn-${params.now}`;
    renameSync(stateFile, tornKeptAs);
  }
  if (!exists(copyFile)) return tornKeptAs === undefined ? { restored: false } : { restored: false, tornKeptAs };
  // The copy was checked when it was taken; copying it back checks it again (a copy is never restored torn).
  const r = copyCompleteStateFile({ from: copyFile, to: stateFile });
  if (r.outcome !== "copied") return tornKeptAs === undefined ? { restored: false } : { restored: false, tornKeptAs };
  return tornKeptAs === undefined ? { restored: true } : { restored: true, tornKeptAs };
}
