import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { CommitCounter } from "@mobile-id/core/data-files";
import { createGroupCommit, createTransaction } from "@mobile-id/core/sqlite";
import type { PresentationRequest, VerifyPresentationReturnType } from "@mobile-id/verifier";

export type RequestState = "pending" | "verified" | "rejected";

export interface StoredRequest {
  readonly id: string;
  readonly request: PresentationRequest;
  readonly createdAt: number;
  readonly state: RequestState;
  /** The last answer's outcome; `undefined` before an answer and once the outcome was read or has expired. */
  readonly outcome: VerifyPresentationReturnType | undefined;
  readonly answeredAt: number | undefined;
  /** Answers that failed verification so far. */
  readonly failedAnswers: number;
  /** Whether an outcome was recorded and has since been handed to the counter (and erased). */
  readonly outcomeRead: boolean;
}

/** A request just created, with the token that lets its counter (and only it) read the outcome; shown once. */
export interface CreatedRequest extends StoredRequest {
  readonly counterToken: string;
}

export interface RequestStoreOptions {
  /**
   * Seconds an unread outcome (the holder's claims) is kept after the answer; it is erased earlier, as soon as
   * the counter has read it. Default 300.
   */
  readonly outcomeTtlSeconds?: number;
  /**
   * The database's commit counter when it was opened with `openMarkedDatabase`: every write is then recorded in
   * its mark before it is acknowledged, so a damaged WAL that dropped requests or answers is found at the next open.
   */
  readonly counter?: CommitCounter;
}

/**
 * Presentation requests a verifier handed out, and what came back; durable, so a restart loses none.
 *
 * Personal data is kept as briefly as the flow allows: an outcome (with the holder's claims) is erased once the
 * counter has read it ({@link RequestStore.takeForCounter}) or `outcomeTtlSeconds` after the answer, and a
 * request's row is deleted once the request has expired and its outcome is gone ({@link RequestStore.purge}).
 * The database runs with `secure_delete`, so erased claims are overwritten in the file, not just unlinked.
 */
export interface RequestStore {
  /** Stores a new request under a random id, with a random counter token (only its SHA-256 is kept). */
  create(request: PresentationRequest, now: number): CreatedRequest;
  /** Whether `token` is the counter token of request `id` (constant-time). */
  isCounterToken(id: string, token: string): boolean;
  /** A request as it stands, without side effects. */
  get(id: string): StoredRequest | undefined;
  /**
   * A request for the verifier's counter: when it carries an outcome, the outcome is returned this once and
   * erased from the store (durably, before this returns).
   */
  takeForCounter(id: string, now: number): StoredRequest | undefined;
  /**
   * Records an answer, durably before it resolves; a verified answer is final (later answers to the same
   * request are not recorded), a failed one counts towards the request's failed answers. Answers arriving
   * together share one commit.
   */
  answer(id: string, outcome: VerifyPresentationReturnType, now: number): Promise<void>;
  /** Erases outcomes past their time and deletes requests that have expired with no outcome left. */
  purge(now: number): void;
}

/**
 * @example
 * ```ts
 * const requests = createRequestStore(openDatabase(join(dataDir, "verifier", "verifier.sqlite")), { outcomeTtlSeconds: 300 });
 * const stored = requests.create(verifier.createPresentationRequest({ domain, credentialTypes }), now);
 * ```
 */
const sha256 = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

export function createRequestStore(db: DatabaseSync, options: RequestStoreOptions = {}): RequestStore {
  const outcomeTtl = options.outcomeTtlSeconds ?? 300;
  // Deleted rows and erased values are overwritten with zeros in the file (and its WAL), not left in free pages.
  db.exec("PRAGMA secure_delete = ON");
  db.exec(`CREATE TABLE IF NOT EXISTS presentation_requests (
    id TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'verified', 'rejected')),
    outcome TEXT,
    answered_at INTEGER
  ) STRICT`);
  // Columns added after the first release: added in place, so that an existing database keeps its requests.
  const columns = new Set((db.prepare("PRAGMA table_info(presentation_requests)").all() as { name: string }[]).map((c) => c.name));
  if (!columns.has("failed_answers")) db.exec("ALTER TABLE presentation_requests ADD COLUMN failed_answers INTEGER NOT NULL DEFAULT 0");
  if (!columns.has("outcome_until")) db.exec("ALTER TABLE presentation_requests ADD COLUMN outcome_until INTEGER");
  if (!columns.has("outcome_read_at")) db.exec("ALTER TABLE presentation_requests ADD COLUMN outcome_read_at INTEGER");
  if (!columns.has("counter_token_hash")) db.exec("ALTER TABLE presentation_requests ADD COLUMN counter_token_hash BLOB");
  db.exec("CREATE INDEX IF NOT EXISTS presentation_requests_expiry ON presentation_requests (expires_at)");
  db.exec("CREATE INDEX IF NOT EXISTS presentation_requests_outcome_until ON presentation_requests (outcome_until) WHERE outcome IS NOT NULL");

  const insert = db.prepare(
    "INSERT INTO presentation_requests (id, request, created_at, expires_at, state, counter_token_hash) VALUES (?, ?, ?, ?, 'pending', ?)",
  );
  const selectToken = db.prepare("SELECT counter_token_hash FROM presentation_requests WHERE id = ?");
  const select = db.prepare(
    "SELECT id, request, created_at, state, outcome, answered_at, failed_answers, outcome_read_at FROM presentation_requests WHERE id = ?",
  );
  const recordVerified = db.prepare(
    "UPDATE presentation_requests SET state = 'verified', outcome = ?, answered_at = ?, outcome_until = ?, outcome_read_at = NULL WHERE id = ? AND state != 'verified'",
  );
  const recordFailed = db.prepare(
    `UPDATE presentation_requests SET state = 'rejected', outcome = ?, answered_at = ?, outcome_until = ?, outcome_read_at = NULL,
       failed_answers = failed_answers + 1 WHERE id = ? AND state != 'verified'`,
  );
  const markRead = db.prepare("UPDATE presentation_requests SET outcome = NULL, outcome_read_at = ? WHERE id = ? AND outcome IS NOT NULL");
  const eraseOld = db.prepare("UPDATE presentation_requests SET outcome = NULL WHERE outcome IS NOT NULL AND outcome_until <= ?");
  // An outcome that predates outcome_until (an older database) lives until its request expires.
  const eraseLegacy = db.prepare("UPDATE presentation_requests SET outcome = NULL WHERE outcome IS NOT NULL AND outcome_until IS NULL AND expires_at <= ?");
  const deleteDone = db.prepare("DELETE FROM presentation_requests WHERE expires_at <= ? AND outcome IS NULL");

  const bigints = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);
  // Every write goes through one transaction (`@mobile-id/core/sqlite`), counted in the commit mark (when there
  // is one) before the caller is answered; answers arriving in one turn of the event loop share one commit.
  const inTransaction = createTransaction(db, options.counter);
  type Answer = { id: string; verified: boolean; outcome: string; now: number };
  const answers = createGroupCommit({
    transaction: inTransaction,
    write: (w: Answer) => {
      (w.verified ? recordVerified : recordFailed).run(w.outcome, w.now, w.now + outcomeTtl, w.id);
    },
  });
  type Row = {
    id: string;
    request: string;
    created_at: number;
    state: RequestState;
    outcome: string | null;
    answered_at: number | null;
    failed_answers: number;
    outcome_read_at: number | null;
  };
  const toStored = (row: Row): StoredRequest => ({
    id: row.id,
    request: JSON.parse(row.request) as PresentationRequest,
    createdAt: row.created_at,
    state: row.state,
    outcome: row.outcome === null ? undefined : (JSON.parse(row.outcome) as VerifyPresentationReturnType),
    answeredAt: row.answered_at ?? undefined,
    failedAnswers: row.failed_answers,
    outcomeRead: row.outcome_read_at !== null,
  });
  const read = (id: string): StoredRequest | undefined => {
    const row = select.get(id) as Row | undefined;
    return row === undefined ? undefined : toStored(row);
  };
  return {
    create(request, now) {
      // The id travels in the QR code, which anyone at the counter can photograph: it lets a wallet fetch the
      // request and answer it. Reading the outcome (the claims shared) takes the counter token, which never
      // leaves the counter.
      const id = randomBytes(16).toString("base64url");
      const counterToken = randomBytes(32).toString("base64url");
      inTransaction(() => insert.run(id, JSON.stringify(request), now, request.expiresAt, sha256(counterToken)));
      return {
        id,
        request,
        createdAt: now,
        state: "pending",
        outcome: undefined,
        answeredAt: undefined,
        failedAnswers: 0,
        outcomeRead: false,
        counterToken,
      };
    },
    isCounterToken(id, token) {
      const row = selectToken.get(id) as { counter_token_hash: Uint8Array | null } | undefined;
      if (row?.counter_token_hash === undefined || row.counter_token_hash === null) return false;
      const expected = Buffer.from(row.counter_token_hash);
      const presented = sha256(token);
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    },
    get: read,
    takeForCounter(id, now) {
      const row = select.get(id) as Row | undefined;
      if (row === undefined || row.outcome === null) return row === undefined ? undefined : toStored(row);
      // Read and erase in one transaction: two counters polling at once cannot both get the claims.
      let taken: Row | undefined;
      inTransaction(() => {
        taken = select.get(id) as Row | undefined;
        if (taken !== undefined && taken.outcome !== null) markRead.run(now, id);
      });
      return taken === undefined ? undefined : { ...toStored(taken), outcomeRead: taken.outcome !== null || taken.outcome_read_at !== null };
    },
    answer(id, outcome, now) {
      return answers.submit({ id, verified: outcome.verified, outcome: JSON.stringify(outcome, bigints), now });
    },
    purge(now) {
      inTransaction(() => {
        eraseOld.run(now);
        eraseLegacy.run(now);
        deleteDone.run(now);
      });
    },
  };
}
