// An API key made in the UI works from the official SDK at once, is shown exactly once, and stops
// working when revoked.
import Anthropic from "@anthropic-ai/sdk";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { baseUrl, createUserAs, ownerSdk, signIn, suffix, uniqueName } from "./support";

/** Opens the New API key dialog, fills it in and submits it; the dialog stays open on a field error. */
async function submitNewKey(page: Page, name: string, role: "admin" | "viewer" | "runtime"): Promise<Locator> {
  await page.getByRole("button", { name: "New API key" }).click();
  const dialog = page.getByRole("dialog", { name: "New API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Role").selectOption(role);
  await dialog.getByRole("button", { name: "Create key" }).click();
  return dialog;
}

test("create an API key in the UI, use it from the SDK, then revoke it", async ({ page }) => {
  await signIn(page);
  await page.goto("/api-keys");
  const name = `sdk key ${suffix()}`;
  await submitNewKey(page, name, "viewer");

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
  await page.getByRole("alertdialog", { name: "Revoke API key?" }).getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await expect(client.beta.vaults.list()).rejects.toMatchObject({ status: 401 });

  // The audit log names the user who made and revoked it.
  await page.goto("/audit?resource_type=api_key");
  await expect(page.getByTestId("audit-row").filter({ hasText: "api_key.revoke" }).first()).toBeVisible();
});

test("a runtime key is made for one environment, and disabling the user who made it revokes it", async ({ page, browser }) => {
  await signIn(page);
  const admin = await createUserAs(page, "admin");
  const owner = ownerSdk();
  const environment = await owner.beta.environments.create({
    name: uniqueName("runtime key env"),
    config: { type: "cloud", networking: { type: "unrestricted" } },
  });
  const agent = await owner.beta.agents.create({ name: uniqueName("runtime key agent"), model: "claude-sonnet-4-6" });
  const session = await owner.beta.sessions.create({ agent: agent.id, environment_id: environment.id });

  // The admin makes a runtime key in the dialog; its scope is required and errors show beside it.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, admin);
  await adminPage.goto("/api-keys");
  const name = `runtime key ${suffix()}`;
  const dialog = await submitNewKey(adminPage, name, "runtime");
  await expect(dialog.getByText("Environment must not be empty")).toBeVisible();
  await expect(dialog.getByLabel("Name")).toHaveValue(name);
  await dialog.getByLabel("Environment", { exact: true }).selectOption(environment.id);
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = adminPage.getByRole("dialog", { name: "Your new API key" });
  const key = (await shown.getByTestId("new-api-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^s0_/);
  await shown.getByRole("button", { name: "I have stored it" }).click();
  await expect(adminPage.getByTestId("api-key-row").filter({ hasText: name }).getByTestId("api-key-scope")).toContainText(environment.id);

  // In scope: the key authenticates and reaches the session (409: it has no LLM vault yet).
  const runtime = ownerSdk(key);
  const fetchSettings = () => runtime.post(`/v1/sessions/${session.id}/runtime`, { headers: { "anthropic-beta": "managed-agents-2026-04-01" } });
  await expect(fetchSettings()).rejects.toMatchObject({ status: 409 });

  // The owner disables the admin: the confirmation lists the key, and the key stops working.
  await page.goto("/users");
  await page.getByRole("button", { name: `Disable ${admin.email}` }).click();
  const confirm = page.getByRole("alertdialog", { name: "Disable user?" });
  await expect(confirm.getByTestId("keys-revoked-on-disable")).toContainText(name);
  await confirm.getByRole("button", { name: "Disable" }).click();
  await expect(confirm).toBeHidden();
  await expect(fetchSettings()).rejects.toMatchObject({ status: 401 });
  await page.goto("/api-keys");
  await expect(page.getByTestId("api-key-row").filter({ hasText: name })).toContainText("Revoked");
  await adminContext.close();
});
