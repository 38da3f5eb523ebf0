import type { DatabaseSync } from "node:sqlite";
import type { CommitMark } from "@mobile-id/core/data-files";
import { createTransaction } from "@mobile-id/core/sqlite";
import { type IssuanceRecordStore, createIssuanceRecordStore } from "./createIssuanceRecordStore.ts";
import { type LedgerOpJournal, createLedgerOpJournal } from "./createLedgerOpJournal.ts";
import { type StatusListStore, createStatusListStore } from "./createStatusListStore.ts";
import { issuerCommitCounter } from "./issuerCommitCounter.ts";

export type {
  CredentialFilter,
  CredentialRow,
  CredentialStatus,
  IssuanceRow,
  LedgerCheckpoint,
  LedgerOpKind,
  LedgerOpRow,
  LedgerOpState,
  ListOperatorRow,
  ListPurpose,
  PairRow,
  PreparedTxFields,
  StatusAction,
  StatusHistoryRow,
} from "./types.ts";
export type { IssuanceRecordStore, LedgerOpJournal, StatusListStore };

/**
 * The issuance database's three stores over one connection: the issuance {@link IssuanceRecordStore records}, the
 * {@link StatusListStore status lists} and the {@link LedgerOpJournal ledger-write journal}. They share one
 * transaction (`@mobile-id/core/sqlite`), so every write of any of them is counted in the one commit mark.
 * Synchronous (node:sqlite): each write transaction runs to completion without interleaving with other work on
 * the event loop. Each issuer operation takes the stores it needs from the issuer's context.
 */
export interface IssuanceStore {
  readonly records: IssuanceRecordStore;
  readonly lists: StatusListStore;
  readonly journal: LedgerOpJournal;
  /** Commits what is queued, then closes the database and its commit mark. */
  close(): void;
}

/**
 * Wraps an opened issuance database (see `openIssuerDatabase`).
 *
 * @example
 * ```ts
 * const { db, mark } = openIssuerDatabase(path, identity);
 * const store = createIssuanceStore(db, { maxBatch: 256, mark });
 * await store.records.recordIssuance(row); // durable when this resolves
 * ```
 */
export function createIssuanceStore(
  db: DatabaseSync,
  options: {
    readonly maxBatch: number;
    /**
     * The database's commit mark (from `openIssuerDatabase`): every transaction of this store bumps
     * `meta.commitGeneration`, and the mark is advanced (fsynced) after the commit and before the caller is
     * answered, so a later open can tell whether acknowledged transactions went missing. One more small
     * write and fdatasync per commit (group commits share it).
     */
    readonly mark?: CommitMark;
  },
): IssuanceStore {
  const transaction = createTransaction(db, issuerCommitCounter(db, options.mark));
  const records = createIssuanceRecordStore(db, { transaction, maxBatch: options.maxBatch });
  return {
    records,
    lists: createStatusListStore(db, { transaction }),
    journal: createLedgerOpJournal(db, { transaction }),
    close() {
      records.flush();
      db.close();
      options.mark?.close();
    },
  };
}
