/**
 * The live status of a card held as SD-JWT VC copies, checked on the phone as JWT-VC cards are (`status.ts`): the
 * issuer's standing for the type from its party facts, and the copy's entry (`status.status_list.idx`) in the
 * issuer's whole revocation and suspension lists, which the copy's Token Status List URI names
 * (`…/status-lists/<revocationListId>/<suspensionListId>`). The lists are read from the wallet's own origin
 * (`/status-lists/:id`), whole, so no service learns which card is checked. All copies of one credential share
 * one standing (a status change covers every copy), so one copy's entry speaks for the card.
 */
import { getAddress } from "ethers";
import { parseEthrDid } from "@mobile-id/core/browser";
import { ApiError, type PartyFacts, type StatusListFacts } from "../../lib/api.ts";
import type { CardStatus } from "../status.ts";
import { decodeBase64, statusBit } from "../statusBits.ts";
import type { SdJwtCard } from "./copies.ts";

const LIST_PAIR = /\/status-lists\/([0-9]{1,20})\/([0-9]{1,20})$/;

/**
 * The card's status; `unknown` when the ledger cannot be reached or the reference is not one of this network's.
 *
 * @example
 * ```ts
 * const status = await sdJwtCardStatus({ card, party: checker.party, list: (id) => api(`/status-lists/${id}`) });
 * ```
 */
export async function sdJwtCardStatus(params: {
  readonly card: Pick<SdJwtCard, "issuer" | "type" | "validFrom" | "validUntil" | "status">;
  readonly party: (address: string) => Promise<PartyFacts>;
  readonly list: (id: string) => Promise<StatusListFacts>;
  readonly now?: number;
}): Promise<CardStatus> {
  const { card } = params;
  const now = params.now ?? Math.floor(Date.now() / 1000);
  const issuer = parseEthrDid(card.issuer);
  if (issuer === undefined || issuer.publicKey !== undefined) return { state: "bad-signature", code: "DID_INVALID" };
  let party: PartyFacts;
  try {
    party = await params.party(issuer.address);
  } catch (e) {
    if (e instanceof ApiError && e.code === "PARTY_NOT_FOUND") return { state: "issuer-not-in-force", code: "ISSUER_NOT_ACCREDITED" };
    return { state: "unknown" };
  }
  const base = { issuerName: party.name, block: party.ledger.blockNumber, blockTime: party.ledger.timestamp };
  if (now >= card.validUntil) return { ...base, state: "expired", code: "EXPIRED" };
  if (now < card.validFrom) return { ...base, state: "not-yet-valid", code: "NOT_YET_VALID" };
  const standing = party.standings.find((s) => s.type === card.type);
  if (standing?.inForce !== true) return { ...base, state: "issuer-not-in-force", code: "ISSUER_NOT_ACCREDITED" };
  const pair = LIST_PAIR.exec(new URL(card.status.uri, location.origin).pathname);
  if (pair === null || !Number.isSafeInteger(card.status.idx)) return { ...base, state: "unknown", code: "STATUS_INVALID" };
  let revocation: StatusListFacts;
  let suspension: StatusListFacts;
  try {
    [revocation, suspension] = await Promise.all([params.list(pair[1] as string), params.list(pair[2] as string)]);
  } catch {
    return { ...base, state: "unknown" };
  }
  const mine = (l: StatusListFacts, purpose: string) => l.purpose === purpose && getAddress(l.issuer) === getAddress(issuer.address);
  if (!mine(revocation, "revocation") || !mine(suspension, "suspension")) return { ...base, state: "unknown", code: "STATUS_INVALID" };
  const revoked = statusBit(decodeBase64(revocation.bits), card.status.idx);
  const suspended = statusBit(decodeBase64(suspension.bits), card.status.idx);
  const at = { block: revocation.ledger.blockNumber, blockTime: revocation.ledger.timestamp };
  if (revoked === undefined || suspended === undefined) return { ...base, ...at, state: "unknown", code: "STATUS_INVALID" };
  if (revoked) return { ...base, ...at, state: "revoked", code: "CREDENTIAL_REVOKED" };
  if (suspended) return { ...base, ...at, state: "suspended", code: "CREDENTIAL_SUSPENDED" };
  return { ...base, ...at, state: "valid" };
}
