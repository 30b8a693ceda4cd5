// The vault list: the page for the address comes from the server; search, kind filter, archived toggle and
// paging read GET /v1/vaults in the browser with the session cookie.
import { expect, test } from "@playwright/test";
import { ownerSdk, signIn, suffix } from "./support";

test("search, filter by kind, show archived and page through vaults", async ({ page }) => {
  // 21 vaults seeded in order and six list states: on a busy machine the default 60 s was too tight.
  test.setTimeout(120_000);
  const tag = `list${suffix()}`;
  const sdk = ownerSdk();
  const llm = await sdk.beta.vaults.create({
    display_name: `${tag} llm`,
    metadata: { "sandbox0.managed_agents.role": "llm", "sandbox0.managed_agents.engine": "claude" },
  });
  // One after another, so "newest first" puts them in a known order after the LLM vault.
  const plain: string[] = [];
  for (let index = 0; index < 20; index++) plain.push((await sdk.beta.vaults.create({ display_name: `${tag} plain ${index}` })).id);
  await sdk.beta.vaults.archive(plain[0] ?? "");

  await signIn(page);
  const rows = page.getByRole("table", { name: "Vaults" }).locator("tbody tr");

  const searched = page.waitForResponse((response) => response.url().includes("/v1/vaults?") && response.url().includes(`q=${tag}`));
  await page.getByLabel("Search vaults by name").fill(tag);
  expect((await searched).status()).toBe(200);
  // 21 vaults, one archived: a full page of 20, nothing more.
  await expect(rows).toHaveCount(20);
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));

  await page.getByLabel("Show archived").check();
  await expect(page.getByRole("button", { name: "Next" })).toBeEnabled();
  await expect(rows.filter({ hasText: "Archived" })).toHaveCount(1);
  const nextPage = page.waitForResponse((response) => response.url().includes("/v1/vaults?") && response.url().includes("page=page_"));
  await page.getByRole("button", { name: "Next" }).click();
  expect((await nextPage).status()).toBe(200);
  // Newest first: the oldest, the LLM vault, is alone on page 2.
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tag} llm`);
  await expect(page.getByText("Page 2")).toBeVisible();
  await page.getByRole("button", { name: "Previous" }).click();
  await expect(rows).toHaveCount(20);

  await page.getByLabel("Kind").selectOption("llm");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tag} llm`);
  await expect(rows.first()).toContainText("No token");

  await page.getByLabel("Kind").selectOption("credential");
  await expect(page.getByText("No vaults match these filters")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByLabel("Search vaults by name")).toHaveValue("");

  for (const id of [llm.id, ...plain]) await sdk.beta.vaults.delete(id);
});
