// Getting around the console: a deep link survives signing in, the favicon is served, and the
// resource and user menus work by keyboard, giving focus back to their button after a dialog.
import { expect, test } from "@playwright/test";
import { admin, baseUrl, ownerSdk, signIn, uniqueName } from "./support";

test("a deep link to a session survives signing in; an off-site next is ignored", async ({ page }) => {
  const sdk = ownerSdk();
  const [agent, environment] = await Promise.all([
    sdk.beta.agents.create({ name: uniqueName("deeplink"), model: "claude-sonnet-4-6" }),
    sdk.beta.environments.create({ name: uniqueName("deeplink"), config: { type: "cloud", networking: { type: "unrestricted" } } }),
  ]);
  const title = uniqueName("deeplink");
  const session = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title });

  const icons: number[] = [];
  page.on("response", (response) => {
    if (/\/(favicon\.ico|icon\.svg)/.test(new URL(response.url()).pathname)) icons.push(response.status());
  });
  await page.goto(`/sessions/${session.id}?tab=runtime`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Email").fill(admin().email);
  await page.getByLabel("Password").fill(admin().password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseUrl()}/sessions/${session.id}?tab=runtime`, { timeout: 20_000 });
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // The favicon is the console's mark, served (not a 404) and announced in the head.
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await page.request.get(href ?? "");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect(icons.filter((status) => status >= 400)).toEqual([]);
});

test("the resource menu and the user menu work by keyboard; a confirm opened from the menu gives focus back to it", async ({ page }) => {
  const vault = await ownerSdk().beta.vaults.create({ display_name: uniqueName("menus") });
  await signIn(page);
  await page.goto(`/vaults/${vault.id}`);

  const trigger = page.getByRole("button", { name: "Vault actions" });
  await trigger.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem", { name: "Archive vault" })).toBeFocused();
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("alertdialog", { name: "Archive vault?" });
  // A confirmation starts on Cancel, so a stray Enter changes nothing; a click outside does not close it.
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.mouse.click(4, 4);
  await expect(confirm).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(trigger).toBeFocused();

  // Escape closes a menu and returns focus to its button as well.
  await page.keyboard.press("ArrowDown");
  await expect(menu).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(trigger).toBeFocused();

  // The user menu: Account is one arrow away.
  const userMenu = page.getByTestId("user-menu");
  await userMenu.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitem", { name: "Account and password" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/account$/);
});
