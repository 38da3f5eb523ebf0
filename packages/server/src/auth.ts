import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { HttpError } from "./errors.ts";

/** An agency's API key as the server keeps it: only its SHA-256. */
export interface ApiKeyRecord {
  /** The tenant (issuer id in the URL) the key belongs to. */
  readonly tenant: string;
  /** Hex SHA-256 of the key. */
  readonly keyHash: string;
}

/** A new random API key (32 bytes, base64url, prefixed for recognisability in logs and leaks scanners). */
export function generateApiKey(): string {
  return `mid_${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/**
 * Checks `Authorization: Bearer <key>` against the known keys: no or unknown key → 401; a key of another
 * tenant → 403. Comparison is constant-time over hashes.
 */
export function authorizeTenant(request: FastifyRequest, tenant: string, keys: readonly ApiKeyRecord[]): void {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header) : null;
  if (match?.[1] === undefined) {
    throw new HttpError(401, "UNAUTHENTICATED", "an API key is required", { hint: "send Authorization: Bearer <agency API key>" });
  }
  const presented = Buffer.from(hashApiKey(match[1]), "hex");
  const owner = keys.find((k) => timingSafeEqual(Buffer.from(k.keyHash, "hex"), presented));
  if (owner === undefined) throw new HttpError(401, "UNAUTHENTICATED", "unknown API key");
  if (owner.tenant !== tenant) {
    throw new HttpError(403, "FORBIDDEN", "this API key belongs to another agency", { details: { tenant } });
  }
}
