// The README's screenshots (issue 13): the vault page, the session page and a phone-width list, in
// light and dark, from data seeded through the SDK. Skipped unless CONSOLE_SCREENSHOTS=1, so the
// suite's time does not grow:
//
//   CONSOLE_SCREENSHOTS=1 npm test -- --only ui -- ui/screenshots.spec
//
// writes e2e/screenshots/*.png (committed). Run it alone, on a fresh database, so the lists show
// only what it seeds.
import { fileURLToPath } from "node:url";
import type Anthropic from "@anthropic-ai/sdk";
import { expect, test, type Page } from "@playwright/test";
import { ownerSdk, secret, signIn } from "./support";

test.skip(!process.env.CONSOLE_SCREENSHOTS, "set CONSOLE_SCREENSHOTS=1 to write the README's screenshots");
test.describe.configure({ timeout: 180_000 });

const OUT = fileURLToPath(new URL("../screenshots/", import.meta.url));
const RESERVED = "sandbox0.managed_agents.";
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };

type Auth = Parameters<Anthropic["beta"]["vaults"]["credentials"]["create"]>[1]["auth"];
/** The console accepts auth shapes the SDK's types do not describe (an LLM token has no mcp_server_url). */
const loose = (auth: unknown) => auth as Auth;

/** What an admin of a small team would have after a week: vaults of each kind, an agent, an environment, sessions. */
async function seed(sdk: Anthropic) {
  const llm = (name: string, baseUrl?: string) =>
    sdk.beta.vaults.create({
      display_name: name,
      metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", ...(baseUrl ? { [`${RESERVED}llm_base_url`]: baseUrl } : {}), team: "support" },
    });
  const staging = await llm("Claude via gateway (staging)", "https://llm-gateway.example.com");
  const headers = await sdk.beta.vaults.create({
    display_name: "Partner API headers",
    metadata: {
      [`${RESERVED}role`]: "credential",
      [`${RESERVED}kind`]: "http_headers",
      [`${RESERVED}version`]: "1",
      [`${RESERVED}target_domains`]: "api.partner.example",
      [`${RESERVED}headers_json`]: JSON.stringify({ Authorization: "Bearer {{token}}" }),
      [`${RESERVED}protocol`]: "https",
      [`${RESERVED}tls_mode`]: "terminate-reoriginate",
      [`${RESERVED}failure_policy`]: "fail-closed",
    },
  });
  const github = await sdk.beta.vaults.create({ display_name: "GitHub MCP" });
  await sdk.beta.vaults.credentials.create(github.id, {
    display_name: "GitHub bot token",
    auth: { type: "static_bearer", token: secret("github"), mcp_server_url: "https://api.githubcopilot.com/mcp/" },
  });
  const production = await llm("Anthropic production");
  await sdk.beta.vaults.credentials.create(production.id, {
    display_name: "Production API key",
    auth: loose({ type: "static_bearer", token: secret("prod") }),
  });

  const agent = await sdk.beta.agents.create({
    name: "Support triage",
    model: "claude-sonnet-4-5",
    system: "Read new tickets, label them and draft a first answer.",
  });
  const environment = await sdk.beta.environments.create({
    name: "Support sandbox",
    config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["api.github.com", "api.partner.example"] } },
  });
  await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: "Nightly backlog report", vault_ids: [staging.id] });
  await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: "Label yesterday's tickets", vault_ids: [production.id] });
  const session = await sdk.beta.sessions.create({
    agent: agent.id,
    environment_id: environment.id,
    title: "Triage inbound tickets",
    vault_ids: [production.id, github.id, headers.id],
  });
  return { vault: production.id, session: session.id };
}

async function shoot(page: Page, name: string): Promise<void> {
  // Settle: no spinner, fonts loaded, nothing animating into place.
  await page.evaluate(() => document.fonts.ready);
  await expect(page.getByText("Loading…")).toHaveCount(0);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
    await page.screenshot({ path: `${OUT}${name}-${scheme}.png`, scale: "css", animations: "disabled", caret: "hide" });
  }
}

test("README screenshots: the vault page, the session page, a phone-width list; light and dark", async ({ page }) => {
  const ids = await seed(ownerSdk());
  await page.setViewportSize(DESKTOP);
  await signIn(page);

  await page.goto(`/vaults/${ids.vault}`);
  await expect(page.getByRole("heading", { name: "Anthropic production" })).toBeVisible();
  await shoot(page, "vault-page");

  await page.goto(`/sessions/${ids.session}`);
  await expect(page.getByRole("heading", { name: "Triage inbound tickets" })).toBeVisible();
  await expect(page.getByText("Ready: the runtime will get the model token through the credential boundary")).toBeVisible();
  await shoot(page, "session-page");

  await page.setViewportSize(PHONE);
  await page.goto("/vaults");
  await expect(page.getByTestId("vault-row").first()).toBeVisible();
  await shoot(page, "vaults-phone");
});
