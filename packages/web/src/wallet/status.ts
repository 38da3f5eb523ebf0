/**
 * The wallet's own check of a credential, against public ledger facts only: the issuer's keys and standing
 * (`GET /parties/:address`, per issuer) and the issuer's whole status lists (`GET /status-lists/:id`). The
 * entry is looked up here, on the phone: the services learn which issuer's lists a wallet reads, never which
 * credential it holds. Used for the live status badge and, at import, as the wallet's injected verifier.
 *
 * What it checks: the ES256K signature against the issuer identity's current owner key, a valid `veriKey`/`sigAuth`
 * delegate or public-key attribute, the issuer's standing for the type now, the status lists' issuer and purpose,
 * the revocation and suspension bits, and the validity window. What it leaves to the verifier at the counter:
 * the JSON Schema of the claims and the chain of accreditors beyond the issuer's own `inForce` answer.
 */
import { getAddress, hexlify, recoverAddress, sha256, toUtf8Bytes } from "ethers";
import { decodeBase64url, parseEthrDid, signingKeyAttribute } from "@mobile-id/core/browser";
import type { CredentialDetails } from "@mobile-id/wallet/browser";
import { ApiError, type PartyFacts, type StatusListFacts, api } from "../lib/api.ts";
import { decodeBase64, statusBit } from "./statusBits.ts";

export type CardState = "valid" | "revoked" | "suspended" | "expired" | "not-yet-valid" | "issuer-not-in-force" | "bad-signature" | "unknown";

export interface CardStatus {
  readonly state: CardState;
  /** The matching `VerificationCode`, for an import refusal. */
  readonly code?: string;
  readonly issuerName?: string;
  /** The ledger block the answer is based on. */
  readonly block?: number;
  readonly blockTime?: number;
  /** When this device established the status (seconds); see `lastStatus.ts`. */
  readonly checkedAt?: number;
  /** The status is the last one known: the ledger could not be reached now. */
  readonly stale?: boolean;
}

type Fetch = <T>(path: string) => Promise<T>;

/** Recovers the addresses that could have made an ES256K JWS signature (both recovery ids). */
export function es256kSigners(jwt: string): string[] {
  const [header, payload, signature] = jwt.split(".");
  if (header === undefined || payload === undefined || signature === undefined) return [];
  const sig = decodeBase64url(signature);
  if (sig === undefined || sig.length !== 64) return [];
  const digest = sha256(toUtf8Bytes(`${header}.${payload}`));
  const r = hexlify(sig.subarray(0, 32));
  const s = hexlify(sig.subarray(32, 64));
  const out: string[] = [];
  for (const v of [27, 28]) {
    try {
      out.push(getAddress(recoverAddress(digest, { r, s, v })));
    } catch {
      // this recovery id gives no point on the curve
    }
  }
  return out;
}

/**
 * Whether `signers` include the identity's owner key, a delegate allowed to sign, or a signing public-key attribute
 * (`did/pub/Secp256k1/veriKey|sigAuth/…`) valid now: the keys the verifier at the counter accepts.
 */
export function signedByIssuer(signers: readonly string[], keys: PartyFacts["keys"], now: number): boolean {
  if (keys.deactivated) return false;
  const allowed = new Set([getAddress(keys.owner)]);
  for (const d of keys.delegates) {
    if ((d.delegateType === "veriKey" || d.delegateType === "sigAuth") && BigInt(d.validTo) > BigInt(now)) allowed.add(getAddress(d.delegate));
  }
  for (const a of keys.attributes ?? []) {
    if (BigInt(a.validTo) <= BigInt(now)) continue;
    const key = signingKeyAttribute(a.name, a.value);
    if (key !== undefined) allowed.add(getAddress(key.address));
  }
  return signers.some((a) => allowed.has(a));
}

/**
 * A status checker with a short cache (so a wallet with many cards from one issuer downloads its lists once).
 *
 * @example
 * ```ts
 * const checker = createStatusChecker();
 * const status = await checker.check(details); // { state: "valid", issuerName: "서울대학교 …", block: 42 }
 * ```
 */
export function createStatusChecker(params: { readonly fetchJson?: Fetch; readonly now?: () => number; readonly cacheMs?: number } = {}) {
  const fetchJson: Fetch = params.fetchJson ?? ((path) => api(path));
  const now = params.now ?? (() => Math.floor(Date.now() / 1000));
  const cacheMs = params.cacheMs ?? 15_000;
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const cached = <T>(path: string): Promise<T> => {
    const hit = cache.get(path);
    if (hit !== undefined && Date.now() - hit.at < cacheMs) return hit.value as Promise<T>;
    const value = fetchJson<T>(path);
    cache.set(path, { at: Date.now(), value });
    value.catch(() => cache.delete(path));
    return value;
  };

  return {
    /** Forgets cached answers (after the user asks for a fresh check). */
    clear: () => cache.clear(),
    /** Party facts by identity address, cached. */
    party: (address: string) => cached<PartyFacts>(`/parties/${address}`),
    /** A whole status list's ledger facts by id, cached. */
    list: (id: string) => cached<StatusListFacts>(`/status-lists/${id}`),
    async check(c: Pick<CredentialDetails, "issuer" | "jwt" | "validity" | "type" | "credentialStatus">): Promise<CardStatus> {
      const t = now();
      const issuer = parseEthrDid(c.issuer);
      if (issuer === undefined || issuer.publicKey !== undefined) return { state: "bad-signature", code: "DID_INVALID" };
      let party: PartyFacts;
      try {
        party = await cached<PartyFacts>(`/parties/${issuer.address}`);
      } catch (e) {
        if (e instanceof ApiError && e.code === "PARTY_NOT_FOUND") return { state: "issuer-not-in-force", code: "ISSUER_NOT_ACCREDITED" };
        return { state: "unknown" };
      }
      const base = { issuerName: party.name, block: party.ledger.blockNumber, blockTime: party.ledger.timestamp };
      if (!signedByIssuer(es256kSigners(c.jwt), party.keys, t)) return { ...base, state: "bad-signature", code: "SIGNATURE_INVALID" };
      if (c.validity === "expired") return { ...base, state: "expired", code: "EXPIRED" };
      if (c.validity === "not-yet-valid") return { ...base, state: "not-yet-valid", code: "NOT_YET_VALID" };
      const standing = party.standings.find((s) => s.type === c.type);
      if (standing?.inForce !== true) {
        const code = standing?.status === "Suspended" ? "ISSUER_SUSPENDED" : standing?.status === "Revoked" ? "ISSUER_REVOKED" : "ISSUER_NOT_ACCREDITED";
        return { ...base, state: "issuer-not-in-force", code };
      }
      const entry = c.credentialStatus as { revocationListId?: unknown; suspensionListId?: unknown; statusListIndex?: unknown } | undefined;
      const index = Number(entry?.statusListIndex);
      if (typeof entry?.revocationListId !== "string" || typeof entry.suspensionListId !== "string" || !Number.isSafeInteger(index)) {
        return { ...base, state: "unknown", code: "STATUS_INVALID" };
      }
      let revocation: StatusListFacts;
      let suspension: StatusListFacts;
      try {
        [revocation, suspension] = await Promise.all([
          cached<StatusListFacts>(`/status-lists/${entry.revocationListId}`),
          cached<StatusListFacts>(`/status-lists/${entry.suspensionListId}`),
        ]);
      } catch {
        return { ...base, state: "unknown" };
      }
      const mine = (l: StatusListFacts, purpose: string) => l.purpose === purpose && getAddress(l.issuer) === getAddress(issuer.address);
      if (!mine(revocation, "revocation") || !mine(suspension, "suspension")) return { ...base, state: "unknown", code: "STATUS_INVALID" };
      const revoked = statusBit(decodeBase64(revocation.bits), index);
      const suspended = statusBit(decodeBase64(suspension.bits), index);
      const at = { block: revocation.ledger.blockNumber, blockTime: revocation.ledger.timestamp };
      if (revoked === undefined || suspended === undefined) return { ...base, ...at, state: "unknown", code: "STATUS_INVALID" };
      if (revoked) return { ...base, ...at, state: "revoked", code: "CREDENTIAL_REVOKED" };
      if (suspended) return { ...base, ...at, state: "suspended", code: "CREDENTIAL_SUSPENDED" };
      return { ...base, ...at, state: "valid" };
    },
  };
}

export type StatusChecker = ReturnType<typeof createStatusChecker>;
