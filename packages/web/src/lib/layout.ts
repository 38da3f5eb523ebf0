/** The chrome every page shares: skip link, header with the language switch, main landmark, messages. */
import { type Child, h, mount } from "./dom.ts";
import { type MessageKey, lang, onLangChange, setLang, t } from "./i18n.ts";

/**
 * Mounts a page: a header (app name, page title, language switch) and a `<main>` rendered by `view`, re-rendered
 * on `update()` and on a language change.
 */
export function page(params: { readonly title: MessageKey; readonly view: () => Child; readonly screenKey?: () => string; readonly headerExtra?: () => Child }): { update(): void } {
  const body = document.body;
  body.replaceChildren();
  const header = h("header", { class: "top" });
  const main = h("main", { id: "main", tabindex: "-1" });
  body.append(h("a", { class: "skip", href: "#main" }, t("skipToContent")), header, main);
  const renderHeader = () => {
    document.title = `${t(params.title)} · ${t("appName")}`;
    header.replaceChildren(
      h("a", { class: "brand", href: "/app/" }, t("appName")),
      h("span", { class: "page-title" }, t(params.title)),
      h("span", { class: "spacer" }),
      h("span", null, params.headerExtra?.() ?? null),
      h(
        "button",
        {
          type: "button",
          class: "lang",
          lang: lang() === "ko" ? "en" : "ko",
          "aria-label": t("switchLanguageLabel"),
          onclick: () => setLang(lang() === "ko" ? "en" : "ko"),
        },
        t("switchLanguage"),
      ),
    );
  };
  renderHeader();
  const mounted = mount(main, params.view, params.screenKey);
  onLangChange(() => {
    renderHeader();
    mounted.update();
  });
  return {
    update: () => {
      renderHeader();
      mounted.update();
    },
  };
}

/** An error message block (`role="alert"`: read out at once). */
export function errorBox(message: string | undefined): Child {
  return message === undefined ? null : h("p", { class: "notice error", role: "alert" }, message);
}

/** A polite live status line. */
export function statusLine(message: string | undefined, id = "status-line"): Child {
  return h("p", { class: "notice info", role: "status", "aria-live": "polite", id }, message ?? "");
}

/** The text of an error for people: the service's code and message, or a network failure. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (code === "NETWORK_ERROR") return t("networkError");
    return typeof code === "string" ? `${t("errorPrefix")} (${code}): ${e.message}` : `${t("errorPrefix")}: ${e.message}`;
  }
  return t("errorPrefix");
}
