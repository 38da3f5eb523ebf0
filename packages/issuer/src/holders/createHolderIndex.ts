/**
 * The issuer's holder index: who each credential was issued to, as the agency knows them (its own reference, the
 * name, a portrait thumbnail), so that a clerk finds a card by student number or name and sees whose card it is
 * before revoking it. Kept by the issuer only, never on the ledger.
 *
 * Encrypted at rest: each row's card (reference, names, type, credential ids, dates) and its thumbnail are
 * AES-256-GCM ciphertexts under a key derived (HKDF-SHA-256) from a 32-byte secret in its own 0600 file; the row's
 * random id is the associated data, so a ciphertext moved to another row does not open. What stays in clear: an
 * HMAC of the normalised reference (exact look-up through an SQLite index; without the key it tells nothing), the
 * erase time, and the credential ids (random UUIDs, the same ones the issuance database holds). A name search
 * scans the normalised names in memory (decrypted from every row's small card at the first name search, ~1.3 s
 * per 100,000 rows, then kept in step by inserts and erasure: only the process's memory holds them in clear), and
 * decrypts the matching rows (`node packages/issuer/scripts/bench-holder-index.ts`).
 *
 * Erasure: a row is deleted once its credential expired and the retention after expiry (default 30 days) passed;
 * checked at open and at most once a minute on use. `secure_delete` overwrites the freed pages.
 *
 * Durability: WAL with `synchronous = NORMAL`, not the issuance database's FULL: a committed row survives a process
 * crash, a power cut may lose the last rows. The index is a look-up aid next to the issuance records (which stay
 * FULL), and one more fsync per issuance would halve the issuer's rate.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { MobileIdError } from "@mobile-id/core";
import { databaseDamaged, isSqliteDamage, makeFilesPrivate, prepareDatabaseFile } from "@mobile-id/core/data-files";
import { normalizeName, normalizeReference } from "./holderFacts.ts";

/** Stable codes of the holder index. */
export const HolderIndexErrorCode = {
  /** The index file exists but its key file is missing or is not the key it was written with. */
  HOLDER_INDEX_KEY_INVALID: "HOLDER_INDEX_KEY_INVALID",
  /** A row did not decrypt (damaged, or moved between rows). */
  HOLDER_INDEX_DAMAGED: "HOLDER_INDEX_DAMAGED",
} as const;
export type HolderIndexErrorCode = (typeof HolderIndexErrorCode)[keyof typeof HolderIndexErrorCode];

/** What {@link HolderIndex.recordHolder} takes: one person and the credential(s) issued to them in one act. */
export interface RecordHolderParameters {
  /** The agency's own reference (student number, employee number…); "" when the type has none. */
  readonly reference: string;
  readonly familyName: string;
  readonly givenName: string;
  /** A `data:` image ≤ 8 KB (see `portraitThumbnail`); larger ones are refused. */
  readonly thumbnail?: string;
  /** The ids revoke/suspend take (a JWT-VC's `jti`, an SD-JWT VC batch's id), 1 to 16. */
  readonly credentialIds: readonly string[];
  /** The credential type name, e.g. `StudentIDCredential`. */
  readonly type: string;
  /** `jwt_vc_json` or `dc+sd-jwt`. */
  readonly format: string;
  /** Seconds. */
  readonly issuedAt: number;
  /** Seconds; the row is erased `retentionSeconds` after this. */
  readonly expiresAt: number;
}

/** One row of the index, decrypted. */
export interface HolderEntry {
  readonly reference: string;
  readonly familyName: string;
  readonly givenName: string;
  readonly thumbnail: string | undefined;
  readonly credentialIds: readonly string[];
  readonly type: string;
  readonly format: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** When the row will be erased (seconds). */
  readonly eraseAfter: number;
}

/** What {@link HolderIndex.findHolders} takes; at least one of `reference`, `name`, `credentialId`. */
export interface FindHoldersParameters {
  /** Exact, after normalisation (NFKC, trimmed, upper case). */
  readonly reference?: string;
  /** Normalised (NFKC, case, spaces and punctuation ignored) substring of "family given" or "given family". */
  readonly name?: string;
  /** The row holding this credential id. */
  readonly credentialId?: string;
  /** Most rows returned (default 50, at most 500); newest first. */
  readonly limit?: number;
}

export interface HolderIndex {
  /** Adds one row; returns it as stored. */
  recordHolder(params: RecordHolderParameters): HolderEntry;
  /** Rows matching every criterion given, newest issuance first. */
  findHolders(params: FindHoldersParameters): HolderEntry[];
  /** Deletes rows past their erase time; returns how many. */
  eraseExpired(): number;
  /** Rows held (for reports and tests). */
  count(): number;
  close(): void;
}

export interface CreateHolderIndexParameters {
  /** The SQLite file (created 0600 in a 0700 directory if missing). */
  readonly path: string;
  /** The 32-byte secret (created 0600 with the index if missing; a missing key for an existing index is refused). */
  readonly keyPath: string;
  /** Seconds a row is kept after its credential expired. Default 30 days. */
  readonly retentionSeconds?: number;
  /** Seconds. Default: the system clock. */
  readonly clock?: () => number;
}

/** Default retention after expiry: 30 days (a person whose card just expired can still be found and helped). */
export const DEFAULT_HOLDER_RETENTION_SECONDS = 30 * 24 * 60 * 60;
const MAX_IDS = 16;
const MAX_THUMBNAIL_DATA_URI = Math.ceil((8 * 1024 * 4) / 3) + 64;

interface Card {
  readonly r: string;
  readonly f: string;
  readonly g: string;
  readonly ids: readonly string[];
  readonly t: string;
  readonly fmt: string;
  readonly i: number;
  readonly e: number;
}

function holderIndexError(code: HolderIndexErrorCode, message: string, details?: Record<string, unknown>): MobileIdError<HolderIndexErrorCode> {
  return new MobileIdError(code, message, details === undefined ? {} : { details });
}

function readOrCreateKey(keyPath: string, indexExisted: boolean): Buffer {
  if (existsSync(keyPath)) {
    const key = readFileSync(keyPath);
    if (key.length !== 32) throw holderIndexError(HolderIndexErrorCode.HOLDER_INDEX_KEY_INVALID, "the holder index key file is not 32 bytes", { keyPath });
    return key;
  }
  if (indexExisted) {
    throw holderIndexError(HolderIndexErrorCode.HOLDER_INDEX_KEY_INVALID, "the holder index exists but its key file is missing", { keyPath });
  }
  const key = randomBytes(32);
  const fd = openSync(keyPath, "wx", 0o600);
  try {
    writeSync(fd, key);
  } finally {
    closeSync(fd);
  }
  return key;
}

/**
 * Opens (creating if needed) an issuer's holder index.
 *
 * @example
 * ```ts
 * const index = createHolderIndex({ path: "data/issuer/snu.holders.sqlite", keyPath: "data/issuer/snu.holders.key" });
 * index.recordHolder({ reference: "2026-12345", familyName: "김", givenName: "민준", credentialIds: [id],
 *   type: "StudentIDCredential", format: "jwt_vc_json", issuedAt, expiresAt });
 * index.findHolders({ name: "김 민준" }); // [{ reference: "2026-12345", … }]
 * ```
 */
export function createHolderIndex(params: CreateHolderIndexParameters): HolderIndex {
  const clock = params.clock ?? (() => Math.floor(Date.now() / 1000));
  const retention = params.retentionSeconds ?? DEFAULT_HOLDER_RETENTION_SECONDS;
  if (!Number.isSafeInteger(retention) || retention < 0) throw new MobileIdError("INVALID_ARGUMENT", "retentionSeconds must be a non-negative integer");
  const { existed } = prepareDatabaseFile(params.path);
  const secret = readOrCreateKey(params.keyPath, existed);
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), `mobile-id holder index ${info}`, 32));
  const encKey = derive("aes-256-gcm v1");
  const macKey = derive("reference hmac v1");
  const mac = (text: string) => createHmac("sha256", macKey).update(text).digest();

  const db = new DatabaseSync(params.path, { enableForeignKeyConstraints: true });
  try {
    openSchema(db);
  } catch (cause) {
    db.close();
    // A damaged file is refused with the data-file code every store uses (the operator restores or removes it).
    if (isSqliteDamage(cause)) throw databaseDamaged(params.path, cause);
    throw cause;
  }
  makeFilesPrivate(params.path);
  // A key check value: another key would decrypt nothing, so refuse it at open rather than at the first search.
  const check = mac("key check");
  const stored = db.prepare("SELECT value FROM meta WHERE key = 'keyCheck'").get() as { value: Uint8Array } | undefined;
  if (stored === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('keyCheck', ?)").run(check);
  else if (stored.value.length !== check.length || !timingSafeEqual(Buffer.from(stored.value), check)) {
    db.close();
    throw holderIndexError(HolderIndexErrorCode.HOLDER_INDEX_KEY_INVALID, "the holder index key file is not the key the index was written with", { keyPath: params.keyPath });
  }

  const seal = (rid: Buffer, what: string, plain: Buffer): Buffer => {
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", encKey, iv);
    c.setAAD(Buffer.concat([rid, Buffer.from(what)]));
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  };
  const open = (rid: Uint8Array, what: string, sealed: Uint8Array): Buffer => {
    const b = Buffer.from(sealed);
    try {
      const d = createDecipheriv("aes-256-gcm", encKey, b.subarray(0, 12));
      d.setAAD(Buffer.concat([rid, Buffer.from(what)]));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]);
    } catch (cause) {
      throw new MobileIdError(HolderIndexErrorCode.HOLDER_INDEX_DAMAGED, "a holder index row does not decrypt", { cause });
    }
  };

  const insertRow = db.prepare("INSERT INTO holders (rid, ref_mac, issued_at, erase_after, card, thumb) VALUES (?, ?, ?, ?, ?, ?)");
  const insertId = db.prepare("INSERT OR REPLACE INTO holder_credentials (credential_id, row_id) VALUES (?, ?)");
  const eraseStmt = db.prepare("DELETE FROM holders WHERE erase_after < ?");
  let lastErase = -Infinity;
  /** Normalised names by row, oldest first (built at the first name search). */
  let names: { rowId: number; fg: string; gf: string; eraseAfter: number }[] | undefined;
  const eraseExpired = (): number => {
    lastErase = clock();
    const erased = Number(eraseStmt.run(lastErase).changes);
    if (erased > 0 && names !== undefined) names = names.filter((n) => n.eraseAfter >= lastErase);
    return erased;
  };
  const maybeErase = () => {
    if (clock() - lastErase >= 60) eraseExpired();
  };
  eraseExpired();

  type Row = { rid: Uint8Array; card: Uint8Array; thumb: Uint8Array | null; erase_after: number };
  const entryOf = (row: Row, card: Card): HolderEntry => ({
    reference: card.r,
    familyName: card.f,
    givenName: card.g,
    thumbnail: row.thumb === null ? undefined : open(row.rid, "thumb", row.thumb).toString("utf8"),
    credentialIds: card.ids,
    type: card.t,
    format: card.fmt,
    issuedAt: card.i,
    expiresAt: card.e,
    eraseAfter: row.erase_after,
  });
  const cardOf = (row: Row): Card => JSON.parse(open(row.rid, "card", row.card).toString("utf8")) as Card;

  return {
    recordHolder(p) {
      const ids = [...p.credentialIds];
      if (ids.length < 1 || ids.length > MAX_IDS || ids.some((id) => typeof id !== "string" || id.length === 0 || id.length > 200)) {
        throw new MobileIdError("INVALID_ARGUMENT", `credentialIds must hold 1 to ${MAX_IDS} ids`);
      }
      if (!Number.isSafeInteger(p.issuedAt) || !Number.isSafeInteger(p.expiresAt)) throw new MobileIdError("INVALID_ARGUMENT", "issuedAt and expiresAt must be integer seconds");
      for (const [k, v] of [["reference", p.reference], ["familyName", p.familyName], ["givenName", p.givenName], ["type", p.type], ["format", p.format]] as const) {
        if (typeof v !== "string" || v.length > 256) throw new MobileIdError("INVALID_ARGUMENT", `${k} must be text of at most 256 characters`);
      }
      if (p.thumbnail !== undefined && (!p.thumbnail.startsWith("data:image/") || p.thumbnail.length > MAX_THUMBNAIL_DATA_URI)) {
        throw new MobileIdError("INVALID_ARGUMENT", "thumbnail must be a data: image of at most 8 KB");
      }
      maybeErase();
      const rid = randomBytes(16);
      const card: Card = { r: p.reference, f: p.familyName, g: p.givenName, ids, t: p.type, fmt: p.format, i: p.issuedAt, e: p.expiresAt };
      const eraseAfter = p.expiresAt + retention;
      const refMac = p.reference === "" ? null : mac(`ref\0${normalizeReference(p.reference)}`);
      db.exec("BEGIN IMMEDIATE");
      try {
        const r = insertRow.run(
          rid,
          refMac,
          p.issuedAt,
          eraseAfter,
          seal(rid, "card", Buffer.from(JSON.stringify(card))),
          p.thumbnail === undefined ? null : seal(rid, "thumb", Buffer.from(p.thumbnail)),
        );
        for (const id of ids) insertId.run(id, r.lastInsertRowid);
        db.exec("COMMIT");
        const f = normalizeName(card.f);
        const g = normalizeName(card.g);
        names?.push({ rowId: Number(r.lastInsertRowid), fg: f + g, gf: g + f, eraseAfter });
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
      return { reference: card.r, familyName: card.f, givenName: card.g, thumbnail: p.thumbnail, credentialIds: ids, type: card.t, format: card.fmt, issuedAt: card.i, expiresAt: card.e, eraseAfter };
    },

    findHolders(q) {
      const limit = q.limit ?? 50;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) throw new MobileIdError("INVALID_ARGUMENT", "limit must be 1 to 500");
      const reference = q.reference?.trim() ?? "";
      const name = q.name === undefined ? "" : normalizeName(q.name);
      const credentialId = q.credentialId ?? "";
      if (reference === "" && name === "" && credentialId === "") throw new MobileIdError("INVALID_ARGUMENT", "give a reference, a name or a credential id");
      maybeErase();
      const where: string[] = [];
      const args: (Uint8Array | string)[] = [];
      if (reference !== "") {
        where.push("ref_mac = ?");
        args.push(mac(`ref\0${normalizeReference(reference)}`));
      }
      if (credentialId !== "") {
        where.push("row_id IN (SELECT row_id FROM holder_credentials WHERE credential_id = ?)");
        args.push(credentialId);
      }
      if (where.length === 0) {
        // A name alone: the in-memory names, newest row first; only the matches are read and decrypted.
        if (names === undefined) {
          names = [];
          for (const row of db.prepare("SELECT row_id, rid, card, thumb, erase_after FROM holders ORDER BY row_id").iterate() as Iterable<Row & { row_id: number }>) {
            const c = cardOf(row);
            const f = normalizeName(c.f);
            const g = normalizeName(c.g);
            names.push({ rowId: row.row_id, fg: f + g, gf: g + f, eraseAfter: row.erase_after });
          }
        }
        const byId = db.prepare("SELECT rid, card, thumb, erase_after FROM holders WHERE row_id = ?");
        const found: HolderEntry[] = [];
        for (let i = names.length - 1; i >= 0 && found.length < limit; i--) {
          const n = names[i] as (typeof names)[number];
          if (!n.fg.includes(name) && !n.gf.includes(name)) continue;
          const row = byId.get(n.rowId) as Row | undefined;
          if (row !== undefined) found.push(entryOf(row, cardOf(row)));
        }
        return found;
      }
      const sql = `SELECT rid, card, thumb, erase_after FROM holders WHERE ${where.join(" AND ")} ORDER BY issued_at DESC, row_id DESC`;
      const out: HolderEntry[] = [];
      for (const row of db.prepare(sql).iterate(...args) as Iterable<Row>) {
        const card = cardOf(row);
        if (name !== "") {
          const f = normalizeName(card.f);
          const g = normalizeName(card.g);
          if (!`${f}${g}`.includes(name) && !`${g}${f}`.includes(name)) continue;
        }
        out.push(entryOf(row, card));
        if (out.length >= limit) break;
      }
      return out;
    },

    eraseExpired,
    count: () => Number((db.prepare("SELECT count(*) AS n FROM holders").get() as { n: number }).n),
    close: () => {
      if (db.isOpen) db.close();
    },
  };
}

function openSchema(db: DatabaseSync): void {
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA secure_delete = ON");
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS holders (
      row_id INTEGER PRIMARY KEY,
      rid BLOB NOT NULL UNIQUE,
      ref_mac BLOB,
      issued_at INTEGER NOT NULL,
      erase_after INTEGER NOT NULL,
      card BLOB NOT NULL,
      thumb BLOB
    ) STRICT;
    CREATE INDEX IF NOT EXISTS holders_ref ON holders (ref_mac);
    CREATE INDEX IF NOT EXISTS holders_erase ON holders (erase_after);
    CREATE TABLE IF NOT EXISTS holder_credentials (
      credential_id TEXT PRIMARY KEY,
      row_id INTEGER NOT NULL REFERENCES holders (row_id) ON DELETE CASCADE
    ) STRICT;
  `);
}
