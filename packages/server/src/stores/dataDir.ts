import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { MobileIdError } from "@mobile-id/core";
import { DataFileErrorCode, dataFileHint } from "@mobile-id/core/data-files";

export { ensurePrivateDir } from "@mobile-id/core/data-files";

/**
 * Refuses to start when a store that must exist (the services already hold state) is gone, rather than
 * creating it empty: an empty nonce store would accept replays of presentations already verified, an empty
 * request store would forget the outcomes verifiers wait for. Files in `accepted` are created anew.
 */
export function refuseMissing(paths: readonly string[], accepted: ReadonlySet<string>): void {
  const missing = paths.filter((p) => !existsSync(p) && !accepted.has(resolve(p)));
  const first = missing[0];
  if (first === undefined) return;
  throw new MobileIdError(DataFileErrorCode.DATA_FILE_MISSING, `the database ${first} is missing`, {
    details: { path: first, missing },
    hint: dataFileHint(first),
  });
}
