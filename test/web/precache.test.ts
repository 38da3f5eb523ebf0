import { describe, expect, it } from "vitest";
import { chunkFiles } from "../../packages/web/scripts/precache.ts";

describe("the wallet's precache list (from Vite's manifest)", () => {
  it("takes the entry's chunk and every chunk it imports, statically or lazily, with their styles and assets", () => {
    const manifest = {
      "wallet/index.html": { file: "assets/wallet-1.js", imports: ["_shared.js"], dynamicImports: ["node_modules/jsqr/jsQR.js"], css: ["assets/wallet-1.css"] },
      "_shared.js": { file: "assets/shared-2.js", imports: ["wallet/index.html"], css: ["assets/shared-3.css"], assets: ["assets/font-4.woff2"] },
      "node_modules/jsqr/jsQR.js": { file: "assets/jsQR-5.js", isDynamicEntry: true },
      "issuer/index.html": { file: "assets/issuer-6.js", imports: ["_shared.js"] },
    };
    expect(chunkFiles(manifest, "wallet/index.html")).toEqual([
      "assets/font-4.woff2",
      "assets/jsQR-5.js",
      "assets/shared-2.js",
      "assets/shared-3.css",
      "assets/wallet-1.css",
      "assets/wallet-1.js",
    ]);
  });

  it("refuses a manifest that lacks a chunk it names", () => {
    expect(() => chunkFiles({ "wallet/index.html": { file: "a.js", imports: ["_gone.js"] } }, "wallet/index.html")).toThrow(/_gone\.js/);
  });
});
