import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, scryptSync, timingSafeEqual } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { createTransaction } from "@mobile-id/core/sqlite";

/** The credential formats an offer may name (OpenID4VCI 1.0 format identifiers). */
export type Openid4vciFormat = "dc+sd-jwt" | "jwt_vc_json";

/** What the agency offers: its own record of a person (a reference such as a student number, and the claims). */
export interface OfferContent {
  readonly tenant: string;
  readonly credentialType: string;
  readonly formats: readonly Openid4vciFormat[];
  /**
   * The agency's own reference (student number, licence number): never put in a credential, kept only while the
   * offer is pending (shown in its status), erased with the claims when it is redeemed, expires or locks.
   */
  readonly reference: string;
  readonly claims: Readonly<Record<string, unknown>>;
  /** SD-JWT VC copies the wallet may fetch per request (batch size). */
  readonly copies: number;
}

/** Why a pre-authorized code was refused: each is an OAuth `invalid_grant`. */
export type RedeemFailure = "unknown" | "redeemed" | "expired" | "locked" | "tx_code";

export type RedeemResult =
  | { readonly ok: true; readonly grant: IssuedGrant }
  | { readonly ok: false; readonly reason: RedeemFailure; readonly attemptsLeft?: number };

/** A grant's tokens, shown once to the wallet; the store keeps their SHA-256 only. */
export interface IssuedGrant {
  readonly grantId: string;
  readonly accessToken: string;
  readonly accessExpiresAt: number;
  readonly refreshToken: string;
}

/** What an access token allows: the credential endpoint's view of a grant. */
export interface GrantView {
  readonly grantId: string;
  readonly tenant: string;
  readonly credentialType: string;
  readonly formats: readonly Openid4vciFormat[];
  /** The claims, in plain text only while an access token of the grant is valid; `undefined` after. */
  readonly claims: Readonly<Record<string, unknown>> | undefined;
  readonly copies: number;
  /** Ids of credentials issued on this grant, per format (refresh adds copies to these). */
  readonly issued: Readonly<Partial<Record<Openid4vciFormat, IssuedOnGrant>>>;
  /** The thumbprint of the DPoP key the grant's tokens are bound to (RFC 9449), if the wallet used DPoP. */
  readonly dpopJkt: string | undefined;
}

/** What a grant issued in one format: the credential (first issued) and every credential id (what revocation takes). */
export interface IssuedOnGrant {
  readonly id: string;
  readonly expiresAt: number;
  /** Every credential id issued on the grant in this format: one SD-JWT VC group; each JWT-VC. */
  readonly ids: readonly string[];
}

export interface OfferStatus {
  readonly state: "pending" | "expired" | "locked" | "redeemed" | "issued";
  readonly expiresAt: number;
  /** The agency's reference, while the offer is pending (erased after). */
  readonly reference?: string;
  readonly credentials: GrantView["issued"];
}

export type NonceResult = { readonly ok: true } | { readonly ok: false; readonly reason: "unknown" | "used" | "expired" };

export interface Openid4vciStoreOptions {
  /** Seconds an access token is valid. Default 300. */
  readonly accessTokenTtlSeconds?: number;
  /** Seconds a `c_nonce` is valid. Default 300. */
  readonly nonceTtlSeconds?: number;
  /** Wrong transaction codes before an offer locks. Default 5. */
  readonly maxTxCodeAttempts?: number;
  /** scrypt cost of the transaction-code hash (N). Default 16,384. */
  readonly txCodeScryptN?: number;
}

/**
 * The durable state of OpenID4VCI pre-authorized issuance, one SQLite database for every tenant:
 *
 * - offers: one-time and expiring; the pre-authorized code and the offer id are stored as SHA-256 only; the
 *   6-digit transaction code as a salted scrypt hash; 5 wrong codes lock the offer. The claims (personal data)
 *   leave the offer row when it is redeemed, and are erased from an offer that expires or locks.
 * - grants: what a redeemed offer became; access tokens (short-lived) and refresh tokens as SHA-256 only. The
 *   claims stay in plain text only between a token and the issuance it allows; for a later refresh they are kept
 *   sealed (AES-256-GCM) under a key derived from the refresh token, which only the wallet holds: the database
 *   alone never yields them.
 * - nonces: `c_nonce` values, single use, short-lived: MACed with a key kept in the database, not stored until
 *   used (the public nonce endpoint writes nothing); a used one is recorded (SHA-256) until it expires.
 */
export interface Openid4vciStore {
  createOffer(content: OfferContent, params: { readonly now: number; readonly expiresAt: number }): {
    readonly offerId: string;
    readonly preAuthorizedCode: string;
    readonly txCode: string;
    readonly expiresAt: number;
  };
  /** The offer (for its `credential_offer_uri`) while it can still be redeemed; `undefined` otherwise. */
  readOffer(offerId: string, now: number): { readonly tenant: string; readonly credentialType: string; readonly formats: readonly Openid4vciFormat[]; readonly preAuthorizedCode: string } | undefined;
  /**
   * Where an offer stands, for the agency that made it: `pending` (waiting for the wallet), `expired`, `locked`,
   * `redeemed` (a token was issued) or `issued`, with the ids of the credentials issued on it per format (what
   * revocation takes). `undefined` for an unknown offer or another tenant's.
   */
  offerStatus(offerId: string, tenant: string, now: number): OfferStatus | undefined;
  /** Redeems a pre-authorized code with its transaction code: once, before expiry, unless locked. */
  redeem(params: {
    readonly tenant: string;
    readonly preAuthorizedCode: string;
    readonly txCode: string | undefined;
    readonly now: number;
    /** Binds the grant's tokens to this DPoP key. */
    readonly dpopJkt?: string;
  }): RedeemResult;
  /**
   * A refresh token for new copies: rotates it (the old one stops working), unseals the claims for the new access
   * token. Refused once every credential of the grant has expired.
   */
  refresh(params: { readonly tenant: string; readonly refreshToken: string; readonly now: number; readonly dpopJkt?: string }): IssuedGrant | undefined;
  /** Records a one-time value (a DPoP proof's `jti`) until `expiresAt`; false if it was seen already. */
  useOnce(value: string, expiresAt: number, now: number): boolean;
  /** The grant an access token allows, or `undefined` (unknown, expired, other tenant). */
  grantOf(params: { readonly tenant: string; readonly accessToken: string; readonly now: number }): GrantView | undefined;
  /**
   * Records a credential issued on a grant (the first of a format is "the" credential, later ones are added to
   * `ids`). Its plain claims stay until the access token expires: more copies, other formats.
   */
  recordIssued(grantId: string, format: Openid4vciFormat, credential: { readonly id: string; readonly expiresAt: number }): void;
  issueNonce(now: number): { readonly nonce: string; readonly expiresAt: number };
  /** Uses a nonce up (atomically: two requests cannot both use it). */
  consumeNonce(nonce: string, now: number): NonceResult;
  /** Erases expired offers' claims, tokens' claims, expired nonces; forgets rows older than `retainSeconds` (7 days). */
  purge(now: number, retainSeconds?: number): void;
}

const sha256 = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");
const token = (): string => randomBytes(32).toString("base64url");

function seal(claims: string, refreshToken: string, grantId: string): string {
  const key = createHash("sha256").update(`mobile-id openid4vci claims\0${grantId}\0${refreshToken}`).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(claims, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

function unseal(sealed: string, refreshToken: string, grantId: string): string | undefined {
  const key = createHash("sha256").update(`mobile-id openid4vci claims\0${grantId}\0${refreshToken}`).digest();
  const bytes = Buffer.from(sealed, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

interface OfferRow {
  code_hash: string;
  offer_hash: string;
  tenant: string;
  credential_type: string;
  formats: string;
  reference: string;
  claims: string | null;
  copies: number;
  tx_salt: string;
  tx_hash: string;
  attempts: number;
  expires_at: number;
  redeemed_at: number | null;
  locked_at: number | null;
}

interface GrantRow {
  grant_id: string;
  tenant: string;
  credential_type: string;
  formats: string;
  claims: string | null;
  sealed_claims: string;
  copies: number;
  access_expires_at: number;
  issued: string;
  dpop_jkt: string | null;
}

/**
 * @example
 * ```ts
 * const store = createOpenid4vciStore(openSqlite(join(dataDir, "services", "openid4vci.sqlite")));
 * const offer = store.createOffer({ tenant: "snu", credentialType: "StudentIDCredential", formats: ["dc+sd-jwt"],
 *   reference: "2024-12345", claims, copies: 10 }, { now, expiresAt: now + 900 });
 * // offer.txCode goes to the person by another channel; offer.offerId into the credential_offer_uri
 * ```
 */
export function createOpenid4vciStore(db: DatabaseSync, options: Openid4vciStoreOptions = {}): Openid4vciStore {
  const accessTtl = options.accessTokenTtlSeconds ?? 300;
  const nonceTtl = options.nonceTtlSeconds ?? 300;
  const maxAttempts = options.maxTxCodeAttempts ?? 5;
  const scryptN = options.txCodeScryptN ?? 16_384;
  db.exec(`CREATE TABLE IF NOT EXISTS vci_offers (
    code_hash TEXT PRIMARY KEY,
    offer_hash TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    credential_type TEXT NOT NULL,
    formats TEXT NOT NULL,
    reference TEXT,
    claims TEXT,
    copies INTEGER NOT NULL,
    tx_salt TEXT NOT NULL,
    tx_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    redeemed_at INTEGER,
    locked_at INTEGER
  ) STRICT;
  CREATE TABLE IF NOT EXISTS vci_grants (
    grant_id TEXT PRIMARY KEY,
    offer_hash TEXT NOT NULL,
    tenant TEXT NOT NULL,
    credential_type TEXT NOT NULL,
    formats TEXT NOT NULL,
    claims TEXT,
    sealed_claims TEXT NOT NULL,
    copies INTEGER NOT NULL,
    access_hash TEXT NOT NULL UNIQUE,
    access_expires_at INTEGER NOT NULL,
    refresh_hash TEXT NOT NULL UNIQUE,
    issued TEXT NOT NULL DEFAULT '{}',
    dpop_jkt TEXT,
    in_force_until INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS vci_nonces (
    nonce_hash TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  ) STRICT;
  CREATE TABLE IF NOT EXISTS vci_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;`);
  // c_nonces are MACed, not stored: the public nonce endpoint writes nothing (no table to fill); only a nonce
  // that is used is recorded, until it expires. The key is durable so nonces survive a restart.
  db.prepare("INSERT OR IGNORE INTO vci_meta (name, value) VALUES ('nonce_key', ?)").run(randomBytes(32).toString("hex"));
  const nonceKey = Buffer.from((db.prepare("SELECT value FROM vci_meta WHERE name = 'nonce_key'").get() as { value: string }).value, "hex");
  const nonceMac = (body: Buffer): Buffer => createHmac("sha256", nonceKey).update(body).digest().subarray(0, 16);
  const transaction = createTransaction(db);
  const insertOffer = db.prepare(
    "INSERT INTO vci_offers (code_hash, offer_hash, tenant, credential_type, formats, reference, claims, copies, tx_salt, tx_hash, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
  );
  const offerByHash = db.prepare(
    "SELECT tenant, credential_type, formats FROM vci_offers WHERE offer_hash = ? AND redeemed_at IS NULL AND locked_at IS NULL AND expires_at > ?",
  );
  const offerByCode = db.prepare("SELECT * FROM vci_offers WHERE code_hash = ? AND tenant = ?");
  const countAttempt = db.prepare("UPDATE vci_offers SET attempts = attempts + 1 WHERE code_hash = ?");
  const lockOffer = db.prepare("UPDATE vci_offers SET locked_at = ?, claims = NULL, reference = NULL WHERE code_hash = ?");
  const claimOffer = db.prepare(
    "UPDATE vci_offers SET redeemed_at = ?, claims = NULL, reference = NULL WHERE code_hash = ? AND redeemed_at IS NULL AND locked_at IS NULL",
  );
  const insertGrant = db.prepare(
    "INSERT INTO vci_grants (grant_id, offer_hash, tenant, credential_type, formats, claims, sealed_claims, copies, access_hash, access_expires_at, refresh_hash, dpop_jkt, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
  );
  const grantByAccess = db.prepare("SELECT * FROM vci_grants WHERE access_hash = ? AND tenant = ? AND access_expires_at > ?");
  const grantByRefresh = db.prepare("SELECT * FROM vci_grants WHERE refresh_hash = ? AND tenant = ?");
  const rotate = db.prepare(
    "UPDATE vci_grants SET access_hash = ?, access_expires_at = ?, refresh_hash = ?, sealed_claims = ?, claims = ? WHERE grant_id = ? AND refresh_hash = ?",
  );
  const setIssued = db.prepare("UPDATE vci_grants SET issued = ?, in_force_until = MAX(COALESCE(in_force_until, 0), ?) WHERE grant_id = ?");
  const issuedOf = db.prepare("SELECT issued FROM vci_grants WHERE grant_id = ?");
  const offerStateOf = db.prepare("SELECT tenant, reference, expires_at, redeemed_at, locked_at FROM vci_offers WHERE offer_hash = ?");
  const grantOfOffer = db.prepare("SELECT issued FROM vci_grants WHERE offer_hash = ?");
  const insertUsed = db.prepare("INSERT OR IGNORE INTO vci_nonces (nonce_hash, expires_at, used_at) VALUES (?, ?, ?)");
  const txHash = (code: string, salt: string): string => scryptSync(code, Buffer.from(salt, "hex"), 32, { N: scryptN }).toString("hex");

  const viewOf = (row: GrantRow): GrantView => ({
    grantId: row.grant_id,
    tenant: row.tenant,
    credentialType: row.credential_type,
    formats: JSON.parse(row.formats) as Openid4vciFormat[],
    claims: row.claims === null ? undefined : (JSON.parse(row.claims) as Record<string, unknown>),
    copies: row.copies,
    issued: JSON.parse(row.issued) as GrantView["issued"],
    dpopJkt: row.dpop_jkt ?? undefined,
  });

  const store: Openid4vciStore = {
    createOffer(content, { now, expiresAt }) {
      store.purge(now);
      // The offer id (in the credential_offer_uri) and the pre-authorized code are separate secrets: the code is
      // derived from the id so that the offer JSON can be served again, and only hashes of both are stored.
      const offerId = randomBytes(16).toString("base64url");
      const preAuthorizedCode = createHash("sha256").update(`mobile-id openid4vci code\0${offerId}`).digest("base64url");
      const txCode = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const salt = randomBytes(16).toString("hex");
      insertOffer.run(
        sha256(preAuthorizedCode),
        sha256(offerId),
        content.tenant,
        content.credentialType,
        JSON.stringify(content.formats),
        content.reference,
        JSON.stringify(content.claims),
        content.copies,
        salt,
        txHash(txCode, salt),
        now,
        expiresAt,
      );
      return { offerId, preAuthorizedCode, txCode, expiresAt };
    },
    readOffer(offerId, now) {
      const row = offerByHash.get(sha256(offerId), now) as { tenant: string; credential_type: string; formats: string } | undefined;
      if (row === undefined) return undefined;
      const preAuthorizedCode = createHash("sha256").update(`mobile-id openid4vci code\0${offerId}`).digest("base64url");
      return { tenant: row.tenant, credentialType: row.credential_type, formats: JSON.parse(row.formats) as Openid4vciFormat[], preAuthorizedCode };
    },
    offerStatus(offerId, tenant, now) {
      const hash = sha256(offerId);
      const row = offerStateOf.get(hash) as
        | { tenant: string; reference: string | null; expires_at: number; redeemed_at: number | null; locked_at: number | null }
        | undefined;
      if (row === undefined || row.tenant !== tenant) return undefined;
      const grant = grantOfOffer.get(hash) as { issued: string } | undefined;
      const credentials = grant === undefined ? {} : (JSON.parse(grant.issued) as GrantView["issued"]);
      const state =
        row.locked_at !== null
          ? "locked"
          : row.redeemed_at !== null
            ? Object.keys(credentials).length > 0
              ? "issued"
              : "redeemed"
            : row.expires_at <= now
              ? "expired"
              : "pending";
      return { state, expiresAt: row.expires_at, ...(state === "pending" && row.reference !== null ? { reference: row.reference } : {}), credentials };
    },
    redeem({ tenant, preAuthorizedCode, txCode, now, dpopJkt }) {
      const hash = sha256(preAuthorizedCode);
      const row = offerByCode.get(hash, tenant) as OfferRow | undefined;
      if (row === undefined) return { ok: false, reason: "unknown" };
      if (row.redeemed_at !== null) return { ok: false, reason: "redeemed" };
      if (row.locked_at !== null) return { ok: false, reason: "locked" };
      if (row.expires_at <= now) return { ok: false, reason: "expired" };
      // scrypt outside the transaction (it is slow on purpose); the attempt counter and the claim are decided inside.
      const given = typeof txCode === "string" && /^[0-9]{6}$/.test(txCode) ? txHash(txCode, row.tx_salt) : undefined;
      const right = given !== undefined && timingSafeEqual(Buffer.from(given, "hex"), Buffer.from(row.tx_hash, "hex"));
      return transaction((): RedeemResult => {
        const current = offerByCode.get(hash, tenant) as OfferRow | undefined;
        if (current === undefined) return { ok: false, reason: "unknown" };
        if (current.redeemed_at !== null) return { ok: false, reason: "redeemed" };
        if (current.locked_at !== null) return { ok: false, reason: "locked" };
        if (!right) {
          countAttempt.run(hash);
          const attempts = current.attempts + 1;
          if (attempts >= maxAttempts) {
            lockOffer.run(now, hash);
            return { ok: false, reason: "locked" };
          }
          return { ok: false, reason: "tx_code", attemptsLeft: maxAttempts - attempts };
        }
        if (Number(claimOffer.run(now, hash).changes) !== 1 || current.claims === null) return { ok: false, reason: "redeemed" };
        const grantId = randomBytes(16).toString("base64url");
        const accessToken = token();
        const refreshToken = token();
        const accessExpiresAt = now + accessTtl;
        insertGrant.run(
          grantId,
          current.offer_hash,
          current.tenant,
          current.credential_type,
          current.formats,
          current.claims,
          seal(current.claims, refreshToken, grantId),
          current.copies,
          sha256(accessToken),
          accessExpiresAt,
          sha256(refreshToken),
          dpopJkt ?? null,
          now,
        );
        return { ok: true, grant: { grantId, accessToken, accessExpiresAt, refreshToken } };
      });
    },
    refresh({ tenant, refreshToken, now, dpopJkt }) {
      const hash = sha256(refreshToken);
      return transaction(() => {
        const row = grantByRefresh.get(hash, tenant) as (GrantRow & { in_force_until: number | null }) | undefined;
        if (row === undefined || row.in_force_until === null || row.in_force_until <= now) return undefined;
        // A DPoP-bound grant is refreshed only with a proof of the same key (RFC 9449 §5).
        if (row.dpop_jkt !== null && row.dpop_jkt !== dpopJkt) return undefined;
        const claims = unseal(row.sealed_claims, refreshToken, row.grant_id);
        if (claims === undefined) return undefined;
        const accessToken = token();
        const next = token();
        const accessExpiresAt = now + accessTtl;
        rotate.run(sha256(accessToken), accessExpiresAt, sha256(next), seal(claims, next, row.grant_id), claims, row.grant_id, hash);
        return { grantId: row.grant_id, accessToken, accessExpiresAt, refreshToken: next };
      });
    },
    grantOf({ tenant, accessToken, now }) {
      const row = grantByAccess.get(sha256(accessToken), tenant, now) as GrantRow | undefined;
      return row === undefined ? undefined : viewOf(row);
    },
    recordIssued(grantId, format, credential) {
      transaction(() => {
        const row = issuedOf.get(grantId) as { issued: string } | undefined;
        const before = row === undefined ? {} : (JSON.parse(row.issued) as Partial<Record<Openid4vciFormat, IssuedOnGrant>>);
        const known = before[format];
        const entry: IssuedOnGrant =
          known === undefined
            ? { id: credential.id, expiresAt: credential.expiresAt, ids: [credential.id] }
            : { ...known, ids: known.ids.includes(credential.id) ? known.ids : [...known.ids, credential.id] };
        const issued = { ...before, [format]: entry };
        setIssued.run(JSON.stringify(issued), credential.expiresAt, grantId);
      });
    },
    useOnce(value, expiresAt, now) {
      return Number(insertUsed.run(sha256(`once\0${value}`), expiresAt, now).changes) === 1;
    },
    issueNonce(now) {
      const expiresAt = now + nonceTtl;
      const body = Buffer.alloc(20);
      randomBytes(16).copy(body);
      body.writeUInt32BE(expiresAt, 16);
      return { nonce: Buffer.concat([body, nonceMac(body)]).toString("base64url"), expiresAt };
    },
    consumeNonce(nonce, now) {
      const bytes = /^[A-Za-z0-9_-]{48}$/.test(nonce) ? Buffer.from(nonce, "base64url") : undefined;
      if (bytes?.length !== 36) return { ok: false, reason: "unknown" };
      const body = bytes.subarray(0, 20);
      if (!timingSafeEqual(nonceMac(body), bytes.subarray(20))) return { ok: false, reason: "unknown" };
      const expiresAt = body.readUInt32BE(16);
      if (expiresAt <= now) return { ok: false, reason: "expired" };
      return Number(insertUsed.run(sha256(`nonce\0${nonce}`), expiresAt, now).changes) === 1 ? { ok: true } : { ok: false, reason: "used" };
    },
    purge(now, retainSeconds = 7 * 24 * 3600) {
      transaction(() => {
        db.prepare("UPDATE vci_offers SET claims = NULL, reference = NULL WHERE expires_at <= ? AND claims IS NOT NULL").run(now);
        // Plain claims live only as long as the access token that may use them.
        db.prepare("UPDATE vci_grants SET claims = NULL WHERE access_expires_at <= ? AND claims IS NOT NULL").run(now);
        db.prepare("DELETE FROM vci_nonces WHERE expires_at <= ?").run(now - 60);
        db.prepare("DELETE FROM vci_offers WHERE created_at < ?").run(now - retainSeconds);
        // A grant goes once its credentials are out of force (or, never used, after the retention period).
        db.prepare("DELETE FROM vci_grants WHERE COALESCE(in_force_until, created_at + ?) < ?").run(retainSeconds, now);
      });
    },
  };
  return store;
}
