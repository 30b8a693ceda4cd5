// The README's screenshots (issue 13): the vault page, the session page with a conversation of a
// few turns (answered by the runner through a stub model endpoint on loopback, as
// conversation.spec.ts does) and a phone-width list, in light and dark, from data seeded through the SDK. Skipped unless CONSOLE_SCREENSHOTS=1, so the
// suite's time does not grow:
//
//   CONSOLE_SCREENSHOTS=1 npm test -- --only ui -- ui/screenshots.spec
//
// writes e2e/screenshots/*.png (committed). Run it alone, on a fresh database, so the lists show
// only what it seeds.
import { fileURLToPath } from "node:url";
import type Anthropic from "@anthropic-ai/sdk";
import type { ServerResponse } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { anthropicError, anthropicStreamEvents, answerJson, answerSse, startStubUpstream, type RecordedRequest, type StubUpstream } from "../api/stub-upstream";
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

/** The session's two turns: what the user writes and what the stub model answers (the newest question decides). */
const TURNS = [
  {
    ask: "Summarise the three newest tickets",
    answer: [
      "Three new tickets since this morning:\n\n",
      "1. **#4182** — checkout returns a 502 for EU cards (billing, urgent).\n",
      "2. **#4183** — a customer asks how to rotate their API key (docs).\n",
      "3. **#4185** — the CSV export drops non-ASCII names (bug, medium).",
    ],
  },
  {
    ask: "Label them and draft a reply to #4183",
    answer: [
      "Labelled billing/urgent, docs and bug/medium. ",
      "Draft for #4183: “You can rotate a key under Settings → API keys; the old key keeps working for 24 hours.”",
    ],
  },
];

async function scriptedModel(request: RecordedRequest, response: ServerResponse): Promise<void> {
  if (request.method !== "POST" || !request.path.endsWith("/v1/messages")) {
    answerJson(response, 404, anthropicError("not_found_error", `stub: no route ${request.method} ${request.path}`));
    return;
  }
  const turn = [...TURNS].reverse().find((candidate) => request.body.includes(candidate.ask)) ?? TURNS[0];
  await answerSse(response, anthropicStreamEvents(turn?.answer ?? ["…"]), 20);
}

/** What an admin of a small team would have after a week: vaults of each kind, an agent, an environment, sessions. */
async function seed(sdk: Anthropic, modelEndpoint: string) {
  const llm = (name: string, baseUrl?: string) =>
    sdk.beta.vaults.create({
      display_name: name,
      metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", ...(baseUrl ? { [`${RESERVED}llm_base_url`]: baseUrl } : {}), team: "support" },
    });
  // The session with a conversation uses this one: its endpoint is the stub model on loopback.
  const staging = await llm("Claude via gateway (staging)", modelEndpoint);
  await sdk.beta.vaults.credentials.create(staging.id, { display_name: "Gateway key", auth: loose({ type: "static_bearer", token: secret("gateway") }) });
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
  await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: "Nightly backlog report", vault_ids: [production.id] });
  await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: "Label yesterday's tickets", vault_ids: [production.id] });
  const session = await sdk.beta.sessions.create({
    agent: agent.id,
    environment_id: environment.id,
    title: "Triage inbound tickets",
    vault_ids: [staging.id, github.id, headers.id],
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

let stub: StubUpstream;
test.beforeAll(async () => {
  stub = await startStubUpstream(scriptedModel);
});
test.afterAll(async () => {
  await stub?.close();
});

test("README screenshots: the vault page, the session page, a phone-width list; light and dark", async ({ page }) => {
  const ids = await seed(ownerSdk(), stub.origin);
  await page.setViewportSize(DESKTOP);
  await signIn(page);

  await page.goto(`/vaults/${ids.vault}`);
  await expect(page.getByRole("heading", { name: "Anthropic production" })).toBeVisible();
  await shoot(page, "vault-page");

  await page.goto(`/sessions/${ids.session}`);
  await expect(page.getByRole("heading", { name: "Triage inbound tickets" })).toBeVisible();
  await expect(page.getByText("Ready: the runtime will get the model token through the credential boundary")).toBeVisible();
  await expect(page.getByTestId("stream-state")).toContainText("Live");
  const messageBox = page.getByRole("textbox", { name: "Message" });
  for (const [index, turn] of TURNS.entries()) {
    await messageBox.fill(turn.ask);
    await messageBox.press("Enter");
    // The answer's last words: plain text, where its start may be Markdown the page renders ("3. **#4185**").
    await expect(page.getByTestId("agent-message").nth(index)).toContainText(turn.answer.at(-1)?.slice(-20) ?? "", { timeout: 90_000 });
    await expect(page.getByTestId("session-status")).toContainText("Idle", { timeout: 30_000 });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, "session-page");

  await page.setViewportSize(PHONE);
  await page.goto("/vaults");
  await expect(page.getByTestId("vault-row").first()).toBeVisible();
  await shoot(page, "vaults-phone");
});
