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
    // Tests and benchmarks index into fixtures they just built; a failed assertion is the right outcome there.
    files: ["**/*.test.ts", "test/**/*.ts", "scripts/bench-*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
