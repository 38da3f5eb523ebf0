/** The agency signs in with its API key. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { errorBox, fieldError, invalidAttributes } from "../../lib/layout.ts";
import { signIn } from "../actions.ts";
import type { IssuerApp, IssuerState } from "../app.ts";

export function signInScreen(app: IssuerApp, s: IssuerState): Child {
  return h(
    "section",
    { class: "panel" },
    h("h1", { "data-screen-heading": "" }, t("issuerSignIn")),
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void signIn(app, e.currentTarget as HTMLFormElement);
        },
      },
      h("label", { for: "signin-agency" }, t("issuerAgency")),
      h("select", { id: "signin-agency", name: "agency", required: true }, s.agencies.map((a) => h("option", { value: a.id }, a.name))),
      h("label", { for: "signin-key" }, t("issuerApiKey"), h("span", { class: "hint", id: "signin-key-hint" }, t("issuerApiKeyHint"))),
      h("input", {
        id: "signin-key",
        name: "apiKey",
        type: "password",
        required: true,
        autocomplete: "off",
        ...invalidAttributes(s.error?.field === "apiKey" ? s.error : undefined, "signin-key", "signin-key-hint"),
      }),
      fieldError(s.error?.field === "apiKey" ? s.error : undefined, "signin-key"),
      errorBox(s.error),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "signin-submit" }, t("issuerSignInButton"))),
    ),
  );
}
