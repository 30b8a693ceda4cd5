// An API key made in the UI works from the official SDK at once, is shown exactly once, and stops
// working when revoked.
import Anthropic from "@anthropic-ai/sdk";
import { expect, test } from "@playwright/test";
import { baseUrl, signIn, suffix } from "./support";

test("create an API key in the UI, use it from the SDK, then revoke it", async ({ page }) => {
  await signIn(page);
  await page.goto("/api-keys");
  const name = `sdk key ${suffix()}`;
  await page.getByRole("button", { name: "New API key" }).click();
  const dialog = page.getByRole("dialog", { name: "New API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Role").selectOption("viewer");
  await dialog.getByRole("button", { name: "Create key" }).click();

  const shown = page.getByRole("dialog", { name: "Your new API key" });
  await expect(shown).toContainText("shown only this once");
  await expect(shown.getByRole("button", { name: "Copy" })).toBeVisible();
  const key = (await shown.getByTestId("new-api-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^s0_[A-Za-z0-9_-]{32,}$/);

  const client = new Anthropic({ baseURL: baseUrl(), apiKey: key, maxRetries: 0 });
  const page1 = await client.beta.vaults.list();
  expect(Array.isArray(page1.data)).toBe(true);
  // A viewer key reads but does not write.
  await expect(client.beta.vaults.create({ display_name: "nope" })).rejects.toMatchObject({ status: 403 });

  await shown.getByRole("button", { name: "I have stored it" }).click();
  await expect(shown).toBeHidden();
  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText(key.slice(0, 10));
  await expect(row).toContainText("viewer");
  // Never displayed again: not in the list, not after a reload.
  await page.reload();
  expect(await page.content()).not.toContain(key);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog", { name: "Revoke API key?" }).getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await expect(client.beta.vaults.list()).rejects.toMatchObject({ status: 401 });

  // The audit log names the user who made and revoked it.
  await page.goto("/audit?resource_type=api_key");
  await expect(page.getByTestId("audit-row").filter({ hasText: "api_key.revoke" }).first()).toBeVisible();
});
