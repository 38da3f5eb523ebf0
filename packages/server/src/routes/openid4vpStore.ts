import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AuthorizationRequest, VerifyAuthorizationResponseReturnType } from "@mobile-id/verifier";

/** Where an OpenID4VP request stands, as the counter sees it. */
export type Openid4vpRequestState = "pending" | "fetched" | "verified" | "rejected" | "declined" | "expired";

export interface Openid4vpSession {
  readonly id: string;
  readonly request: AuthorizationRequest;
  readonly createdAt: number;
  state: Openid4vpRequestState;
  /** A response is being verified or was recorded: a second one is a replay. */
  answered: boolean;
  /** The verified outcome (with the disclosed claims) until the counter read it. */
  outcome: VerifyAuthorizationResponseReturnType | undefined;
  answeredAt: number | undefined;
  outcomeRead: boolean;
}

export interface Openid4vpSessionStore {
  /** Stores a new request under a random id with a random counter token (only its SHA-256 is kept). */
  create(request: AuthorizationRequest, now: number, id?: string): { session: Openid4vpSession; counterToken: string };
  /** A fresh id for a request about to be created (its URIs go into the signed request object). */
  newId(): string;
  get(id: string, now: number): Openid4vpSession | undefined;
  isCounterToken(id: string, token: string): boolean;
  /** The session with its outcome, returned to the counter once and then erased. */
  takeForCounter(id: string, now: number): Openid4vpSession | undefined;
  purge(now: number): void;
  readonly size: number;
}

const sha256 = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/**
 * OpenID4VP requests in memory, capped: the request a wallet fetches, the state the counter polls, and the outcome
 * read once. A restart forgets open requests (the counter then gets 404 and makes a new one); a response is still
 * answerable once across restarts, since the durable nonce store consumes each request's nonce.
 *
 * @example
 * ```ts
 * const store = createOpenid4vpSessionStore({ maxOpen: 10_000, outcomeTtlSeconds: 300 });
 * ```
 */
export function createOpenid4vpSessionStore(options: { readonly maxOpen?: number; readonly outcomeTtlSeconds?: number } = {}): Openid4vpSessionStore {
  const maxOpen = options.maxOpen ?? 10_000;
  const outcomeTtl = options.outcomeTtlSeconds ?? 300;
  const sessions = new Map<string, { session: Openid4vpSession; tokenHash: Buffer }>();
  const expired = (s: Openid4vpSession, now: number) => now > s.request.expiresAt && (s.state === "pending" || s.state === "fetched");
  const store: Openid4vpSessionStore = {
    newId: () => randomBytes(16).toString("base64url"),
    create(request, now, id = store.newId()) {
      if (sessions.size >= maxOpen) store.purge(now);
      if (sessions.size >= maxOpen) throw Object.assign(new Error("too many open requests"), { code: "TOO_MANY_REQUESTS" });
      const counterToken = randomBytes(32).toString("base64url");
      const session: Openid4vpSession = { id, request, createdAt: now, state: "pending", answered: false, outcome: undefined, answeredAt: undefined, outcomeRead: false };
      sessions.set(id, { session, tokenHash: sha256(counterToken) });
      return { session, counterToken };
    },
    get(id, now) {
      const s = sessions.get(id)?.session;
      if (s !== undefined && expired(s, now)) s.state = "expired";
      return s;
    },
    isCounterToken(id, token) {
      const entry = sessions.get(id);
      if (entry === undefined) return false;
      const presented = sha256(token);
      return presented.length === entry.tokenHash.length && timingSafeEqual(presented, entry.tokenHash);
    },
    takeForCounter(id, now) {
      const s = store.get(id, now);
      if (s === undefined || s.outcome === undefined) return s;
      const copy = { ...s };
      s.outcome = undefined;
      s.outcomeRead = true;
      return copy;
    },
    purge(now) {
      for (const [id, { session: s }] of sessions) {
        if (s.outcome !== undefined && s.answeredAt !== undefined && now > s.answeredAt + outcomeTtl) s.outcome = undefined;
        if (now > s.request.expiresAt + outcomeTtl && s.outcome === undefined) sessions.delete(id);
      }
    },
    get size() {
      return sessions.size;
    },
  };
  return store;
}
