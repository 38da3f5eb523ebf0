/** The chrome every page shares: skip link, header with the language switch, main landmark, messages. */
import { Fragment, h as component, render } from "preact";
import { type Child, h } from "./dom.ts";
import { type MessageKey, lang, onLangChange, setLang, t } from "./i18n.ts";

export interface PageParameters {
  /** The page's name in the header and the document title. */
  readonly title: MessageKey;
  /** What `<main>` shows now. */
  readonly view: () => Child;
  /**
   * Which screen `view` shows. When it changes, the screen is drawn afresh (nothing of the previous screen's
   * controls is reused) and its `data-screen-heading` (or first `h1`/`h2`) takes the focus: screen readers hear
   * that the screen changed.
   */
  readonly screenKey?: () => string;
  /** Controls in the header, before the language switch (sign-out, lock). */
  readonly headerExtra?: () => Child;
}

/**
 * Mounts a page into `<body>` and draws it now, on every `update()` and on a language change. A redraw changes
 * only what differs, so focus and typed text stay.
 *
 * @example
 * ```ts
 * const ui = page({ title: "walletTitle", view: () => screen(store.get()), screenKey: () => store.get().route.name });
 * store.subscribe(ui.update);
 * ```
 */
export function page(params: PageParameters): { update(): void } {
  const body = document.body;
  body.replaceChildren();
  let lastScreen: string | undefined;
  const skip = (e: Event) => {
    // The fragment is the page's navigation state: move the focus without touching it.
    e.preventDefault();
    document.getElementById("main")?.focus();
  };
  const update = () => {
    document.title = `${t(params.title)} · ${t("appName")}`;
    const screen = params.screenKey?.() ?? "";
    render(
      [
        h("a", { class: "skip", href: "#main", onclick: skip }, t("skipToContent")),
        h(
          "header",
          { class: "top" },
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
        ),
        h("main", { id: "main", tabindex: "-1" }, component(Fragment, { key: screen }, params.view())),
      ],
      body,
    );
    if (lastScreen !== undefined && screen !== lastScreen) {
      const main = document.getElementById("main");
      const heading = main?.querySelector<HTMLElement>("[data-screen-heading]") ?? main?.querySelector<HTMLElement>("h1, h2");
      if (heading !== null && heading !== undefined) {
        heading.tabIndex = -1;
        heading.focus();
      }
    }
    lastScreen = screen;
  };
  update();
  onLangChange(update);
  return { update };
}

/** An error message block (`role="alert"`: read out at once). */
export function errorBox(message: string | undefined, id?: string): Child {
  return message === undefined ? null : h("p", { class: "notice error", role: "alert", id }, message);
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
