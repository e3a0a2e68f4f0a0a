// One lint config for the whole workspace; each package runs `eslint src` through turbo.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "infra/**", "**/.turbo/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "error",
      eqeqeq: ["error", "always"],
    },
  },
  {
    // The CLI, scripts and benchmarks talk to a terminal on purpose.
    files: ["apps/cli/**", "scripts/**", "test/bench/**"],
    rules: { "no-console": "off" },
  },
  {
    // Jest loads its test environment as CommonJS JavaScript.
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", globalThis: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
