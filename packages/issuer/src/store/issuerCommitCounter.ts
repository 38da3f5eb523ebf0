import type { DatabaseSync } from "node:sqlite";
import type { CommitCounter, CommitMark } from "@mobile-id/core/data-files";

/**
 * The issuance database's commit counter, for `createTransaction` (`@mobile-id/core/sqlite`): each write
 * transaction bumps `meta.commitGeneration` inside it, and after its COMMIT the generation is written to the
 * commit mark (`mark`, from `openIssuerDatabase`) before the caller is answered, so that a later open can tell
 * whether acknowledged transactions went missing. Without a mark the generation is still counted in the database.
 *
 * (The services' databases count in table `mid_commit_generation` through `openMarkedDatabase`; the issuance
 * database keeps its `meta` row, which databases written before this split already hold.)
 *
 * @example
 * ```ts
 * const { db, mark } = openIssuerDatabase(path, identity);
 * const transaction = createTransaction(db, issuerCommitCounter(db, mark));
 * ```
 */
export function issuerCommitCounter(db: DatabaseSync, mark?: CommitMark): CommitCounter {
  const upsert = db.prepare("INSERT INTO meta (key, value) VALUES ('commitGeneration', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const row = db.prepare("SELECT value FROM meta WHERE key = 'commitGeneration'").get();
  let generation = row === undefined ? 0 : Number(row["value"]);
  return {
    next() {
      upsert.run(String(generation + 1));
    },
    committed() {
      generation++;
      mark?.advance(generation);
    },
  };
}
