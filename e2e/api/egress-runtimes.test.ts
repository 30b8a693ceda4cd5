// The real Anthropic runtimes through the egress proxy (issue 11): a runtime keeps the real https
// URL of its LLM endpoint (an https stub on 127.0.0.2 with the suite's test CA), sends the
// placeholder, and reaches the network only through the console's egress proxy, trusting the
// console's egress CA from `ca_bundle`. The official SDK goes through undici's ProxyAgent; the Claude
// Code CLI bundled with the Claude Agent SDK (run directly with `-p`, and through the Agent SDK's
// query()) runs in a network namespace whose only way out is a relay to the proxy, with nothing but
// the runtime settings' env. Each time the stub must have seen the real token, and no request it
// received may carry the placeholder.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import Anthropic from "@anthropic-ai/sdk";
import { ProxyAgent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { startHttpsStub, type HttpsStub } from "./https-stub";
import { netnsUnavailable, runInNetns, type Forward, type NetnsResult } from "@/lib/runner/netns";
import { STUB_MODEL, anthropicApi, everythingReceived, startStubUpstream, type RecordedRequest } from "./stub-upstream";
import {
  baseUrl,
  client,
  createAgent,
  createApiKey,
  createLlmVaultOn,
  createSession,
  fetchRuntime,
  guardResponses,
  redact,
  requiredEnv,
  setUpRuntimeEnvironment,
  streamingRecordingFetch,
  uniqueName,
  type SessionPrerequisites,
} from "./support";

guardResponses();

const anthropic = client();

const CLAUDE = fileURLToPath(new URL("../../node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude", import.meta.url));
const AGENT_SDK_QUERY = fileURLToPath(new URL("./agent-sdk-query.mjs", import.meta.url));
/** The CLI starts in a few seconds; the proxy adds a handshake or two. */
const CLAUDE_TIMEOUT_MS = 60_000;
const STUB_ANSWER = ["Hi from", " the https", " stub"];

/** The settings `POST /v1/sessions/{id}/runtime` returns with `{"mode":"egress"}`. */
const egressRuntimeSchema = z.object({
  type: z.literal("session_runtime"),
  session_id: z.string(),
  engine: z.literal("claude"),
  mode: z.literal("egress"),
  ca_certificate: z.string().startsWith("-----BEGIN CERTIFICATE-----"),
  ca_bundle: z.string(),
  env: z
    .object({
      HTTPS_PROXY: z.string(),
      HTTP_PROXY: z.string(),
      NO_PROXY: z.literal(""),
      ANTHROPIC_BASE_URL: z.string(),
      ANTHROPIC_API_KEY: z.string(),
      NODE_EXTRA_CA_CERTS: z.string(),
      SSL_CERT_FILE: z.string(),
      REQUESTS_CA_BUNDLE: z.string(),
      GIT_SSL_CAINFO: z.string(),
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: z.literal("1"),
    })
    .catchall(z.string()),
});
type EgressRuntime = z.infer<typeof egressRuntimeSchema>;

/** Egress-mode runtime settings, their shape checked (the support helper's type is for both modes). */
async function fetchEgressRuntime(sessionId: string, runtimeKey: string, caPath?: string): Promise<EgressRuntime> {
  return egressRuntimeSchema.parse(await fetchRuntime(sessionId, runtimeKey, undefined, { mode: "egress", ...(caPath ? { ca_path: caPath } : {}) }));
}

/** The egress proxy the suite's (first) console listens on. */
function egressUrl(): URL {
  return new URL(requiredEnv("CONSOLE_TEST_EGRESS_URL"));
}

/** The proxy URL with its host and port replaced, credentials kept (a relay, another process). */
function proxyVia(proxyUrl: string, host: string, port: number): string {
  const url = new URL(proxyUrl);
  url.hostname = host;
  url.port = String(port);
  return url.toString();
}

/** The official SDK as a harness configures it from the egress env: real base URL, placeholder key. */
function egressSdk(runtime: EgressRuntime, proxyUrl: string = runtime.env.HTTPS_PROXY): { sdk: Anthropic; dispatcher: ProxyAgent } {
  const dispatcher = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: runtime.ca_bundle } });
  const sdk = new Anthropic({
    baseURL: runtime.env.ANTHROPIC_BASE_URL,
    apiKey: runtime.env.ANTHROPIC_API_KEY,
    maxRetries: 0,
    fetch: streamingRecordingFetch,
    fetchOptions: { dispatcher },
  });
  return { sdk, dispatcher };
}

/** Every request carried the real token in both headers the LLM credential is injected as. */
function expectRealToken(requests: RecordedRequest[], token: string): void {
  expect(requests.length, "requests the stub received").toBeGreaterThan(0);
  for (const request of requests) {
    expect(request.headers["x-api-key"] === token, `x-api-key of ${request.method} ${request.path} is the real token`).toBe(true);
    expect(request.headers.authorization === `Bearer ${token}`, `Authorization of ${request.method} ${request.path} is the real token`).toBe(true);
  }
}

/** Neither this placeholder nor any other reached the upstream, in a header, a path or a body. */
function expectNoPlaceholder(requests: RecordedRequest[], placeholder: string): void {
  const received = everythingReceived(requests);
  expect(received.includes(placeholder), "the placeholder reached the upstream").toBe(false);
  expect(received.match(/s0(rt|ev)_[A-Za-z0-9_-]+/g) ?? [], "placeholders the upstream received").toEqual([]);
}

let stub: HttpsStub;

beforeAll(async () => {
  stub = await startHttpsStub({ host: "127.0.0.2", handler: anthropicApi({ deltas: STUB_ANSWER }) });
});

afterAll(async () => {
  await stub?.close();
});

describe("the official SDK through the egress proxy", () => {
  const environment = setUpRuntimeEnvironment(anthropic, "egress-sdk");
  let token: string;
  let runtime: EgressRuntime;

  beforeAll(async () => {
    const llm = await createLlmVaultOn(anthropic, "egress-sdk", stub.origin);
    const session = await createSession(anthropic, environment.prerequisites, { vault_ids: [llm.vault.id] });
    token = llm.token;
    runtime = await fetchEgressRuntime(session.id, environment.runtimeKey.key);
  });

  it("gets settings that keep the real endpoint and name the console's egress proxy", () => {
    expect(runtime.env.ANTHROPIC_BASE_URL).toBe(stub.origin);
    expect(runtime.env.ANTHROPIC_API_KEY).toMatch(/^s0rt_/);
    const proxy = new URL(runtime.env.HTTPS_PROXY);
    expect(`${proxy.hostname}:${proxy.port}`).toBe(egressUrl().host);
    expect(decodeURIComponent(proxy.username)).toBe(runtime.session_id);
    expect(decodeURIComponent(proxy.password)).toBe(runtime.env.ANTHROPIC_API_KEY);
    expect(runtime.env.HTTP_PROXY).toBe(runtime.env.HTTPS_PROXY);
    expect(runtime.ca_bundle.startsWith(runtime.ca_certificate), "ca_bundle starts with the egress CA").toBe(true);
  });

  it("sends a message: the answer arrives and only the real token reached the endpoint", async () => {
    stub.clear();
    const { sdk, dispatcher } = egressSdk(runtime);
    try {
      const message = await sdk.messages.create({ model: STUB_MODEL, max_tokens: 32, messages: [{ role: "user", content: "Say hello" }] });
      expect(message.content).toEqual([{ type: "text", text: "Hello from the stub upstream" }]);
    } finally {
      await dispatcher.close();
    }
    expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/messages"]);
    expectRealToken(stub.requests, token);
    expectNoPlaceholder(stub.requests, runtime.env.ANTHROPIC_API_KEY);
  });

  it("streams a message through the proxy", async () => {
    stub.clear();
    const { sdk, dispatcher } = egressSdk(runtime);
    try {
      const stream = sdk.messages.stream({ model: STUB_MODEL, max_tokens: 32, messages: [{ role: "user", content: "Say hello" }] });
      const deltas: string[] = [];
      stream.on("text", (text) => deltas.push(text));
      expect(await stream.finalText()).toBe(STUB_ANSWER.join(""));
      expect(deltas).toEqual(STUB_ANSWER);
    } finally {
      await dispatcher.close();
    }
    expectRealToken(stub.requests, token);
    expectNoPlaceholder(stub.requests, runtime.env.ANTHROPIC_API_KEY);
  });

  it("is refused without trusting the egress CA: the proxy, not the endpoint, answered the handshake", async () => {
    stub.clear();
    const dispatcher = new ProxyAgent({ uri: runtime.env.HTTPS_PROXY, requestTls: { ca: stub.caCertificatePem } });
    const sdk = new Anthropic({ baseURL: runtime.env.ANTHROPIC_BASE_URL, apiKey: runtime.env.ANTHROPIC_API_KEY, maxRetries: 0, fetchOptions: { dispatcher } });
    try {
      await expect(sdk.messages.create({ model: STUB_MODEL, max_tokens: 8, messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(
        Anthropic.APIConnectionError,
      );
    } finally {
      await dispatcher.close();
    }
    expect(stub.requests).toEqual([]);
  });

  it.skipIf(!process.env.CONSOLE_TEST_EGRESS_URL_2)("works the same through the second console process's proxy (one CA for both)", async () => {
    stub.clear();
    const second = new URL(process.env.CONSOLE_TEST_EGRESS_URL_2 ?? "");
    const { sdk, dispatcher } = egressSdk(runtime, proxyVia(runtime.env.HTTPS_PROXY, second.hostname, Number(second.port)));
    try {
      const message = await sdk.messages.create({ model: STUB_MODEL, max_tokens: 32, messages: [{ role: "user", content: "Say hello" }] });
      expect(message.content).toEqual([{ type: "text", text: "Hello from the stub upstream" }]);
    } finally {
      await dispatcher.close();
    }
    expectRealToken(stub.requests, token);
    expectNoPlaceholder(stub.requests, runtime.env.ANTHROPIC_API_KEY);
  });
});

/** The result message the CLI prints with `--output-format json` (and agent-sdk-query.mjs prints): the fields read here. */
const claudeResultSchema = z.object({ type: z.literal("result"), subtype: z.string(), is_error: z.boolean(), result: z.string() });

/** The endpoints of an Anthropic API a `-p` run may call; any other one is a surprise to look at. */
const EXPECTED_PATHS = new Set(["/v1/messages", "/v1/messages/count_tokens"]);

/** With CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC the CLI calls the Messages API and nothing else. */
function expectMessagesApiOnly(requests: RecordedRequest[]): void {
  const others = requests.filter((request) => !EXPECTED_PATHS.has(request.path)).map((request) => `${request.method} ${request.path}`);
  expect(others, "endpoints outside the Messages API").toEqual([]);
}

/** A runtime as a sandbox starts it: the Claude Code CLI itself, or an Agent SDK program that starts it. */
interface Runtime {
  label: string;
  command: string;
  args: string[];
}

const CLAUDE_CLI: Runtime = { label: "claude -p", command: CLAUDE, args: ["-p", "say hi", "--output-format", "json"] };
const AGENT_SDK: Runtime = { label: "Agent SDK query()", command: process.execPath, args: [AGENT_SDK_QUERY, "say hi"] };

/** The runtime in a fresh network namespace with exactly `env` (plus HOME and PATH); its answer. */
async function runInSandbox(runtime: Runtime, home: string, env: Record<string, string>, forwards: Forward[]): Promise<{ run: NetnsResult; answer: string }> {
  const run = await runInNetns({
    command: runtime.command,
    args: runtime.args,
    env: { ...env, HOME: home, PATH: "/usr/bin:/bin" },
    forwards,
    cwd: home,
    timeoutMs: CLAUDE_TIMEOUT_MS,
  });
  console.log(`[egress] ${runtime.label} went out as: ${run.connections.map((connection) => connection.firstLine).join(", ")}`);
  expect(run.code, `${runtime.label} exited (stderr: ${redact(run.stderr).slice(0, 2000)})`).toBe(0);
  // A CA bundle the CLI could not read in full would show here, however the call went.
  expect(run.stderr, `${runtime.label}'s stderr`).not.toMatch(/extra certs|certificate/i);
  const result = claudeResultSchema.parse(JSON.parse(run.stdout));
  expect(result).toMatchObject({ type: "result", subtype: "success", is_error: false });
  return { run, answer: result.result };
}

describe.skipIf(netnsUnavailable() !== null)("real runtimes in a network namespace whose only way out is the console", () => {
  let prerequisites: SessionPrerequisites;
  let runtimeKey: string;
  let home: string;

  beforeAll(async () => {
    // `limited` with no allowed host: the LLM endpoint is reachable because its credential is
    // attached, and anything else a runtime tried would be refused by the proxy.
    const [agent, environment] = await Promise.all([
      createAgent(anthropic, "egress-cli"),
      anthropic.beta.environments.create({
        name: uniqueName("egress-cli"),
        config: { type: "cloud", networking: { type: "limited", allowed_hosts: [] } },
      }),
    ]);
    prerequisites = { agent, environment };
    runtimeKey = (await createApiKey("runtime", { scope: { environment_id: environment.id } })).key;
    home = mkdtempSync(join(tmpdir(), "egress-claude-"));
  });

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it.each([CLAUDE_CLI, AGENT_SDK])(
    "$label through the egress proxy: the stub's answer arrives, the real token reached only the endpoint, nothing else was dialled",
    async (runtime) => {
      const llm = await createLlmVaultOn(anthropic, "egress-cli", stub.origin);
      const session = await createSession(anthropic, prerequisites, { vault_ids: [llm.vault.id] });
      const caPath = join(home, "egress-ca.pem");
      const settings = await fetchEgressRuntime(session.id, runtimeKey, caPath);
      for (const name of ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "GIT_SSL_CAINFO"] as const) expect(settings.env[name]).toBe(caPath);
      writeFileSync(caPath, settings.ca_bundle);

      // Inside the namespace the relay listens on 127.0.0.1 at the proxy's own port; outside it
      // connects to the console's egress proxy.
      const relayPort = Number(new URL(settings.env.HTTPS_PROXY).port);
      stub.clear();
      const { run, answer } = await runInSandbox(
        runtime,
        home,
        {
          ...settings.env,
          HTTPS_PROXY: proxyVia(settings.env.HTTPS_PROXY, "127.0.0.1", relayPort),
          HTTP_PROXY: proxyVia(settings.env.HTTP_PROXY, "127.0.0.1", relayPort),
        },
        [{ port: relayPort, to: { host: egressUrl().hostname, port: Number(egressUrl().port) } }],
      );
      console.log(`[egress] ${runtime.label} called: ${stub.requests.map((request) => `${request.method} ${request.path}${request.query}`).join(", ")}`);
      expect(answer).toBe(STUB_ANSWER.join(""));

      expectMessagesApiOnly(stub.requests);
      expectRealToken(stub.requests, llm.token);
      expectNoPlaceholder(stub.requests, settings.env.ANTHROPIC_API_KEY);
      // Its one way out carried only CONNECTs to the LLM endpoint, and it looked up no name at all.
      expect(new Set(run.connections.map((connection) => connection.firstLine))).toEqual(new Set([`CONNECT ${stub.host}:${stub.port} HTTP/1.1`]));
      expect(run.dnsQueries).toEqual([]);
    },
    CLAUDE_TIMEOUT_MS + 30_000,
  );

  it(
    "claude -p through the base-URL boundary: the stub's answer arrives, with no other name looked up",
    async () => {
      const plain = await startStubUpstream(anthropicApi({ deltas: STUB_ANSWER }));
      try {
        const llm = await createLlmVaultOn(anthropic, "boundary-cli", plain.origin);
        const session = await createSession(anthropic, prerequisites, { vault_ids: [llm.vault.id] });
        const settings = await fetchRuntime(session.id, runtimeKey);
        const consoleUrl = new URL(baseUrl());
        const { run, answer } = await runInSandbox(CLAUDE_CLI, home, { ...settings.env }, [
          { port: Number(consoleUrl.port), to: { host: consoleUrl.hostname, port: Number(consoleUrl.port) } },
        ]);
        expect(answer).toBe(STUB_ANSWER.join(""));
        expectRealToken(plain.requests, llm.token);
        expectNoPlaceholder(plain.requests, settings.env.ANTHROPIC_API_KEY);
        console.log(
          `[egress] claude -p called through the boundary: ${plain.requests.map((request) => `${request.method} ${request.path}${request.query}`).join(", ")}`,
        );
        expectMessagesApiOnly(plain.requests);
        for (const connection of run.connections) expect(connection.firstLine).toMatch(new RegExp(`^[A-Z]+ /boundary/${session.id}/`));
        expect(run.dnsQueries).toEqual([]);
      } finally {
        await plain.close();
      }
    },
    CLAUDE_TIMEOUT_MS + 30_000,
  );
});
