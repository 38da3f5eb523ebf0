/** The wallet's screens as URL fragments (`#/did`, `#/card/<id>`), so that the back button moves between them. Pure. */

/** Where the holder is in the wallet (while it is open; locked, every route shows the lock screen). */
export type WalletRoute =
  | { readonly name: "cards" }
  | { readonly name: "card"; readonly id: string }
  | { readonly name: "did" }
  | { readonly name: "scan" }
  | { readonly name: "offer" }
  | { readonly name: "receive" }
  | { readonly name: "request" }
  | { readonly name: "settings" }
  | { readonly name: "consent" }
  | { readonly name: "backup" }
  | { readonly name: "present" }
  | { readonly name: "history" };

type SimpleRoute = Exclude<WalletRoute["name"], "cards" | "card">;
const SIMPLE: ReadonlySet<string> = new Set<SimpleRoute>(["did", "scan", "offer", "receive", "request", "settings", "consent", "backup", "present", "history"]);

/**
 * The route of a fragment path; an unknown path is the card list.
 *
 * @example
 * ```ts
 * parseWalletRoute("/card/urn%3Auuid%3A1") // { name: "card", id: "urn:uuid:1" }
 * ```
 */
export function parseWalletRoute(path: string): WalletRoute {
  const [, first = "", second, ...rest] = path.split("/");
  if (rest.length > 0) return { name: "cards" };
  if (first === "card" && second !== undefined && second !== "") {
    try {
      return { name: "card", id: decodeURIComponent(second) };
    } catch {
      return { name: "cards" };
    }
  }
  if (second !== undefined) return { name: "cards" };
  return SIMPLE.has(first) ? { name: first as SimpleRoute } : { name: "cards" };
}

/** The fragment path of a route (the inverse of {@link parseWalletRoute}). */
export function formatWalletRoute(route: WalletRoute): string {
  return route.name === "cards" ? "/" : route.name === "card" ? `/card/${encodeURIComponent(route.id)}` : `/${route.name}`;
}
