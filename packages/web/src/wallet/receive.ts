/**
 * The wallet's OpenID4VCI receive flow (issue 11) over the store: open the offer (issuer checked on the ledger
 * first), then the holder's 6-digit code, then the batch of copies into the vault and back to the cards. The
 * protocol work is in `credentialOffer.ts`, loaded on first use.
 */
import { t } from "../lib/i18n.ts";
import { uiError } from "../lib/uiError.ts";
import { type WalletApp, fail, openFlow, refreshCards, toCards } from "./app.ts";

const protocol = () => import("./credentialOffer.ts");

/** Why an offer can be used no more (the code form goes away): after a token was issued, the offer is used up too. */
const CLOSING = new Set(["vciOfferGone", "vciLocked", "vciIssuerUnknown", "vciIssuerUnproven", "vciIssuerNotInForce", "vciNoSdJwt", "vciOfferInvalid", "vciIssueFailed", "vciCopiesRejected"]);

/**
 * Opens an `openid-credential-offer://` link: reads the offer and the issuer's metadata and checks the issuer on
 * the ledger; the code is asked for only after that.
 *
 * @example
 * ```ts
 * await startCredentialOffer(app, "openid-credential-offer://?credential_offer_uri=…");
 * ```
 */
export async function startCredentialOffer(app: WalletApp, link: string): Promise<void> {
  app.store.set({ credentialOffer: { link, opened: undefined, closed: false } });
  openFlow(app, { name: "receive" });
  app.store.set({ busy: t("vciChecking"), error: undefined });
  try {
    const { openCredentialOffer } = await protocol();
    const opened = await openCredentialOffer({ link, db: app.device, party: app.checker.party });
    app.store.set((s) => (s.credentialOffer?.link === link ? { busy: undefined, credentialOffer: { link, opened, closed: false } } : {}));
    document.getElementById("vci-code")?.focus();
  } catch (e) {
    const ui = (e as { ui?: ReturnType<typeof uiError> }).ui;
    app.store.set((s) => (s.credentialOffer?.link === link ? { credentialOffer: { link, opened: undefined, closed: true } } : {}));
    fail(app, e, ui ?? uiError("vciOfferInvalid"));
  }
}

/**
 * Redeems the open offer with the code the holder typed; a wrong code keeps the form (with the tries left), a
 * locked or used offer closes it.
 *
 * @example
 * ```ts
 * await submitCredentialOfferCode(app, "493817");
 * ```
 */
export async function submitCredentialOfferCode(app: WalletApp, code: string): Promise<void> {
  const s = app.store.get();
  const current = s.credentialOffer;
  const opened = current?.opened;
  if (current === undefined || opened === undefined || current.closed) return;
  const digits = code.trim();
  const length = opened.txCodeLength ?? 6;
  if (!new RegExp(`^[0-9]{${length}}$`).test(digits)) {
    fail(app, undefined, uiError("vciCodeFormat", { n: length }, "txCode"));
    document.getElementById("vci-code")?.focus();
    return;
  }
  if (s.vault === undefined || s.wallet === undefined) return fail(app, undefined, uiError("vciNoVault"));
  app.store.set({ busy: t("vciReceiving"), error: undefined });
  try {
    const { redeemCredentialOffer } = await protocol();
    const card = await redeemCredentialOffer({ opened, txCode: digits, vault: s.vault, chainId: s.wallet.chainId, party: app.checker.party });
    app.store.set({ busy: undefined, credentialOffer: undefined });
    await refreshCards(app);
    toCards(app, t("vciSaved", { n: card.copies }));
  } catch (e) {
    const ui = (e as { ui?: ReturnType<typeof uiError> }).ui ?? uiError("vciIssueFailed", { code: "—" });
    if (CLOSING.has(ui.key)) app.store.set({ credentialOffer: { ...current, closed: true } });
    fail(app, e, ui);
    if (ui.field === "txCode") document.getElementById("vci-code")?.focus();
  }
}

/** The holder declines the offer: nothing is sent, back to the cards. */
export function declineCredentialOffer(app: WalletApp): void {
  app.store.set({ credentialOffer: undefined });
  toCards(app);
}
