// The session page as a conversation (issue 12, item 5): a message box where Enter sends and
// Shift+Enter adds a line, the message shown as the user's, a viewer who reads the conversation but
// gets no message box, and — with a runner and a stub Anthropic endpoint on loopback — the answer
// streaming in, a tool confirmed, a turn interrupted and a session error shown with its fix.
// Tests tagged @stream need the events stream route, @runner also the runs and the runner (other
// branches of issue 12); the others need only the page and the events service.
import type { ServerResponse } from "node:http";
import type Anthropic from "@anthropic-ai/sdk";
import type { BetaManagedAgentsStaticBearerCreateParams } from "@anthropic-ai/sdk/resources/beta/vaults/credentials";
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  anthropicError,
  anthropicStreamEvents,
  answerJson,
  answerSse,
  closedPortOrigin,
  startStubUpstream,
  type RecordedRequest,
  type StubUpstream,
} from "../api/stub-upstream";
import { createUserAs, ownerSdk, secret, signIn, uniqueName } from "./support";

const RESERVED = "sandbox0.managed_agents.";

/** A session on a fresh agent and environment; with `upstream`, its one LLM vault points there. */
async function createConversationSession(sdk: Anthropic, label: string, upstream?: string): Promise<string> {
  const [agent, environment] = await Promise.all([
    sdk.beta.agents.create({ name: uniqueName(label), model: "claude-sonnet-4-6" }),
    sdk.beta.environments.create({ name: uniqueName(label), config: { type: "cloud", networking: { type: "unrestricted" } } }),
  ]);
  const vaultIds: string[] = [];
  if (upstream) {
    const vault = await sdk.beta.vaults.create({
      display_name: uniqueName(`${label}-llm`),
      metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude", [`${RESERVED}llm_base_url`]: upstream },
    });
    // An LLM credential has no mcp_server_url, which the SDK's type requires of every static bearer.
    const auth = { type: "static_bearer", token: secret(label) } as unknown as BetaManagedAgentsStaticBearerCreateParams;
    await sdk.beta.vaults.credentials.create(vault.id, { auth });
    vaultIds.push(vault.id);
  }
  const session = await sdk.beta.sessions.create({ agent: agent.id, environment_id: environment.id, title: uniqueName(label), vault_ids: vaultIds });
  return session.id;
}

async function newSignedInPage(browser: Browser, credentials: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, credentials);
  return page;
}

function messageBox(page: Page) {
  return page.getByRole("textbox", { name: "Message" });
}

test("a message sent with Enter shows as the user's, Shift+Enter adds a line, and the box empties", async ({ page }) => {
  // Its model endpoint is a closed loopback port: a turn that runs fails there, and nothing is dialled elsewhere.
  const sessionId = await createConversationSession(ownerSdk(), "conversation", await closedPortOrigin());
  await signIn(page);
  await page.goto(`/sessions/${sessionId}`);

  const conversation = page.getByRole("region", { name: "Conversation" });
  await expect(conversation.getByTestId("conversation-empty")).toContainText("Send a message to start a turn");
  const send = page.getByRole("button", { name: "Send", exact: true });
  await expect(send).toBeDisabled();

  // Keyboard only: Tab reaches the box from the events region, Shift+Enter is a newline, Enter sends.
  await conversation.focus();
  await page.keyboard.press("Tab");
  await expect(messageBox(page)).toBeFocused();
  await page.keyboard.type("List the files");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("then stop.");
  await expect(messageBox(page)).toHaveValue("List the files\nthen stop.");
  await page.keyboard.press("Enter");

  const sent = conversation.getByTestId("user-message");
  await expect(sent).toHaveCount(1);
  await expect(sent).toContainText("List the files\nthen stop.");
  await expect(messageBox(page)).toHaveValue("");
  await expect(conversation.getByTestId("conversation-empty")).toHaveCount(0);

  // It is stored: a reload shows it again, from the server's first page of events.
  await page.reload();
  await expect(page.getByRole("region", { name: "Conversation" }).getByTestId("user-message")).toContainText("then stop.");

  // A blank message is not sent.
  await messageBox(page).fill("   ");
  await messageBox(page).press("Enter");
  await expect(page.getByTestId("user-message")).toHaveCount(1);
});

test("a viewer reads the conversation but gets no message box, Allow/Deny or Interrupt", async ({ page, browser }) => {
  // Two sign-ins (each an scrypt) and a user made through the Users page: over a minute on a busy machine.
  test.setTimeout(120_000);
  await signIn(page);
  const viewer = await createUserAs(page, "viewer");
  const sessionId = await createConversationSession(ownerSdk(), "viewer-conversation", await closedPortOrigin());
  await page.goto(`/sessions/${sessionId}`);
  await messageBox(page).fill("Summarise the ticket");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByTestId("user-message")).toContainText("Summarise the ticket");

  const viewerPage = await newSignedInPage(browser, viewer);
  await viewerPage.goto(`/sessions/${sessionId}`);
  await expect(viewerPage.getByTestId("user-message")).toContainText("Summarise the ticket");
  await expect(viewerPage.getByTestId("composer-read-only")).toContainText("You have viewer access");
  await expect(messageBox(viewerPage)).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Send", exact: true })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Interrupt" })).toHaveCount(0);
  await viewerPage.context().close();
});

test("an archived session shows its conversation read-only", async ({ page }) => {
  const sdk = ownerSdk();
  const sessionId = await createConversationSession(sdk, "archived-conversation");
  await sdk.beta.sessions.archive(sessionId);
  await signIn(page);
  await page.goto(`/sessions/${sessionId}`);
  await expect(page.getByTestId("composer-read-only")).toContainText("Archived sessions are read-only");
  await expect(messageBox(page)).toHaveCount(0);
});

test("a second page sees a message arrive through the live stream, without a reload", { tag: "@stream" }, async ({ page, browser }) => {
  test.setTimeout(120_000);
  const sessionId = await createConversationSession(ownerSdk(), "live", await closedPortOrigin());
  await signIn(page);
  await page.goto(`/sessions/${sessionId}`);
  await expect(page.getByTestId("stream-state")).toContainText("Live", { timeout: 30_000 });

  // A message sent through the SDK reaches the open page by its stream alone.
  await ownerSdk().beta.sessions.events.send(sessionId, { events: [{ type: "user.message", content: [{ type: "text", text: "Sent from the SDK" }] }] });
  await expect(page.getByTestId("user-message")).toContainText("Sent from the SDK", { timeout: 30_000 });

  // And one sent on another page, once each (the send's answer and the stream both carry it).
  const other = await (await browser.newContext({ storageState: await page.context().storageState() })).newPage();
  await other.goto(`/sessions/${sessionId}`);
  await messageBox(other).fill("Sent from another page");
  await messageBox(other).press("Enter");
  await expect(other.getByTestId("user-message").filter({ hasText: "Sent from another page" })).toHaveCount(1);
  await expect(page.getByTestId("user-message").filter({ hasText: "Sent from another page" })).toHaveCount(1, { timeout: 30_000 });
  await other.context().close();
});

test("earlier events load on demand above the newest page", { tag: "@stream" }, async ({ page }) => {
  const sdk = ownerSdk();
  const sessionId = await createConversationSession(sdk, "earlier", await closedPortOrigin());
  // 55 messages: the page shows the newest 50, the first five come with "Load earlier events".
  const message = (index: number) => ({ type: "user.message" as const, content: [{ type: "text" as const, text: `Message number ${index + 1}.` }] });
  await sdk.beta.sessions.events.send(sessionId, { events: Array.from({ length: 50 }, (_, index) => message(index)) });
  await sdk.beta.sessions.events.send(sessionId, { events: Array.from({ length: 5 }, (_, index) => message(50 + index)) });
  await signIn(page);
  await page.goto(`/sessions/${sessionId}`);
  const messages = page.getByTestId("user-message");
  // The newest 50 events: most of the messages, and the events of the run that took them.
  await expect(messages.first()).toBeVisible();
  await expect(messages.first()).not.toContainText("Message number 1.");
  expect(await messages.count()).toBeLessThan(55);
  await page.getByRole("button", { name: "Load earlier events" }).click();
  await expect(messages).toHaveCount(55);
  await expect(messages.first()).toContainText("Message number 1.");
  await expect(messages.last()).toContainText("Message number 55.");
  await expect(page.getByRole("button", { name: "Load earlier events" })).toHaveCount(0);
});

// ---------------------------------------------------------------------------------------------
// With a runner: a stub Anthropic endpoint on loopback plays the model.

const TOOL_TRIGGER = "run-a-tool";
const SLOW_TRIGGER = "take-your-time";

/** A streamed assistant turn that calls Claude Code's Bash tool once. */
function toolUseStream(): Array<{ event: string; data: unknown }> {
  const message = {
    id: "msg_stubtool",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-6",
    content: [],
    stop_reason: null,
    usage: { input_tokens: 9, output_tokens: 1 },
  };
  return [
    { event: "message_start", data: { type: "message_start", message } },
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_stub01", name: "Bash", input: {} } },
    },
    {
      event: "content_block_delta",
      data: {
        type: "content_block_delta",
        index: 0,
        delta: { type: "input_json_delta", partial_json: JSON.stringify({ command: "echo stub-tool-ran", description: "Echo a marker" }) },
      },
    },
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    { event: "message_delta", data: { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 12 } } },
    { event: "message_stop", data: { type: "message_stop" } },
  ];
}

/**
 * The model: a request whose conversation holds a tool result gets the closing text; one asking
 * for a tool gets a Bash call; one asking for time streams slowly (for interrupt); else plain text.
 */
async function scriptedModel(request: RecordedRequest, response: ServerResponse): Promise<void> {
  if (request.method !== "POST" || !request.path.endsWith("/v1/messages")) {
    answerJson(response, 404, anthropicError("not_found_error", `stub: no route ${request.method} ${request.path}`));
    return;
  }
  if (request.body.includes('"tool_result"')) await answerSse(response, anthropicStreamEvents(["The tool ", "ran."]), 0);
  else if (request.body.includes(TOOL_TRIGGER)) await answerSse(response, toolUseStream(), 0);
  else if (request.body.includes(SLOW_TRIGGER))
    await answerSse(response, anthropicStreamEvents(Array.from({ length: 120 }, (_, index) => `word${index} `)), 500);
  else await answerSse(response, anthropicStreamEvents(["Hello ", "from ", "the ", "stub."]), 50);
}

test.describe("with a runner", () => {
  let stub: StubUpstream;
  test.beforeAll(async () => {
    stub = await startStubUpstream(scriptedModel);
  });
  test.afterAll(async () => {
    await stub.close();
  });

  test("the answer streams in: running, the agent's text, usage, then idle", { tag: "@runner" }, async ({ page }) => {
    test.setTimeout(120_000);
    const sessionId = await createConversationSession(ownerSdk(), "streamed", stub.origin);
    await signIn(page);
    await page.goto(`/sessions/${sessionId}`);
    await expect(page.getByTestId("stream-state")).toContainText("Live");
    await messageBox(page).fill("Say hello");
    await messageBox(page).press("Enter");
    await expect(page.getByTestId("session-status")).toContainText(/Running|Idle/, { timeout: 30_000 });
    await expect(page.getByTestId("agent-message")).toContainText("Hello from the stub.", { timeout: 60_000 });
    await expect(page.getByTestId("status-change").first()).toContainText("Running");
    await expect(page.getByTestId("model-usage").first()).toContainText("in");
    await expect(page.getByTestId("session-status")).toContainText("Idle", { timeout: 30_000 });
    // The model's token went to the stub, never to the page.
    expect(await page.content()).not.toContain("CANARYSECRET");
  });

  test("a tool that asks first waits for Allow, then its result and the answer follow", { tag: "@runner" }, async ({ page }) => {
    test.setTimeout(120_000);
    const sessionId = await createConversationSession(ownerSdk(), "tool", stub.origin);
    await signIn(page);
    await page.goto(`/sessions/${sessionId}`);
    await messageBox(page).fill(`Please ${TOOL_TRIGGER} now`);
    await messageBox(page).press("Enter");
    const call = page.getByTestId("tool-call").first();
    await expect(call).toContainText("bash", { timeout: 60_000 });
    await expect(call).toContainText("Waiting for confirmation", { timeout: 30_000 });
    await expect(page.getByTestId("session-status")).toContainText("Waiting for confirmation");
    await call.getByRole("button", { name: "Allow" }).click();
    await expect(call).toContainText("Allowed");
    await expect(call.getByTestId("tool-result")).toContainText("stub-tool-ran", { timeout: 60_000 });
    await expect(page.getByTestId("agent-message").last()).toContainText("The tool ran.", { timeout: 60_000 });
  });

  test("a tool can be denied with a message", { tag: "@runner" }, async ({ page }) => {
    test.setTimeout(120_000);
    const sessionId = await createConversationSession(ownerSdk(), "deny", stub.origin);
    await signIn(page);
    await page.goto(`/sessions/${sessionId}`);
    await messageBox(page).fill(`Please ${TOOL_TRIGGER} again`);
    await messageBox(page).press("Enter");
    const call = page.getByTestId("tool-call").first();
    await expect(call.getByRole("button", { name: "Allow" })).toBeVisible({ timeout: 60_000 });
    await call.getByRole("button", { name: "Deny…" }).click();
    await call.getByLabel(/Why not/).fill("Not on this machine");
    await call.getByLabel(/Why not/).press("Enter");
    await expect(call).toContainText("Denied: Not on this machine");
    await expect(page.getByTestId("session-status")).not.toContainText("Waiting for confirmation", { timeout: 60_000 });
  });

  test("Interrupt stops a running turn", { tag: "@runner" }, async ({ page }) => {
    test.setTimeout(120_000);
    const sessionId = await createConversationSession(ownerSdk(), "interrupt", stub.origin);
    await signIn(page);
    await page.goto(`/sessions/${sessionId}`);
    await messageBox(page).fill(`Please ${SLOW_TRIGGER}`);
    await messageBox(page).press("Enter");
    await expect(page.getByTestId("session-status")).toContainText("Running", { timeout: 60_000 });
    await page.getByRole("button", { name: "Interrupt" }).click();
    await expect(page.getByText("You interrupted the turn")).toBeVisible();
    await expect(page.getByTestId("session-status")).toContainText("Idle", { timeout: 60_000 });
    await expect(page.getByRole("button", { name: "Interrupt" })).toHaveCount(0);
  });

  test("a session without an LLM vault ends its turn with the error and its fix", { tag: "@runner" }, async ({ page }) => {
    test.setTimeout(120_000);
    const sessionId = await createConversationSession(ownerSdk(), "no-llm");
    await signIn(page);
    await page.goto(`/sessions/${sessionId}`);
    await messageBox(page).fill("Hello?");
    await messageBox(page).press("Enter");
    const error = page.getByTestId("session-error");
    await expect(error).toContainText("Session has no LLM output", { timeout: 60_000 });
    await expect(error).toContainText(/attach the LLM vault/i);
    await expect(page.getByTestId("session-status")).toContainText("Idle");
  });
});
