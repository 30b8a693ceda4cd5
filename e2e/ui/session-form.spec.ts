// The session form at 1,000 vaults: the LLM vault a session already has stays attached when another
// field is saved, even when it is the oldest vault of all (the edit form once offered only the 100
// newest, showed "None" and saving detached it).
import type Anthropic from "@anthropic-ai/sdk";
import type { BetaManagedAgentsStaticBearerCreateParams } from "@anthropic-ai/sdk/resources/beta/vaults/credentials";
import { expect, test, type Page } from "@playwright/test";
import { ownerSdk, secret, seedVaults, signIn, uniqueName } from "./support";

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
  test.setTimeout(180_000);
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
  const session = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: uniqueName("form"), vault_ids: [oldLlm.id, oldMcp.id] });
  // Two in three are LLM vaults, so both pickers have hundreds to offer.
  const prefix = uniqueName("bulk");
  const seededIds = await seedVaults(sdk, 1000, prefix, (index) => (index % 3 === 2 ? {} : LLM_METADATA));
  seeded = { sdk, oldLlm, oldMcp, sessionId: session.id, agentName, environmentName, prefix, seededIds };
  page = await (await browser.newContext()).newPage();
  await signIn(page);
});

test.afterAll(async () => {
  await page?.context().close();
});

test("saving the title keeps the oldest LLM vault and MCP vault attached", async () => {
  const { sdk, sessionId, oldLlm, oldMcp } = seeded;
  await page.goto(`/sessions/${sessionId}/edit`);
  const title = uniqueName("renamed");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Save session" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}$`));
  const session = await sdk.beta.sessions.retrieve(sessionId);
  expect(session.title).toBe(title);
  expect(session.vault_ids).toEqual([oldLlm.id, oldMcp.id]);
});
