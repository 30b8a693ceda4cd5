// The create-vault form validates with the API's own schema and shows each problem beside its
// field, keeping what was typed.
import { expect, test } from "@playwright/test";
import { signIn, uniqueName } from "./support";

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test("an OpenAI base URL is refused beside the field, and what was typed stays", async ({ page }) => {
  await page.goto("/vaults/new?kind=llm");
  const name = uniqueName("openai");
  await page.getByLabel("Name", { exact: true }).fill(name);
  const baseUrl = page.getByLabel("Base URL");
  await expect(baseUrl).toHaveAttribute("placeholder", "https://api.anthropic.com");
  await baseUrl.fill("https://api.openai.com/v1");
  await page.getByRole("button", { name: "Create vault" }).click();

  await expect(page.getByText(/Base URL looks like an OpenAI-compatible endpoint; use an Anthropic-compatible endpoint/)).toBeVisible();
  await expect(baseUrl).toHaveAttribute("aria-invalid", "true");
  await expect(baseUrl).toHaveAttribute("aria-describedby", /error/);
  await expect(baseUrl).toHaveValue("https://api.openai.com/v1");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(page).toHaveURL(/\/vaults\/new/);

  // Fixing the field lets the same form through.
  await baseUrl.fill("https://llm-gateway.example.com");
  await page.getByRole("button", { name: "Create vault" }).click();
  await expect(page).toHaveURL(/\/vaults\/vlt_/);
  await expect(page.getByText("https://llm-gateway.example.com", { exact: true })).toBeVisible();
});

test("a reserved key typed into the metadata editor is refused; the limits are shown", async ({ page }) => {
  await page.goto("/vaults/new?kind=llm");
  await page.getByLabel("Name", { exact: true }).fill(uniqueName("reserved"));
  await expect(page.getByTestId("metadata-count")).toHaveText("2 / 16 pairs (2 set by this form)");
  await page.getByRole("button", { name: "Add metadata" }).click();
  await page.getByLabel("Key 1").fill("sandbox0.managed_agents.engine");
  await page.getByLabel("Value 1").fill("codex");
  await expect(page.getByTestId("metadata-count")).toHaveText("3 / 16 pairs (2 set by this form)");
  const message = page.getByText(/sandbox0\.managed_agents\.\* keys are set by the fields above/);
  await expect(message).toBeVisible();
  await page.getByRole("button", { name: "Create vault" }).click();
  await expect(message).toBeVisible();
  await expect(page.getByLabel("Key 1")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/vaults\/new/);

  // A key over the limit is refused too, with the limit named.
  await page.getByLabel("Key 1").fill("k".repeat(65));
  await expect(page.getByText("Key is 65 characters; the limit is 64")).toBeVisible();

  // An ordinary key goes through and is stored as metadata.
  await page.getByLabel("Key 1").fill("team");
  await page.getByLabel("Value 1").fill("platform");
  await page.getByRole("button", { name: "Create vault" }).click();
  await expect(page).toHaveURL(/\/vaults\/vlt_/);
  await expect(page.getByText("team")).toBeVisible();
});
