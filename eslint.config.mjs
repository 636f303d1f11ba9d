import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";

export default tseslint.config(
  {
    ignores: [
      "node_modules",
      ".next",
      "dist",
      ".causeway",
      "lib/generated",
      "test-results",
      "playwright-report",
      "next-env.d.ts",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      "@next/next/no-img-element": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read settings through the process's env module (lib/config/settings.ts).",
        },
      ],
    },
  },
  {
    // The env modules, test harness, tooling and Next's own runtime switch are where process.env is read.
    files: [
      "lib/server/env.ts",
      "collector/env.ts",
      "scripts/**",
      "bench/**",
      "test/**",
      "e2e/**",
      "instrumentation.ts",
      "*.config.*",
      "**/*.test.ts",
    ],
    rules: { "no-restricted-properties": "off" },
  },
);
