// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "artifacts/", "cache/", "coverage/", "types/", "bench-results/", "**/dist/", "packages/chain/src/generated/"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportAllDeclaration", message: "Export names explicitly from a package entry (no export *)." },
      ],
    },
  },
  {
    // The issuer and the auditor reach the ledger only through @mobile-id/chain (one decoder, one replay model,
    // one node check, one error seam, one transaction sender); their tests and test helpers may build fixtures
    // with ethers directly.
    files: ["packages/issuer/src/**/*.ts", "packages/auditor/src/**/*.ts"],
    ignores: ["**/*.test.ts", "**/testing.ts", "**/testdata/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "ethers", message: "Reach the ledger through @mobile-id/chain (add a named function there if one is missing)." }],
          patterns: [{ group: ["ethers/*"], message: "Reach the ledger through @mobile-id/chain." }],
        },
      ],
    },
  },
  {
    // Tests and benchmarks index into fixtures they just built; a failed assertion is the right outcome there.
    files: ["**/*.test.ts", "test/**/*.ts", "scripts/bench-*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
