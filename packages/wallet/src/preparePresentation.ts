import { findCredentialType } from "@mobile-id/core/browser";
import { type CredentialDetails, toDetails } from "./credentialViews.ts";
import { walletError } from "./errors.ts";
import { type PresentationRequest, parsePresentationRequest } from "./parsePresentationRequest.ts";
import { type Wallet, readWallet } from "./session.ts";
import type { WalletState } from "./state.ts";

export interface PreparePresentationParameters {
  readonly wallet: Wallet;
  /** The verifier's request: an object or its JSON text. */
  readonly request: unknown;
}

/** One requested type on the consent screen. */
export interface PresentationItem {
  readonly type: string;
  readonly title: { readonly en: string; readonly ko: string };
  /** Currently valid credentials of this type, newest (latest `validFrom`) first, claims included. */
  readonly candidates: readonly CredentialDetails[];
}

/** Everything a consent screen shows; nothing has been signed or sent. */
export interface PreparePresentationReturnType {
  readonly request: PresentationRequest;
  /** Who will receive it (the VP's `aud`). */
  readonly domain: string;
  readonly expiresAt: number;
  /** Requested types the wallet holds a valid credential for. */
  readonly items: readonly PresentationItem[];
  /** Requested types with no valid credential in the wallet. */
  readonly missingTypes: readonly string[];
  /** Ids to pass to `createPresentation` by default: the newest candidate of each type. */
  readonly defaultSelection: readonly string[];
}

/**
 * Checks a presentation request (`REQUEST_INVALID`, `REQUEST_EXPIRED`) and lists what the wallet would
 * share: only currently valid credentials of the requested types, with their claims, for the user's consent.
 * `NO_MATCHING_CREDENTIAL` when none of the requested types has one.
 *
 * @example
 * ```ts
 * const preview = await preparePresentation({ wallet, request });
 * if (await askUser(preview)) await createPresentation({ wallet, request, credentialIds: preview.defaultSelection });
 * ```
 */
export async function preparePresentation(params: PreparePresentationParameters): Promise<PreparePresentationReturnType> {
  const { state, now } = readWallet(params.wallet);
  const t = now();
  const request = checkRequest(params.request, t);
  const items: PresentationItem[] = [];
  const missingTypes: string[] = [];
  for (const type of request.credentialTypes) {
    const candidates = candidatesOf(state, type, t);
    const def = findCredentialType(type);
    if (candidates.length === 0 || def === undefined) missingTypes.push(type);
    else items.push({ type, title: { en: def.title.en, ko: def.title.ko }, candidates });
  }
  if (items.length === 0) {
    throw walletError("NO_MATCHING_CREDENTIAL", "the wallet holds no valid credential of the requested types", {
      details: { requestedTypes: request.credentialTypes },
    });
  }
  return Promise.resolve({
    request,
    domain: request.domain,
    expiresAt: request.expiresAt,
    items,
    missingTypes,
    defaultSelection: items.map((i) => i.candidates[0]?.id ?? ""),
  });
}

export function checkRequest(input: unknown, now: number): PresentationRequest {
  const r = parsePresentationRequest({ request: input, now });
  if (!r.ok) throw walletError(r.code, r.message);
  return r.request;
}

/** Valid credentials of `type`, newest first. */
export function candidatesOf(state: WalletState, type: string, now: number): CredentialDetails[] {
  return state.credentials
    .map((s) => toDetails(s, now))
    .filter((c) => c.type === type && c.validity === "valid")
    .sort((a, b) => (b.validFrom ?? 0) - (a.validFrom ?? 0) || b.importedAt - a.importedAt);
}
