// The Docs link on every console page (issue 13): without CONSOLE_DOCS_URL it goes to the
// console's own README at /docs, and the section it names is a heading there. /docs is public, a
// server-rendered page that needs no script of its own.
import { expect, test, type Page } from "@playwright/test";
import { ownerSdk, signIn, uniqueName } from "./support";

async function docsTarget(page: Page, path: string): Promise<string> {
  await page.goto(path);
  const link = page.getByTestId("docs-link");
  await expect(link).toHaveCount(1);
  const href = await link.getAttribute("href");
  expect(href, path).toMatch(/^\/docs#[a-z0-9-]+$/);
  return href ?? "";
}

test("every console page's Docs link lands on a heading of the README served at /docs", async ({ page }) => {
  // Twelve pages and the README: more than one page's share of the default timeout on a busy machine.
  test.setTimeout(300_000);
  const sdk = ownerSdk();
  const vault = await sdk.beta.vaults.create({ display_name: uniqueName("docs") });
  const agent = await sdk.beta.agents.create({ name: uniqueName("docs"), model: "claude-sonnet-4-5" });
  const environment = await sdk.beta.environments.create({ name: uniqueName("docs"), config: { type: "cloud", networking: { type: "unrestricted" } } });
  const session = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: uniqueName("docs") });

  await signIn(page);
  const paths = [
    "/vaults",
    `/vaults/${vault.id}`,
    "/sessions",
    `/sessions/${session.id}`,
    "/agents",
    `/agents/${agent.id}`,
    "/environments",
    `/environments/${environment.id}`,
    "/api-keys",
    "/audit",
    "/users",
    "/account",
  ];
  const targets = new Map<string, string>();
  for (const path of paths) targets.set(path, await docsTarget(page, path));

  await page.goto("/docs");
  await expect(page.getByRole("heading", { level: 1, name: "Managed Agents credential console" })).toBeVisible();
  for (const [path, href] of targets) {
    const anchor = href.slice("/docs#".length);
    await expect(page.locator(`:is(h1,h2,h3,h4,h5,h6)[id="${anchor}"]`), `${path} → ${href}`).toHaveCount(1);
  }

  // Following one: the browser scrolls to its heading.
  await page.goto(`/vaults/${vault.id}`);
  await page.getByTestId("docs-link").click();
  await expect(page).toHaveURL(/\/docs#the-vault-page$/);
  await expect(page.locator('[id="the-vault-page"]')).toBeInViewport();
});

test("/docs is public and readable without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto("/docs#the-session-page");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "The session page" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Quick start" })).toBeVisible();
  // The README's code is shown as code, never run or parsed as markup.
  await expect(page.locator("pre code").first()).toContainText("npm install");
  await context.close();
});
