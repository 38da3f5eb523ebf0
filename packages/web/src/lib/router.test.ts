import { describe, expect, it } from "vitest";
import { type RouterWindow, createHashRouter } from "./router.ts";

/** A browser history in memory: entries with state and hash; traversals fire popstate (and hashchange when the hash changes). */
function fakeWindow(initialHash = "") {
  const entries: { state: unknown; hash: string }[] = [{ state: null, hash: initialHash }];
  let index = 0;
  const listeners: Record<string, (() => void)[]> = { popstate: [], hashchange: [] };
  const hashOf = (url: string | undefined) => (url === undefined ? entries[index]!.hash : url.slice(url.indexOf("#")));
  const win: RouterWindow & { entries: typeof entries; index(): number; navigate(hash: string): void } = {
    location: {
      get hash() {
        return entries[index]!.hash;
      },
    },
    history: {
      get state() {
        return entries[index]!.state;
      },
      pushState(state, _unused, url) {
        entries.splice(index + 1, entries.length, { state, hash: hashOf(url) });
        index++;
      },
      replaceState(state, _unused, url) {
        entries[index] = { state, hash: hashOf(url) };
      },
      go(delta) {
        const before = entries[index]!.hash;
        index = Math.min(entries.length - 1, Math.max(0, index + delta));
        for (const l of listeners["popstate"]!) l();
        if (entries[index]!.hash !== before) for (const l of listeners["hashchange"]!) l();
      },
    },
    addEventListener(type, listener) {
      listeners[type]!.push(listener);
    },
    entries,
    index: () => index,
    /** The user (or a link) changes the fragment: a new entry without state. */
    navigate(hash) {
      entries.splice(index + 1, entries.length, { state: null, hash });
      index++;
      for (const l of listeners["popstate"]!) l();
      for (const l of listeners["hashchange"]!) l();
    },
  };
  return win;
}

type Route = { name: "home" } | { name: "did" } | { name: "card"; id: string };
const parse = (path: string): Route => {
  if (path === "/did") return { name: "did" };
  const card = /^\/card\/(.+)$/.exec(path);
  return card === null ? { name: "home" } : { name: "card", id: decodeURIComponent(card[1]!) };
};
const format = (r: Route): string => (r.name === "home" ? "/" : r.name === "did" ? "/did" : `/card/${encodeURIComponent(r.id)}`);

describe("createHashRouter", () => {
  it("reads the route from the fragment, and unknown paths fall back to the default", () => {
    expect(createHashRouter({ parse, format, window: fakeWindow("#/card/a%20b") }).current()).toEqual({ name: "card", id: "a b" });
    expect(createHashRouter({ parse, format, window: fakeWindow("#/nowhere") }).current()).toEqual({ name: "home" });
    expect(createHashRouter({ parse, format, window: fakeWindow("#offer=x") }).current()).toEqual({ name: "home" });
  });

  it("the back button walks the screens the app opened, and in-app back never leaves the app", () => {
    const win = fakeWindow();
    const router = createHashRouter({ parse, format, window: win });
    const seen: string[] = [];
    router.subscribe((r) => seen.push(format(r)));
    router.go({ name: "did" });
    router.go({ name: "card", id: "1" });
    expect(win.location.hash).toBe("#/card/1");
    win.history.go(-1); // the browser's (Android's) back button
    expect(router.current()).toEqual({ name: "did" });
    router.back({ name: "home" });
    expect(router.current()).toEqual({ name: "home" });
    expect(win.index()).toBe(0);
    router.back({ name: "home" }); // at the app's first entry: stays in the app
    expect(win.index()).toBe(0);
    expect(seen).toEqual(["/did", "/card/1", "/did", "/"]);
  });

  it("home returns to the entry the app was opened on in one step, showing the route asked for", () => {
    const win = fakeWindow("#/did");
    const router = createHashRouter({ parse, format, window: win });
    router.go({ name: "card", id: "1" });
    router.go({ name: "card", id: "2" });
    router.home({ name: "home" });
    expect(win.index()).toBe(0);
    expect(router.current()).toEqual({ name: "home" });
    expect(win.location.hash).toBe("#/");
  });

  it("a fragment that is not a route (a wallet link) leaves the route alone", () => {
    const win = fakeWindow();
    const router = createHashRouter({ parse, format, window: win });
    router.go({ name: "did" });
    const seen: string[] = [];
    router.subscribe((r) => seen.push(format(r)));
    win.navigate("#request=https%3A%2F%2Fexample");
    expect(router.current()).toEqual({ name: "did" });
    router.replace({ name: "card", id: "r" });
    expect(win.location.hash).toBe("#/card/r");
    expect(seen).toEqual(["/card/r"]);
  });
});
