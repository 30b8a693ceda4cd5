// Sessions in the console: an agent and an environment made through their pages, a session whose
// one LLM vault is picked in a single-choice combobox (a second one cannot be picked), the diagnostics panel
// going from ready to "attach the LLM vault" and back, the runtime panel without any token, the
// LLM vault's connection test, and a viewer who sees it all read-only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { baseUrl, createLlmVault, createUserAs, ownerSdk, pickFromCombobox, recordResponses, secret, SECRET_MARKER, signIn, uniqueName } from "./support";

const READY_LINE = "Ready: the runtime will get the model token through the credential boundary";
const NO_LLM_VAULT = "No LLM vault attached";

async function addToken(page: Page, token: string): Promise<void> {
  await page.getByRole("button", { name: "Add token" }).click();
  const dialog = page.getByRole("dialog", { name: "Add the model token" });
  await dialog.getByLabel("Name").fill("Anthropic API key");
  await dialog.getByLabel("Token", { exact: true }).fill(token);
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(dialog).toBeHidden();
}

async function createMcpVault(page: Page, name: string): Promise<string> {
  await page.goto("/vaults/new");
  await page.getByText("MCP / other vault", { exact: true }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create vault" }).click();
  await expect(page).toHaveURL(/\/vaults\/vlt_[A-Za-z0-9]+$/);
  return new URL(page.url()).pathname.split("/").pop() ?? "";
}

function lastPathPart(page: Page): string {
  return new URL(page.url()).pathname.split("/").pop() ?? "";
}

test("session: agent and environment from the console, one LLM vault by combobox, ready, detached, diagnostics", async ({ page }) => {
  // A dozen pages and forms in one flow: 25 s on an idle machine, so the default 30 s was a coin toss.
  test.setTimeout(90_000);
  const recorder = recordResponses(page);
  await signIn(page);

  const token = secret("session");
  const llmName = uniqueName("session-llm");
  const llmVaultId = await createLlmVault(page, llmName);
  await addToken(page, token);
  const spareLlmName = uniqueName("spare-llm");
  const spareLlmVaultId = await createLlmVault(page, spareLlmName);
  const mcpName = uniqueName("session-mcp");
  const mcpVaultId = await createMcpVault(page, mcpName);

  // An agent: created at version 1, and saving a change makes version 2.
  const agentName = uniqueName("agent");
  await page.goto("/agents/new");
  await page.getByLabel("Name", { exact: true }).fill(agentName);
  await page.getByLabel("Model id").fill("claude-sonnet-4-5");
  await page.getByLabel("System prompt").fill("You triage support tickets.");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).toHaveURL(/\/agents\/agent_[A-Za-z0-9]+$/);
  const agentId = lastPathPart(page);
  await expect(page.getByTestId("agent-version")).toHaveText("Version 1");
  await page.getByLabel("System prompt").fill("You triage support tickets, briefly.");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page.getByTestId("agent-version")).toHaveText("Version 2");
  await page.goto("/agents");
  await expect(page.getByRole("row").filter({ hasText: agentName })).toContainText("v2");

  // An environment with limited networking; a bad host is refused beside its field, values kept.
  const environmentName = uniqueName("env");
  await page.goto("/environments/new");
  await page.getByLabel("Name", { exact: true }).fill(environmentName);
  await page.getByRole("radio", { name: /Limited/ }).check();
  await page.getByLabel("Allowed hosts").fill("https://api.github.com/path");
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page.getByText(/Allowed hosts must be a bare hostname/)).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(environmentName);
  await page.getByLabel("Allowed hosts").fill("api.github.com\n*.pypi.org");
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page).toHaveURL(/\/environments\/env_[A-Za-z0-9]+$/);
  const environmentId = lastPathPart(page);
  await expect(page.getByText("Limited networking")).toBeVisible();

  // The session form: searchable pickers; the LLM vault is a single-choice combobox, so picking
  // one replaces the other.
  await page.goto("/sessions/new");
  await pickFromCombobox(page, "Agent", agentName);
  await pickFromCombobox(page, "Environment", environmentName);
  const title = uniqueName("session");
  await page.getByLabel("Title").fill(title);
  const llmPicker = page.getByRole("combobox", { name: "LLM vault", exact: true });
  await expect(llmPicker).toContainText("None");
  await llmPicker.click();
  await page.getByRole("dialog").getByRole("combobox").fill(llmName);
  await expect(page.getByRole("option", { name: new RegExp(llmName) })).toContainText("Token stored");
  await page.keyboard.press("Escape");
  await pickFromCombobox(page, "LLM vault", spareLlmName);
  await pickFromCombobox(page, "LLM vault", llmName);
  await expect(llmPicker).toContainText(llmName);
  await expect(llmPicker).not.toContainText(spareLlmName);
  // Other vaults are a multi-select beside it, shown as chips.
  await pickFromCombobox(page, "Other vaults", mcpName);
  await page.getByRole("button", { name: "Create session" }).click();
  await expect(page).toHaveURL(/\/sessions\/sesn_[A-Za-z0-9]+$/);
  const sessionId = lastPathPart(page);

  // Ready: one green line; the LLM vault is listed first, the MCP vault after it.
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(READY_LINE)).toBeVisible();
  const attached = page.getByTestId("attached-vault");
  await expect(attached).toHaveCount(2);
  await expect(attached.first()).toContainText(llmName);
  await expect(attached.nth(1)).toContainText(mcpName);
  const session = await ownerSdk().beta.sessions.retrieve(sessionId);
  expect(session.vault_ids).toEqual([llmVaultId, mcpVaultId]);

  // The runtime panel: the boundary URL and a placeholder prefix, never a placeholder or the token.
  const runtime = page.getByTestId("runtime-env");
  await expect(runtime).toContainText(`${baseUrl()}/boundary/${sessionId}`);
  await expect(runtime).toContainText("ANTHROPIC_API_KEY");
  await expect(runtime).toContainText("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC");
  await expect(runtime).toContainText("s0rt_…");
  await expect(page.getByText(`POST /v1/sessions/${sessionId}/runtime`)).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain(token);
  expect(html).not.toContain(SECRET_MARKER);
  expect(html).not.toMatch(/s0rt_[A-Za-z0-9_-]{20,}/);
  // The SDK snippet creates the same session with the real ids.
  await expect(page.getByText(`vault_ids: ["${llmVaultId}", "${mcpVaultId}"]`)).toBeVisible();
  await expect(page.getByText(`environment_id: "${environmentId}"`)).toBeVisible();

  // Detach the LLM vault ("None"): the session is no longer ready and says how to fix it.
  await page.getByRole("link", { name: "Edit session" }).click();
  await expect(llmPicker).toContainText(llmName);
  await expect(page.getByRole("list", { name: "Attached other vaults" })).toContainText(mcpName);
  await llmPicker.click();
  await page.getByRole("option", { name: /^None/ }).click();
  await expect(llmPicker).toContainText("None");
  await page.getByRole("button", { name: "Save session" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}$`));
  await expect(page.getByTestId("first-fix")).toHaveText(NO_LLM_VAULT);
  await expect(page.getByText(READY_LINE)).toHaveCount(0);
  await expect(page.getByTestId("diagnostic-check").filter({ hasText: "no_llm_vault" })).toContainText("Fail");
  await expect(page.getByTestId("attached-vault")).toHaveCount(1);
  expect((await ownerSdk().beta.sessions.retrieve(sessionId)).vault_ids).toEqual([mcpVaultId]);

  // A vault archived while the form is open: the server's 409 appears beside the picker, choices kept.
  await page.getByRole("link", { name: "Edit session" }).click();
  await pickFromCombobox(page, "LLM vault", spareLlmName);
  await ownerSdk().beta.vaults.archive(spareLlmVaultId);
  await page.getByRole("button", { name: "Save session" }).click();
  await expect(page.getByText(/is archived and cannot be attached to a session/)).toBeVisible();
  await expect(llmPicker).toContainText(spareLlmName);
  await pickFromCombobox(page, "LLM vault", llmName);
  await page.getByRole("button", { name: "Save session" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}$`));
  await expect(page.getByText(READY_LINE)).toBeVisible();

  // The list: title, agent with its version, environment, LLM vault and readiness; filter by agent.
  await page.goto("/sessions");
  await page.getByLabel("Agent").selectOption(agentId);
  const row = page.getByTestId("session-row").filter({ hasText: title });
  await expect(row).toContainText(agentName);
  await expect(row).toContainText("version 2");
  await expect(row).toContainText(environmentName);
  await expect(row).toContainText(llmName);
  await expect(row).toContainText("Ready");
  await expect(page.getByTestId("session-row")).toHaveCount(1);

  // The environment cannot be deleted while the session uses it: Delete is disabled, the page says which session.
  await page.goto(`/environments/${environmentId}`);
  await page.getByRole("button", { name: "Environment actions" }).click();
  await expect(page.getByRole("menuitem", { name: "Delete environment" })).toBeDisabled();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("link", { name: title })).toHaveAttribute("href", `/sessions/${sessionId}`);

  // Archive, then delete the session with its typed id.
  await page.goto(`/sessions/${sessionId}`);
  await page.getByRole("button", { name: "Session actions" }).click();
  await page.getByRole("menuitem", { name: "Archive session" }).click();
  await page.getByRole("alertdialog", { name: "Archive session?" }).getByRole("button", { name: "Archive session" }).click();
  await expect(page.getByText("This session is archived")).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit session" })).toHaveCount(0);
  await page.getByRole("button", { name: "Session actions" }).click();
  await page.getByRole("menuitem", { name: "Delete session" }).click();
  const deleteSession = page.getByRole("alertdialog", { name: "Delete session permanently?" });
  await deleteSession.getByLabel(/Type .* to confirm/).fill(sessionId);
  await deleteSession.getByRole("button", { name: "Delete session" }).click();
  await expect(page).toHaveURL(/\/sessions(\?deleted=1)?$/);
  await expect(ownerSdk().beta.sessions.retrieve(sessionId)).rejects.toMatchObject({ status: 404 });

  const bodies = await recorder.bodies();
  expect(bodies.length).toBeGreaterThan(10);
  for (const { url, text } of bodies) {
    expect(text.includes(token), `token in ${url}`).toBe(false);
    expect(text.includes(SECRET_MARKER), `secret marker in ${url}`).toBe(false);
    expect(/s0rt_[A-Za-z0-9_-]{20,}/.test(text), `runtime placeholder in ${url}`).toBe(false);
  }
});

test("LLM vault: Test connection says unreachable, and ok against a stub Anthropic endpoint", async ({ page }) => {
  const stub: Server = createServer((request, response) => {
    if (request.url?.startsWith("/v1/models")) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          data: [{ type: "model", id: "claude-sonnet-4-5", display_name: "Claude" }],
          has_more: false,
          first_id: null,
          last_id: null,
        }),
      );
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  const port = (stub.address() as AddressInfo).port;
  const recorder = recordResponses(page);
  try {
    await signIn(page);
    const token = secret("connection");

    await createLlmVault(page, uniqueName("unreachable"), "http://127.0.0.1:9");
    await expect(page.getByRole("button", { name: "Test connection" })).toBeDisabled();
    await addToken(page, token);
    await page.getByRole("button", { name: "Test connection" }).click();
    const result = page.getByTestId("connection-result");
    await expect(result).toContainText("Unreachable");
    await expect(result).toContainText("Nothing answered at the base URL");

    await createLlmVault(page, uniqueName("stub"), `http://127.0.0.1:${port}`);
    await addToken(page, token);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(result).toContainText("Connection OK");
    expect(await page.content()).not.toContain(token);
  } finally {
    await new Promise<void>((resolve) => stub.close(() => resolve()));
  }
  for (const { url, text } of await recorder.bodies()) {
    expect(text.includes(SECRET_MARKER), `secret marker in ${url}`).toBe(false);
  }
});

test("a viewer sees sessions, agents and environments read-only", async ({ page, browser }) => {
  await signIn(page);
  const viewer = await createUserAs(page, "viewer");
  const sdk = ownerSdk();
  const agent = await sdk.beta.agents.create({ name: uniqueName("viewer agent"), model: "claude-sonnet-4-5" });
  const environment = await sdk.beta.environments.create({
    name: uniqueName("viewer env"),
    config: { type: "cloud", networking: { type: "unrestricted" } },
  });
  const title = uniqueName("viewer session");
  const session = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title });

  const context = await browser.newContext();
  const viewerPage = await context.newPage();
  await signIn(viewerPage, viewer);
  await viewerPage.goto("/sessions");
  await expect(viewerPage.getByTestId("session-row").filter({ hasText: title })).toBeVisible();
  await expect(viewerPage.getByRole("link", { name: "New session" })).toHaveCount(0);

  await viewerPage.goto(`/sessions/${session.id}`);
  await expect(viewerPage.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(viewerPage.getByTestId("first-fix")).toHaveText(NO_LLM_VAULT);
  await expect(viewerPage.getByRole("link", { name: /Edit/ })).toHaveCount(0);
  await expect(viewerPage.getByRole("link", { name: "Attach the LLM vault" })).toHaveCount(0);
  await expect(viewerPage.getByRole("link", { name: "Choose an LLM vault" })).toHaveCount(0);
  for (const control of [/Archive/, /Delete/, /Save/]) {
    await expect(viewerPage.getByRole("button", { name: control })).toHaveCount(0);
  }
  await viewerPage.goto(`/sessions/${session.id}/edit`);
  await expect(viewerPage.getByText("Read-only")).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: "Save session" })).toHaveCount(0);
  await viewerPage.goto("/sessions/new");
  await expect(viewerPage.getByRole("button", { name: "Create session" })).toHaveCount(0);

  await viewerPage.goto(`/agents/${agent.id}`);
  await expect(viewerPage.getByRole("heading", { level: 1, name: agent.name })).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: /Save|Archive/ })).toHaveCount(0);
  await viewerPage.goto(`/environments/${environment.id}`);
  await expect(viewerPage.getByRole("button", { name: /Save|Archive|Delete/ })).toHaveCount(0);
  await viewerPage.goto("/agents");
  await expect(viewerPage.getByRole("link", { name: "New agent" })).toHaveCount(0);
  await context.close();
});
