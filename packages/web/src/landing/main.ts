/** The landing page: the four faces of the network, one link each. */
import "../lib/style.css";
import { h } from "../lib/dom.ts";
import { t } from "../lib/i18n.ts";
import { page } from "../lib/layout.ts";

page({
  title: "landingTitle",
  view: () => [
    h("h1", null, t("landingTitle")),
    h("p", { class: "lead" }, t("landingLead")),
    h(
      "ul",
      { class: "grid tiles", role: "list" },
      (
        [
          ["/app/wallet/", t("landingWallet"), t("landingWalletDesc")],
          ["/app/verifier/", t("landingVerifier"), t("landingVerifierDesc")],
          ["/app/issuer/", t("landingIssuer"), t("landingIssuerDesc")],
          ["/app/auditor/", t("landingAuditor"), t("landingAuditorDesc")],
        ] as const
      ).map(([href, title, desc]) => h("li", null, h("a", { href }, h("strong", null, title), h("span", null, desc)))),
    ),
  ],
});
