import { deflateSync } from "node:zlib";
import { encodeBase64url } from "@mobile-id/core";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import type { IssuerContext } from "./issuerContext.ts";
import { issuerJoseSigner, statusListUriOf } from "./issueSdJwtVcBatch.ts";

/** Token Status List values (draft-ietf-oauth-status-list, 2 bits per entry). */
export const TokenStatus = { VALID: 0, INVALID: 1, SUSPENDED: 2 } as const;

export interface StatusListTokenParameters {
  /** The list pair's ledger ids (as in `statusLists()`). */
  readonly revocationListId: string;
  readonly suspensionListId: string;
  /** The base URL the copies' `status.status_list.uri` was built from (see `issueSdJwtVc`). */
  readonly statusListBaseUrl: string;
  /** The revocation list's bits as on the ledger: entry i is bit (i mod 8) of byte floor(i / 8). */
  readonly revoked: Uint8Array;
  /** The suspension list's bits, same layout and length. */
  readonly suspended: Uint8Array;
  /** `ttl`: seconds a relying party may cache the token. Default 30. */
  readonly ttlSeconds?: number;
  /** `exp` - `iat`, seconds. Default 600. */
  readonly validitySeconds?: number;
}

/**
 * The 2-bit Token Status List of a pair (draft-ietf-oauth-status-list §4.1): entry i at bits 2·(i mod 4) of byte
 * floor(i / 4), 0 valid, 1 invalid (revoked; wins over suspended), 2 suspended, DEFLATE-compressed with the ZLIB
 * format.
 *
 * @example
 * ```ts
 * const lst = encodeBase64url(tokenStatusList(revokedBits, suspendedBits));
 * ```
 */
export function tokenStatusList(revoked: Uint8Array, suspended: Uint8Array): Uint8Array {
  if (revoked.length !== suspended.length) throw new RangeError("both lists of a pair have the same size");
  const out = new Uint8Array(revoked.length * 2);
  for (let byte = 0; byte < revoked.length; byte++) {
    const r = revoked[byte] as number;
    const s = suspended[byte] as number;
    if ((r | s) === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      const value = (r >> bit) & 1 ? TokenStatus.INVALID : (s >> bit) & 1 ? TokenStatus.SUSPENDED : TokenStatus.VALID;
      if (value === TokenStatus.VALID) continue;
      const i = byte * 8 + bit;
      out[i >>> 2] = (out[i >>> 2] as number) | (value << ((i & 3) * 2));
    }
  }
  return deflateSync(out, { level: 9 });
}

/**
 * A Status List Token (`typ: statuslist+jwt`, draft-ietf-oauth-status-list) for one of this issuer's list pairs,
 * signed with the issuer's key (ES256K, `kid` = DID URL, as its SD-JWT VCs): `iss` the issuer's DID, `sub` the
 * URI the copies carry, `iat`, `exp`, `ttl`, `status_list {bits: 2, lst}`. Throws `STATUS_LIST_INVALID` for a
 * pair that is not this issuer's.
 *
 * @example
 * ```ts
 * const jwt = await issuer.statusListToken({ revocationListId, suspensionListId, statusListBaseUrl, revoked, suspended });
 * ```
 */
export async function createStatusListToken(ctx: IssuerContext, p: StatusListTokenParameters): Promise<string> {
  const pair = [...ctx.pairs.values()].find((x) => x.revocationListId === p.revocationListId && x.suspensionListId === p.suspensionListId);
  if (pair === undefined) {
    throw issuerError(IssuerErrorCode.STATUS_LIST_INVALID, "not a status list pair of this issuer", {
      details: { revocationListId: p.revocationListId, suspensionListId: p.suspensionListId },
    });
  }
  const size = 2 ** pair.sizeLog2;
  if (p.revoked.length * 8 !== size || p.suspended.length * 8 !== size) {
    throw issuerError("INVALID_ARGUMENT", "the bits do not cover the pair's lists", { details: { size } });
  }
  const ttl = p.ttlSeconds ?? 30;
  const validity = p.validitySeconds ?? 600;
  const iat = ctx.clock();
  const signer = issuerJoseSigner(ctx);
  const header = encodeBase64url(JSON.stringify({ alg: signer.alg, typ: "statuslist+jwt", kid: signer.kid }));
  const payload = encodeBase64url(
    JSON.stringify({
      iss: ctx.issuerDid,
      sub: statusListUriOf(p.statusListBaseUrl, pair),
      iat,
      exp: iat + validity,
      ttl,
      status_list: { bits: 2, lst: encodeBase64url(tokenStatusList(p.revoked, p.suspended)) },
    }),
  );
  const signingInput = `${header}.${payload}`;
  const signature = await signer.sign(new TextEncoder().encode(signingInput));
  return `${signingInput}.${encodeBase64url(signature)}`;
}
