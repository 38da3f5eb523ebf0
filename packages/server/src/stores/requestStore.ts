import { randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import type { CommitCounter } from "@mobile-id/core/data-files";
import type { PresentationRequest, VerifyPresentationReturnType } from "@mobile-id/verifier";

export type RequestState = "pending" | "verified" | "rejected";

export interface StoredRequest {
  readonly id: string;
  readonly request: PresentationRequest;
  readonly createdAt: number;
  readonly state: RequestState;
  readonly outcome: VerifyPresentationReturnType | undefined;
  readonly answeredAt: number | undefined;
}

/** Presentation requests a verifier handed out, and what came back; durable, so a restart loses none. */
export interface RequestStore {
  create(request: PresentationRequest, now: number): StoredRequest;
  get(id: string): StoredRequest | undefined;
  /**
   * Records an answer, durably before it resolves; a verified answer is final (later answers to the same
   * request are not recorded). Answers arriving together share one commit.
   */
  answer(id: string, outcome: VerifyPresentationReturnType, now: number): Promise<void>;
}

/**
 * @param counter - the database's commit counter when it was opened with `openMarkedDatabase`: every write is
 *   then recorded in its mark before it is acknowledged, so a damaged WAL that dropped requests or answers is
 *   found at the next open.
 */
export function createRequestStore(db: DatabaseSync, counter?: CommitCounter): RequestStore {
  db.exec(`CREATE TABLE IF NOT EXISTS presentation_requests (
    id TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'verified', 'rejected')),
    outcome TEXT,
    answered_at INTEGER
  ) STRICT`);
  const insert = db.prepare("INSERT INTO presentation_requests (id, request, created_at, expires_at, state) VALUES (?, ?, ?, ?, 'pending')");
  const select = db.prepare("SELECT id, request, created_at, state, outcome, answered_at FROM presentation_requests WHERE id = ?");
  const update = db.prepare(
    "UPDATE presentation_requests SET state = ?, outcome = ?, answered_at = ? WHERE id = ? AND state != 'verified'",
  );
  const bigints = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);
  type Waiting = { id: string; state: RequestState; outcome: string; now: number; resolve: () => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        for (const w of batch) update.run(w.state, w.outcome, w.now, w.id);
        counter?.next();
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
      counter?.committed();
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    for (const w of batch) w.resolve();
  };
  const read = (id: string): StoredRequest | undefined => {
    const row = select.get(id) as
      | { id: string; request: string; created_at: number; state: RequestState; outcome: string | null; answered_at: number | null }
      | undefined;
    if (row === undefined) return undefined;
    return {
      id: row.id,
      request: JSON.parse(row.request) as PresentationRequest,
      createdAt: row.created_at,
      state: row.state,
      outcome: row.outcome === null ? undefined : (JSON.parse(row.outcome) as VerifyPresentationReturnType),
      answeredAt: row.answered_at ?? undefined,
    };
  };
  return {
    create(request, now) {
      // Request ids are unguessable too: knowing one lets a client read the outcome (the claims shared).
      const id = randomBytes(16).toString("base64url");
      if (counter === undefined) insert.run(id, JSON.stringify(request), now, request.expiresAt);
      else {
        db.exec("BEGIN IMMEDIATE");
        try {
          insert.run(id, JSON.stringify(request), now, request.expiresAt);
          counter.next();
          db.exec("COMMIT");
        } catch (e) {
          if (db.isTransaction) db.exec("ROLLBACK");
          throw e;
        }
        counter.committed();
      }
      return { id, request, createdAt: now, state: "pending", outcome: undefined, answeredAt: undefined };
    },
    get: read,
    answer(id, outcome, now) {
      return new Promise<void>((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ id, state: outcome.verified ? "verified" : "rejected", outcome: JSON.stringify(outcome, bigints), now, resolve, reject });
      });
    },
  };
}
