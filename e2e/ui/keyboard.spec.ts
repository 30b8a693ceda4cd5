// The create-vault form by keyboard alone: Tab to the kind picker, arrows to choose, Tab through
// the fields, Enter to submit.
import { expect, test, type Page } from "@playwright/test";
import { signIn, uniqueName } from "./support";

async function tabTo(page: Page, matches: () => boolean | Promise<boolean>, limit = 40): Promise<void> {
  for (let step = 0; step < limit; step++) {
    if (await matches()) return;
    await page.keyboard.press("Tab");
  }
  throw new Error("never reached the element by Tab");
}

test("create an LLM vault with the keyboard only", async ({ page }) => {
  await signIn(page);
  await page.goto("/vaults/new?kind=other");
  await page.locator("body").focus();

  await tabTo(page, () => page.evaluate(() => document.activeElement?.getAttribute("name") === "kind"));
  // Arrow keys move within the radio group; land on the LLM vault.
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("radio", { name: /LLM vault/ })).toBeChecked();
  await expect(page.getByLabel("Base URL")).toBeVisible();

  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
  const name = uniqueName("keyboard");
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Base URL")).toBeFocused();
  // The focus ring is visible on the focused field.
  const outline = await page.getByLabel("Base URL").evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/vaults\/vlt_/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
});
