import { describe, expect, it } from "vitest";
import { type WalletRoute, formatWalletRoute, parseWalletRoute } from "./routes.ts";

describe("the wallet's routes", () => {
  it("round-trips every screen through its fragment", () => {
    const routes: WalletRoute[] = [{ name: "cards" }, { name: "card", id: "urn:uuid:0f/#?x" }, { name: "did" }, { name: "scan" }, { name: "offer" }, { name: "request" }, { name: "settings" }, { name: "consent" }, { name: "backup" }];
    for (const r of routes) expect(parseWalletRoute(formatWalletRoute(r))).toEqual(r);
    expect(formatWalletRoute({ name: "card", id: "a/b" })).toBe("/card/a%2Fb");
  });

  it("maps unknown or malformed paths to the card list", () => {
    for (const path of ["/", "", "/nope", "/card", "/card/", "/did/x", "/card/a/b", "/card/%E0%A4%A"]) expect(parseWalletRoute(path)).toEqual({ name: "cards" });
  });
});
