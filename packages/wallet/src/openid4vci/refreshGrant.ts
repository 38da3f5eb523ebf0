/**
 * What the wallet keeps to get more SD-JWT VC copies later "with the same grant" (issue 11): the OAuth refresh
 * token the issuer's token endpoint returned with the pre-authorized code, bound to the batch it served. Kept in the
 * encrypted wallet state only. Pure code.
 */
import { walletError } from "../errors.ts";

export interface StoredRefreshGrant {
  /** The batch these copies refresh (hex SHA-256 id, as `SdJwtVcBatchSummary.batch`). */
  readonly batch: string;
  /** The Credential Issuer identifier. */
  readonly credentialIssuer: string;
  readonly configurationId: string;
  /** The issuer's DID that was checked on the ledger when the batch was received. */
  readonly issuerDid: string;
  readonly refreshToken: string;
  readonly createdAt: number;
}

const bad = (reason: string) => walletError("WALLET_TAMPERED", "the wallet's contents are not valid", { details: { reason: `content: ${reason}` } });

/** Checks one stored grant strictly (`WALLET_TAMPERED` for anything off). */
export function decodeRefreshGrant(v: unknown): StoredRefreshGrant {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad("refresh grant is not an object");
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!["batch", "credentialIssuer", "configurationId", "issuerDid", "refreshToken", "createdAt"].includes(k)) throw bad(`refresh grant has unknown field ${k}`);
  const { batch, credentialIssuer, configurationId, issuerDid, refreshToken, createdAt } = o;
  if (typeof batch !== "string" || !/^[0-9a-f]{64}$/.test(batch)) throw bad("refresh grant batch");
  for (const [name, value] of Object.entries({ credentialIssuer, configurationId, issuerDid, refreshToken })) {
    if (typeof value !== "string" || value.length === 0 || value.length > 4096) throw bad(`refresh grant ${name}`);
  }
  if (typeof createdAt !== "number" || !Number.isSafeInteger(createdAt) || createdAt < 0) throw bad("refresh grant createdAt");
  return { batch, credentialIssuer: credentialIssuer as string, configurationId: configurationId as string, issuerDid: issuerDid as string, refreshToken: refreshToken as string, createdAt };
}
