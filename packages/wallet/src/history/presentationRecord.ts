/**
 * One entry of the wallet's presentation history (issue 11, "the wallet remembers what it shared"): when, to whom
 * (the relying party's registered name and DID), which claims of which credential, and the outcome. Kept inside the
 * wallet's encrypted state (never in clear on disk); holds claim names, never claim values. Pure code.
 */
import { walletError } from "../errors.ts";

/** What became of a presentation request. */
export const PresentationOutcome = {
  /** The holder consented and the verifier accepted the answer. */
  SHARED: "shared",
  /** The holder declined; the verifier was told (`access_denied`). */
  DECLINED: "declined",
  /** Consented, but building or delivering the answer failed (`code` says why). */
  FAILED: "failed",
  /** The wallet refused the request itself (unregistered/suspended party, claims outside its registration, bad signature); nothing was sent. */
  REFUSED: "refused",
} as const;
export type PresentationOutcome = (typeof PresentationOutcome)[keyof typeof PresentationOutcome];

/** One credential of a presentation: its DCQL query id, type, format and the claim paths (dotted) shared or asked for. */
export interface PresentationRecordCredential {
  readonly queryId: string;
  readonly type: string;
  readonly format: string;
  readonly claims: readonly string[];
}

export interface PresentationRecord {
  /** Random, 32 hex digits. */
  readonly id: string;
  /** When (seconds). */
  readonly at: number;
  /** The relying party: its DID, the request's `client_id`, and its registered name ("" when not registered). */
  readonly relyingParty: { readonly did: string; readonly clientId: string; readonly name: string };
  /** The registered purpose ("" when not registered). */
  readonly purpose: string;
  /** The credentials and claims shared (outcome `shared`) or asked for (other outcomes). */
  readonly credentials: readonly PresentationRecordCredential[];
  readonly outcome: PresentationOutcome;
  /** For `failed` and `refused`: the stable code (e.g. `RELYING_PARTY_SUSPENDED`). */
  readonly code?: string;
}

/** The oldest records are dropped beyond this, so a busy wallet's file stays bounded. */
export const MAX_PRESENTATION_RECORDS = 1000;

const bad = (reason: string) => walletError("WALLET_TAMPERED", "the wallet's contents are not valid", { details: { reason: `content: ${reason}` } });
const OUTCOMES: readonly string[] = Object.values(PresentationOutcome);
const isText = (v: unknown, max = 2048): v is string => typeof v === "string" && v.length <= max;

function only(obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw bad(`${what} has unknown field ${k}`);
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad(`${what} is not an object`);
  return v as Record<string, unknown>;
}

/** Checks one stored record strictly (`WALLET_TAMPERED` for anything off). */
export function decodePresentationRecord(v: unknown): PresentationRecord {
  const o = object(v, "presentation record");
  only(o, ["id", "at", "relyingParty", "purpose", "credentials", "outcome", "code"], "presentation record");
  if (typeof o["id"] !== "string" || !/^[0-9a-f]{32}$/.test(o["id"])) throw bad("presentation record id");
  if (typeof o["at"] !== "number" || !Number.isSafeInteger(o["at"]) || o["at"] < 0) throw bad("presentation record at");
  const rp = object(o["relyingParty"], "presentation record relyingParty");
  only(rp, ["did", "clientId", "name"], "presentation record relyingParty");
  if (!isText(rp["did"]) || !isText(rp["clientId"]) || !isText(rp["name"])) throw bad("presentation record relyingParty");
  if (!isText(o["purpose"])) throw bad("presentation record purpose");
  if (typeof o["outcome"] !== "string" || !OUTCOMES.includes(o["outcome"])) throw bad("presentation record outcome");
  if (o["code"] !== undefined && !isText(o["code"], 64)) throw bad("presentation record code");
  if (!Array.isArray(o["credentials"]) || o["credentials"].length > 64) throw bad("presentation record credentials");
  const credentials = o["credentials"].map((c: unknown) => {
    const x = object(c, "presentation record credential");
    only(x, ["queryId", "type", "format", "claims"], "presentation record credential");
    if (!isText(x["queryId"], 128) || !isText(x["type"], 128) || !isText(x["format"], 32)) throw bad("presentation record credential");
    if (!Array.isArray(x["claims"]) || x["claims"].length > 64 || !x["claims"].every((p) => isText(p, 256))) throw bad("presentation record claims");
    return { queryId: x["queryId"], type: x["type"], format: x["format"], claims: [...(x["claims"] as string[])] };
  });
  const record: PresentationRecord = {
    id: o["id"],
    at: o["at"],
    relyingParty: { did: rp["did"], clientId: rp["clientId"], name: rp["name"] },
    purpose: o["purpose"],
    credentials,
    outcome: o["outcome"] as PresentationOutcome,
  };
  return o["code"] === undefined ? record : { ...record, code: o["code"] as string };
}
