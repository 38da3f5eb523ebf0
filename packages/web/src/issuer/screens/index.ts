/** Which screen the console shows: sign-in, else the agency's heading, the tabs and the tab's screen. */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { type IssuerApp, type IssuerState, agencyOf } from "../app.ts";
import { confirmDialog } from "./confirm.ts";
import { findScreen } from "./find.ts";
import { issueScreen } from "./issue.ts";
import { recordsScreen } from "./records.ts";
import { signInScreen } from "./signIn.ts";

function tabButton(app: IssuerApp, s: IssuerState, tab: "issue" | "records" | "find", id: string, label: string): Child {
  const current = s.route.name === tab;
  return h(
    "button",
    { type: "button", id, class: current ? "" : "secondary", "aria-pressed": String(current), onclick: () => (current ? undefined : app.router.go({ name: tab })) },
    label,
  );
}

export function issuerScreen(app: IssuerApp, s: IssuerState): Child {
  if (s.session === undefined) return signInScreen(app, s);
  const a = agencyOf(s);
  return [
    h("h1", { "data-screen-heading": "" }, a?.name ?? s.session.agency),
    a === undefined ? null : h("p", { class: "hint mono" }, a.did),
    h("div", { class: "actions", role: "group", "aria-label": t("issuerTitle") }, tabButton(app, s, "issue", "tab-issue", t("issuerTabIssue")), tabButton(app, s, "records", "tab-list", t("issuerTabList")), tabButton(app, s, "find", "tab-find", t("issuerTabFind"))),
    s.route.name === "issue" ? issueScreen(app, s) : s.route.name === "find" ? findScreen(app, s) : recordsScreen(app, s),
    s.pendingAction === undefined ? null : confirmDialog(app, s, s.pendingAction),
  ];
}

export function issuerScreenKey(s: IssuerState): string {
  return s.session === undefined ? "signin" : s.route.name;
}
