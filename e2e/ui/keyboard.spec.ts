// The console by keyboard alone: the create-vault form, and dialogs that put focus where typing
// belongs and give it back to whatever opened them (issue 13: the add-token dialog used to focus
// its × button, so the token went nowhere and Enter closed it; closing left focus on <body>).
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { ownerSdk, recordResponses, secret, signIn, uniqueName } from "./support";

// Each test is a few page loads and a server action on a machine the whole suite shares.
test.describe.configure({ timeout: 120_000 });

let signedIn: BrowserContextOptions["storageState"];

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  await signIn(await context.newPage());
  signedIn = await context.storageState();
  await context.close();
});

async function signedInPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: signedIn });
  return context.newPage();
}

async function tabTo(page: Page, matches: () => boolean | Promise<boolean>, limit = 40): Promise<void> {
  for (let step = 0; step < limit; step++) {
    if (await matches()) return;
    await page.keyboard.press("Tab");
  }
  throw new Error("never reached the element by Tab");
}

function focusedText(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.activeElement?.textContent?.trim());
}

test("create an LLM vault with the keyboard only", async ({ browser }) => {
  const page = await signedInPage(browser);
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

  // Creating runs on a machine the whole suite shares: allow it more than the default 5 s.
  await expect(page).toHaveURL(/\/vaults\/vlt_/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
});

test("add the model token with the keyboard only: focus in the token field, Enter saves, focus comes back", async ({ browser }) => {
  const vault = await ownerSdk().beta.vaults.create({
    display_name: uniqueName("kbd token"),
    metadata: { "sandbox0.managed_agents.role": "llm", "sandbox0.managed_agents.engine": "claude" },
  });
  const page = await signedInPage(browser);
  const responses = recordResponses(page);
  // The console's CSP refuses inline styles without its nonce: the dialog's scroll lock and the toast viewport must not need one.
  const refusedByCsp: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refusedByCsp.push(message.text());
  });
  await page.goto(`/vaults/${vault.id}`);
  await page.locator("body").focus();
  const opener = page.getByRole("button", { name: "Add token", exact: true });
  await tabTo(page, async () => (await focusedText(page)) === "Add token");

  // Escape closes the dialog and focus goes back to the button that opened it.
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Add the model token" });
  const tokenField = dialog.getByLabel("Token", { exact: true });
  await expect(tokenField).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();

  // Again, this time typing the token and saving with Enter.
  await page.keyboard.press("Enter");
  await expect(tokenField).toBeFocused();
  const token = secret("keyboard");
  await page.keyboard.type(token);
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  const credentials = page.locator("section").filter({ has: page.getByRole("heading", { name: "Credentials", exact: true }) });
  await expect(credentials.getByText(`…${token.slice(-4)}`)).toBeVisible();
  // The vault now holds its token, so "Add token" is gone: focus is in the section it was in, not on <body>.
  await expect(opener).toHaveCount(0);
  expect(await page.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(true);
  expect(await credentials.evaluate((section) => section.contains(document.activeElement))).toBe(true);

  for (const { url, text } of await responses.bodies()) expect(text.includes(token), `token in ${url}`).toBe(false);
  expect(refusedByCsp).toEqual([]);
});

test("a key shown once ignores Escape and clicks outside; closing returns focus to its opener", async ({ browser }) => {
  const page = await signedInPage(browser);
  await page.goto("/api-keys");
  const opener = page.getByRole("button", { name: "New API key" });
  await opener.focus();
  await page.keyboard.press("Enter");
  const form = page.getByRole("dialog", { name: "New API key" });
  await expect(form.getByLabel("Name")).toBeFocused();
  await page.keyboard.type(uniqueName("kbd key"));
  await page.keyboard.press("Enter");

  const shown = page.getByRole("dialog", { name: "Your new API key" });
  await expect(shown).toBeVisible();
  await page.keyboard.press("Escape");
  await page.mouse.click(4, 4);
  await expect(shown).toBeVisible();
  await expect(shown.getByRole("button", { name: "Close" })).toHaveCount(0);
  await shown.getByRole("button", { name: "I have stored it" }).press("Enter");
  await expect(shown).toBeHidden();
  await expect(opener).toBeFocused();
});
