// Playwright drives a console that scripts/test.ts has already started on a fresh database; run it
// through `npm test -- --only ui`, which passes the URL in CONSOLE_TEST_URL.
import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

const baseURL = process.env.CONSOLE_TEST_URL;
if (!baseURL) {
  throw new Error("CONSOLE_TEST_URL is not set: run the UI suite with `npm test -- --only ui`");
}

// Playwright cannot download its own browser on machines without internet access; Debian's
// chromium works there. Where it is absent, Playwright's own browser is used.
const debianChromium = "/usr/bin/chromium";
const executablePath = existsSync(debianChromium) ? debianChromium : undefined;

export default defineConfig({
  testDir: "ui",
  // One console and one database are shared by every spec, so specs must not race each other.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  // One more try on CI (as for the API suite, see scripts/vitest.config.ts): Playwright lists a test
  // that passed only on its retry as "flaky", and .ci/run repeats that list at the end of its log.
  retries: process.env.CI ? 1 : 0,
  // Chromium, Next and the database share two cores: a flow of several pages and forms (each
  // sign-in an scrypt) takes 10-30 s, so Playwright's default of 30 s per test left no margin.
  timeout: 60_000,
  reporter: "list",
  outputDir: "../.tmp/playwright-results",
  use: {
    baseURL,
    browserName: "chromium",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
