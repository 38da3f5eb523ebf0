import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { findCredentialType } from "@mobile-id/core/browser";
import { walletError } from "./errors.ts";
import { type ParsedCredential, parseCredentialJwt } from "./parseCredentialJwt.ts";
import type { StoredCredential } from "./state.ts";

/** `valid` now, `expired` (exp passed) or `not-yet-valid` (nbf ahead), by the wallet's clock. */
export type CredentialValidity = "valid" | "expired" | "not-yet-valid";

/** What a credential list shows: no claims. */
export interface CredentialSummary {
  /** Hex SHA-256 of the JWT; the handle for show, remove and consent. */
  readonly id: string;
  readonly type: string;
  readonly title: { readonly en: string; readonly ko: string } | undefined;
  readonly issuer: string;
  readonly subject: string;
  readonly validFrom: number | undefined;
  readonly validUntil: number;
  readonly validity: CredentialValidity;
  readonly jti: string | undefined;
  readonly importedAt: number;
}

/** One credential in full, for its detail screen and for the consent screen. */
export interface CredentialDetails extends CredentialSummary {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly credentialStatus: Readonly<Record<string, unknown>> | undefined;
  readonly schema: string | undefined;
  readonly jwt: string;
}

export function credentialId(jwt: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(jwt)));
}

export function validityAt(c: Pick<ParsedCredential, "validFrom" | "validUntil">, now: number): CredentialValidity {
  if (now >= c.validUntil) return "expired";
  if (c.validFrom !== undefined && now < c.validFrom) return "not-yet-valid";
  return "valid";
}

export function parseStored(stored: StoredCredential): ParsedCredential {
  const r = parseCredentialJwt(stored.jwt);
  // Stored credentials passed the same parser on import; failing now means the state was altered.
  if (!r.ok) throw walletError("WALLET_TAMPERED", "a stored credential is not valid", { details: { reason: "content: credential", id: stored.id } });
  return r.credential;
}

export function toDetails(stored: StoredCredential, now: number): CredentialDetails {
  const c = parseStored(stored);
  const def = findCredentialType(c.type);
  return {
    id: stored.id,
    type: c.type,
    title: def === undefined ? undefined : { en: def.title.en, ko: def.title.ko },
    issuer: c.issuer,
    subject: c.subject,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    validity: validityAt(c, now),
    jti: c.jti,
    importedAt: stored.importedAt,
    claims: c.claims,
    credentialStatus: c.credentialStatus,
    schema: c.schema,
    jwt: stored.jwt,
  };
}

export function toSummary(stored: StoredCredential, now: number): CredentialSummary {
  const d = toDetails(stored, now);
  return {
    id: d.id,
    type: d.type,
    title: d.title,
    issuer: d.issuer,
    subject: d.subject,
    validFrom: d.validFrom,
    validUntil: d.validUntil,
    validity: d.validity,
    jti: d.jti,
    importedAt: d.importedAt,
  };
}
