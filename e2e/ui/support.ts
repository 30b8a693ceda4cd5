// Shared helpers for the browser suites. scripts/test.ts starts the console with a first owner
// (CONSOLE_TEST_ADMIN_EMAIL / CONSOLE_TEST_ADMIN_PASSWORD) and an owner API key.
import { randomBytes } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import { expect, type Cookie, type Page, type Response } from "@playwright/test";

/** Every secret a test types carries this marker; the canary scans the server log and DB for it. */
export const SECRET_MARKER = "CANARYSECRET";

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the UI suite through \`npm test -- --only ui\``);
  return value;
}

/**
 * Waits for the toast saying `message`, then dismisses it as a user who read it would. Radix keeps
 * a toast while the pointer is over it, so one left at the bottom right can sit on the next button
 * a test clicks for good. Looked for in the notifications region: Radix also announces the message
 * through a live region of its own, which a page-wide getByText would find as well.
 */
export async function readToast(page: Page, message: string): Promise<void> {
  const toast = page
    .getByRole("region", { name: /^Notifications/ })
    .getByRole("listitem")
    .filter({ hasText: message });
  await expect(toast).toBeVisible();
  await toast.getByRole("button", { name: "Dismiss notification" }).click();
  await expect(toast).toHaveCount(0);
}

export function baseUrl(): string {
  return requiredEnv("CONSOLE_TEST_URL").replace(/\/+$/, "");
}

export function admin(): { email: string; password: string } {
  return { email: requiredEnv("CONSOLE_TEST_ADMIN_EMAIL"), password: requiredEnv("CONSOLE_TEST_ADMIN_PASSWORD") };
}

export function ownerSdk(apiKey = requiredEnv("CONSOLE_TEST_API_KEY")): Anthropic {
  return new Anthropic({ baseURL: baseUrl(), apiKey, maxRetries: 0 });
}

export function suffix(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;
}

/** A unique secret with the marker, ≥16 characters, ending in four random characters. */
export function secret(label: string): string {
  return `sk-ant-api03-${SECRET_MARKER}-${label}-${randomBytes(18).toString("base64url")}`;
}

export function uniqueName(label: string): string {
  return `ui ${label} ${suffix()}`;
}

/** Signs in through the form and lands on /vaults, as a person does. */
async function signInWithForm(page: Page, credentials: { email: string; password: string }): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Each sign-in runs scrypt (32 MiB); on a busy shared machine that alone can take seconds.
  await expect(page).toHaveURL(/\/vaults$/, { timeout: 20_000 });
}

/** The first owner's session cookies from this worker's first sign-in without credentials. */
let ownerCookies: Cookie[] | undefined;

/**
 * Signs `page` in and leaves it on /vaults. With credentials, always through the form (the specs
 * that sign in, out, or revoke do so by passing them). Without, as the first owner: the worker's
 * first call signs in through the form and keeps the cookies; later calls hand the same session to
 * the new browser context, which saves each spec a sign-in page, an scrypt and a redirect. If that
 * session has ended (a spec signed it out), /vaults sends the page to /sign-in and it signs in again.
 */
export async function signIn(page: Page, credentials?: { email: string; password: string }): Promise<void> {
  if (credentials) return signInWithForm(page, credentials);
  if (ownerCookies) {
    await page.context().addCookies(ownerCookies);
    await page.goto("/vaults");
    if (new URL(page.url()).pathname === "/vaults") return;
    await page.context().clearCookies();
  }
  await signInWithForm(page, admin());
  ownerCookies = await page.context().cookies();
}

/** Records every response body the page receives, so a test can prove a secret never came back. */
export function recordResponses(page: Page): { bodies: () => Promise<{ url: string; text: string }[]> } {
  const pending: Promise<{ url: string; text: string }>[] = [];
  page.on("response", (response: Response) => {
    // A live event stream (the session page's conversation) never ends, so its body never arrives:
    // its headers are kept; what streams carry is checked by the API suite as it is read.
    if (response.headers()["content-type"]?.startsWith("text/event-stream")) {
      pending.push(Promise.resolve({ url: response.url(), text: JSON.stringify(response.headers()) }));
      return;
    }
    pending.push(
      response
        .body()
        .then((body) => ({ url: response.url(), text: `${JSON.stringify(response.headers())}\n${body.toString("utf8")}` }))
        .catch(() => ({ url: response.url(), text: JSON.stringify(response.headers()) })),
    );
  });
  return { bodies: () => Promise.all(pending) };
}

/** Creates a user through the Users page (as the signed-in owner) and returns its credentials. */
export async function createUserAs(page: Page, role: "admin" | "viewer" | "owner"): Promise<{ email: string; password: string }> {
  const credentials = {
    email: `${role}-${suffix()}@console.test`,
    password: `pw-${SECRET_MARKER}-${randomBytes(9).toString("base64url")}`,
  };
  await page.goto("/users");
  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog", { name: "New user" });
  await dialog.getByLabel("Email").fill(credentials.email);
  await dialog.getByLabel("Initial password").fill(credentials.password);
  await dialog.getByLabel("Role").selectOption(role);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: credentials.email })).toBeVisible();
  return credentials;
}

/** Creates an LLM vault through the kind picker and lands on its page; returns its id. */
export async function createLlmVault(page: Page, name: string, baseUrlValue = ""): Promise<string> {
  await page.goto("/vaults/new");
  await page.getByText("LLM vault", { exact: true }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  if (baseUrlValue) await page.getByLabel("Base URL").fill(baseUrlValue);
  await page.getByRole("button", { name: "Create vault" }).click();
  await expect(page).toHaveURL(/\/vaults\/vlt_[A-Za-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return new URL(page.url()).pathname.split("/").pop() ?? "";
}

/**
 * Creates `n` vaults named `${prefix} 0001`… through the API, 24 requests in flight (1,000 take
 * about ten seconds), and returns their ids by index: vault i was started before vault i + 24, so
 * the first are among the oldest and the last among the newest.
 * `metadata(i)` gives vault i its metadata, e.g. the reserved role key that makes an LLM vault.
 */
export async function seedVaults(
  sdk: Anthropic,
  n: number,
  prefix: string,
  metadata: (index: number) => Record<string, string> = () => ({}),
): Promise<string[]> {
  const ids = new Array<string>(n);
  const width = String(n).length;
  let next = 0;
  // 24 requests in flight at any time: a worker takes the next index as soon as its last one is made.
  async function worker(): Promise<void> {
    while (next < n) {
      const index = next++;
      const vault = await sdk.beta.vaults.create({ display_name: `${prefix} ${String(index + 1).padStart(width, "0")}`, metadata: metadata(index) });
      ids[index] = vault.id;
    }
  }
  await Promise.all(Array.from({ length: 24 }, worker));
  return ids;
}

/**
 * Picks one option of a searchable picker (the session form's): opens it, types `query`, chooses
 * the option whose text matches, and closes the list if it stays open (a multi-select does).
 */
export async function pickFromCombobox(
  page: Page,
  label: string,
  query: string,
  option: RegExp = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
): Promise<void> {
  const trigger = page.getByRole("combobox", { name: label, exact: true });
  await trigger.click();
  await page.getByRole("dialog").getByRole("combobox").fill(query);
  await page.getByRole("option", { name: option }).click();
  if ((await trigger.getAttribute("aria-expanded")) === "true") await page.keyboard.press("Escape");
  await expect(trigger).toHaveAttribute("aria-expanded", "false");
}
