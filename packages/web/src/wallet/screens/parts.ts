/** Pieces several wallet screens share. */
import { uiError } from "../../lib/uiError.ts";
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { statusLine } from "../../lib/layout.ts";
import { parseWalletLink } from "../../lib/walletLinks.ts";
import { type WalletApp, type WalletState, fail } from "../app.ts";
import { handleLink } from "../session.ts";

/** The busy message, in a polite live region that is always there (so that its changes are announced). */
export function busyLine(s: WalletState): Child {
  return statusLine(s.busy, "wallet-busy");
}

/** The screen's heading: it takes the focus when the screen changes. */
export function heading(text: string): Child {
  return h("h1", { "data-screen-heading": "" }, text);
}

/** A secondary button back one screen (the same step as the phone's back button). */
export function backButton(app: WalletApp, id?: string): Child {
  return h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", id, onclick: () => app.router.back({ name: "cards" }) }, t("back")));
}

/** Pasting a link (an offer or a request) where no camera can scan it. */
export function linkForm(app: WalletApp): Child {
  return h(
    "form",
    {
      class: "panel",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const input = (e.currentTarget as HTMLFormElement).elements.namedItem("link") as HTMLInputElement;
        const link = parseWalletLink(input.value, location.origin);
        if (link === undefined) return fail(app, undefined, uiError("walletLinkInvalid"));
        void handleLink(app, link);
      },
    },
    h("label", { for: "paste-link" }, t("walletLinkLabel")),
    h("input", { id: "paste-link", name: "link", type: "url", inputmode: "url", autocomplete: "off", required: true }),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "paste-open" }, t("walletOpenLink"))),
  );
}
