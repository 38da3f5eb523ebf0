/**
 * The issuer console: an agency signs in with its API key, issues credentials with a form generated from the
 * type's JSON Schema, hands each over as a one-time offer (QR code and link), searches what it issued, and
 * revokes, suspends or reinstates. The key is kept in this tab's sessionStorage only (gone when the tab closes).
 *
 * The state lives in one store (`app.ts`), the screens (`screens/`) draw it and redraw on every change, and the tab
 * on display is in the URL fragment. What the clerk types into the issue form is kept in the store as it is typed.
 */
import "../lib/style.css";
import { h } from "../lib/dom.ts";
import { t } from "../lib/i18n.ts";
import { page } from "../lib/layout.ts";
import { createHashRouter } from "../lib/router.ts";
import { createStore } from "../lib/store.ts";
import { readSession, search, signOut, startIssuer } from "./actions.ts";
import { INITIAL_ISSUER_STATE, type IssuerApp, formatIssuerRoute, parseIssuerRoute } from "./app.ts";
import { issuerScreen, issuerScreenKey } from "./screens/index.ts";

const router = createHashRouter({ parse: parseIssuerRoute, format: formatIssuerRoute });
const app: IssuerApp = { store: createStore({ ...INITIAL_ISSUER_STATE, route: router.current(), session: readSession() }), router };

const ui = page({
  title: "issuerTitle",
  view: () => issuerScreen(app, app.store.get()),
  screenKey: () => issuerScreenKey(app.store.get()),
  headerExtra: () => (app.store.get().session === undefined ? null : h("button", { type: "button", onclick: () => signOut(app) }, t("issuerSignOut"))),
});
app.store.subscribe(ui.update);

router.subscribe((route) => {
  app.store.set({ route, error: undefined, notice: undefined, pendingAction: undefined });
  if (route.name === "records" && app.store.get().session !== undefined) void search(app);
});
void startIssuer(app);
