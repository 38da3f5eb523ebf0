/**
 * The holder side of OpenID4VP 1.0, step 2: answer the plan the holder saw. With consent, a `vp_token` keyed by
 * DCQL credential query id: per SD-JWT VC query an unused copy (or the copy this verifier already saw; a copy is
 * never shown to two verifiers), only the planned disclosures and a KB-JWT with `aud` = the `client_id` and the
 * request's `nonce`; per JWT-VC query a VP JWT (`aud` = `client_id`, `nonce`) signed by the DID's key. Posted
 * `direct_post` (form-urlencoded, with `state`) or `direct_post.jwt` (one JWE to the verifier's key). Declined: `error=access_denied`, so the counter knows at once.
 * Every outcome is written to the presentation history. Browser-safe.
 */
import { hexToBytes } from "@noble/hashes/utils";
import { MobileIdError, createEs256kSigner, jwtVpFormat } from "@mobile-id/core/browser";
import { presentSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { type WalletError, walletError } from "../errors.ts";
import { recordPresentation } from "../history/presentationHistory.ts";
import { type HolderKeyStore, holderKeySigner } from "../holderKeyStore.ts";
import type { PresentationRecord } from "../history/presentationRecord.ts";
import type { WalletFetch } from "../openid4vci/oauthCallbacks.ts";
import { mutateWallet, readWallet } from "../session.ts";
import { currentKey } from "../state.ts";
import { encryptResponse } from "./encryptResponse.ts";
import { type PlanInternals, type PresentationPlan, planInternals } from "./resolvePresentationRequest.ts";

/** Lifetime of a JWT-VC presentation made for an OpenID4VP answer. */
const VP_TTL_SECONDS = 300;

export interface AnswerPresentationRequestParameters {
  /** The plan from `resolvePresentationRequest`, as shown to the holder. */
  readonly plan: PresentationPlan;
  /** The holder's decision. */
  readonly consent: boolean;
  readonly fetch: WalletFetch;
  /** The key store of holder keys kept outside the wallet state (non-extractable WebCrypto keys), if any. */
  readonly holderKeyStore?: HolderKeyStore;
}

export interface AnswerPresentationRequestReturnType {
  readonly outcome: "shared" | "declined";
  /** Whether the verifier acknowledged (2xx) the post; a decline that could not be delivered is still recorded. */
  readonly delivered: boolean;
  /** The verifier's `redirect_uri`, when it gave one (same-device flow). */
  readonly redirectUri?: string;
  /** SD-JWT VC: unused copies left per batch after this answer (ask the issuer for more when low). */
  readonly copiesLeft: readonly { readonly queryId: string; readonly batch: string; readonly remaining: number }[];
  readonly record: PresentationRecord;
}

async function post(fetch: WalletFetch, url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString(), redirect: "error" });
}

/**
 * Sends the response parameters to the verifier: as form fields (`direct_post`), or (`direct_post.jwt`) as one
 * `response` JWE encrypted to the request's key, `vp_token` then a JSON object inside.
 */
async function respond(fetch: WalletFetch, internals: Pick<PlanInternals, "responseUri" | "encryption">, fields: Readonly<Record<string, unknown>>): Promise<Response> {
  if (internals.encryption === undefined) {
    return post(fetch, internals.responseUri, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
  }
  return post(fetch, internals.responseUri, { response: await encryptResponse(internals.encryption.key, JSON.stringify(fields), internals.encryption.enc) });
}

/**
 * Picks (and marks as this verifier's, before anything is sent) the SD-JWT VC copy for one query, with its key's
 * signer: a key that cannot sign (its store is missing) fails before the copy is marked.
 */
async function takeCopy(internals: PlanInternals, batch: string, store: HolderKeyStore | undefined) {
  return mutateWallet(internals.wallet, async (state) => {
    const copies = (state.sdJwtVcs ?? []).filter((c) => c.batch === batch);
    const again = copies.find((c) => c.usedBy === internals.clientId);
    const pick = again ?? copies.find((c) => c.usedBy === undefined);
    if (pick === undefined) throw walletError("WALLET_NO_UNUSED_COPY", "every copy was shown to another verifier", { hint: "ask the issuer for new copies" });
    const key = (state.holderKeys ?? []).find((k) => k.id === pick.keyId);
    if (key === undefined) throw walletError("WALLET_TAMPERED", "a copy's holder key is missing");
    const signing = await holderKeySigner(key, store);
    const remaining = copies.filter((c) => c.usedBy === undefined).length - (again === undefined ? 1 : 0);
    const next = again !== undefined ? undefined : { ...state, sdJwtVcs: (state.sdJwtVcs ?? []).map((c) => (c.id === pick.id ? { ...c, usedBy: internals.clientId } : c)) };
    return { next, result: { copy: pick.copy, ...signing, remaining } };
  });
}

async function buildVpToken(internals: PlanInternals, store: HolderKeyStore | undefined): Promise<{ token: Record<string, string[]>; copiesLeft: AnswerPresentationRequestReturnType["copiesLeft"] }> {
  const token: Record<string, string[]> = {};
  const copiesLeft: { queryId: string; batch: string; remaining: number }[] = [];
  for (const s of internals.selections) {
    const { now } = readWallet(internals.wallet);
    const t = now();
    if (s.format === "dc+sd-jwt") {
      const { copy, signer, wipe, remaining } = await takeCopy(internals, s.ref, store);
      try {
        const presentation = await presentSdJwtVc({
          credential: copy,
          claims: s.paths.map((p) => p.map((x) => (x === null ? "*" : String(x)))),
          audience: internals.clientId,
          nonce: internals.nonce,
          issuedAt: t,
          holderSigner: { ...signer, kid: undefined },
        });
        token[s.queryId] = [presentation];
      } finally {
        wipe();
      }
      copiesLeft.push({ queryId: s.queryId, batch: s.ref, remaining });
    } else {
      const { state } = readWallet(internals.wallet);
      const stored = state.credentials.find((c) => c.id === s.ref);
      if (stored === undefined) throw walletError("WALLET_CREDENTIAL_NOT_FOUND", "the planned credential is no longer in the wallet");
      const payload = jwtVpFormat.build({
        holder: { kind: "did", did: state.did },
        audience: internals.clientId,
        nonce: internals.nonce,
        id: `urn:uuid:${crypto.randomUUID()}`,
        validFrom: t,
        validUntil: t + VP_TTL_SECONDS,
        credentials: [stored.jwt],
      });
      const secret = hexToBytes(currentKey(state).privateKey.slice(2));
      try {
        token[s.queryId] = [await jwtVpFormat.sign(payload, { ...createEs256kSigner(secret), kid: `${state.did}#controller` })];
      } finally {
        secret.fill(0);
      }
    }
  }
  return { token, copiesLeft };
}

/**
 * Answers the request behind `plan`, once. `consent: true` shares exactly the plan (`NO_MATCHING_CREDENTIAL` when
 * the plan cannot answer; the verifier is then told `access_denied`); `consent: false` declines. A verifier that
 * does not accept the answer gives `RESPONSE_REJECTED` (`details.status`, `details.error`), recorded as `failed`.
 *
 * @example
 * ```ts
 * const plan = await resolvePresentationRequest({ wallet, uri, fetch, resolveDid, checkRelyingParty });
 * const r = await answerPresentationRequest({ plan, consent: await askHolder(plan), fetch });
 * console.log(r.outcome, r.copiesLeft);
 * ```
 */
export async function answerPresentationRequest(params: AnswerPresentationRequestParameters): Promise<AnswerPresentationRequestReturnType> {
  const internals = planInternals.get(params.plan);
  if (internals === undefined) throw new MobileIdError("INVALID_ARGUMENT", "not a plan made by resolvePresentationRequest");
  if (internals.answered) throw new MobileIdError("INVALID_ARGUMENT", "this request was already answered");
  internals.answered = true;
  const { plan } = params;
  const state = internals.state === undefined ? {} : { state: internals.state };
  const shared = plan.credentials.map((c) => ({ queryId: c.queryId, type: c.type, format: c.format, claims: c.claims.map((x) => x.id) }));
  const fail = async (e: WalletError | MobileIdError) => {
    await recordPresentation(internals.wallet, { ...internals.record, credentials: shared.length > 0 ? shared : internals.record.credentials, outcome: "failed", code: e.code });
    return e;
  };
  if (!params.consent || !plan.canAnswer) {
    const description = params.consent ? "the wallet holds no credential that answers the query" : "the holder declined";
    let delivered = false;
    try {
      delivered = (await respond(params.fetch, internals, { error: "access_denied", error_description: description, ...state })).ok;
    } catch {
      delivered = false;
    }
    if (params.consent) {
      throw await fail(walletError("NO_MATCHING_CREDENTIAL", "no credential in the wallet answers this request", { details: { missing: [...plan.missing], verifierTold: delivered } }));
    }
    const record = await recordPresentation(internals.wallet, { ...internals.record, outcome: "declined" });
    return { outcome: "declined", delivered, copiesLeft: [], record };
  }
  if (readWallet(internals.wallet).now() >= plan.expiresAt) {
    // The verifier no longer waits for this answer: nothing is sent, no copy is spent.
    throw await fail(walletError("REQUEST_EXPIRED", "the request expired before the holder answered", { details: { expiresAt: plan.expiresAt } }));
  }
  let vp: Awaited<ReturnType<typeof buildVpToken>>;
  try {
    vp = await buildVpToken(internals, params.holderKeyStore);
  } catch (e) {
    throw e instanceof MobileIdError ? await fail(e) : e;
  }
  let response: Response;
  try {
    response = await respond(params.fetch, internals, { vp_token: vp.token, ...state });
  } catch (e) {
    throw await fail(walletError("RESPONSE_REJECTED", "the answer could not be delivered to the verifier", { cause: e }));
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await response.text());
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // a verifier may answer 200 with no body
  }
  if (!response.ok) {
    const error = typeof body["error"] === "string" ? body["error"] : typeof (body["error"] as { code?: unknown })?.code === "string" ? (body["error"] as { code: string }).code : undefined;
    throw await fail(walletError("RESPONSE_REJECTED", `the verifier refused the answer (${response.status}${error === undefined ? "" : `, ${error}`})`, { details: { status: response.status, ...(error === undefined ? {} : { error }) } }));
  }
  const record = await recordPresentation(internals.wallet, { ...internals.record, credentials: shared, outcome: "shared" });
  const redirectUri = typeof body["redirect_uri"] === "string" ? body["redirect_uri"] : undefined;
  return { outcome: "shared", delivered: true, ...(redirectUri === undefined ? {} : { redirectUri }), copiesLeft: vp.copiesLeft, record };
}

