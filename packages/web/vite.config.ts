import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One multi-page app served by the services under `/app/`: the landing page, the wallet (a PWA scoped to
 * `/app/wallet/`), the verifier counter, the issuer console and the auditor dashboard.
 *
 * The wallet runs the wallet package's own code (`@mobile-id/wallet/browser`), which imports only core's
 * browser-safe entry (`@mobile-id/core/browser`): no alias, stub or shim for a Node module is needed, and a
 * `node:` import reaching the bundle fails the build.
 */
export default defineConfig({
  root: here("."),
  base: "/app/",
  publicDir: here("public"),
  plugins: [
    {
      // The pages run the wallet's and core's browser entries, which must not reach a Node module: fail the build
      // rather than ship a stub or let Vite externalize it into a page that breaks at run time.
      name: "mobile-id:no-node-builtins",
      enforce: "pre",
      resolveId(id, importer) {
        if (id.startsWith("node:")) this.error(`${id} is imported into the browser bundle by ${importer ?? "an entry"}`);
        return null;
      },
    },
  ],
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
