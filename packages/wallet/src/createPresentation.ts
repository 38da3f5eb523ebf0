import { getBytes } from "ethers";
import { MobileIdError, createEs256kSigner, jwtVpFormat } from "@mobile-id/core/browser";
import { toDetails } from "./credentialViews.ts";
import { walletError } from "./errors.ts";
import { checkRequest } from "./preparePresentation.ts";
import { type Wallet, readWallet } from "./session.ts";
import { currentKey } from "./state.ts";

/** Default lifetime of a presentation: long enough to hand over, too short to be worth stealing. */
export const PRESENTATION_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 600;

export interface CreatePresentationParameters {
  readonly wallet: Wallet;
  /** The same request the user consented to (checked again: it may have expired meanwhile). */
  readonly request: unknown;
  /** The credentials the user consented to share: at most one per requested type. */
  readonly credentialIds: readonly string[];
  /** Lifetime in seconds (default 300, at most 600); never past the request's `expiresAt`. */
  readonly ttlSeconds?: number;
}

export interface CreatePresentationReturnType {
  /** The VP JWT for the verifier. */
  readonly jwt: string;
  readonly credentialIds: readonly string[];
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * Self-signs a presentation for the verifier that sent `request`, containing exactly the consented credentials,
 * with the wallet's current key. Everything is re-derived from the wallet and the request (the preview object is
 * not trusted): each id must be stored (`WALLET_CREDENTIAL_NOT_FOUND`), of a requested type, currently valid and
 * the only one of its type (`CONSENT_INVALID`); the request must still be valid (`REQUEST_INVALID`,
 * `REQUEST_EXPIRED`).
 *
 * Wire format (core README): header `{"alg":"ES256K","typ":"JWT"}`; `iss` = the holder DID, `aud` = the
 * request's domain as a single string, `nonce` = its challenge, `nbf`, `exp`, `jti`, and `vp` listing the VC JWTs.
 *
 * @example
 * ```ts
 * const { jwt } = await createPresentation({ wallet, request, credentialIds: preview.defaultSelection });
 * ```
 */
export async function createPresentation(params: CreatePresentationParameters): Promise<CreatePresentationReturnType> {
  const { state, now } = readWallet(params.wallet);
  const t = now();
  const request = checkRequest(params.request, t);
  const ttl = params.ttlSeconds ?? PRESENTATION_TTL_SECONDS;
  if (!Number.isSafeInteger(ttl) || ttl <= 0 || ttl > MAX_TTL_SECONDS) {
    throw new MobileIdError("INVALID_ARGUMENT", `ttlSeconds must be 1..${MAX_TTL_SECONDS}`, { details: { ttlSeconds: ttl } });
  }
  const ids = params.credentialIds;
  if (!Array.isArray(ids) || ids.length === 0 || new Set(ids).size !== ids.length) {
    throw walletError("CONSENT_INVALID", "consent must name one or more distinct credentials");
  }
  const jwts: string[] = [];
  const types = new Set<string>();
  for (const id of ids) {
    const stored = state.credentials.find((c) => c.id === id);
    if (stored === undefined) throw walletError("WALLET_CREDENTIAL_NOT_FOUND", "no credential with this id", { details: { id } });
    const c = toDetails(stored, t);
    if (!request.credentialTypes.includes(c.type)) {
      throw walletError("CONSENT_INVALID", "the verifier did not ask for this credential's type", { details: { id, type: c.type } });
    }
    if (c.validity !== "valid") throw walletError("CONSENT_INVALID", `the credential is ${c.validity}`, { details: { id } });
    if (types.has(c.type)) throw walletError("CONSENT_INVALID", "two credentials of one type", { details: { type: c.type } });
    types.add(c.type);
    jwts.push(stored.jwt);
  }
  const expiresAt = Math.min(t + ttl, request.expiresAt);
  const key = currentKey(state);
  // The JWT-VP format module builds and signs (ES256K, the wallet's current key, in memory for this call only).
  // The kid names the identity's owner key (the wallet's current key): a verifier tries that one key.
  const payload = jwtVpFormat.build({
    holder: { kind: "did", did: state.did },
    audience: request.domain,
    nonce: request.challenge,
    id: `urn:uuid:${crypto.randomUUID()}`,
    validFrom: t,
    validUntil: expiresAt,
    credentials: jwts,
  });
  const secret = getBytes(key.privateKey);
  let jwt: string;
  try {
    jwt = await jwtVpFormat.sign(payload, { ...createEs256kSigner(secret), kid: `${state.did}#controller` });
  } finally {
    secret.fill(0); // as before: this call's copy of the key does not outlive it
  }
  return { jwt, credentialIds: [...ids], issuedAt: t, expiresAt };
}
