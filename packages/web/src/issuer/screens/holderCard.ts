/** Whose card it is: portrait thumbnail, name, reference, type, validity (the find screen and the confirmation). */
import { type Child, h } from "../../lib/dom.ts";
import { formatDate, pick, t } from "../../lib/i18n.ts";
import { type HolderView, type IssuerState, personName } from "../app.ts";

export function holderCard(s: IssuerState, holder: HolderView, headingLevel: "h3" | "p" = "p"): Child {
  const name = personName(holder.familyName, holder.givenName);
  const typeTitle = pick(s.types.find((x) => x.name === holder.type)?.title, holder.type);
  return h(
    "div",
    { class: "holder" },
    holder.thumbnail === undefined
      ? h("div", { class: "portrait none", role: "img", "aria-label": t("issuerNoPortrait") }, t("issuerNoPortrait"))
      : h("img", { class: "portrait", src: holder.thumbnail, alt: t("issuerPortraitAlt", { name }), width: 96, height: 120 }),
    h(
      "div",
      null,
      h(headingLevel, { class: "who", "data-holder-name": "" }, name),
      h(
        "dl",
        { class: "claims" },
        h("dt", null, t("issuerReference")),
        h("dd", { class: "mono", "data-holder-reference": "" }, holder.reference === "" ? "—" : holder.reference),
        h("dt", null, t("issuerColType")),
        h("dd", null, typeTitle),
        h("dt", null, t("issuerIssuedOn")),
        h("dd", null, formatDate(holder.issuedAt)),
        h("dt", null, t("issuerValidUntil")),
        h("dd", null, formatDate(holder.expiresAt)),
        h("dt", null, t("issuerFormat")),
        h("dd", null, holder.format === "dc+sd-jwt" ? t("issuerFormatSdJwt") : t("issuerFormatJwt")),
      ),
    ),
  );
}
