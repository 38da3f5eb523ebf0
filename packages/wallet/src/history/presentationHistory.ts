/**
 * The holder's view of the presentation history: list, export, delete. Records are written by
 * `resolvePresentationRequest` (refusals) and `answerPresentationRequest` (shared, declined, failed).
 */
import { bytesToHex } from "@noble/hashes/utils";
import { MobileIdError } from "@mobile-id/core/browser";
import { walletError } from "../errors.ts";
import { type Session, type Wallet, mutateWallet, readWallet } from "../session.ts";
import type { WalletState } from "../state.ts";
import { MAX_PRESENTATION_RECORDS, type PresentationRecord } from "./presentationRecord.ts";

/** Appends a record (dropping the oldest beyond {@link MAX_PRESENTATION_RECORDS}); package-internal. */
export async function recordPresentation(wallet: Wallet, record: Omit<PresentationRecord, "id" | "at">): Promise<PresentationRecord> {
  return mutateWallet(wallet, async (state: WalletState, session: Session) => {
    const full: PresentationRecord = { id: bytesToHex(crypto.getRandomValues(new Uint8Array(16))), at: session.now(), ...record };
    const history = [...(state.presentationHistory ?? []), full].slice(-MAX_PRESENTATION_RECORDS);
    return { next: { ...state, presentationHistory: history }, result: full };
  });
}

export interface ListPresentationHistoryParameters {
  readonly wallet: Wallet;
}

/**
 * The presentation history, newest first: when, to whom (registered name and DID), which claims, outcome.
 *
 * @example
 * ```ts
 * for (const r of await listPresentationHistory({ wallet })) console.log(new Date(r.at * 1000), r.relyingParty.name, r.outcome);
 * ```
 */
export async function listPresentationHistory(params: ListPresentationHistoryParameters): Promise<PresentationRecord[]> {
  const { state } = readWallet(params.wallet);
  return [...(state.presentationHistory ?? [])].reverse();
}

export interface ExportPresentationHistoryReturnType {
  /** `mobile-id/presentation-history@1` */
  readonly format: string;
  readonly holder: string;
  readonly exportedAt: number;
  readonly records: readonly PresentationRecord[];
}

/**
 * The history as a self-describing JSON document for the holder to keep or hand to a data-protection office.
 * It holds claim names, never claim values; it is NOT encrypted: the caller writes it where the holder chose.
 *
 * @example
 * ```ts
 * writeFileSync("history.json", JSON.stringify(await exportPresentationHistory({ wallet }), null, 2), { mode: 0o600 });
 * ```
 */
export async function exportPresentationHistory(params: ListPresentationHistoryParameters): Promise<ExportPresentationHistoryReturnType> {
  const { state, now } = readWallet(params.wallet);
  return { format: "mobile-id/presentation-history@1", holder: state.did, exportedAt: now(), records: [...(state.presentationHistory ?? [])] };
}

export type DeletePresentationHistoryParameters =
  | { readonly wallet: Wallet; readonly id: string; readonly all?: undefined }
  | { readonly wallet: Wallet; readonly all: true; readonly id?: undefined };

/**
 * Deletes one record (`HISTORY_RECORD_NOT_FOUND` for an unknown id) or all of them; returns how many were deleted.
 *
 * @example
 * ```ts
 * await deletePresentationHistory({ wallet, id: record.id });
 * await deletePresentationHistory({ wallet, all: true });
 * ```
 */
export async function deletePresentationHistory(params: DeletePresentationHistoryParameters): Promise<{ readonly deleted: number }> {
  if (params.all !== true && typeof params.id !== "string") throw new MobileIdError("INVALID_ARGUMENT", "name a record id or all: true");
  return mutateWallet(params.wallet, async (state) => {
    const history = state.presentationHistory ?? [];
    const kept = params.all === true ? [] : history.filter((r) => r.id !== params.id);
    if (params.all !== true && kept.length === history.length) throw walletError("HISTORY_RECORD_NOT_FOUND", "no history record with this id", { details: { id: params.id } });
    return { next: { ...state, presentationHistory: kept }, result: { deleted: history.length - kept.length } };
  });
}
