/** The chrome every page shares: skip link, header with the language switch, main landmark, messages. */
import { Fragment, h as component, render } from "preact";
import { type Child, h } from "./dom.ts";
import { type MessageKey, lang, onLangChange, setLang, t } from "./i18n.ts";
import { type UiError, errorOf, errorText } from "./uiError.ts";

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

/** An error message block (`role="alert"`: read out at once), in the current language. */
export function errorBox(error: UiError | string | undefined, id?: string): Child {
  return error === undefined ? null : h("p", { class: "notice error", role: "alert", id }, typeof error === "string" ? error : errorText(error));
}

/**
 * An error next to the form control `controlId` (id `<controlId>-error`, named by the control's `aria-describedby`;
 * not itself an alert: the form's error box above announces it once).
 */
export function fieldError(error: UiError | undefined, controlId: string): Child {
  return error === undefined ? null : h("p", { class: "field-error", id: `${controlId}-error` }, `▲ ${errorText(error)}`);
}

/** The attributes that tie a control to its error (`aria-invalid`, `aria-describedby` with any hint ids). */
export function invalidAttributes(error: UiError | undefined, controlId: string, ...hintIds: string[]): Record<string, string | null> {
  const ids = [...hintIds, ...(error === undefined ? [] : [`${controlId}-error`])];
  return { "aria-invalid": error === undefined ? null : "true", "aria-describedby": ids.length === 0 ? null : ids.join(" ") };
}

/** A polite live status line. */
export function statusLine(message: string | undefined, id = "status-line"): Child {
  return h("p", { class: "notice info", role: "status", "aria-live": "polite", id }, message ?? "");
}

/** The text of an error for people, in the current language (prefer keeping `errorOf(e)` and drawing it). */
export function describeError(e: unknown): string {
  return errorText(errorOf(e));
}
