/** A credential offer: the card as it would be saved, its standing on the ledger, save or decline. */
import { parseCredentialJwt } from "@mobile-id/wallet/browser";
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import { type WalletApp, type WalletState, toCards } from "../app.ts";
import { idCard, titleOf } from "../card.ts";
import { saveOffer } from "../offers.ts";
import { backButton, busyLine, heading } from "./parts.ts";

export function offerScreen(app: WalletApp, s: WalletState): Child {
  const offer = s.offer;
  const parsed = offer === undefined ? undefined : parseCredentialJwt(offer.jwt);
  const c = parsed?.ok === true ? parsed.credential : undefined;
  return [
    heading(t("offerTitle")),
    busyLine(s),
    errorBox(s.error),
    c === undefined || offer === undefined
      ? null
      : [
          h("p", null, t("offerLead", { issuer: offer.issuerName })),
          idCard({ credential: { ...c, id: "offer", title: titleOf(c.type, s.cards) }, status: offer.status, issuerName: offer.issuerName, full: true }),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", id: "offer-save", class: "ok", disabled: s.busy !== undefined, onclick: () => void saveOffer(app, offer.jwt) }, t("offerSave")),
            h("button", { type: "button", class: "secondary", onclick: () => toCards(app) }, t("offerDecline")),
          ),
        ],
    c === undefined && s.busy === undefined ? backButton(app) : null,
  ];
}
