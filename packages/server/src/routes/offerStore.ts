import { createHash, randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { createTransaction } from "@mobile-id/core/sqlite";

/** Why an offer could not be redeemed. */
export type OfferRedeemFailure = "not-found" | "redeemed" | "expired";

export type RedeemOfferResult =
  | { readonly ok: true; readonly tenant: string; readonly credential: string; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: OfferRedeemFailure };

/**
 * Credential offers: a VC JWT waiting for its holder's wallet behind a one-time, expiring, unguessable id.
 * Durable (SQLite, like the request store), so an offer handed out survives a restart.
 *
 * Privacy: the JWT (personal data) is kept only until it is redeemed or expires, then erased; the row that
 * remains says which agency made an offer when, and nothing about whom. Only the SHA-256 of an id is stored,
 * so the database alone never yields a working offer link.
 */
export interface OfferStore {
  /** Stores `credential` under a fresh random id (128 bits, base64url); returns the id, which is shown once. */
  create(params: { readonly tenant: string; readonly credential: string; readonly expiresAt: number; readonly now: number }): {
    readonly id: string;
    readonly expiresAt: number;
  };
  /** Returns the credential once and erases it (atomically: two concurrent redeems cannot both succeed). */
  redeem(id: string, now: number): RedeemOfferResult;
  /** Erases the credentials of expired offers and forgets rows older than `retainSeconds` (default 7 days). */
  purge(now: number, retainSeconds?: number): void;
}

const digest = (id: string): string => createHash("sha256").update(id, "utf8").digest("hex");

/**
 * @example
 * ```ts
 * const offers = createOfferStore(openDatabase(join(dataDir, "services", "offers.sqlite")));
 * const { id } = offers.create({ tenant: "snu", credential: jwt, expiresAt: now + 900, now });
 * ```
 */
export function createOfferStore(db: DatabaseSync): OfferStore {
  db.exec(`CREATE TABLE IF NOT EXISTS credential_offers (
    id_hash TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    credential TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    redeemed_at INTEGER
  ) STRICT`);
  const insert = db.prepare("INSERT INTO credential_offers (id_hash, tenant, credential, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
  const open = db.prepare(
    "SELECT tenant, credential, expires_at FROM credential_offers WHERE id_hash = ? AND redeemed_at IS NULL AND expires_at > ? AND credential IS NOT NULL",
  );
  // RETURNING would give the erased (new) value, so the read and the claim are two statements in one
  // transaction; the UPDATE's own conditions still make sure only one redeem can ever claim a row.
  const claim = db.prepare("UPDATE credential_offers SET credential = NULL, redeemed_at = ? WHERE id_hash = ? AND redeemed_at IS NULL");
  const lookup = db.prepare("SELECT redeemed_at, expires_at FROM credential_offers WHERE id_hash = ?");
  const eraseExpired = db.prepare("UPDATE credential_offers SET credential = NULL WHERE expires_at <= ? AND credential IS NOT NULL");
  const forget = db.prepare("DELETE FROM credential_offers WHERE created_at < ?");
  const transaction = createTransaction(db);
  const store: OfferStore = {
    create({ tenant, credential, expiresAt, now }) {
      store.purge(now);
      const id = randomBytes(16).toString("base64url");
      insert.run(digest(id), tenant, credential, now, expiresAt);
      return { id, expiresAt };
    },
    redeem(id, now) {
      const hash = digest(id);
      const row = transaction(() => {
        const found = open.get(hash, now) as { tenant: string; credential: string; expires_at: number } | undefined;
        return found !== undefined && Number(claim.run(now, hash).changes) === 1 ? found : undefined;
      });
      if (row !== undefined) return { ok: true, tenant: row.tenant, credential: row.credential, expiresAt: row.expires_at };
      const known = lookup.get(hash) as { redeemed_at: number | null; expires_at: number } | undefined;
      if (known === undefined) return { ok: false, reason: "not-found" };
      if (known.redeemed_at !== null) return { ok: false, reason: "redeemed" };
      return { ok: false, reason: "expired" };
    },
    purge(now, retainSeconds = 7 * 24 * 3600) {
      eraseExpired.run(now);
      forget.run(now - retainSeconds);
    },
  };
  return store;
}
