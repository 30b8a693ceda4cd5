// Issue 13 §6–8: the lists. Their state (search, filters, archived, page) lives in the address, so
// reload and Back/Forward show the same list; a page is one request (the console's row extension),
// never one per row (vaults, sessions, agents, environments); the pager says it is loading instead of showing "Page 2" over the old rows;
// and at 390 px every list is cards, with nothing scrolling sideways and every action in reach.
import { expect as baseExpect, test, type Page, type Request } from "@playwright/test";
import { ownerSdk, secret, signIn, suffix } from "./support";

test.describe.configure({ timeout: 120_000 });
// Five helpers share two cores: a page of rows after Back can take longer than the default 5 s to arrive.
const expect = baseExpect.configure({ timeout: 15_000 });

/** An LLM vault's token: an unbound static bearer (the SDK's type wants an MCP URL this console's LLM vaults refuse). */
function llmToken() {
  return { type: "static_bearer", token: secret("lists") } as unknown as { type: "static_bearer"; token: string; mcp_server_url: string };
}

const LLM = { "sandbox0.managed_agents.role": "llm", "sandbox0.managed_agents.engine": "claude" };

/** The browser's requests to /v1, for counting: a list page may ask once per page, never per row. */
function recordV1(page: Page): Request[] {
  const requests: Request[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/v1/")) requests.push(request);
  });
  return requests;
}

const paths = (requests: Request[]) => requests.map((request) => new URL(request.url()).pathname);

test("vaults: search and page live in the address across reload, Back and Forward; one request per page", async ({ page }) => {
  const tag = `lists${suffix()}`;
  const sdk = ownerSdk();
  // 25 vaults: a full page of 20 and a second page of 5; one LLM vault holds its token.
  const llm = await sdk.beta.vaults.create({ display_name: `${tag} llm`, metadata: LLM });
  await sdk.beta.vaults.credentials.create(llm.id, { auth: llmToken() });
  await Promise.all(Array.from({ length: 24 }, (_, index) => sdk.beta.vaults.create({ display_name: `${tag} plain ${index}` })));

  await signIn(page);
  const requests = recordV1(page);
  const rows = page.getByTestId("vault-row");
  await page.getByLabel("Search vaults by name").fill(tag);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${tag}`));
  await expect(rows).toHaveCount(20);
  await expect(page.getByTestId("pager-status")).toHaveText("Page 1 · 20 vaults");

  // Next, with the answer held back: skeleton rows and "Loading page 2…", never "Page 2" over page 1's rows.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/v1\/vaults\?.*page=/, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("pager-status")).toHaveText("Loading page 2…");
  await expect(page.getByTestId("skeleton-row").first()).toBeAttached();
  await expect(rows).toHaveCount(0);
  release();
  await expect(rows).toHaveCount(5);
  await expect(page.getByTestId("pager-status")).toHaveText("Page 2 · 5 vaults");
  await page.unroute(/\/v1\/vaults\?.*page=/);
  await expect(page).toHaveURL(/[?&]page=[^&]+/);
  // The LLM vault (the oldest) is on page 2 with its token state, endpoint and kind from the same response.
  const llmRow = rows.filter({ hasText: `${tag} llm` });
  await expect(llmRow).toContainText("Token stored");
  await expect(llmRow).toContainText("https://api.anthropic.com");

  // One /v1 request per page shown: the search (debounced) and the next page; none per row.
  expect(
    paths(requests).every((path) => path === "/v1/vaults"),
    paths(requests).join(", "),
  ).toBe(true);
  expect(requests.length).toBeLessThanOrEqual(3);
  expect(requests.every((request) => request.url().includes("include=console_row"))).toBe(true);

  // Reload: the same page of the same search, rendered by the server without any /v1 request.
  requests.length = 0;
  await page.reload();
  await expect(rows).toHaveCount(5);
  await expect(page.getByLabel("Search vaults by name")).toHaveValue(tag);
  await expect(page.getByTestId("pager-status")).toHaveText("Page 2 · 5 vaults");
  expect(paths(requests)).toEqual([]);

  // Back: page 1 of the search; Forward: page 2 again.
  await page.goBack();
  await expect(page).not.toHaveURL(/[?&]page=/);
  await expect(rows).toHaveCount(20);
  await expect(page.getByTestId("pager-status")).toHaveText("Page 1 · 20 vaults");
  await page.goForward();
  await expect(rows).toHaveCount(5);

  // A filter is a history entry too.
  await page.getByLabel("Kind").selectOption("llm");
  await expect(rows).toHaveCount(1);
  await expect(page).toHaveURL(/[?&]kind=llm/);
  await page.goBack();
  await expect(page.getByLabel("Kind")).toHaveValue("");
  await expect(rows).toHaveCount(5);
});

test("sessions: agent filter and page in the address; readiness in words; no request per row", async ({ page }) => {
  const sdk = ownerSdk();
  const tag = `lists${suffix()}`;
  const [agent, environment, llm] = await Promise.all([
    sdk.beta.agents.create({ name: `${tag} agent`, model: "claude-sonnet-4-5" }),
    sdk.beta.environments.create({ name: `${tag} env`, config: { type: "cloud", networking: { type: "unrestricted" } } }),
    sdk.beta.vaults.create({ display_name: `${tag} llm`, metadata: LLM }),
  ]);
  await sdk.beta.vaults.credentials.create(llm.id, { auth: llmToken() });
  const noVault = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: `${tag} no vault` });
  await Promise.all(
    Array.from({ length: 21 }, (_, index) =>
      sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: [llm.id], title: `${tag} ready ${index}` }),
    ),
  );

  await signIn(page);
  const requests = recordV1(page);
  await page.goto("/sessions");
  const rows = page.getByTestId("session-row");
  await page.getByLabel("Agent").selectOption(agent.id);
  await expect(page).toHaveURL(new RegExp(`[?&]agent=${agent.id}`));
  await expect(rows).toHaveCount(20);
  const first = rows.first();
  await expect(first).toContainText(`${tag} env`);
  await expect(first).toContainText(`${tag} llm`);
  await expect(first).toContainText("Ready");

  await page.getByRole("button", { name: "Next" }).click();
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("pager-status")).toHaveText("Page 2 · 2 sessions");
  // The session without an LLM vault (the oldest): one readable cause, no raw check code.
  const broken = rows.filter({ hasText: noVault.title ?? "" });
  await expect(broken).toContainText("Not ready");
  await expect(broken).toContainText("No LLM vault attached");
  await expect(broken).not.toContainText("no_llm_vault");
  await expect(broken).not.toContainText("no_active_credential");

  // Two pages, two requests, both the list: no environment, vault or diagnostics request per row.
  expect(paths(requests)).toEqual(["/v1/sessions", "/v1/sessions"]);

  await page.reload();
  await expect(rows).toHaveCount(2);
  await expect(page.getByLabel("Agent")).toHaveValue(agent.id);
  await page.goBack();
  await expect(rows).toHaveCount(20);
  await expect(page.getByLabel("Agent")).toHaveValue(agent.id);
  await page.goBack();
  await expect(page.getByLabel("Agent")).toHaveValue("");
});

test("agents and environments: search, show archived and page in the address across reload and Back", async ({ page }) => {
  const sdk = ownerSdk();
  const tag = `lists${suffix()}`;
  // 21 agents: a full page of 20 and a second of one. Two environments, one archived.
  const [, live, archived] = await Promise.all([
    Promise.all(Array.from({ length: 21 }, (_, index) => sdk.beta.agents.create({ name: `${tag} agent ${index}`, model: "claude-sonnet-4-5" }))),
    sdk.beta.environments.create({ name: `${tag} env live`, config: { type: "cloud", networking: { type: "unrestricted" } } }),
    sdk.beta.environments.create({ name: `${tag} env old`, config: { type: "cloud", networking: { type: "unrestricted" } } }),
  ]);
  await sdk.beta.environments.archive(archived.id);

  await signIn(page);
  const requests = recordV1(page);
  await page.goto("/agents");
  const agents = page.getByTestId("agent-row");
  await page.getByLabel("Search agents by name").fill(tag.toUpperCase());
  await expect(page).toHaveURL(new RegExp(`[?&]q=${tag.toUpperCase()}`));
  await expect(agents).toHaveCount(20);
  await expect(page.getByTestId("pager-status")).toHaveText("Page 1 · 20 agents");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("pager-status")).toHaveText("Page 2 · 1 agent");
  await expect(agents).toHaveCount(1);
  await expect(page).toHaveURL(/[?&]page=[^&]+/);
  // The search and the next page: one request each, both the list.
  expect(paths(requests)).toEqual(["/v1/agents", "/v1/agents"]);

  await page.reload();
  await expect(agents).toHaveCount(1);
  await expect(page.getByLabel("Search agents by name")).toHaveValue(tag.toUpperCase());
  await expect(page.getByTestId("pager-status")).toHaveText("Page 2 · 1 agent");
  await page.getByRole("button", { name: "First page" }).click();
  await expect(agents).toHaveCount(20);
  await page.goBack();
  await expect(agents).toHaveCount(1);
  await expect(page.getByTestId("pager-status")).toHaveText("Page 2 · 1 agent");

  await page.goto(`/environments?q=${tag}`);
  const environments = page.getByTestId("environment-row");
  await expect(environments).toHaveCount(1);
  await expect(environments.first()).toContainText(live.name);
  await page.getByLabel("Show archived").check();
  await expect(page).toHaveURL(/[?&]archived=1/);
  await expect(environments).toHaveCount(2);
  await expect(environments.filter({ hasText: archived.name })).toContainText("Archived");
  await page.reload();
  await expect(environments).toHaveCount(2);
  await expect(page.getByLabel("Show archived")).toBeChecked();
  await page.goBack();
  await expect(page.getByLabel("Show archived")).not.toBeChecked();
  await expect(environments).toHaveCount(1);
  await expect(page.getByLabel("Search environments by name")).toHaveValue(tag);
});

test("at 390 px every list is cards: nothing scrolls sideways, key columns and actions are visible", async ({ page }) => {
  await signIn(page);
  await page.setViewportSize({ width: 390, height: 844 });

  const noSidewaysScroll = async () => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  };
  /** The first card has this cell, captioned, inside the viewport. */
  const cellVisible = async (row: ReturnType<Page["getByTestId"]>, label: string) => {
    const cell = row.first().locator(`td[data-label="${label}"]`);
    await expect(cell).toBeVisible();
    const box = await cell.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
  };

  await page.goto("/vaults");
  await cellVisible(page.getByTestId("vault-row"), "Token");
  await cellVisible(page.getByTestId("vault-row"), "Kind");
  await noSidewaysScroll();

  await page.goto("/sessions");
  await cellVisible(page.getByTestId("session-row"), "Readiness");
  await cellVisible(page.getByTestId("session-row"), "Status");
  await cellVisible(page.getByTestId("session-row"), "LLM vault");
  await noSidewaysScroll();

  /** Inside the 390 px viewport, visible: a control a phone user can reach. */
  const reachable = async (locator: ReturnType<Page["getByRole"]>) => {
    await expect(locator).toBeVisible();
    const box = await locator.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  };

  // Agents and environments: the search, the archived filter, the card's link, the pager and "New …" all in reach.
  for (const [path, testId, label, noun, newLabel] of [
    ["/agents", "agent-row", "Model", "agents", "New agent"],
    ["/environments", "environment-row", "Networking", "environments", "New environment"],
  ] as const) {
    await page.goto(path);
    await cellVisible(page.getByTestId(testId), label);
    await cellVisible(page.getByTestId(testId), "Updated");
    await reachable(page.getByTestId(testId).first().getByRole("link"));
    await reachable(page.getByRole("searchbox", { name: `Search ${noun} by name` }));
    await reachable(page.getByRole("checkbox", { name: "Show archived" }));
    await reachable(page.getByRole("link", { name: newLabel }));
    await reachable(page.getByRole("button", { name: "Next" }));
    await noSidewaysScroll();
  }

  // API keys: the suite's owner key is active, so its Revoke button is there (not pressed).
  await page.goto("/api-keys");
  const revoke = page.getByRole("button", { name: /^Revoke / }).first();
  await expect(revoke).toBeVisible();
  expect(((await revoke.boundingBox())?.x ?? 999) + ((await revoke.boundingBox())?.width ?? 0)).toBeLessThanOrEqual(390);
  await cellVisible(page.getByTestId("api-key-row"), "Status");
  await noSidewaysScroll();

  await page.goto("/users");
  await expect(page.getByTestId("user-row").first().getByRole("combobox")).toBeVisible();
  await cellVisible(page.getByTestId("user-row"), "Status");
  await noSidewaysScroll();

  await page.goto("/audit");
  await expect(page.getByRole("row").nth(1)).toBeVisible();
  await noSidewaysScroll();
});
