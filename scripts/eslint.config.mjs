// The lint, run by `npm run lint` (and so by `npm test` and CI). It lives in scripts/ to keep the top
// level as designed; `npm run lint` passes it with --config.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

/** Folders whose modules may be imported only by layers above them (see README, "Layout"). */
const ABOVE_LIB = ["./app", "./components", "./e2e", "./bench", "./scripts"];
const EDGES = ["./lib/actions", "./lib/api"];
const SERVER = ["./lib/server", "./lib/auth", "./lib/instances.ts", "./lib/boot.ts"];

/**
 * Imports point down only: edges (route handlers, server actions) → services → validation,
 * serializers, crypto, boundary. A lower layer importing a higher one is an error.
 */
const importZones = [
  // Nothing in lib/ reaches up into pages, components, tests or tools.
  { target: "./lib", from: ABOVE_LIB, message: "lib/ is imported by app/ and components/, never the other way round." },
  // Services never call the edges that call them.
  {
    target: "./lib/server",
    from: EDGES,
    message: "Services are called by lib/api and lib/actions, never the reverse.",
  },
  // Shared shapes and form models stay free of services and edges, so the client can import them.
  ...["./lib/validation", "./lib/serializers", "./lib/forms", "./lib/queries"].map((target) => ({
    target,
    from: [...EDGES, ...SERVER],
    message: "validation, serializers, forms and queries are client-safe: they import no service, edge or auth module.",
  })),
  // The runtime side of the console depends on nothing of the console's web side.
  {
    target: "./lib/boundary",
    from: [...EDGES, ...SERVER],
    message: "lib/boundary takes its settings explicitly and imports no service or edge.",
  },
  {
    target: "./lib/crypto",
    from: [...EDGES, ...SERVER],
    message: "lib/crypto is a leaf: it imports no service or edge.",
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  prettier,
  {
    settings: { "import/resolver": { typescript: { project: "./tsconfig.json" } } },
    rules: {
      "import/no-restricted-paths": ["error", { zones: importZones }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["lib/boundary/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["next", "next/*", "react"], message: "lib/boundary does not depend on Next." }] }],
    },
  },
  globalIgnores([
    ".next/**",
    ".data/**",
    ".tmp/**",
    ".bench/**",
    "lib/generated/**",
    "node_modules/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
]);
