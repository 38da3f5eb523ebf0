import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One multi-page app served by the services under `/app/`: the landing page, the wallet (a PWA scoped to
 * `/app/wallet/`), the verifier counter, the issuer console and the auditor dashboard.
 *
 * The wallet runs the wallet package's own code (`@mobile-id/wallet/browser`). Those modules import
 * `@mobile-id/core`, which is pointed at its browser-safe entry here; `node:fs` (imported by core's credential
 * type module for `loadSchema`, never called in a browser) is pointed at a stub that throws if it ever is.
 */
export default defineConfig({
  root: here("."),
  base: "/app/",
  publicDir: here("public"),
  resolve: {
    alias: [
      { find: /^@mobile-id\/core$/, replacement: "@mobile-id/core/browser" },
      { find: /^node:fs$/, replacement: here("src/shims/node-fs.ts") },
    ],
  },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        landing: here("index.html"),
        wallet: here("wallet/index.html"),
        verifier: here("verifier/index.html"),
        issuer: here("issuer/index.html"),
        auditor: here("auditor/index.html"),
      },
    },
  },
  server: {
    // `pnpm --filter @mobile-id/web dev` against a running `pnpm start` (services on 127.0.0.1:8080).
    proxy: Object.fromEntries(
      ["/issuers", "/verifier", "/auditor", "/offers", "/parties", "/status-lists", "/network", "/credential-types", "/health"].map((p) => [p, "http://127.0.0.1:8080"]),
    ),
  },
});
