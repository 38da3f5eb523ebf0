/** Credential offers: fetch the credential once, show it with its standing on the ledger, save it on consent. */
import { uiError } from "../lib/uiError.ts";
import { importCredential, parseCredentialJwt } from "@mobile-id/wallet/browser";
import { ApiError, api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { type WalletApp, fail, openFlow, refreshCards, toCards } from "./app.ts";
import type { CardStatus } from "./status.ts";

type Parsed = Extract<ReturnType<typeof parseCredentialJwt>, { ok: true }>["credential"];

function validity(c: Parsed): "expired" | "not-yet-valid" | "valid" {
  const now = Math.floor(Date.now() / 1000);
  return now >= c.validUntil ? "expired" : c.validFrom !== undefined && now < c.validFrom ? "not-yet-valid" : "valid";
}

export async function receiveOffer(app: WalletApp, url: string): Promise<void> {
  app.store.set({ offer: undefined });
  openFlow(app, { name: "offer" });
  app.store.set({ busy: t("offerFetching"), error: undefined });
  let offer: { credential: string; issuer: { name: string } };
  try {
    offer = await api<{ credential: string; issuer: { name: string } }>(url);
  } catch (e) {
    const code = e instanceof ApiError ? e.code : undefined;
    return fail(app, e, code === "OFFER_REDEEMED" ? uiError("offerUsed") : code === "OFFER_EXPIRED" ? uiError("offerExpired") : code === "OFFER_NOT_FOUND" ? uiError("offerNotFound") : undefined);
  }
  app.store.set({ busy: undefined });
  const parsed = parseCredentialJwt(offer.credential);
  if (!parsed.ok) return fail(app, undefined, { key: "offerRejected", reasonCode: parsed.code });
  if (parsed.credential.subject !== app.store.get().wallet?.did) return fail(app, undefined, uiError("offerNotForYou"));
  app.store.set({ offer: { jwt: offer.credential, issuerName: offer.issuer.name, status: undefined } });
  // Show the card's standing on the ledger before the holder decides (the same check runs again on save).
  const c = parsed.credential;
  const status = await app.checker.check({ ...c, jwt: offer.credential, validity: validity(c) }).catch((): CardStatus => ({ state: "unknown" }));
  app.store.set((s) => (s.offer?.jwt === offer.credential ? { offer: { ...s.offer, status } } : {}));
}

export async function saveOffer(app: WalletApp, jwt: string): Promise<void> {
  const wallet = app.store.get().wallet;
  if (wallet === undefined) return;
  app.store.set({ busy: t("offerSaving"), error: undefined });
  try {
    await importCredential({
      wallet,
      jwt,
      verifyCredential: async (candidate) => {
        const parsed = parseCredentialJwt(candidate);
        if (!parsed.ok) return { verified: false, code: parsed.code };
        const status = await app.checker.check({ ...parsed.credential, jwt: candidate, validity: validity(parsed.credential) });
        // An unknown answer (ledger unreachable) is an infrastructure fault, not a verdict: throw, keep the offer.
        if (status.state === "unknown" && status.code === undefined) throw new Error("status unavailable");
        return { verified: status.state === "valid", code: status.code };
      },
    });
  } catch (e) {
    // The credential stays on screen so that the user can try again (the offer itself is used up).
    const err = e as { code?: unknown; details?: { verificationCode?: unknown } };
    if (err.code === "WALLET_CREDENTIAL_REJECTED") {
      const reason = typeof err.details?.verificationCode === "string" ? err.details.verificationCode : undefined;
      return fail(app, e, { key: "offerRejected", reasonCode: reason ?? "UNKNOWN" });
    }
    if (err.code === "WALLET_NOT_SUBJECT") return fail(app, e, uiError("offerNotForYou"));
    if (err.code === "WALLET_VERIFIER_FAILED") return fail(app, e, uiError("networkError"));
    return fail(app, e);
  }
  app.store.set({ busy: undefined, offer: undefined });
  await refreshCards(app);
  toCards(app, t("offerSaved"));
}
