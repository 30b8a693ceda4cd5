// The session form at 1,000 vaults: the LLM vault a session already has stays attached when another
// field is saved, even when it is the oldest vault of all (the edit form once offered only the 100
// newest, showed "None" and saving detached it); the pickers find any vault by name or id, by
// keyboard; an empty submit lands on the first invalid field; the form fits two screens; and
// ?focus=llm-vault opens the LLM vault picker. One sign-in and one seed for the whole file.
import type Anthropic from "@anthropic-ai/sdk";
import type { BetaManagedAgentsStaticBearerCreateParams } from "@anthropic-ai/sdk/resources/beta/vaults/credentials";
import { expect, test, type Page } from "@playwright/test";
import { ownerSdk, pickFromCombobox, secret, seedVaults, signIn, uniqueName } from "./support";

const RESERVED = "sandbox0.managed_agents.";
const LLM_METADATA = { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude" };

interface Seeded {
  sdk: Anthropic;
  oldLlm: { id: string; name: string };
  oldMcp: { id: string; name: string };
  sessionId: string;
  agentName: string;
  environmentName: string;
  prefix: string;
  seededIds: string[];
}

test.describe.configure({ mode: "serial", timeout: 120_000 });

let seeded: Seeded;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  // Signed in first, while the console is idle: its scrypt is slow on a busy shared machine.
  page = await (await browser.newContext()).newPage();
  await signIn(page);
  const sdk = ownerSdk();
  // The oldest vaults first, with the session attached to them; then 1,000 newer ones.
  const oldLlm = { id: "", name: uniqueName("oldest-llm") };
  const oldMcp = { id: "", name: uniqueName("oldest-mcp") };
  oldLlm.id = (await sdk.beta.vaults.create({ display_name: oldLlm.name, metadata: LLM_METADATA })).id;
  oldMcp.id = (await sdk.beta.vaults.create({ display_name: oldMcp.name })).id;
  // An LLM credential has no mcp_server_url, which the SDK's type requires of every static bearer.
  const auth = { type: "static_bearer", token: secret("session-form") } as unknown as BetaManagedAgentsStaticBearerCreateParams;
  await sdk.beta.vaults.credentials.create(oldLlm.id, { auth });
  const agentName = uniqueName("form-agent");
  const environmentName = uniqueName("form-env");
  const [agent, environment] = await Promise.all([
    sdk.beta.agents.create({ name: agentName, model: "claude-sonnet-4-6" }),
    sdk.beta.environments.create({ name: environmentName, config: { type: "cloud", networking: { type: "unrestricted" } } }),
  ]);
  const session = await sdk.beta.sessions.create({
    agent: agent.id,
    environment_id: environment.id,
    title: uniqueName("form"),
    vault_ids: [oldLlm.id, oldMcp.id],
  });
  // Two in three are LLM vaults, so both pickers have hundreds to offer.
  const prefix = uniqueName("bulk");
  const seededIds = await seedVaults(sdk, 1000, prefix, (index) => (index % 3 === 2 ? {} : LLM_METADATA));
  seeded = { sdk, oldLlm, oldMcp, sessionId: session.id, agentName, environmentName, prefix, seededIds };
});

test.afterAll(async () => {
  await page?.context().close();
});

test("saving the title keeps the oldest LLM vault and MCP vault attached", async () => {
  const { sdk, sessionId, oldLlm, oldMcp } = seeded;
  await page.goto(`/sessions/${sessionId}/edit`);
  await expect(page.getByRole("combobox", { name: "LLM vault", exact: true })).toContainText(oldLlm.name);
  await expect(page.getByRole("list", { name: "Attached other vaults" })).toContainText(oldMcp.name);
  const title = uniqueName("renamed");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Save session" }).click();
  // A save on a busy shared machine can take several seconds.
  await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}$`), { timeout: 20_000 });
  const session = await sdk.beta.sessions.retrieve(sessionId);
  expect(session.title).toBe(title);
  expect(session.vault_ids).toEqual([oldLlm.id, oldMcp.id]);
});

test("the LLM vault combobox finds the oldest of 1,000 by name and by id, by keyboard; other vaults are chips", async () => {
  const { sdk, oldLlm, oldMcp, prefix, seededIds, agentName, environmentName } = seeded;
  await page.goto("/sessions/new");
  await pickFromCombobox(page, "Agent", agentName);
  await pickFromCombobox(page, "Environment", environmentName);

  // Keyboard only: Enter opens the list with its search box focused; vaults holding a token come first.
  const llm = page.getByRole("combobox", { name: "LLM vault", exact: true });
  await expect(llm).toContainText("None");
  await llm.focus();
  await page.keyboard.press("Enter");
  await expect(llm).toHaveAttribute("aria-expanded", "true");
  const search = page.getByRole("combobox", { name: "Search LLM vaults" });
  await expect(search).toBeFocused();
  await expect(page.getByRole("option").first()).toContainText("Token stored");
  await expect(page.getByRole("option", { name: /^None/ })).toBeVisible();

  // By name: the oldest LLM vault, far beyond any first page, with its endpoint and readiness.
  await search.fill(oldLlm.name);
  const found = page.getByRole("option", { name: new RegExp(oldLlm.name) });
  await expect(found).toContainText("Token stored");
  await expect(found).toContainText("https://api.anthropic.com");
  await expect(page.getByRole("option")).toHaveCount(1);
  await page.keyboard.press("Enter");
  await expect(llm).toHaveAttribute("aria-expanded", "false");
  await expect(llm).toBeFocused();
  await expect(llm).toContainText(oldLlm.name);

  // By exact id: a seeded LLM vault (every third seeded vault is an MCP one).
  const middle = seededIds[501] ?? "";
  await page.keyboard.press("Enter");
  await search.fill(middle);
  await expect(page.getByRole("option", { name: new RegExp(middle) })).toBeVisible();
  await expect(page.getByRole("option")).toHaveCount(1);
  // Escape closes without choosing, and focus returns to the picker.
  await page.keyboard.press("Escape");
  await expect(llm).toHaveAttribute("aria-expanded", "false");
  await expect(llm).toBeFocused();
  await expect(llm).toContainText(oldLlm.name);

  // Other vaults: a searchable multi-select whose choices are removable chips.
  const chips = page.getByRole("list", { name: "Attached other vaults" });
  await pickFromCombobox(page, "Other vaults", `${prefix} 0003`);
  await pickFromCombobox(page, "Other vaults", oldMcp.name);
  await expect(chips.getByRole("listitem")).toHaveCount(2);
  await chips.getByRole("button", { name: `Remove ${prefix} 0003` }).click();
  await expect(chips.getByRole("listitem")).toHaveCount(1);
  await expect(chips).toContainText(oldMcp.name);

  await page.getByRole("button", { name: "Create session" }).click();
  await expect(page).toHaveURL(/\/sessions\/sesn_[A-Za-z0-9]+$/, { timeout: 20_000 });
  const created = await sdk.beta.sessions.retrieve(new URL(page.url()).pathname.split("/").pop() ?? "");
  expect(created.vault_ids).toEqual([oldLlm.id, oldMcp.id]);
});

test("an empty submit scrolls to and focuses the first invalid field; the form fits two screens", async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/sessions/new");
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(1600);
  await page.getByRole("button", { name: "Create session" }).click();
  const agent = page.getByRole("combobox", { name: "Agent", exact: true });
  await expect(agent).toHaveAttribute("aria-invalid", "true");
  await expect(agent).toBeFocused();
  await expect(agent).toBeInViewport();
  // The banner stays beside the submit button; focus went to the field, not to it.
  const banner = await page.getByText("Check the highlighted fields.").boundingBox();
  const submit = await page.getByRole("button", { name: "Create session" }).boundingBox();
  expect(banner && submit && submit.y - banner.y).toBeLessThan(150);

  await page.goto(`/sessions/${seeded.sessionId}/edit`);
  await expect(page.getByRole("combobox", { name: "LLM vault", exact: true })).toContainText(seeded.oldLlm.name);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(1600);
});

test("?focus=llm-vault opens the edit form with the LLM vault picker open and its search focused", async () => {
  await page.goto(`/sessions/${seeded.sessionId}/edit?focus=llm-vault`);
  const llm = page.getByRole("combobox", { name: "LLM vault", exact: true });
  await expect(llm).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("combobox", { name: "Search LLM vaults" })).toBeFocused();
  // The current choice is pinned first and marked.
  await expect(page.getByRole("option").first()).toContainText(seeded.oldLlm.name);
  await expect(page.getByRole("option").first()).toHaveAttribute("aria-checked", "true");
});
