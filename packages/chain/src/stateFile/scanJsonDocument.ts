import { closeSync, openSync, readSync } from "node:fs";

/**
 * An incremental, structural check that bytes form one whole JSON document (an object or an array): fed in
 * chunks, in constant memory, with no parsing into values. It is the torn-write detector for the ledger's
 * state file: anvil rewrites that file in place, and a crash mid-write leaves a proper prefix of a document,
 * whose outermost bracket is never closed; a crash after an unsynced write can leave blocks of zero bytes,
 * which JSON never contains. Both are found. It does not validate numbers, literals or bracket kinds (anvil
 * writes those itself; a torn file is a prefix, not a corruption of them), and, unlike `JSON.parse` of the
 * whole file, it has no size limit: V8 cannot make a string of more than 512 MiB, so parsing made a valid
 * large state file look torn.
 */
export interface JsonDocumentScan {
  /** Feeds the next chunk of the file. */
  push(chunk: Uint8Array): void;
  /** After the last chunk: the bytes were one whole document (and nothing but whitespace after it). */
  complete(): boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * @example
 * ```ts
 * const scan = createJsonDocumentScan();
 * scan.push(Buffer.from('{"a":[1,'));
 * scan.push(Buffer.from('2]}'));
 * scan.complete(); // true; a prefix such as '{"a":[1,' alone is not complete
 * ```
 */
export function createJsonDocumentScan(): JsonDocumentScan {
  let depth = 0;
  let started = false;
  let closed = false;
  let inString = false;
  // A backslash ended the previous chunk inside a string: the next byte is escaped.
  let escaped = false;
  let bad = false;
  return {
    push(chunk) {
      if (bad || chunk.length === 0) return;
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (buf.indexOf(0) !== -1) {
        bad = true;
        return;
      }
      const n = buf.length;
      // Strings are most of a state file (hex): jump over them with the native indexOf.
      let nextBackslash = buf.indexOf(BACKSLASH);
      let i = 0;
      while (i < n) {
        if (inString) {
          if (escaped) {
            escaped = false;
            i++;
            continue;
          }
          if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = buf.indexOf(BACKSLASH, i);
          const quote = buf.indexOf(QUOTE, i);
          if (nextBackslash !== -1 && (quote === -1 || nextBackslash < quote)) {
            escaped = true;
            i = nextBackslash + 1;
            continue;
          }
          if (quote === -1) return; // the string goes on in the next chunk
          inString = false;
          i = quote + 1;
          continue;
        }
        const c = buf[i] as number;
        i++;
        switch (c) {
          case QUOTE:
            if (!started || closed) bad = true;
            inString = true;
            break;
          case 0x7b: // {
          case 0x5b: // [
            if (closed) bad = true;
            started = true;
            depth++;
            break;
          case 0x7d: // }
          case 0x5d: // ]
            depth--;
            if (depth < 0) bad = true;
            else if (depth === 0) closed = true;
            break;
          case 0x20:
          case 0x0a:
          case 0x0d:
          case 0x09:
            break;
          default:
            // Numbers, literals, `:` and `,` belong inside the document, never before or after it.
            if (!started || closed) bad = true;
        }
        if (bad) return;
      }
    },
    complete() {
      return !bad && closed && !inString && depth === 0;
    },
  };
}

/** Bytes read per chunk when checking a file (constant memory whatever the file's size). */
export const SCAN_CHUNK_BYTES = 1 << 20;

/**
 * Whether the file at `path` holds one whole JSON document (see {@link createJsonDocumentScan}); false when it
 * is missing. Synchronous and linear in the file's size: call it off the HTTP event loop (a worker thread, or
 * before any server starts).
 *
 * @example
 * ```ts
 * if (!isCompleteJsonFile(".data/ledger/state.json")) console.error("torn");
 * ```
 */
export function isCompleteJsonFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false;
  }
  try {
    const scan = createJsonDocumentScan();
    const chunk = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      scan.push(chunk.subarray(0, n));
    }
    return scan.complete();
  } finally {
    closeSync(fd);
  }
}
