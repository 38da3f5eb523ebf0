/**
 * The web wallet's OpenID4VP answer (issue 11), step 2: after the holder's consent, one fresh SD-JWT VC copy per
 * planned card (`presentCopy`: only the planned disclosures, a KB-JWT with `aud` = the full `client_id` and the
 * request's `nonce`, signed by the copy's non-extractable key), posted `direct_post` (form-urlencoded: `vp_token`
 * keyed by DCQL credential query id, `state`); or, declined, `error=access_denied` so that the counter knows at once.
 */
import type { Vault } from "../sdjwt/vault.ts";
import { presentCopy } from "../sdjwt/copies.ts";
import type { VpPlan } from "./resolveRequest.ts";
import { encryptResponse } from "@mobile-id/wallet/browser";

/** How the verifier took the answer. */
export type VpAnswerOutcome =
  | { readonly outcome: "shared"; readonly copiesLeft: readonly { readonly batch: string; readonly remaining: number }[] }
  | { readonly outcome: "rejected"; readonly code: string; readonly status: number }
  | { readonly outcome: "declined"; readonly delivered: boolean };

/** A form POST to the verifier; the answer's status and body. */
export type PostForm = (url: string, form: Readonly<Record<string, string>>) => Promise<{ readonly status: number; readonly body: string }>;

/**
 * Sends the response parameters: as form fields (`direct_post`), or as one `response` JWE encrypted to the request's
 * key (`direct_post.jwt`; `vp_token` then stays a JSON object inside).
 */
async function respond(plan: Pick<VpPlan, "responseUri" | "encryption">, post: PostForm, fields: Readonly<Record<string, unknown>>) {
  if (plan.encryption === undefined) {
    const form = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    return post(plan.responseUri, form);
  }
  return post(plan.responseUri, { response: await encryptResponse(plan.encryption.key, JSON.stringify(fields), plan.encryption.enc) });
}

/**
 * Answers with the plan's cards (the caller asked the holder first).
 *
 * @example
 * ```ts
 * if ((await askConsent(app, model)) === "share") result = await shareVpAnswer({ plan, vault, post });
 * ```
 */
export async function shareVpAnswer(params: { readonly plan: VpPlan; readonly vault: Vault; readonly post: PostForm; readonly now?: number }): Promise<VpAnswerOutcome> {
  const { plan } = params;
  const vpToken: Record<string, string[]> = {};
  const copiesLeft: { batch: string; remaining: number }[] = [];
  for (const card of plan.cards) {
    const made = await presentCopy({
      vault: params.vault,
      batch: card.batch,
      verifier: plan.clientId,
      audience: plan.clientId,
      nonce: plan.nonce,
      claims: card.paths.map((p) => [...p]),
      ...(params.now === undefined ? {} : { now: params.now }),
    });
    vpToken[card.queryId] = [made.presentation];
    copiesLeft.push({ batch: card.batch, remaining: made.remaining });
  }
  const answer = await respond(plan, params.post, { vp_token: vpToken, ...(plan.state === undefined ? {} : { state: plan.state }) });
  if (answer.status >= 200 && answer.status < 300) return { outcome: "shared", copiesLeft };
  let code = `HTTP_${answer.status}`;
  try {
    const body = JSON.parse(answer.body) as { error?: unknown; mobile_id_code?: unknown };
    code = typeof body.mobile_id_code === "string" ? body.mobile_id_code : typeof body.error === "string" ? body.error : code;
  } catch {
    // not JSON: the status says enough
  }
  return { outcome: "rejected", code, status: answer.status };
}

/**
 * Tells the verifier the holder declined (`error=access_denied`), so that its counter shows it at once.
 *
 * @example
 * ```ts
 * await declineVpRequest({ plan, post });
 * ```
 */
export async function declineVpRequest(params: { readonly plan: Pick<VpPlan, "responseUri" | "state" | "encryption">; readonly post: PostForm; readonly description?: string }): Promise<VpAnswerOutcome> {
  try {
    const r = await respond(params.plan, params.post, {
      error: "access_denied",
      error_description: params.description ?? "the holder declined",
      ...(params.plan.state === undefined ? {} : { state: params.plan.state }),
    });
    return { outcome: "declined", delivered: r.status >= 200 && r.status < 300 };
  } catch {
    return { outcome: "declined", delivered: false };
  }
}
