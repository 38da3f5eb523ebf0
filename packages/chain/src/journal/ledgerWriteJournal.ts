import type { Provider, Signer, TransactionReceipt } from "ethers";
import { MobileIdError } from "@mobile-id/core";
import { openCheckedDatabase } from "@mobile-id/core/data-files";
import { openSqlite } from "@mobile-id/core/sqlite";
import { prepareTransaction } from "../signedTransaction.ts";
import { type JournalWatcher, watchJournalPasses } from "./journalWatcher.ts";
import type { LedgerHeadProbe } from "./quietPasses.ts";

/**
 * A journal of ledger writes made outside an issuer (governance: the root's and accreditors' changes; anything
 * sent with `sendTransaction({ journal })`): each transaction is signed, then recorded with its signed bytes
 * (SQLite, synchronous=FULL) before it is broadcast, and its block recorded once mined. A ledger node that later
 * loses it (killed between two state dumps, restarted from an older file) gets the same bytes again from
 * {@link recoverJournaledWrites}: no key is needed for that, so a write made from a one-shot command line comes
 * back even when only the services run. SQLite in WAL mode: the command line appends while the services read.
 */
export interface LedgerWriteJournal {
  readonly path: string;
  /** Records a signed transaction before it is broadcast; returns its id. */
  add(entry: { label: string; txHash: string; sender: string; nonce: number; rawTx: string }): number;
  /** Records where a write was mined (or mined again). */
  confirm(id: number, blockNumber: number, blockHash: string): void;
  /** A write that can never take effect as journaled (reverted, or its nonce spent by another transaction). */
  fail(id: number, state: "failed" | "conflict", outcome: string): void;
  /** Writes to check: prepared ones, and confirmed ones mined after `afterBlock`, in (sender, nonce) order. */
  toCheck(afterBlock: number): JournaledWrite[];
  checkpoint(): { blockNumber: number; blockHash: string } | undefined;
  /**
   * Changes whenever a write is added to the journal, by this process or another (`mid gov` writes from its own
   * process): SQLite's `data_version` (commits of other connections) and the writes this connection added.
   */
  version(): string;
  /** Moves the checkpoint to the newest confirmed write's block. */
  advanceCheckpoint(): { blockNumber: number; blockHash: string } | undefined;
  close(): void;
}

export interface JournaledWrite {
  readonly id: number;
  readonly label: string;
  readonly txHash: string;
  readonly sender: string;
  readonly nonce: number;
  readonly rawTx: string;
  readonly state: "prepared" | "confirmed" | "failed" | "conflict";
  readonly blockNumber: number | null;
  readonly blockHash: string | null;
}

/**
 * Opens (creating if missing: directory 0700, file 0600) the journal at `path`.
 *
 * @example
 * ```ts
 * const journal = openLedgerWriteJournal(".data/ledger-journal.sqlite");
 * await sendTransaction({ contract: registry, signer, method: "registerIssuer", args, journal });
 * ```
 */
export function openLedgerWriteJournal(path: string): LedgerWriteJournal {
  // Shared by `mid gov` processes and the services, so not exclusive: a writer waits up to 5 s for another's lock.
  // A damaged file is refused (DATA_FILE_DAMAGED), never opened as an empty journal.
  const db = openCheckedDatabase(path, (p) => openSqlite(p, { busyTimeoutMs: 5000 }));
  db.exec(`CREATE TABLE IF NOT EXISTS writes (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    tx_hash TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    nonce INTEGER NOT NULL,
    raw_tx TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('prepared', 'confirmed', 'failed', 'conflict')),
    block_number INTEGER,
    block_hash TEXT,
    outcome TEXT
  ) STRICT;
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;`);
  const insert = db.prepare("INSERT INTO writes (label, tx_hash, sender, nonce, raw_tx, state) VALUES (?, ?, ?, ?, ?, 'prepared')");
  const confirm = db.prepare("UPDATE writes SET state = 'confirmed', block_number = ?, block_hash = ?, outcome = NULL WHERE id = ?");
  const fail = db.prepare("UPDATE writes SET state = ?, outcome = ? WHERE id = ?");
  const select = db.prepare(
    "SELECT * FROM writes WHERE state = 'prepared' OR (state = 'confirmed' AND block_number > ?) ORDER BY sender, nonce, id",
  );
  const newest = db.prepare("SELECT block_number, block_hash FROM writes WHERE state = 'confirmed' ORDER BY block_number DESC LIMIT 1");
  const getMeta = db.prepare("SELECT value FROM meta WHERE key = 'checkpoint'");
  const setMeta = db.prepare("INSERT INTO meta (key, value) VALUES ('checkpoint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const row = (r: Record<string, unknown>): JournaledWrite => ({
    id: Number(r["id"]),
    label: String(r["label"]),
    txHash: String(r["tx_hash"]),
    sender: String(r["sender"]),
    nonce: Number(r["nonce"]),
    rawTx: String(r["raw_tx"]),
    state: r["state"] as JournaledWrite["state"],
    blockNumber: r["block_number"] === null ? null : Number(r["block_number"]),
    blockHash: r["block_hash"] === null ? null : String(r["block_hash"]),
  });
  const dataVersion = db.prepare("PRAGMA data_version");
  let added = 0;
  return {
    path,
    add: (e) => {
      added++;
      return Number(insert.run(e.label, e.txHash, e.sender, e.nonce, e.rawTx).lastInsertRowid);
    },
    version: () => `${String((dataVersion.get() as { data_version: number }).data_version)}:${added}`,
    confirm: (id, n, h) => void confirm.run(n, h, id),
    fail: (id, state, outcome) => void fail.run(state, outcome, id),
    toCheck: (afterBlock) => select.all(afterBlock).map((r) => row(r as Record<string, unknown>)),
    checkpoint: () => {
      const r = getMeta.get() as { value: string } | undefined;
      return r === undefined ? undefined : (JSON.parse(r.value) as { blockNumber: number; blockHash: string });
    },
    advanceCheckpoint: () => {
      const r = newest.get() as { block_number: number; block_hash: string } | undefined;
      if (r === undefined) return undefined;
      const cp = { blockNumber: Number(r.block_number), blockHash: r.block_hash };
      setMeta.run(JSON.stringify(cp));
      return cp;
    },
    close: () => db.close(),
  };
}

/**
 * Signs `{ to, data }` with `signer`, journals it, broadcasts it and waits for its receipt (recording its block).
 * A revert in estimation throws before anything is journaled; ethers' errors are left to the caller to translate.
 */
export async function sendJournaled(params: {
  readonly journal: LedgerWriteJournal;
  readonly signer: Signer;
  readonly to: string;
  readonly data: string;
  readonly label: string;
  readonly timeoutMs?: number;
}): Promise<TransactionReceipt> {
  const { journal, signer } = params;
  const provider = signer.provider;
  if (provider == null) throw new MobileIdError("INVALID_ARGUMENT", "the signer has no provider");
  const tx = await prepareTransaction(signer, params.to, params.data);
  const id = journal.add({ label: params.label, ...tx });
  await provider.broadcastTransaction(tx.rawTx);
  const receipt = await provider.waitForTransaction(tx.txHash, 1, params.timeoutMs ?? 120_000);
  if (receipt === null) throw new MobileIdError("LEDGER_UNAVAILABLE", "the transaction was sent but not confirmed in time", { details: { txHash: tx.txHash } });
  if (receipt.status !== 1) {
    journal.fail(id, "failed", "reverted");
    return receipt;
  }
  journal.confirm(id, receipt.blockNumber, receipt.blockHash);
  return receipt;
}

export interface RecoverJournaledWritesReturnType {
  /** Journaled writes whose block was gone and whose signed bytes were broadcast and mined again. */
  readonly rewritten: readonly { readonly label: string; readonly txHash: string; readonly blockNumber: number }[];
  /** Writes that cannot come back as signed (their nonce was spent by another transaction): the key holder must act. */
  readonly conflicts: readonly { readonly label: string; readonly txHash: string }[];
  /** Everything journaled is on the ledger (or settled as failed/conflict). */
  readonly inStep: boolean;
  /** The newest block holding a confirmed journaled write. */
  readonly confirmedThroughBlock: number | undefined;
}

/**
 * Checks the journal against the ledger and broadcasts again, in (sender, nonce) order, every confirmed write
 * the ledger no longer holds (block hash changed and no receipt), and every unsettled one. Idempotent; cheap
 * when nothing changed: one block look-up at the checkpoint (whose hash vouches for every block below it).
 */
export async function recoverJournaledWrites(params: {
  readonly journal: LedgerWriteJournal;
  readonly provider: Provider;
  /** How long to wait for a write broadcast again to be mined, ms. Default 10,000. */
  readonly waitMs?: number;
}): Promise<RecoverJournaledWritesReturnType> {
  const { journal, provider } = params;
  const cp = journal.checkpoint();
  let after = -1;
  if (cp !== undefined && (await provider.getBlock(cp.blockNumber))?.hash === cp.blockHash) after = cp.blockNumber;
  const rewritten: { label: string; txHash: string; blockNumber: number }[] = [];
  const conflicts: { label: string; txHash: string }[] = [];
  let inStep = true;
  for (const w of journal.toCheck(after)) {
    if (w.state === "confirmed" && w.blockNumber !== null && (await provider.getBlock(w.blockNumber))?.hash === w.blockHash) continue;
    const receipt = await provider.getTransactionReceipt(w.txHash);
    if (receipt !== null) {
      if (receipt.status === 1) journal.confirm(w.id, receipt.blockNumber, receipt.blockHash);
      else journal.fail(w.id, "failed", "reverted");
      continue;
    }
    const next = await provider.getTransactionCount(w.sender, "latest");
    if (next > w.nonce) {
      journal.fail(w.id, "conflict", `nonce ${w.nonce} of ${w.sender} was spent by another transaction`);
      conflicts.push({ label: w.label, txHash: w.txHash });
      continue;
    }
    if (next < w.nonce) {
      // An earlier transaction of the key, not journaled here, is gone too: nothing can fill the gap from here.
      inStep = false;
      continue;
    }
    try {
      await provider.broadcastTransaction(w.rawTx);
    } catch {
      // "already known": the wait below decides
    }
    const mined = await provider.waitForTransaction(w.txHash, 1, params.waitMs ?? 10_000).catch(() => null);
    if (mined === null) {
      inStep = false;
      continue;
    }
    if (mined.status !== 1) {
      journal.fail(w.id, "failed", "reverted when broadcast again");
      continue;
    }
    journal.confirm(w.id, mined.blockNumber, mined.blockHash);
    if (w.state === "confirmed") rewritten.push({ label: w.label, txHash: w.txHash, blockNumber: mined.blockNumber });
  }
  const checkpoint = inStep ? journal.advanceCheckpoint() : journal.checkpoint();
  return { rewritten, conflicts, inStep, confirmedThroughBlock: checkpoint?.blockNumber };
}

/**
 * Runs {@link recoverJournaledWrites} every `intervalMs` (default 1,000) until stopped: what a restarted ledger
 * node lost of the journaled governance writes is broadcast again within a pass of it answering.
 *
 * @example
 * ```ts
 * const watcher = watchLedgerWriteJournal({ journal, provider, onRewritten: (w) => log(w) });
 * await watcher.stop();
 * ```
 */
export function watchLedgerWriteJournal(params: {
  readonly journal: LedgerWriteJournal;
  readonly provider: Provider;
  readonly intervalMs?: number;
  /**
   * The ledger's head as a reader that polls anyway sees it (`mirrorHeadProbe(mirror)`): while it stays the
   * head a pass found every write under, passes make no request (at least one real pass every 30 s).
   */
  readonly ledgerHead?: LedgerHeadProbe;
  readonly onRecovered?: (result: RecoverJournaledWritesReturnType) => void;
  readonly onError?: (error: unknown) => void;
}): JournalWatcher {
  const { journal, provider } = params;
  return watchJournalPasses({
    ...(params.intervalMs === undefined ? {} : { intervalMs: params.intervalMs }),
    ...(params.ledgerHead === undefined ? {} : { ledgerHead: params.ledgerHead }),
    ...(params.onError === undefined ? {} : { onError: params.onError }),
    version: () => journal.version(),
    pass: async () => {
      const r = await recoverJournaledWrites({ journal, provider });
      if (r.rewritten.length > 0 || r.conflicts.length > 0) params.onRecovered?.(r);
      return { inStep: r.inStep, confirmedThroughBlock: r.confirmedThroughBlock };
    },
  });
}
