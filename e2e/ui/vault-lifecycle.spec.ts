// The main path of the console: an LLM vault made through the kind picker, its token entered
// through the masked field, then rotated, archived, and the vault archived and deleted — with the
// token proven absent from the page, every network response and the reloaded page.
import { expect, test } from "@playwright/test";
import { createLlmVault, ownerSdk, recordResponses, secret, SECRET_MARKER, signIn, uniqueName } from "./support";

const MASK = "••••••••••••";

test("LLM vault: add a token through the masked field, rotate, archive, delete", async ({ page }) => {
  const recorder = recordResponses(page);
  await signIn(page);

  const name = uniqueName("llm");
  const vaultId = await createLlmVault(page, name);
  await expect(page.getByText("https://api.anthropic.com", { exact: true })).toBeVisible();
  await expect(page.getByText("No model token yet")).toBeVisible();

  // The masked field: a password input that never autofills, with a reveal toggle.
  const token = secret("first");
  await page.getByRole("button", { name: "Add token" }).click();
  const dialog = page.getByRole("dialog", { name: "Add the model token" });
  const field = dialog.getByLabel("Token", { exact: true });
  await expect(field).toHaveAttribute("type", "password");
  await expect(field).toHaveAttribute("autocomplete", "new-password");
  await expect(field).toHaveAttribute("spellcheck", "false");
  await expect(field).toHaveAttribute("autocapitalize", "off");
  await expect(dialog.getByLabel("MCP server URL")).toHaveCount(0);

  // Saving an empty field says so next to it.
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(dialog.getByText(/Token must not be empty/)).toBeVisible();

  // A pasted token loses the line break and spaces that came along with it.
  await field.focus();
  await field.evaluate((input, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, `  ${token}\n`);
  const reveal = dialog.getByRole("button", { name: /Show/ });
  await expect(reveal).toHaveAttribute("aria-pressed", "false");
  await reveal.click();
  await expect(dialog.getByRole("button", { name: /Hide/ })).toHaveAttribute("aria-pressed", "true");
  await expect(field).toHaveAttribute("type", "text");
  await expect(field).toHaveValue(token);
  await dialog.getByRole("button", { name: /Hide/ }).click();
  await expect(field).toHaveAttribute("type", "password");
  await dialog.getByLabel("Name").fill("Anthropic API key");
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId("credential-row").filter({ hasText: "Anthropic API key" });
  await expect(row).toContainText(MASK);
  await expect(row).toContainText(`…${token.slice(-4)}`);
  await expect(row).toContainText("Active");
  // The same fixed mask whatever the token's length.
  await expect(row).not.toContainText("•".repeat(MASK.length + 1));

  const assertTokenAbsent = async (value: string) => {
    expect(await page.content()).not.toContain(value);
    expect(await page.content()).not.toContain(SECRET_MARKER);
  };
  await assertTokenAbsent(token);
  await page.reload();
  await expect(row).toContainText(`…${token.slice(-4)}`);
  await assertTokenAbsent(token);

  // The vault list shows the kind, the default base URL and that the vault holds its credential.
  await page.goto(`/vaults?q=${encodeURIComponent(name)}`);
  const listRow = page.getByRole("row").filter({ hasText: name });
  await expect(listRow).toContainText("LLM");
  await expect(listRow).toContainText("https://api.anthropic.com");
  await expect(listRow).toContainText("Token stored");
  await listRow.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/vaults/${vaultId}$`));

  // Rotate: the new token replaces the old one; only its hint changes on the page.
  const rotated = secret("rotated");
  await page.getByRole("button", { name: "Rotate Anthropic API key" }).click();
  const rotateDialog = page.getByRole("dialog", { name: "Rotate token" });
  await rotateDialog.getByLabel("New token", { exact: true }).fill(rotated);
  await rotateDialog.getByRole("button", { name: "Rotate token" }).click();
  await expect(rotateDialog).toBeHidden();
  await expect(row).toContainText(`…${rotated.slice(-4)}`);
  await assertTokenAbsent(rotated);

  // Archive the credential: the secret is destroyed, the record stays.
  await page.getByRole("button", { name: "Archive Anthropic API key" }).click();
  await page.getByRole("alertdialog", { name: "Archive credential?" }).getByRole("button", { name: "Archive credential" }).click();
  await expect(row).toContainText("Archived");
  await expect(row).toContainText("Destroyed on archive");

  // Archive the vault, then delete it with its typed name.
  await page.getByRole("button", { name: "Vault actions" }).click();
  await page.getByRole("menuitem", { name: "Archive vault" }).click();
  await page.getByRole("alertdialog", { name: "Archive vault?" }).getByRole("button", { name: "Archive vault" }).click();
  await expect(page.getByText("This vault is archived")).toBeVisible();
  await page.getByRole("button", { name: "Vault actions" }).click();
  await page.getByRole("menuitem", { name: "Delete vault" }).click();
  const deleteDialog = page.getByRole("alertdialog", { name: "Delete vault permanently?" });
  await expect(deleteDialog).toContainText("cannot be undone");
  const confirm = deleteDialog.getByRole("button", { name: "Delete vault" });
  await expect(confirm).toBeDisabled();
  await deleteDialog.getByLabel(/Type .* to confirm/).fill(name);
  await confirm.click();
  await expect(page).toHaveURL(/\/vaults(\?deleted=1)?$/);
  await expect(ownerSdk().beta.vaults.retrieve(vaultId)).rejects.toMatchObject({ status: 404 });

  // Neither token came back in any response the browser received, the action responses included.
  const bodies = await recorder.bodies();
  expect(bodies.length).toBeGreaterThan(10);
  for (const { url, text } of bodies) {
    expect(text.includes(token), `first token in ${url}`).toBe(false);
    expect(text.includes(rotated), `rotated token in ${url}`).toBe(false);
    expect(text.includes(SECRET_MARKER), `secret marker in ${url}`).toBe(false);
  }
});
