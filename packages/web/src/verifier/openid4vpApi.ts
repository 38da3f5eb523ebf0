/** What the counter sends to and reads from the services' OpenID4VP verifier routes (issue 11). */
import { api } from "../lib/api.ts";
import type { DcqlQueryBody } from "./templates.ts";

/** `POST /verifier/openid4vp/requests` answer. */
export interface Openid4vpRequestView {
  readonly id: string;
  /** `openid4vp://?client_id=…&request_uri=…` (what the QR code carries). */
  readonly link: string;
  readonly requestUri: string;
  readonly qrCodeUri: string;
  readonly clientId: string;
  /** The counter as registered on the ledger. */
  readonly relyingParty: { readonly did: string; readonly name: string; readonly purpose: string };
  readonly counterToken: string;
  readonly expiresAt: number;
}

/** One verified credential of an answer: only the claims the query asked for. */
export interface Openid4vpCredential {
  readonly credentialQueryId: string;
  readonly format: "dc+sd-jwt" | "jwt_vc_json";
  readonly type: string;
  readonly issuer: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly validUntil?: number;
}

/** The outcome of an answer, as the counter's poll gets it once. */
export type Openid4vpOutcome =
  | { readonly declined: true; readonly verified: false; readonly error: string; readonly errorDescription?: string }
  | {
      readonly declined: false;
      readonly verified: boolean;
      readonly code?: string;
      readonly message?: string;
      readonly credentials: readonly Openid4vpCredential[];
      readonly ledgerAsOf?: { readonly blockNumber: number; readonly blockHash: string; readonly blockTimestamp: number; readonly checkedAt: number };
    };

export type Openid4vpState = "pending" | "fetched" | "verified" | "rejected" | "declined" | "expired";

/** `GET /verifier/openid4vp/requests/:id/result` answer. */
export interface Openid4vpResult {
  readonly id: string;
  readonly state: Openid4vpState;
  readonly expiresAt: number;
  readonly outcome?: Openid4vpOutcome;
}

/** Whether the request still waits for the wallet (`fetched`: the wallet read it, the holder is deciding). */
export const isWaiting = (state: Openid4vpState): boolean => state === "pending" || state === "fetched";

/**
 * Creates a request for a DCQL query, signed by the services' registered relying party.
 *
 * @example
 * ```ts
 * const r = await createOpenid4vpRequest(dcqlQueryFor("age19", []));
 * show(r.qrCodeUri);
 * ```
 */
export function createOpenid4vpRequest(dcqlQuery: DcqlQueryBody): Promise<Openid4vpRequestView> {
  // The answer comes back encrypted to a key of this request (HAIP): claims are never in the clear in transit logs.
  return api<Openid4vpRequestView>("/verifier/openid4vp/requests", { body: { dcqlQuery, responseMode: "direct_post.jwt" } });
}

/** The counter's poll (with its token; the outcome comes once). */
export function readOpenid4vpResult(id: string, counterToken: string): Promise<Openid4vpResult> {
  return api<Openid4vpResult>(`/verifier/openid4vp/requests/${encodeURIComponent(id)}/result`, { apiKey: counterToken });
}
