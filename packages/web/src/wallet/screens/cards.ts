/** The card list (the wallet's home), one card's details, and the holder's DID. */
import { removeCredential } from "@mobile-id/wallet/browser";
import { type Child, copyText, h } from "../../lib/dom.ts";
import { lang, t } from "../../lib/i18n.ts";
import { errorBox, statusLine } from "../../lib/layout.ts";
import { type WalletApp, type WalletState, refreshCards, toCards } from "../app.ts";
import { idCard, titleOf } from "../card.ts";
import { forgetSealedStatus } from "../sdjwt/sealedStatus.ts";
import { lock } from "../session.ts";
import { backButton, heading, linkForm } from "./parts.ts";
import { moreCopiesAction, sdCardScreen } from "./sdCard.ts";

export function cardsScreen(app: WalletApp, s: WalletState): Child {
  return [
    heading(t("walletMyCards")),
    s.notice === undefined ? null : h("p", { class: "notice ok", role: "status" }, s.notice),
    errorBox(s.error),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", id: "scan-button", onclick: () => app.router.go({ name: "scan" }) }, t("walletScan")),
      h("button", { type: "button", class: "secondary", id: "did-button", onclick: () => app.router.go({ name: "did" }) }, t("walletMyDid")),
      h("button", { type: "button", class: "secondary", id: "settings-button", onclick: () => app.router.go({ name: "settings" }) }, t("walletSettings")),
      h("button", { type: "button", class: "secondary", id: "history-button", onclick: () => app.router.go({ name: "history" }) }, t("historyTitle")),
      h("button", { type: "button", class: "secondary", id: "lock-button", onclick: () => void lock(app) }, t("walletLock")),
    ),
    s.cards.length === 0 && s.sdCards.length === 0
      ? h("p", { class: "notice info" }, t("walletNoCards"))
      : h(
          "div",
          { class: "cards", "aria-live": "polite" },
          s.cards.map((c) =>
            idCard({
              credential: c,
              status: s.statuses.get(c.id),
              issuerName: s.statuses.get(c.id)?.issuerName,
              actions: h(
                "div",
                { class: "actions" },
                h("button", { type: "button", class: "secondary", onclick: () => app.router.go({ name: "card", id: c.id }) }, t("cardDetails")),
              ),
            }),
          ),
          // Cards held as unlinkable SD-JWT VC copies: the face says how many copies are left.
          s.sdCards.map((c) =>
            idCard({
              credential: { id: c.batch, type: c.type, title: titleOf(c.type, s.cards), claims: c.claims, validFrom: c.validFrom, validUntil: c.validUntil },
              status: s.statuses.get(c.batch),
              issuerName: s.issuerNames.get(c.issuer) ?? s.statuses.get(c.batch)?.issuerName,
              copies: { remaining: c.remaining, total: c.copies },
              actions: h(
                "div",
                { class: "actions" },
                h("button", { type: "button", class: "secondary", "data-card-details": c.batch, onclick: () => app.router.go({ name: "card", id: c.batch }) }, t("cardDetails")),
                moreCopiesAction(app, s, c, "list"),
              ),
            }),
          ),
        ),
    h("p", { class: "hint" }, t("statusPrivacy")),
    linkForm(app),
  ];
}

async function remove(app: WalletApp, id: string): Promise<void> {
  const wallet = app.store.get().wallet;
  // A native confirm: accessible and keyboard-friendly as it is.
  if (!window.confirm(t("cardRemoveConfirm")) || wallet === undefined) return;
  await removeCredential({ wallet, id });
  const vault = app.store.get().vault;
  if (vault !== undefined) await forgetSealedStatus(vault, id).catch(() => undefined);
  await refreshCards(app);
  toCards(app, t("cardRemoved"));
}

export function cardScreen(app: WalletApp, s: WalletState, id: string): Child {
  const c = s.cards.find((x) => x.id === id);
  const sd = c === undefined ? s.sdCards.find((x) => x.batch === id) : undefined;
  if (sd !== undefined) return sdCardScreen(app, s, sd);
  if (c === undefined) return [h("p", null, t("loading")), backButton(app)];
  const status = s.statuses.get(id);
  return [
    heading(c.title === undefined ? c.type : c.title[lang()]),
    idCard({ credential: c, status, issuerName: status?.issuerName, full: true }),
    h("p", { class: "hint" }, `${t("cardId")}: `, h("span", { class: "mono" }, c.jti ?? c.id)),
    errorBox(s.error),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => app.router.back({ name: "cards" }) }, t("back")),
      h("button", { type: "button", class: "danger", onclick: () => void remove(app, id) }, t("cardRemove")),
    ),
  ];
}

export function didScreen(app: WalletApp, s: WalletState): Child {
  const did = s.wallet?.did ?? "";
  return [
    heading(t("walletMyDidTitle")),
    h("p", null, t("walletMyDidLead")),
    s.didQr === undefined ? null : h("img", { class: "qr", src: s.didQr, alt: t("walletDidQrAlt"), width: 320, height: 320 }),
    h("p", { class: "mono", id: "my-did", "data-did": did }, did),
    statusLine(s.notice, "did-copied"),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", onclick: async () => app.store.set({ notice: (await copyText(did)) ? t("copied") : t("copyFailed") }) }, t("copy")),
      h("button", { type: "button", class: "secondary", onclick: () => app.router.back({ name: "cards" }) }, t("back")),
    ),
  ];
}
