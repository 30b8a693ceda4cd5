// Global search (⌘K) at 1,000 vaults: one vault is found by a part of its name and by its id, by
// keyboard, and opened with Enter. The vaults are seeded once for the file, through the API in
// parallel; other specs run later on the same database with them present.
import { expect, test, type Page } from "@playwright/test";
import { ownerSdk, seedVaults, signIn, suffix } from "./support";

test.describe.configure({ timeout: 120_000 });

const tag = `cmdk${suffix()}`;
let ids: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  ids = await seedVaults(ownerSdk(), 1000, tag);
});

async function openSearch(page: Page): Promise<void> {
  await page.keyboard.press("ControlOrMeta+k");
  await expect(page.getByRole("dialog", { name: "Search the console" })).toBeVisible();
  await expect(page.getByRole("combobox")).toBeFocused();
}

test("⌘K finds one vault among 1,000 by name and by id, and Escape gives focus back", async ({ page }) => {
  const wanted = 137; // An old one: far beyond any first page of the vault list.
  const name = `${tag} ${String(wanted + 1).padStart(4, "0")}`;
  const id = ids[wanted] ?? "";
  await signIn(page);

  // Escape closes it and focus goes back to where it was.
  const searchButton = page.getByRole("button", { name: "Search", exact: true }).last();
  await searchButton.focus();
  await openSearch(page);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Search the console" })).toBeHidden();
  await expect(searchButton).toBeFocused();

  // By a part of its name: the one vault, opened with Enter.
  await openSearch(page);
  await page.keyboard.type(name.slice(-14));
  const byName = page.getByRole("option", { name: new RegExp(name) });
  await expect(byName).toBeVisible();
  await expect(page.getByRole("option")).toHaveCount(1);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/vaults/${id}$`), { timeout: 20_000 });
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // By its exact id, from another page.
  await page.goto("/sessions");
  await openSearch(page);
  await page.keyboard.insertText(id);
  await expect(page.getByRole("option", { name: new RegExp(id) })).toBeVisible();
  await expect(page.getByRole("option")).toHaveCount(1);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/vaults/${id}$`), { timeout: 20_000 });

  // A part of the name shared by all 1,000 lists a few, not a thousand.
  await openSearch(page);
  await page.keyboard.type(tag);
  await expect(page.getByRole("option").first()).toBeVisible();
  expect(await page.getByRole("option").count()).toBeLessThanOrEqual(5);
});
