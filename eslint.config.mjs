import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", ".data/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    rules: {
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // A stray `.only` would quietly shrink the suite (describe, it, test, test.describe, or an alias like describeOnPostgres).
    files: ["**/*.test.ts", "**/*.test.tsx", "e2e/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[computed=false][property.name='only']", message: "Remove `.only`: it runs this test alone and skips the rest of the suite." },
      ],
    },
  },
  {
    // Rule N3: a form sent before its script runs falls back to GET and puts its fields in the URL, unless it names a method or a server action.
    files: ["app/**/*.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXOpeningElement[name.name='form']:not(:has(JSXAttribute[name.name=/^(method|action)$/]))",
          message: 'Give the form method="post" (or a server action), so a submission before hydration keeps its fields out of the URL.',
        },
      ],
    },
  },
];

export default config;
