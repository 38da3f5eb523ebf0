/**
 * Navigation inside a page, kept in the URL's `#/…` fragment and the browser's history, so that the Android back
 * button (and the browser's) moves between the app's screens instead of leaving the app, and a reload opens the
 * same screen. Each entry the app pushes carries its depth in `history.state`: "back" inside the app never walks
 * out of it, and "home" returns to where the app was entered in one step.
 *
 * A fragment that is not a route (`#offer=…`, a wallet link) leaves the route as it is: the page reads it itself.
 */

/** The part of `window` the router uses (injected in tests). */
export interface RouterWindow {
  readonly location: { readonly hash: string };
  readonly history: {
    readonly state: unknown;
    pushState(data: unknown, unused: string, url?: string): void;
    replaceState(data: unknown, unused: string, url?: string): void;
    go(delta: number): void;
  };
  addEventListener(type: "popstate" | "hashchange", listener: () => void): void;
}

export interface HashRouterParameters<R> {
  /** The route for a path (`"/"` for an empty fragment, `"/card/x"` for `#/card/x`); unknown paths map to a default. */
  readonly parse: (path: string) => R;
  /** The path of a route, starting with `/`. */
  readonly format: (route: R) => string;
  readonly window?: RouterWindow;
}

export interface Router<R> {
  current(): R;
  /** Opens `route` as a new history entry (back returns here). */
  go(route: R): void;
  /** Shows `route` in place of the current entry. */
  replace(route: R): void;
  /** One step back inside the app; at the entry the app was opened on, `fallback` replaces it instead. */
  back(fallback: R): void;
  /** Back to the entry the app was opened on, showing `route` there. */
  home(route: R): void;
  /** Calls `listener` whenever the route changes (by the app or by the browser's back and forward buttons). */
  subscribe(listener: (route: R) => void): () => void;
}

const DEPTH = "mobileIdDepth";

/**
 * A router over `location.hash` and `history`.
 *
 * @example
 * ```ts
 * const router = createHashRouter<Route>({ parse: parseRoute, format: formatRoute });
 * router.subscribe((route) => store.set({ route }));
 * router.go({ name: "did" }); // #/did, a new history entry; the back button returns to the previous screen
 * ```
 */
export function createHashRouter<R>(params: HashRouterParameters<R>): Router<R> {
  const win = params.window ?? (globalThis as unknown as { window: RouterWindow }).window;
  const listeners = new Set<(route: R) => void>();
  const pathOf = (hash: string): string | undefined => (hash === "" || hash === "#" ? "/" : hash.startsWith("#/") ? hash.slice(1) : undefined);
  let route = params.parse(pathOf(win.location.hash) ?? "/");
  const depth = (): number => {
    const d = (win.history.state as Record<string, unknown> | null)?.[DEPTH];
    return typeof d === "number" && Number.isInteger(d) && d > 0 ? d : 0;
  };
  const show = (next: R): void => {
    if (params.format(next) === params.format(route)) return;
    route = next;
    for (const listener of [...listeners]) listener(route);
  };
  /** Set by `home` while the browser walks back: the route to show once it lands. */
  let landing: R | undefined;
  const fromLocation = (): void => {
    const path = pathOf(win.location.hash);
    if (landing !== undefined) {
      const next = landing;
      landing = undefined;
      // The entry the app was opened on may show another screen (or a link): show `next` in its place.
      if (path === undefined || params.format(params.parse(path)) !== params.format(next)) return replace(next);
    }
    if (path !== undefined) show(params.parse(path));
  };
  function replace(next: R): void {
    win.history.replaceState({ [DEPTH]: depth() }, "", `#${params.format(next)}`);
    show(next);
  }
  win.addEventListener("popstate", fromLocation);
  win.addEventListener("hashchange", fromLocation);
  return {
    current: () => route,
    go(next) {
      if (params.format(next) === params.format(route) && pathOf(win.location.hash) !== undefined) return;
      win.history.pushState({ [DEPTH]: depth() + 1 }, "", `#${params.format(next)}`);
      show(next);
    },
    replace,
    back(fallback) {
      if (depth() > 0) win.history.go(-1);
      else replace(fallback);
    },
    home(next) {
      const d = depth();
      if (d === 0) return replace(next);
      landing = next;
      win.history.go(-d);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
