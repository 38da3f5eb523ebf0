import { MobileIdError } from "@mobile-id/core";

/**
 * Runs `open` for one of the services' data files (a database, the API key hashes) and turns a failure that is
 * not already one of ours into `DATA_FILE_DAMAGED`, naming the file and what to do: a damaged file then stops
 * the start with a clear code and hint, not a stack trace.
 *
 * @example
 * ```ts
 * const db = openDataFile(path, "the consumed-challenge database", () => openNonceDatabase(path));
 * ```
 */
export function openDataFile<T>(path: string, what: string, open: () => T): T {
  try {
    return open();
  } catch (e) {
    if (e instanceof MobileIdError) throw e;
    const reason = e instanceof Error ? (e.message.split("\n")[0] ?? "").slice(0, 200) : "unknown";
    throw new MobileIdError("DATA_FILE_DAMAGED", `${what} cannot be read: it is damaged or not what it should be`, {
      details: { path, reason },
      hint: "restore it from a backup, or move it aside to start afresh (what it held is then lost)",
      cause: e,
    });
  }
}
