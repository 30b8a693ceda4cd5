// Issue 13 §8: the console's list rows. `include=console_row` on GET /v1/vaults and GET /v1/sessions
// adds a `console` field to each item (what a list row shows: kind, endpoint, token state, sessions
// using a vault; a session's agent, environment, LLM vault and readiness in readable labels), so the
// pages ask once per page instead of once per row. Without it the response is exactly the API's.
import { describe, expect, it } from "vitest";

import {
  VAULT_KEYS,
  client,
  createSession,
  createSessionPrerequisites,
  createVault,
  expectApiError,
  guardResponses,
  llmCredentialAuth,
  llmVaultMetadata,
  raw,
  secret,
  uniqueName,
} from "./support";

guardResponses();

const anthropic = client();

interface Listed {
  data: Record<string, unknown>[];
  next_page: string | null;
  prev_page?: string | null;
}

/** The same list asked plainly and with the console rows: the plain text must be the extended one minus `console`, byte for byte. */
async function bothWays(path: string): Promise<{ plain: Listed; extended: Listed }> {
  const separator = path.includes("?") ? "&" : "?";
  const [plainResponse, extendedResponse] = await Promise.all([raw("GET", path), raw("GET", `${path}${separator}include=console_row`)]);
  expect(plainResponse.status, plainResponse.text).toBe(200);
  expect(extendedResponse.status, extendedResponse.text).toBe(200);
  const extended = extendedResponse.json as Listed;
  const stripped = { ...extended, data: extended.data.map(({ console: _console, ...item }) => item) };
  // A session's duration counts up to "now", the one field that may differ between the two reads.
  const steady = (text: string) => text.replace(/"duration_seconds":\d+/g, '"duration_seconds":0');
  expect(steady(plainResponse.text)).toBe(steady(JSON.stringify(stripped)));
  expect(plainResponse.text).not.toContain('"console"');
  return { plain: plainResponse.json as Listed, extended };
}

describe("GET /v1/vaults?include=console_row", () => {
  it("adds kind, endpoint, token state and sessions count; the SDK's plain list is unchanged", async () => {
    const tag = uniqueName("rows");
    const [withToken, withoutToken, other] = await Promise.all([
      anthropic.beta.vaults.create({ display_name: `${tag} token`, metadata: llmVaultMetadata() }),
      anthropic.beta.vaults.create({
        display_name: `${tag} empty`,
        metadata: llmVaultMetadata({ "sandbox0.managed_agents.llm_base_url": "https://llm.example.com" }),
      }),
      anthropic.beta.vaults.create({ display_name: `${tag} other` }),
    ]);
    await anthropic.beta.vaults.credentials.create(withToken.id, { auth: llmCredentialAuth(secret("rows")) });
    const prerequisites = await createSessionPrerequisites(anthropic, "rows");
    await Promise.all([
      createSession(anthropic, prerequisites, { vault_ids: [withToken.id, other.id] }),
      createSession(anthropic, prerequisites, { vault_ids: [withToken.id] }),
    ]);

    // The SDK's own list call: the objects keep exactly the API's keys.
    const sdkPage = await anthropic.beta.vaults.list({ limit: 10, q: tag } as Parameters<typeof anthropic.beta.vaults.list>[0]);
    expect(sdkPage.data.map((vault) => vault.id).sort()).toEqual([withToken.id, withoutToken.id, other.id].sort());
    for (const vault of sdkPage.data) expect(Object.keys(vault).sort()).toEqual(VAULT_KEYS);

    const { extended } = await bothWays(`/v1/vaults?limit=10&q=${encodeURIComponent(tag)}`);
    const byId = new Map(extended.data.map((item) => [item.id, item.console]));
    expect(byId.get(withToken.id)).toEqual({
      kind: "llm",
      endpoint: { url: "https://api.anthropic.com", is_default: true },
      token: "present",
      active_credentials: 1,
      sessions: 2,
    });
    expect(byId.get(withoutToken.id)).toEqual({
      kind: "llm",
      endpoint: { url: "https://llm.example.com", is_default: false },
      token: "missing",
      active_credentials: 0,
      sessions: 0,
    });
    expect(byId.get(other.id)).toEqual({ kind: "other", endpoint: null, token: null, active_credentials: 0, sessions: 1 });
  });

  it("refuses an include it does not know, naming the parameter", async () => {
    await expectApiError(await raw("GET", "/v1/vaults?include=everything"), 400, "invalid_request_error", /^include: /);
  });
});

describe("GET /v1/sessions?include=console_row", () => {
  it("names the agent, environment and LLM vault, with one readable label per cause; plain sessions unchanged", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "rows");
    const [ready, empty, archived] = await Promise.all([
      createVault(anthropic, "rows ready", llmVaultMetadata()),
      createVault(anthropic, "rows empty", llmVaultMetadata()),
      createVault(anthropic, "rows archived", llmVaultMetadata()),
    ]);
    await Promise.all([
      anthropic.beta.vaults.credentials.create(ready.id, { auth: llmCredentialAuth(secret("rows")) }),
      anthropic.beta.vaults.credentials.create(archived.id, { auth: llmCredentialAuth(secret("rows")) }),
    ]);
    const readySession = await createSession(anthropic, prerequisites, { vault_ids: [ready.id], title: "ready" });
    const noVault = await createSession(anthropic, prerequisites, { title: "no vault" });
    const noToken = await createSession(anthropic, prerequisites, { vault_ids: [empty.id], title: "no token" });
    const archivedVault = await createSession(anthropic, prerequisites, { vault_ids: [archived.id], title: "archived" });
    await anthropic.beta.vaults.archive(archived.id);

    const { plain, extended } = await bothWays(`/v1/sessions?limit=10&agent_id=${prerequisites.agent.id}`);
    expect(plain.data).toHaveLength(4);
    const byId = new Map(extended.data.map((item) => [item.id, item.console as Record<string, unknown>]));

    expect(byId.get(readySession.id)).toEqual({
      agent: { id: prerequisites.agent.id, name: prerequisites.agent.name, version: prerequisites.agent.version },
      environment: { id: prerequisites.environment.id, name: prerequisites.environment.name },
      llm_vault: { id: ready.id, display_name: ready.display_name, archived: false, endpoint: "https://api.anthropic.com" },
      other_vaults: 0,
      readiness: { ready: true, issues: [] },
    });
    // One cause, one label: no raw codes repeated for the checks that could not run.
    expect(byId.get(noVault.id)?.readiness).toEqual({ ready: false, issues: [{ code: "no_llm_vault", label: "No LLM vault attached" }] });
    expect(byId.get(noVault.id)?.llm_vault).toBeNull();
    expect(byId.get(noToken.id)?.readiness).toEqual({ ready: false, issues: [{ code: "no_active_credential", label: "No model token" }] });
    expect(byId.get(archivedVault.id)?.readiness).toEqual({ ready: false, issues: [{ code: "llm_vault_archived", label: "LLM vault archived" }] });
  });
});

describe("GET /v1/agents and /v1/environments?q=", () => {
  it("lists only what the name contains, case-insensitive, archived ones on request; pages keep the search", async () => {
    const tag = uniqueName("named").replace(/\s+/g, "-");
    // One after another, so "newest first" has a known order.
    const agents = [];
    for (const name of ["alpha", "beta", "gamma"]) agents.push(await anthropic.beta.agents.create({ name: `${tag} ${name}`, model: "claude-sonnet-4-5" }));
    const environments = await Promise.all(
      ["alpha", "beta"].map((name) =>
        anthropic.beta.environments.create({ name: `${tag} ${name}`, config: { type: "cloud", networking: { type: "unrestricted" } } }),
      ),
    );
    await anthropic.beta.agents.archive(agents[2]?.id ?? "");
    const names = (listed: Listed) => listed.data.map((item) => item.name);
    const upper = encodeURIComponent(tag.toUpperCase());

    const agentPage = (await raw("GET", `/v1/agents?q=${upper}&limit=1`)).json as Listed;
    expect(names(agentPage)).toEqual([`${tag} beta`]);
    const second = (await raw("GET", `/v1/agents?q=${upper}&limit=1&page=${agentPage.next_page ?? ""}`)).json as Listed;
    expect(names(second)).toEqual([`${tag} alpha`]);
    expect(second.next_page).toBeNull();
    expect(names((await raw("GET", `/v1/agents?q=${upper}&include_archived=true`)).json as Listed)).toEqual([`${tag} gamma`, `${tag} beta`, `${tag} alpha`]);

    expect(names((await raw("GET", `/v1/environments?q=${encodeURIComponent(`${tag} ALPHA`)}`)).json as Listed)).toEqual([`${tag} alpha`]);
    expect(environments).toHaveLength(2);
    // The search is text: % and _ are characters, not patterns matching every name.
    expect(names((await raw("GET", `/v1/environments?q=${encodeURIComponent(`${tag}%`)}`)).json as Listed)).toEqual([]);
    expect(names((await raw("GET", `/v1/agents?q=${encodeURIComponent(`${tag} _lpha`)}`)).json as Listed)).toEqual([]);
    await expectApiError(await raw("GET", `/v1/environments?q=${"x".repeat(256)}`), 400, "invalid_request_error", /^q: /);
  });
});
