import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

// Two projects: `unit` runs beside the code it tests; `api` drives a running console over HTTP with
// the official SDK (scripts/test.ts starts the server and passes its URL in CONSOLE_TEST_URL).
export default defineConfig({
  root,
  resolve: {
    alias: {
      "@": root.replace(/\/$/, ""),
      // Services are marked server-only; tests are server code too (Next resolves this the same way).
      "server-only": `${root}node_modules/server-only/empty.js`,
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
          // vitest's default is one worker fewer than the cores: one on CI's two. Unit tests only
          // compute (PGlite's wasm, scrypt), so both cores are worth using while nothing else runs.
          maxWorkers: 2,
          // One migrated embedded database per run, copied by each test that boots a console.
          globalSetup: ["lib/server/testing/pglite-template.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "api",
          include: ["e2e/api/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // On CI, a test gets one more try: these drive real consoles, runtimes and network
          // namespaces on two shared cores. A test that fails twice fails the run; one that passed on
          // its second try is named in .ci/run's closing summary, to be fixed rather than hidden.
          retry: process.env.CI ? 1 : 0,
          // The same template, for the embedded consoles a test starts of its own (e2e/api/own-console.ts).
          globalSetup: ["lib/server/testing/pglite-template.ts"],
        },
      },
    ],
  },
});
