/**
 * The PRESENT path in the browser (issue 11): an `openid4vp://` link (scanned, pasted, or opened on this device) →
 * the request read and checked against the ledger (`resolveRequest.ts`) → the consent screen, claim by claim
 * (`askConsent`) → a fresh SD-JWT VC copy per card, or a decline the counter sees at once (`answerRequest.ts`) →
 * the verifier's answer on screen. A request the relying party may not make is refused here, with the reason, and
 * nothing is sent.
 */
import { type PresentationOutcome, recordPresentation } from "@mobile-id/wallet/browser";
import { lang, onLangChange, pick, t } from "../../lib/i18n.ts";
import type { Openid4vpLink } from "../../lib/openid4vpLink.ts";
import { credentialTypes } from "../../lib/types.ts";
import { api } from "../../lib/api.ts";
import { type WalletApp, openFlow, refreshCards } from "../app.ts";
import { type ConsentCredential, type ConsentModel, askConsentChoosing } from "../consent.ts";
import { claimSentence, valueOf } from "../cardWords.ts";
import { type VpAnswerOutcome, type PostForm, declineVpRequest, shareVpAnswer } from "./answerRequest.ts";
import { type PlannedCard, type RelyingPartyFacts, type VpPlan, VpRequestError, claimId, resolveVpRequest, withChosenCards } from "./resolveRequest.ts";

/** The present flow on screen. */
export type VpState =
  | { readonly phase: "resolving" }
  | { readonly phase: "refused"; readonly code: string; readonly party: string | undefined; readonly reason: string; readonly notPermitted: readonly string[] }
  | { readonly phase: "nothing"; readonly plan: VpPlan; readonly told: boolean; readonly asked: readonly { readonly ko: string; readonly en: string }[] }
  | { readonly phase: "sending"; readonly plan: VpPlan }
  | { readonly phase: "done"; readonly plan: VpPlan; readonly answer: VpAnswerOutcome };

const post: PostForm = async (url, form) => {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(form as Record<string, string>).toString(),
    cache: "no-store",
    credentials: "omit",
    redirect: "error",
  });
  return { status: r.status, body: await r.text() };
};

const fetchRequestObject = async (uri: string) => {
  const r = await fetch(uri, { headers: { accept: "application/oauth-authz-req+jwt" }, cache: "no-store", credentials: "omit", redirect: "error" });
  return { status: r.status, contentType: r.headers.get("content-type") ?? "", body: await r.text() };
};

const relyingParty = (address: string, type?: string, claims?: readonly string[]) => {
  const q = new URLSearchParams();
  if (type !== undefined) q.set("type", type);
  if (claims !== undefined) q.set("claims", claims.join(","));
  const query = q.toString();
  return api<RelyingPartyFacts>(`/relying-parties/${address}${query === "" ? "" : `?${query}`}`);
};

/**
 * Writes the outcome into the wallet's presentation history (encrypted with the wallet; claim names, never values).
 * A history that cannot be written (the wallet locked meanwhile) does not undo what was sent.
 */
async function remember(app: WalletApp, link: Openid4vpLink, party: { readonly name: string; readonly purpose: string }, plan: VpPlan | undefined, outcome: PresentationOutcome, code?: string): Promise<void> {
  const wallet = app.store.get().wallet;
  if (wallet === undefined) return;
  const credentials = (plan?.cards ?? []).map((c) => ({ queryId: c.queryId, type: c.type, format: "dc+sd-jwt", claims: c.paths.map(claimId) }));
  await recordPresentation(wallet, {
    relyingParty: { did: link.did, clientId: link.clientId, name: party.name },
    purpose: party.purpose,
    credentials,
    outcome,
    ...(code === undefined ? {} : { code }),
  }).catch(() => undefined);
}

/** The consent screen's model of a plan: the party as registered, and per card every claim in words. */
export async function consentModelOf(app: WalletApp, plan: VpPlan): Promise<ConsentModel> {
  const types = await credentialTypes().catch(() => []);
  const l = lang();
  const s = app.store.get();
  const credential = (c: PlannedCard): ConsentCredential => {
    const title = pick(types.find((x) => x.name === c.type)?.title, c.type);
    const issuer = s.issuerNames.get(c.issuer);
    return {
      cardLabel: issuer === undefined ? title : `${title} · ${issuer}`,
      claims: c.paths.map((path, i) => {
        const value = c.values[i];
        const label = claimSentence(path, l);
        if (path[0] === "portrait" && typeof value === "string" && value.startsWith("data:image/")) return { path, label, portrait: value };
        return value === undefined ? { path, label } : { path, label, value: valueOf(path[0] ?? "", value, l) };
      }),
      copiesLeftAfter: c.copiesLeftAfter,
    };
  };
  return {
    party: plan.party,
    credentials: plan.cards.map((c, i) => {
      const choices = plan.choices?.[i] ?? [];
      return choices.length > 1 ? { ...credential(c), choices: choices.map(credential) } : credential(c);
    }),
  };
}

/** The consent on screen, redrawn in the other language when the holder switches (its model holds words). */
let shown: { readonly app: WalletApp; readonly plan: VpPlan; model: ConsentModel } | undefined;
onLangChange(() => {
  const current = shown;
  const consent = current?.app.store.get().consent;
  if (current === undefined || consent === undefined || consent.model !== current.model) return;
  void consentModelOf(current.app, current.plan).then((model) => {
    const now = current.app.store.get().consent;
    if (now === undefined || now.model !== current.model) return;
    current.model = model;
    current.app.store.set({ consent: { ...now, model } });
  });
});

/**
 * Handles an `openid4vp://` link: resolve, ask, answer. Every step is on screen (`#/present`, then `#/consent`).
 *
 * @example
 * ```ts
 * await presentOverOpenid4vp(app, parseOpenid4vpLink(scanned, location.origin)!);
 * ```
 */
export async function presentOverOpenid4vp(app: WalletApp, link: Openid4vpLink): Promise<void> {
  const vault = app.store.get().vault;
  app.store.set({ vp: { phase: "resolving" }, error: undefined });
  openFlow(app, { name: "present" });
  app.store.set({ busy: t("requestFetching") });
  let plan: VpPlan;
  try {
    // The newest copies and their counts (another tab may have used one).
    await refreshCards(app);
    plan = await resolveVpRequest({ link, cards: app.store.get().sdCards, fetchRequestObject, relyingParty, now: Math.floor(Date.now() / 1000) });
  } catch (e) {
    const err = e instanceof VpRequestError ? e : new VpRequestError("REQUEST_UNREACHABLE", e instanceof Error ? e.message : String(e));
    app.store.set({ busy: undefined, vp: { phase: "refused", code: err.code, party: err.party, reason: err.message, notPermitted: err.notPermitted } });
    if (err.code !== "REQUEST_UNREACHABLE") await remember(app, link, { name: err.party ?? "", purpose: "" }, undefined, "refused", err.code);
    return;
  }
  app.store.set({ busy: undefined });
  if (plan.cards.length === 0 || plan.missing.length > 0 || vault === undefined) {
    const types = await credentialTypes().catch(() => []);
    const asked = plan.askedTypes.map((name) => types.find((x) => x.name === name)?.title ?? { ko: name, en: name });
    app.store.set({ vp: { phase: "nothing", plan, told: false, asked } });
    await remember(app, link, plan.party, plan, "failed", "NO_MATCHING_CREDENTIAL");
    return;
  }
  const model = await consentModelOf(app, plan);
  shown = { app, plan, model };
  const decision = await askConsentChoosing(app, model);
  shown = undefined;
  if (decision.answer === "decline") {
    app.store.set({ vp: { phase: "done", plan, answer: await declineVpRequest({ plan, post }) } });
    await remember(app, link, plan.party, plan, "declined");
    return;
  }
  // The card the holder picked where several answer "any one of" (its own unused copy is the one sent).
  plan = withChosenCards(plan, decision.choice);
  app.store.set({ vp: { phase: "sending", plan }, busy: t("requestSending") });
  app.router.replace({ name: "present" });
  let result: VpAnswerOutcome;
  try {
    result = await shareVpAnswer({ plan, vault, post });
  } catch (e) {
    result = { outcome: "rejected", code: (e as { code?: string }).code ?? "NETWORK_ERROR", status: 0 };
  }
  app.store.set({ busy: undefined, vp: { phase: "done", plan, answer: result } });
  await remember(app, link, plan.party, plan, result.outcome === "shared" ? "shared" : "failed", result.outcome === "rejected" ? result.code : undefined);
  void refreshCards(app);
}

/** The holder holds nothing that answers: tell the counter (access_denied) so it does not wait. */
export async function tellNothingToShare(app: WalletApp, plan: VpPlan): Promise<void> {
  await declineVpRequest({ plan, post, description: "the wallet holds no credential that answers the query" });
  const vp = app.store.get().vp;
  if (vp?.phase === "nothing" && vp.plan === plan) app.store.set({ vp: { ...vp, told: true } });
}
