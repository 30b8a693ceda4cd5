// An agent's tools on its form: the default permission and per-tool switches and permissions are
// saved as the API's agent_toolset_20260401, shown again when the agent is opened, and a save that
// leaves them alone keeps them as they were.
import { expect, test } from "@playwright/test";
import { ownerSdk, readToast, signIn, uniqueName } from "./support";

test("agent tools: set on create, shown on the agent page, changed in a new version, kept when untouched", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  const sdk = ownerSdk();

  await page.goto("/agents/new");
  await page.getByLabel("Name", { exact: true }).fill(uniqueName("tools agent"));
  await page.getByLabel("Model id").fill("claude-sonnet-4-6");
  const tools = page.getByRole("group", { name: "Tools" });
  await tools.getByLabel("Default permission").selectOption("always_allow");
  await tools.getByRole("checkbox", { name: "Enable bash" }).uncheck();
  await tools.getByLabel("edit permission").selectOption("always_ask");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page).toHaveURL(/\/agents\/agent_[A-Za-z0-9]+$/);
  const agentId = new URL(page.url()).pathname.split("/").pop() ?? "";

  const created = await sdk.beta.agents.retrieve(agentId);
  expect(created.version).toBe(1);
  expect(created.tools).toEqual([
    {
      type: "agent_toolset_20260401",
      default_config: { enabled: true, permission_policy: { type: "always_allow" } },
      configs: [
        { name: "bash", enabled: false, permission_policy: { type: "always_allow" } },
        { name: "edit", enabled: true, permission_policy: { type: "always_ask" } },
      ],
    },
  ]);

  // The edit form opens with what was saved.
  await expect(tools.getByLabel("Default permission")).toHaveValue("always_allow");
  await expect(tools.getByRole("checkbox", { name: "Enable bash" })).not.toBeChecked();
  await expect(tools.getByRole("checkbox", { name: "Enable read" })).toBeChecked();
  await expect(tools.getByLabel("edit permission")).toHaveValue("always_ask");
  await expect(tools.getByLabel("read permission")).toHaveValue("");

  // Each tool's name is shown beside its permission, not under it.
  const nameBox = await tools.getByText("web_search", { exact: true }).boundingBox();
  const permissionBox = await tools.getByLabel("web_search permission").boundingBox();
  expect(nameBox && permissionBox && nameBox.width > 0 && nameBox.x + nameBox.width <= permissionBox.x).toBe(true);

  await tools.getByRole("checkbox", { name: "Enable web_search" }).uncheck();
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page.getByTestId("agent-version")).toHaveText("Version 2");
  await readToast(page, "Agent saved. New sessions use the new version.");
  const second = await sdk.beta.agents.retrieve(agentId);
  expect(second.tools[0]).toMatchObject({
    configs: expect.arrayContaining([{ name: "web_search", enabled: false, permission_policy: { type: "always_allow" } }]),
  });

  // A change elsewhere leaves the tools exactly as stored.
  await page.getByLabel("Description").fill("Only the description changes");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page.getByTestId("agent-version")).toHaveText("Version 3");
  expect((await sdk.beta.agents.retrieve(agentId)).tools).toEqual(second.tools);
});
