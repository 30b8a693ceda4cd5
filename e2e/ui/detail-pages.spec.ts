// The detail pages after creation: every failing diagnostics check has one button that fixes it
// (and one missing token is one failure, not three); a vault's name, base URL and metadata and a
// credential's name and non-secret settings are edited in dialogs; vault and environment pages say
// which sessions use them and disable Delete with the reason before any typing. One sign-in for the
// file; every token typed is proven absent from every response the page received.
import { expect as baseExpect, test, type Browser, type Page } from "@playwright/test";
import type Anthropic from "@anthropic-ai/sdk";
import { ownerSdk, recordResponses, secret, SECRET_MARKER, signIn, uniqueName } from "./support";

// Five helpers share two cores: a server action and its redirect can take well over the default 5 s.
const expect = baseExpect.configure({ timeout: 20_000 });

const READY_LINE = "Ready: the runtime will get the model token through the credential boundary";
const RESERVED = "sandbox0.managed_agents.";

type CredentialParams = Parameters<Anthropic["beta"]["vaults"]["credentials"]["create"]>[1];
/** The console accepts auth shapes the SDK's types do not describe (no mcp_server_url, environment_variable). */
function loose(params: unknown): CredentialParams {
  return params as CredentialParams;
}

test.describe.configure({ timeout: 150_000 });

let page: Page;
let recorder: ReturnType<typeof recordResponses>;
const typedTokens: string[] = [];

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  page = await (await browser.newContext()).newPage();
  recorder = recordResponses(page);
  await signIn(page);
});

test.afterAll(async () => {
  const bodies = await recorder.bodies();
  expect(bodies.length).toBeGreaterThan(10);
  for (const { url, text } of bodies) {
    for (const token of typedTokens) expect(text.includes(token), `typed token in ${url}`).toBe(false);
    expect(text.includes(SECRET_MARKER), `secret marker in ${url}`).toBe(false);
  }
  await page.context().close();
});

async function sessionPrerequisites(sdk: Anthropic, label: string) {
  const agent = await sdk.beta.agents.create({ name: uniqueName(`${label} agent`), model: "claude-sonnet-4-5" });
  const environment = await sdk.beta.environments.create({ name: uniqueName(`${label} env`), config: { type: "cloud", networking: { type: "unrestricted" } } });
  return { agent: agent.id, environment_id: environment.id, environmentName: environment.name };
}

async function llmVault(sdk: Anthropic, name: string, baseUrl?: string) {
  return sdk.beta.vaults.create({
    display_name: name,
    metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", ...(baseUrl ? { [`${RESERVED}llm_base_url`]: baseUrl } : {}) },
  });
}

/** The session form's LLM vault picker, which `?focus=llm-vault` opens with its search focused: type, choose. */
async function pickLlmVault(target: Page, name: string): Promise<void> {
  const trigger = target.getByRole("combobox", { name: "LLM vault", exact: true });
  await expect(trigger).toHaveAttribute("aria-expanded", "true");
  const search = target.getByRole("combobox", { name: "Search LLM vaults" });
  await expect(search).toBeFocused();
  await search.fill(name);
  await target.getByRole("option", { name: new RegExp(name) }).click();
  await expect(trigger).toHaveAttribute("aria-expanded", "false");
}

test("Add the token: one failure for a missing token, and its button opens the add-token dialog; the session becomes ready", async () => {
  const sdk = ownerSdk();
  const prerequisites = await sessionPrerequisites(sdk, "fix token");
  const vault = await llmVault(sdk, uniqueName("fix token llm"));
  const session = await sdk.beta.sessions.create({ agent: prerequisites.agent, environment_id: prerequisites.environment_id, vault_ids: [vault.id] });

  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId("first-fix")).toHaveText("The LLM vault has no model token");
  // One cause, one failure: the checks of the credential's shape wait on it instead of failing too.
  await expect(page.getByText("1 failing check", { exact: true })).toBeVisible();
  await expect(page.getByTestId("diagnostic-check").filter({ hasText: "credential_not_static_bearer" })).toContainText("Waiting");
  await expect(page.getByTestId("diagnostic-fix")).toHaveCount(1);

  await page.getByRole("link", { name: "Add the token" }).click();
  await expect(page).toHaveURL(new RegExp(`/vaults/${vault.id}\\?add=token$`));
  const dialog = page.getByRole("dialog", { name: "Add the model token" });
  await expect(dialog).toBeVisible();
  const token = secret("fix-token");
  typedTokens.push(token);
  await dialog.getByLabel("Token", { exact: true }).fill(token);
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(dialog).toBeHidden();
  // The one-time intent is gone from the address, so a reload does not open the dialog again.
  await expect(page).toHaveURL(new RegExp(`/vaults/${vault.id}$`));

  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByText(READY_LINE)).toBeVisible();
});

test("Choose an LLM vault: the button opens the session's LLM vault picker; picking one makes the session ready", async () => {
  const sdk = ownerSdk();
  const prerequisites = await sessionPrerequisites(sdk, "fix attach");
  const name = uniqueName("fix attach llm");
  const vault = await llmVault(sdk, name);
  await sdk.beta.vaults.credentials.create(vault.id, loose({ display_name: "API key", auth: { type: "static_bearer", token: secret("fix-attach") } }));
  const session = await sdk.beta.sessions.create({ agent: prerequisites.agent, environment_id: prerequisites.environment_id });

  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId("first-fix")).toHaveText("No LLM vault attached");
  await expect(page.getByText("1 failing check", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Choose an LLM vault" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${session.id}/edit\\?focus=llm-vault$`));
  await pickLlmVault(page, name);
  await page.getByRole("button", { name: "Save session" }).click();
  // Saving a session revalidates several pages; on a loaded machine that alone has taken 20 s.
  await expect(page).toHaveURL(new RegExp(`/sessions/${session.id}$`), { timeout: 60_000 });
  await expect(page.getByText(READY_LINE)).toBeVisible();
});

test("edit a vault: name, base URL and metadata round trip; the base URL locks once it holds a token; used by sessions, delete disabled with the reason", async () => {
  const sdk = ownerSdk();
  const vault = await llmVault(sdk, uniqueName("edit llm"), "https://gw-a.example.com");
  await page.goto(`/vaults/${vault.id}?edit=vault`);
  // ?edit=vault (the "Edit the endpoint" fix button) opens the dialog on arrival.
  const dialog = page.getByRole("dialog", { name: "Edit vault" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(new RegExp(`/vaults/${vault.id}$`));

  await page.getByRole("button", { name: "Edit vault" }).click();
  const renamed = uniqueName("edited llm");
  await dialog.getByLabel("Name", { exact: true }).fill(renamed);
  const baseUrl = dialog.getByLabel("Base URL");
  await expect(baseUrl).toHaveValue("https://gw-a.example.com");
  // A refused URL: beside its field, and the banner clears once the field is edited.
  await baseUrl.fill("https://api.openai.com/v1");
  await dialog.getByRole("button", { name: "Save vault" }).click();
  await expect(dialog.getByText(/Base URL looks like an OpenAI-compatible endpoint/)).toBeVisible();
  await expect(dialog.getByText("Check the highlighted fields.")).toBeVisible();
  await baseUrl.fill("https://gw-b.example.com/anthropic");
  await expect(dialog.getByText("Check the highlighted fields.")).toHaveCount(0);
  await expect(dialog.getByText(/Base URL looks like an OpenAI-compatible endpoint/)).toHaveCount(0);
  await dialog.getByRole("button", { name: "Add metadata" }).click();
  await dialog.getByLabel("Key 1").fill("team");
  await dialog.getByLabel("Value 1").fill("platform");
  await dialog.getByRole("button", { name: "Save vault" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
  await expect(page.getByText("https://gw-b.example.com/anthropic", { exact: true })).toBeVisible();
  const stored = await sdk.beta.vaults.retrieve(vault.id);
  expect(stored.display_name).toBe(renamed);
  expect(stored.metadata).toMatchObject({
    team: "platform",
    [`${RESERVED}llm_base_url`]: "https://gw-b.example.com/anthropic",
    [`${RESERVED}engine`]: "claude",
  });

  // Holding a token, its endpoint is locked (SPEC §3), and the field says how to move it.
  await sdk.beta.vaults.credentials.create(vault.id, loose({ display_name: "API key", auth: { type: "static_bearer", token: secret("edit-lock") } }));
  await page.reload();
  await page.getByRole("button", { name: "Edit vault" }).click();
  await expect(dialog.getByLabel("Base URL")).toHaveAttribute("readonly", "");
  await expect(dialog).toContainText("archive the token, change the URL here, then add the token for the new endpoint");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Used by a session: listed with a link, and Delete is disabled before any typing.
  await expect(page.getByText("Not used by any session")).toBeVisible();
  await page.getByRole("button", { name: "Vault actions" }).click();
  await expect(page.getByRole("menuitem", { name: "Delete vault" })).toBeEnabled();
  await page.keyboard.press("Escape");
  const prerequisites = await sessionPrerequisites(sdk, "edit usage");
  const title = uniqueName("using session");
  const session = await sdk.beta.sessions.create({ agent: prerequisites.agent, environment_id: prerequisites.environment_id, vault_ids: [vault.id], title });
  await page.reload();
  await expect(page.getByText("Used by 1 session", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toHaveAttribute("href", `/sessions/${session.id}`);
  await page.getByRole("button", { name: "Vault actions" }).click();
  const deleteVault = page.getByRole("menuitem", { name: "Delete vault" });
  await expect(deleteVault).toBeDisabled();
  await expect(deleteVault).toHaveAccessibleDescription(/cannot be deleted while a session uses it/);
  await page.keyboard.press("Escape");

  await page.goto(`/environments/${prerequisites.environment_id}`);
  await expect(page.getByText("Used by 1 session", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await page.getByRole("button", { name: "Environment actions" }).click();
  await expect(page.getByRole("menuitem", { name: "Delete environment" })).toBeDisabled();
});

test("edit credentials: every non-secret field shown, rename and settings round trip, a taken MCP URL beside its field by name", async () => {
  const sdk = ownerSdk();
  const vault = await sdk.beta.vaults.create({ display_name: uniqueName("edit creds") });
  const expiresAt = new Date(Date.now() + 3.5 * 86_400_000).toISOString();
  const mcpUrl = `https://mcp-${Date.now().toString(36)}.example.com/sse`;
  await sdk.beta.vaults.credentials.create(vault.id, {
    display_name: "Docs OAuth",
    auth: {
      type: "mcp_oauth",
      mcp_server_url: mcpUrl,
      access_token: secret("oauth"),
      expires_at: expiresAt,
      refresh: {
        client_id: "docs-client",
        refresh_token: secret("refresh"),
        token_endpoint: "https://auth.example.com/token",
        token_endpoint_auth: { type: "none" },
        scope: "read",
      },
    },
  });
  await sdk.beta.vaults.credentials.create(
    vault.id,
    loose({
      display_name: "Partner key",
      auth: {
        type: "environment_variable",
        secret_name: "PARTNER_KEY",
        secret_value: secret("variable"),
        networking: { type: "limited", allowed_hosts: ["api.partner.example"] },
      },
    }),
  );

  await page.goto(`/vaults/${vault.id}`);
  const oauthRow = page.getByTestId("credential-row").filter({ hasText: "Docs OAuth" });
  await expect(oauthRow).toContainText("Expires in 3 days");
  await expect(oauthRow).toContainText("docs-client");
  await expect(oauthRow).toContainText("https://auth.example.com/token");
  const variableRow = page.getByTestId("credential-row").filter({ hasText: "Partner key" });
  await expect(variableRow).toContainText("Hosts: api.partner.example");
  await expect(variableRow).toContainText("Injected into headers");

  // Rename the variable and change its hosts and injection.
  await page.getByRole("button", { name: "Edit Partner key" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit credential" });
  await dialog.getByLabel("Name", { exact: true }).fill("Partner API key");
  await dialog.getByLabel("Allowed hosts").fill("api.partner.example, *.partner.example");
  await dialog.getByLabel("Body").check();
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(dialog).toBeHidden();
  const renamedRow = page.getByTestId("credential-row").filter({ hasText: "Partner API key" });
  await expect(renamedRow).toContainText("Hosts: api.partner.example, *.partner.example");
  await expect(renamedRow).toContainText("Injected into headers and body");

  // The OAuth token's refresh scope.
  await page.getByRole("button", { name: "Edit Docs OAuth" }).click();
  await dialog.getByLabel("Refresh scope").fill("read write");
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(dialog).toBeHidden();
  await expect(oauthRow).toContainText("scope read write");

  // A second credential for the same MCP URL: refused beside the URL, naming the holder, no raw ids.
  await page.getByRole("button", { name: "Add credential" }).click();
  const add = page.getByRole("dialog", { name: "Add credential" });
  await add.getByLabel("MCP server URL").fill(mcpUrl);
  const token = secret("duplicate");
  typedTokens.push(token);
  await add.getByLabel("Token", { exact: true }).fill(token);
  await add.getByRole("button", { name: "Save credential" }).click();
  const urlError = add.getByText(/MCP server URL is already used by “Docs OAuth” in this vault/);
  await expect(urlError).toBeVisible();
  await expect(add.getByLabel("MCP server URL")).toHaveAttribute("aria-invalid", "true");
  await expect(add).not.toContainText("vcrd_");
  await expect(add).not.toContainText("vlt_");
  await add.getByRole("button", { name: "Cancel" }).click();

  // Archived: no snippet that adds a credential to it.
  await expect(page.getByText("client.beta.vaults.credentials.create(")).toBeVisible();
  await sdk.beta.vaults.archive(vault.id);
  await page.reload();
  await expect(page.getByText("This vault is archived")).toBeVisible();
  await expect(page.getByText("client.beta.vaults.credentials.create(")).toHaveCount(0);
});

test("an HTTP header vault: created through the form and edited in its dialog, every setting saved; its settings use 8 of the 16 metadata pairs", async () => {
  const sdk = ownerSdk();
  const name = uniqueName("header vault");
  await page.goto("/vaults/new?kind=credential");
  const form = page.getByRole("form", { name: "Create vault" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Target domains").fill("api.example.com , *.example.org");
  await form.getByLabel("Headers template").fill('{"Authorization": "Bearer {{token}}"}');
  await form.getByLabel("Protocol").selectOption("http");
  await form.getByLabel("TLS mode").selectOption("passthrough");
  await form.getByLabel("Failure policy").selectOption("fail-open");
  await form.getByRole("button", { name: "Add metadata" }).click();
  await form.getByLabel("Key 1").fill("team");
  await form.getByLabel("Value 1").fill("platform");
  await form.getByRole("button", { name: "Create vault" }).click();
  await expect(page).toHaveURL(/\/vaults\/vlt_/);
  const vaultId = new URL(page.url()).pathname.split("/").pop() ?? "";
  expect((await sdk.beta.vaults.retrieve(vaultId)).metadata).toEqual({
    [`${RESERVED}role`]: "credential",
    [`${RESERVED}kind`]: "http_headers",
    [`${RESERVED}version`]: "1",
    [`${RESERVED}target_domains`]: "api.example.com,*.example.org",
    [`${RESERVED}headers_json`]: '{"Authorization": "Bearer {{token}}"}',
    [`${RESERVED}protocol`]: "http",
    [`${RESERVED}tls_mode`]: "passthrough",
    [`${RESERVED}failure_policy`]: "fail-open",
    team: "platform",
  });

  await expect(page.getByText(/stored as 8 reserved sandbox0\.managed_agents\.\* metadata pairs.*8 are left for your own metadata \(1 used\)/)).toBeVisible();
  await page.getByRole("button", { name: "Edit vault" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit vault" });
  await expect(dialog.getByTestId("metadata-reserved-note")).toContainText("8 are left for your own");
  await expect(dialog.getByTestId("metadata-count")).toHaveText("9 / 16 pairs (8 set by this form)");
  // The dialog starts from what was saved (the domains spaced for reading), through the same fields as the form.
  await expect(dialog.getByLabel("Target domains")).toHaveValue(/^api\.example\.com, ?\*\.example\.org$/);
  await expect(dialog.getByLabel("Protocol")).toHaveValue("http");
  await expect(dialog.getByLabel("TLS mode")).toHaveValue("passthrough");
  await expect(dialog.getByLabel("Failure policy")).toHaveValue("fail-open");
  await dialog.getByLabel("Target domains").fill("api.example.com");
  await dialog.getByLabel("Headers template").fill('{"X-Api-Key": "{{token}}"}');
  await dialog.getByLabel("Protocol").selectOption("https");
  await dialog.getByLabel("Failure policy").selectOption("fail-closed");
  await dialog.getByRole("button", { name: "Save vault" }).click();
  await expect(dialog).toBeHidden();
  expect((await sdk.beta.vaults.retrieve(vaultId)).metadata).toMatchObject({
    [`${RESERVED}target_domains`]: "api.example.com",
    [`${RESERVED}headers_json`]: '{"X-Api-Key": "{{token}}"}',
    [`${RESERVED}protocol`]: "https",
    [`${RESERVED}tls_mode`]: "passthrough",
    [`${RESERVED}failure_policy`]: "fail-closed",
    team: "platform",
  });
});
