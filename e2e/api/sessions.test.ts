// Sessions through the official SDK (`client.beta.sessions`): SPEC §5 — references to agents,
// environments and vaults, the one-LLM-vault rule, updates (with the console's vault_ids
// extension), archive, delete, agent version snapshots and the two-way list — plus the §3 vault
// delete guard and §2 bad-input rules on the session routes.
import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import {
  MULTIPLE_LLM_VAULTS_MESSAGE,
  RESERVED,
  client,
  createAgent,
  createEnvironment,
  createLlmVault,
  createSession,
  createSessionPrerequisites,
  createStaticBearer,
  createVault,
  credentialVaultMetadata,
  expectApiError,
  expectTimestamp,
  expectUnknownIdNotFound,
  guardResponses,
  raw,
  secret,
  type RawResponse,
  type Session,
  type SessionPrerequisites,
} from "./support";

guardResponses();

const anthropic = client();

/** The fields SPEC §5 says a session object always has. */
const SESSION_FIELDS = [
  "type",
  "id",
  "status",
  "title",
  "metadata",
  "agent",
  "environment_id",
  "vault_ids",
  "resources",
  "usage",
  "stats",
  "created_at",
  "updated_at",
  "archived_at",
];

function expectSessionShape(session: Session): void {
  for (const field of SESSION_FIELDS) expect(session, `session.${field}`).toHaveProperty(field);
  expect(session.type).toBe("session");
  expect(session.id).toMatch(/^sesn_[A-Za-z0-9_-]{16,}$/);
  expect(session.status).toBe("idle");
  expect(session.resources).toEqual([]);
  expect(Array.isArray(session.vault_ids)).toBe(true);
  expect(session.agent.type).toBe("agent");
  expect(session.agent.id).toMatch(/^agent_/);
  expect(Number.isInteger(session.agent.version)).toBe(true);
  expect(session.environment_id).toMatch(/^env_/);
  expectTimestamp(session.created_at, "created_at");
  expectTimestamp(session.updated_at, "updated_at");
  expect(Date.parse(session.updated_at)).toBeGreaterThanOrEqual(Date.parse(session.created_at));
}

/** A session without the fields that move with the clock (stats.duration_seconds). */
function stable(session: Session): Omit<Session, "stats"> {
  const { stats: _stats, ...rest } = session;
  return rest;
}

/** Every session of one agent (a private scope, so files running in parallel cannot interfere). */
async function sessionIdsOf(agentId: string, includeArchived = true): Promise<string[]> {
  const ids: string[] = [];
  for await (const session of anthropic.beta.sessions.list({ agent_id: agentId, include_archived: includeArchived, limit: 100 })) {
    ids.push(session.id);
  }
  return ids;
}

interface SessionPage {
  data: Session[];
  next_page: string | null;
  prev_page: string | null;
}

async function listPage(query: string): Promise<SessionPage> {
  const response = await raw("GET", `/v1/sessions?${query}`);
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  return response.json as SessionPage;
}

/** `utc` (an RFC 3339 UTC timestamp) as the same instant in a zone `minutes` east of UTC. */
function toOffset(utc: string, minutes: number): string {
  const local = new Date(Date.parse(utc) + minutes * 60_000).toISOString().replace(/Z$/, "");
  const hours = String(Math.floor(minutes / 60)).padStart(2, "0");
  const rest = String(minutes % 60).padStart(2, "0");
  return `${local}+${hours}:${rest}`;
}

function idsOf(page: { data: Array<{ id: string }> }): string[] {
  return page.data.map((item) => item.id);
}

/** Sessions created one after another, a few milliseconds apart so their created_at differ. */
async function createSessionsInOrder(prerequisites: SessionPrerequisites, count: number): Promise<Session[]> {
  const sessions: Session[] = [];
  for (let index = 0; index < count; index += 1) {
    sessions.push(await createSession(anthropic, prerequisites, { title: `ordered ${index}` }));
    await sleep(15);
  }
  return sessions;
}

async function plainVaults(count: number, label: string): Promise<string[]> {
  const vaults = await Promise.all(Array.from({ length: count }, (_, index) => createVault(anthropic, `${label} ${index}`)));
  return vaults.map((vault) => vault.id);
}

// ---------------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------------

/** A session create refused: 404 for a reference that does not exist, 409 for an archived one. */
async function expectCreateRefused(params: Parameters<typeof anthropic.beta.sessions.create>[0], status: 404 | 409): Promise<void> {
  await expectApiError(anthropic.beta.sessions.create(params), status, status === 404 ? "not_found_error" : "conflict_error");
}

describe("create and retrieve", () => {
  it("creates an idle session with every field, and retrieve returns the same session", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "session shape");
    const llmVault = await createLlmVault(anthropic, "session shape");
    const mcpVault = await createVault(anthropic, "session shape mcp");
    const session = await createSession(anthropic, prerequisites, {
      title: "Order #1234 inquiry",
      metadata: { ticket: "1234" },
      vault_ids: [mcpVault.id, llmVault.id],
    });
    expectSessionShape(session);
    expect(session.title).toBe("Order #1234 inquiry");
    expect(session.metadata).toEqual({ ticket: "1234" });
    expect(session.environment_id).toBe(prerequisites.environment.id);
    expect(session.vault_ids).toEqual([mcpVault.id, llmVault.id]);
    expect(session.agent.id).toBe(prerequisites.agent.id);
    expect(session.agent.version).toBe(1);
    expect(session.agent.name).toBe(prerequisites.agent.name);
    expect(session.agent.model.id).toBe(prerequisites.agent.model.id);
    expect(session.archived_at).toBeNull();

    const fetched = await anthropic.beta.sessions.retrieve(session.id);
    expectSessionShape(fetched);
    expect(stable(fetched)).toEqual(stable(session));
  });

  it("defaults title to null, metadata to {} and vault_ids to []", async () => {
    const session = await createSession(anthropic, await createSessionPrerequisites(anthropic, "defaults"));
    expect(session.title).toBeNull();
    expect(session.metadata).toEqual({});
    expect(session.vault_ids).toEqual([]);
  });

  it("accepts the agent as {type: agent, id} and {type: agent, id, version}", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "agent object");
    const { agent, environment } = prerequisites;
    const latest = await anthropic.beta.sessions.create({ agent: { type: "agent", id: agent.id }, environment_id: environment.id });
    expect(latest.agent.id).toBe(agent.id);
    expect(latest.agent.version).toBe(1);
    const pinned = await anthropic.beta.sessions.create({
      agent: { type: "agent", id: agent.id, version: 1 },
      environment_id: environment.id,
    });
    expect(pinned.agent.version).toBe(1);
  });

  it("refuses resources, which this console does not mount, and creates nothing", async () => {
    const { agent, environment } = await createSessionPrerequisites(anthropic, "resources");
    const withEmpty = await raw("POST", "/v1/sessions", { body: { agent: agent.id, environment_id: environment.id, resources: [] } });
    expect(withEmpty.status).toBe(200);
    expect((withEmpty.json as Session).resources).toEqual([]);
    const repository = { type: "github_repository", url: "https://github.com/example/repo", authorization_token: secret("repository") };
    await expectApiError(
      await raw("POST", "/v1/sessions", { body: { agent: agent.id, environment_id: environment.id, resources: [repository] } }),
      400,
      "invalid_request_error",
      "resources",
    );
    expect(await sessionIdsOf(agent.id)).toEqual([(withEmpty.json as Session).id]);
  });

  it("requires agent and environment_id", async () => {
    const { agent, environment } = await createSessionPrerequisites(anthropic, "required");
    await expectApiError(await raw("POST", "/v1/sessions", { body: { environment_id: environment.id } }), 400, "invalid_request_error", "agent");
    await expectApiError(await raw("POST", "/v1/sessions", { body: { agent: agent.id } }), 400, "invalid_request_error", "environment_id");
    await expectApiError(await raw("POST", "/v1/sessions", { body: {} }), 400, "invalid_request_error");
    expect(await sessionIdsOf(agent.id)).toEqual([]);
  });

  it("answers 404 for an agent, agent version or environment that does not exist", async () => {
    const { agent, environment } = await createSessionPrerequisites(anthropic, "missing references");
    await expectCreateRefused({ agent: "agent_doesnotexist", environment_id: environment.id }, 404);
    await expectCreateRefused({ agent: { type: "agent", id: "agent_doesnotexist", version: 1 }, environment_id: environment.id }, 404);
    await expectCreateRefused({ agent: { type: "agent", id: agent.id, version: 99 }, environment_id: environment.id }, 404);
    await expectCreateRefused({ agent: agent.id, environment_id: "env_doesnotexist" }, 404);
    expect(await sessionIdsOf(agent.id)).toEqual([]);
  });

  it("answers 409 for an archived agent or an archived environment", async () => {
    const archivedAgent = await createAgent(anthropic, "archived agent");
    const environment = await createEnvironment(anthropic, "archived agent env");
    await anthropic.beta.agents.archive(archivedAgent.id);
    await expectCreateRefused({ agent: archivedAgent.id, environment_id: environment.id }, 409);
    await expectCreateRefused({ agent: { type: "agent", id: archivedAgent.id, version: 1 }, environment_id: environment.id }, 409);

    const agent = await createAgent(anthropic, "archived env agent");
    const archivedEnvironment = await createEnvironment(anthropic, "archived env");
    await anthropic.beta.environments.archive(archivedEnvironment.id);
    await expectCreateRefused({ agent: agent.id, environment_id: archivedEnvironment.id }, 409);
    expect(await sessionIdsOf(archivedAgent.id)).toEqual([]);
    expect(await sessionIdsOf(agent.id)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// vault_ids
// ---------------------------------------------------------------------------------------------

describe("vault_ids on create", () => {
  it("accepts 16 vaults and refuses 17 with 400 naming vault_ids", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "sixteen vaults");
    const llmVault = await createLlmVault(anthropic, "sixteen");
    const fifteen = await plainVaults(15, "sixteen");
    const sixteen = [llmVault.id, ...fifteen];
    const session = await createSession(anthropic, prerequisites, { vault_ids: sixteen });
    expect(session.vault_ids).toEqual(sixteen);

    const extra = await createVault(anthropic, "seventeenth");
    await expectApiError(createSession(anthropic, prerequisites, { vault_ids: [...sixteen, extra.id] }), 400, "invalid_request_error", "vault_ids");
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([session.id]);
  });

  it("refuses a vault listed twice with 400 naming vault_ids", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "duplicate vaults");
    const llmVault = await createLlmVault(anthropic, "duplicate");
    const mcpVault = await createVault(anthropic, "duplicate mcp");
    for (const vaultIds of [
      [mcpVault.id, mcpVault.id],
      [llmVault.id, mcpVault.id, llmVault.id],
    ]) {
      await expectApiError(createSession(anthropic, prerequisites, { vault_ids: vaultIds }), 400, "invalid_request_error", "vault_ids");
    }
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([]);
  });

  it("answers 404 for a vault that does not exist and 409 for an archived vault", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "vault references");
    const llmVault = await createLlmVault(anthropic, "vault references");
    await expectApiError(createSession(anthropic, prerequisites, { vault_ids: [llmVault.id, "vlt_doesnotexist"] }), 404, "not_found_error");
    const archived = await createVault(anthropic, "archived attach");
    await anthropic.beta.vaults.archive(archived.id);
    await expectApiError(createSession(anthropic, prerequisites, { vault_ids: [llmVault.id, archived.id] }), 409, "conflict_error");

    const archivedLlm = await createLlmVault(anthropic, "archived llm attach");
    await anthropic.beta.vaults.archive(archivedLlm.id);
    await expectApiError(createSession(anthropic, prerequisites, { vault_ids: [archivedLlm.id] }), 409, "conflict_error");
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([]);
  });

  it("refuses two LLM vaults with 400 naming the rule, and creates nothing", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "two llm vaults");
    const first = await createLlmVault(anthropic, "two llm 1");
    const second = await createLlmVault(anthropic, "two llm 2");
    const mcpVault = await createVault(anthropic, "two llm mcp");
    for (const vaultIds of [
      [first.id, second.id],
      [mcpVault.id, second.id, first.id],
    ]) {
      await expectApiError(createSession(anthropic, prerequisites, { vault_ids: vaultIds }), 400, "invalid_request_error", MULTIPLE_LLM_VAULTS_MESSAGE);
    }
    // An LLM vault without a credential is still an LLM vault.
    const empty = await createLlmVault(anthropic, "two llm empty", { withCredential: false });
    await expectApiError(
      createSession(anthropic, prerequisites, { vault_ids: [first.id, empty.id] }),
      400,
      "invalid_request_error",
      MULTIPLE_LLM_VAULTS_MESSAGE,
    );
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([]);
  });

  it("accepts one LLM vault beside MCP and HTTP header credential vaults, and zero LLM vaults", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "mixed vaults");
    const llmVault = await createLlmVault(anthropic, "mixed");
    const mcpVault = await createVault(anthropic, "mixed mcp");
    await createStaticBearer(anthropic, mcpVault.id);
    const headerVault = await createVault(anthropic, "mixed headers", credentialVaultMetadata());
    const mixed = await createSession(anthropic, prerequisites, { vault_ids: [mcpVault.id, llmVault.id, headerVault.id] });
    expect(mixed.vault_ids).toEqual([mcpVault.id, llmVault.id, headerVault.id]);

    const noLlm = await createSession(anthropic, prerequisites, { vault_ids: [mcpVault.id] });
    expect(noLlm.vault_ids).toEqual([mcpVault.id]);
  });

  it("lets many sessions share one LLM vault", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "shared llm");
    const llmVault = await createLlmVault(anthropic, "shared");
    const sessions = await Promise.all([1, 2, 3].map(() => createSession(anthropic, prerequisites, { vault_ids: [llmVault.id] })));
    for (const session of sessions) expect(session.vault_ids).toEqual([llmVault.id]);
  });
});

describe("vault_ids on update (a console extension)", () => {
  it("keeps title and metadata editable after an attached vault is archived", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "archived attached");
    const llmVault = await createLlmVault(anthropic, "archived attached");
    const session = await createSession(anthropic, prerequisites, { vault_ids: [llmVault.id] });
    await anthropic.beta.vaults.archive(llmVault.id);
    // Only a new vault_ids list is checked against the attach rules.
    const retitled = await anthropic.beta.sessions.update(session.id, { title: "after vault archive", metadata: { a: "1" } });
    expect(retitled.title).toBe("after vault archive");
    expect(retitled.vault_ids).toEqual([llmVault.id]);
    await expectApiError(anthropic.beta.sessions.update(session.id, { vault_ids: [llmVault.id] }), 409, "conflict_error");
  });

  it("never lets an attached plain vault turn into a second LLM vault", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "role change");
    const llmVault = await createLlmVault(anthropic, "role change llm");
    const plain = await createVault(anthropic, "role change plain");
    const session = await createSession(anthropic, prerequisites, { vault_ids: [plain.id, llmVault.id] });
    await expectApiError(
      anthropic.beta.vaults.update(plain.id, {
        metadata: { [`${RESERVED}role`]: "llm", [`${RESERVED}engine`]: "claude" },
      }),
      400,
      "invalid_request_error",
      `${RESERVED}role`,
    );
    expect((await anthropic.beta.vaults.retrieve(plain.id)).metadata).toEqual({});
    expect((await anthropic.beta.sessions.retrieve(session.id)).vault_ids).toEqual([plain.id, llmVault.id]);
  });

  it("refuses a second LLM vault with 400 and leaves the session as it was", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "update second llm");
    const first = await createLlmVault(anthropic, "update llm 1");
    const second = await createLlmVault(anthropic, "update llm 2");
    const session = await createSession(anthropic, prerequisites, { vault_ids: [first.id] });
    await expectApiError(
      anthropic.beta.sessions.update(session.id, { vault_ids: [first.id, second.id] }),
      400,
      "invalid_request_error",
      MULTIPLE_LLM_VAULTS_MESSAGE,
    );
    expect((await anthropic.beta.sessions.retrieve(session.id)).vault_ids).toEqual([first.id]);
  });

  it("swaps one LLM vault for another, adds MCP vaults, and detaches everything with []", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "swap llm");
    const first = await createLlmVault(anthropic, "swap 1");
    const second = await createLlmVault(anthropic, "swap 2");
    const mcpVault = await createVault(anthropic, "swap mcp");
    const session = await createSession(anthropic, prerequisites, { vault_ids: [first.id] });

    const swapped = await anthropic.beta.sessions.update(session.id, { vault_ids: [second.id] });
    expect(swapped.vault_ids).toEqual([second.id]);
    const withMcp = await anthropic.beta.sessions.update(session.id, { vault_ids: [mcpVault.id, second.id] });
    expect(withMcp.vault_ids).toEqual([mcpVault.id, second.id]);
    const back = await anthropic.beta.sessions.update(session.id, { vault_ids: [first.id, mcpVault.id] });
    expect(back.vault_ids).toEqual([first.id, mcpVault.id]);
    const none = await anthropic.beta.sessions.update(session.id, { vault_ids: [] });
    expect(none.vault_ids).toEqual([]);
    expect((await anthropic.beta.sessions.retrieve(session.id)).vault_ids).toEqual([]);
  });

  it("applies the create rules: ≤16, unique, existing (404), not archived (409)", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "update rules");
    const llmVault = await createLlmVault(anthropic, "update rules");
    const session = await createSession(anthropic, prerequisites, { vault_ids: [llmVault.id] });
    const seventeen = [llmVault.id, ...(await plainVaults(16, "update seventeen"))];
    await expectApiError(anthropic.beta.sessions.update(session.id, { vault_ids: seventeen }), 400, "invalid_request_error", "vault_ids");
    await expectApiError(anthropic.beta.sessions.update(session.id, { vault_ids: [llmVault.id, llmVault.id] }), 400, "invalid_request_error", "vault_ids");
    await expectApiError(anthropic.beta.sessions.update(session.id, { vault_ids: ["vlt_doesnotexist"] }), 404, "not_found_error");
    const archived = await createVault(anthropic, "update archived");
    await anthropic.beta.vaults.archive(archived.id);
    await expectApiError(anthropic.beta.sessions.update(session.id, { vault_ids: [llmVault.id, archived.id] }), 409, "conflict_error");
    expect((await anthropic.beta.sessions.retrieve(session.id)).vault_ids).toEqual([llmVault.id]);
  });
});

// ---------------------------------------------------------------------------------------------
// Update, archive, delete
// ---------------------------------------------------------------------------------------------

describe("update", () => {
  it("changes the title and patches metadata: a string upserts, null deletes, omitted keys stay", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "update title");
    const llmVault = await createLlmVault(anthropic, "update title");
    const session = await createSession(anthropic, prerequisites, {
      title: "first",
      metadata: { keep: "k", change: "old", remove: "gone" },
      vault_ids: [llmVault.id],
    });
    const retitled = await anthropic.beta.sessions.update(session.id, { title: "second" });
    expectSessionShape(retitled);
    expect(retitled.title).toBe("second");
    expect(retitled.metadata).toEqual(session.metadata);
    expect(retitled.vault_ids).toEqual([llmVault.id]);
    expect(retitled.created_at).toBe(session.created_at);
    expect(Date.parse(retitled.updated_at)).toBeGreaterThanOrEqual(Date.parse(session.updated_at));

    const patched = await anthropic.beta.sessions.update(session.id, {
      metadata: { change: "new", remove: null, added: "fresh", never_existed: null },
    });
    expect(patched.metadata).toEqual({ keep: "k", change: "new", added: "fresh" });
    expect(patched.title).toBe("second");
    expect(patched.vault_ids).toEqual([llmVault.id]);

    const cleared = await anthropic.beta.sessions.update(session.id, { title: null });
    expect(cleared.title).toBeNull();
    expect(stable(await anthropic.beta.sessions.retrieve(session.id))).toEqual(stable(cleared));
  });

  it("refuses an empty title on update with 400 naming title, as the contract's minLength 1 does, and clears it with null", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "empty title");
    // The contract sets no minLength on the create's title: an empty one is kept as given.
    const untitled = await createSession(anthropic, prerequisites, { title: "" });
    expect(untitled.title).toBe("");

    const session = await createSession(anthropic, prerequisites, { title: "kept" });
    await expectApiError(anthropic.beta.sessions.update(session.id, { title: "" }), 400, "invalid_request_error", ["title", "null"]);
    await expectApiError(anthropic.beta.sessions.update(untitled.id, { title: "" }), 400, "invalid_request_error", "title");
    expect((await anthropic.beta.sessions.retrieve(session.id)).title).toBe("kept");

    expect((await anthropic.beta.sessions.update(session.id, { title: " " })).title).toBe(" ");
    expect((await anthropic.beta.sessions.update(session.id, { title: null })).title).toBeNull();
  });

  it("leaves everything as it was for an empty update", async () => {
    const llmVault = await createLlmVault(anthropic, "noop");
    const session = await createSession(anthropic, await createSessionPrerequisites(anthropic, "noop"), {
      title: "same",
      metadata: { a: "1" },
      vault_ids: [llmVault.id],
    });
    const same = await anthropic.beta.sessions.update(session.id, {});
    expect(same.title).toBe("same");
    expect(same.metadata).toEqual({ a: "1" });
    expect(same.vault_ids).toEqual([llmVault.id]);
    expect(same.agent).toEqual(session.agent);
  });

  it("counts the patched metadata against the 16-pair limit", async () => {
    const metadata: Record<string, string> = {};
    for (let index = 0; index < 16; index += 1) metadata[`k${index}`] = "v";
    const session = await createSession(anthropic, await createSessionPrerequisites(anthropic, "full metadata"), { metadata });
    await expectApiError(anthropic.beta.sessions.update(session.id, { metadata: { k16: "v" } }), 400, "invalid_request_error", "metadata");
    const swapped = await anthropic.beta.sessions.update(session.id, { metadata: { k0: null, k16: "v" } });
    expect(Object.keys(swapped.metadata)).toHaveLength(16);
  });

  it("answers 404 for an unknown session", async () => {
    await expectUnknownIdNotFound(anthropic.beta.sessions, "sesn_doesnotexist", { title: "x" });
    await expectApiError(anthropic.beta.sessions.delete("sesn_doesnotexist"), 404, "not_found_error");
  });
});

describe("reserved metadata", () => {
  it("refuses sandbox0.managed_agents.* keys on session metadata at create and in a patch, naming the key", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "reserved session");
    for (const key of [`${RESERVED}role`, `${RESERVED}engine`, `${RESERVED}anything`]) {
      await expectApiError(createSession(anthropic, prerequisites, { metadata: { [key]: "llm" } }), 400, "invalid_request_error", [key, /session/i]);
    }
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([]);

    const session = await createSession(anthropic, prerequisites, { metadata: { team: "a" } });
    await expectApiError(anthropic.beta.sessions.update(session.id, { metadata: { [`${RESERVED}role`]: "llm" } }), 400, "invalid_request_error", [
      `${RESERVED}role`,
      /session/i,
    ]);
    expect((await anthropic.beta.sessions.retrieve(session.id)).metadata).toEqual({ team: "a" });
  });

  it("accepts look-alike keys outside the reserved prefix", async () => {
    const session = await createSession(anthropic, await createSessionPrerequisites(anthropic, "lookalike"), {
      metadata: { "sandbox0.team": "infra", managed_agents: "no" },
    });
    expect(session.metadata).toEqual({ "sandbox0.team": "infra", managed_agents: "no" });
  });
});

describe("archive", () => {
  it("sets archived_at, keeps the session retrievable, and makes it read-only (409)", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "archive session");
    const llmVault = await createLlmVault(anthropic, "archive session");
    const other = await createLlmVault(anthropic, "archive session other");
    const session = await createSession(anthropic, prerequisites, { title: "before", vault_ids: [llmVault.id] });

    const archived = await anthropic.beta.sessions.archive(session.id);
    expectSessionShape(archived);
    expectTimestamp(archived.archived_at, "archived_at");
    expect(archived.title).toBe("before");
    expect(stable(await anthropic.beta.sessions.retrieve(session.id))).toEqual(stable(archived));

    for (const update of [{ title: "after" }, { metadata: { team: "x" } }, { vault_ids: [other.id] }, { vault_ids: [] }]) {
      await expectApiError(anthropic.beta.sessions.update(session.id, update), 409, "conflict_error");
    }
    const after = await anthropic.beta.sessions.retrieve(session.id);
    expect(after.title).toBe("before");
    expect(after.metadata).toEqual({});
    expect(after.vault_ids).toEqual([llmVault.id]);
  });

  it("hides archived sessions from the list unless include_archived=true", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "archived list");
    const [first, archived, third] = await createSessionsInOrder(prerequisites, 3);
    await anthropic.beta.sessions.archive(archived?.id ?? "");
    expect(await sessionIdsOf(prerequisites.agent.id, false)).toEqual([third?.id, first?.id]);
    expect(idsOf(await listPage(`agent_id=${prerequisites.agent.id}&include_archived=false`))).toEqual([third?.id, first?.id]);
    expect(await sessionIdsOf(prerequisites.agent.id, true)).toEqual([third?.id, archived?.id, first?.id]);
  });
});

describe("delete", () => {
  it("returns {id, type: session_deleted} and the session is gone", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "delete session");
    const llmVault = await createLlmVault(anthropic, "delete session");
    const session = await createSession(anthropic, prerequisites, { vault_ids: [llmVault.id] });
    expect(await anthropic.beta.sessions.delete(session.id)).toEqual({ id: session.id, type: "session_deleted" });

    await expectApiError(anthropic.beta.sessions.retrieve(session.id), 404, "not_found_error");
    await expectApiError(anthropic.beta.sessions.update(session.id, { title: "x" }), 404, "not_found_error");
    await expectApiError(anthropic.beta.sessions.archive(session.id), 404, "not_found_error");
    await expectApiError(anthropic.beta.sessions.delete(session.id), 404, "not_found_error");
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([]);
    // Its vaults stay.
    expect((await anthropic.beta.vaults.retrieve(llmVault.id)).id).toBe(llmVault.id);
  });

  it("deletes an archived session too", async () => {
    const session = await createSession(anthropic, await createSessionPrerequisites(anthropic, "delete archived"));
    await anthropic.beta.sessions.archive(session.id);
    expect(await anthropic.beta.sessions.delete(session.id)).toEqual({ id: session.id, type: "session_deleted" });
    await expectApiError(anthropic.beta.sessions.retrieve(session.id), 404, "not_found_error");
  });
});

describe("the vault delete guard (SPEC §3)", () => {
  it("refuses to delete a vault any session references, archived sessions included, until the session is deleted", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "vault guard");
    const llmVault = await createLlmVault(anthropic, "vault guard");
    const mcpVault = await createVault(anthropic, "vault guard mcp");
    const session = await createSession(anthropic, prerequisites, { vault_ids: [llmVault.id, mcpVault.id] });

    await expectApiError(anthropic.beta.vaults.delete(llmVault.id), 409, "conflict_error");
    await expectApiError(anthropic.beta.vaults.delete(mcpVault.id), 409, "conflict_error");
    await anthropic.beta.sessions.archive(session.id);
    await expectApiError(anthropic.beta.vaults.delete(llmVault.id), 409, "conflict_error");
    // Archiving the vault does not lift the guard either.
    await anthropic.beta.vaults.archive(mcpVault.id);
    await expectApiError(anthropic.beta.vaults.delete(mcpVault.id), 409, "conflict_error");
    expect((await anthropic.beta.vaults.retrieve(llmVault.id)).id).toBe(llmVault.id);
    expect((await anthropic.beta.sessions.retrieve(session.id)).vault_ids).toEqual([llmVault.id, mcpVault.id]);

    await anthropic.beta.sessions.delete(session.id);
    expect(await anthropic.beta.vaults.delete(llmVault.id)).toEqual({ id: llmVault.id, type: "vault_deleted" });
    expect(await anthropic.beta.vaults.delete(mcpVault.id)).toEqual({ id: mcpVault.id, type: "vault_deleted" });
  });

  it("lets a vault go once no session lists it any more", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "vault detached");
    const first = await createLlmVault(anthropic, "vault detached 1");
    const second = await createLlmVault(anthropic, "vault detached 2");
    const one = await createSession(anthropic, prerequisites, { vault_ids: [first.id] });
    const two = await createSession(anthropic, prerequisites, { vault_ids: [first.id] });

    await anthropic.beta.sessions.update(one.id, { vault_ids: [second.id] });
    await expectApiError(anthropic.beta.vaults.delete(first.id), 409, "conflict_error");
    await anthropic.beta.sessions.update(two.id, { vault_ids: [] });
    expect(await anthropic.beta.vaults.delete(first.id)).toEqual({ id: first.id, type: "vault_deleted" });
    await expectApiError(anthropic.beta.vaults.delete(second.id), 409, "conflict_error");
  });
});

// ---------------------------------------------------------------------------------------------
// Agent version snapshots
// ---------------------------------------------------------------------------------------------

describe("agent version snapshots", () => {
  it("keeps the version a session was created with; new sessions get the latest unless pinned", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "snapshot");
    const { agent, environment } = prerequisites;
    const old = await createSession(anthropic, prerequisites);
    expect(old.agent.version).toBe(1);
    expect(old.agent.name).toBe(agent.name);

    const updated = await anthropic.beta.agents.update(agent.id, { name: "Snapshot agent v2", system: "second prompt", version: 1 });
    expect(updated.version).toBe(2);

    const oldAgain = await anthropic.beta.sessions.retrieve(old.id);
    expect(oldAgain.agent.version).toBe(1);
    expect(oldAgain.agent.name).toBe(agent.name);
    expect(oldAgain.agent.system ?? null).toBe(agent.system ?? null);

    const fresh = await createSession(anthropic, prerequisites);
    expect(fresh.agent.version).toBe(2);
    expect(fresh.agent.name).toBe("Snapshot agent v2");
    expect(fresh.agent.system).toBe("second prompt");

    const pinned = await anthropic.beta.sessions.create({
      agent: { type: "agent", id: agent.id, version: 1 },
      environment_id: environment.id,
    });
    expect(pinned.agent.version).toBe(1);
    expect(pinned.agent.name).toBe(agent.name);

    // Updating the session does not move it to the new agent version.
    const retitled = await anthropic.beta.sessions.update(old.id, { title: "still v1" });
    expect(retitled.agent.version).toBe(1);

    // Archiving the agent stops new sessions, not the ones it already has.
    await anthropic.beta.agents.archive(agent.id);
    await expectApiError(createSession(anthropic, prerequisites), 409, "conflict_error");
    const afterArchive = await anthropic.beta.sessions.retrieve(old.id);
    expect(afterArchive.agent).toEqual(oldAgain.agent);
    expect((await anthropic.beta.sessions.update(old.id, { title: "agent archived" })).title).toBe("agent archived");
    expect(await sessionIdsOf(agent.id)).toEqual([pinned.id, fresh.id, old.id]);
  });
});

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

describe("list", () => {
  it("returns {data, next_page, prev_page}, newest first, filtered by agent_id", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "list shape");
    const other = await createSession(anthropic, {
      agent: await createAgent(anthropic, "list other agent"),
      environment: prerequisites.environment,
    });
    const sessions = await createSessionsInOrder(prerequisites, 3);

    const response = await raw("GET", `/v1/sessions?agent_id=${prerequisites.agent.id}`);
    expect(response.status).toBe(200);
    const body = response.json as SessionPage;
    expect(Object.keys(body).sort()).toEqual(["data", "next_page", "prev_page"]);
    expect(idsOf(body)).toEqual(sessions.map((session) => session.id).reverse());
    expect(idsOf(body)).not.toContain(other.id);
    for (const session of body.data) expectSessionShape(session);
  });

  it("returns 20 sessions by default and at most 100", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "list default limit");
    await Promise.all(Array.from({ length: 21 }, () => createSession(anthropic, prerequisites)));
    const byDefault = await listPage(`agent_id=${prerequisites.agent.id}`);
    expect(byDefault.data).toHaveLength(20);
    expect(byDefault.next_page).toEqual(expect.any(String));
    const rest = await listPage(`agent_id=${prerequisites.agent.id}&page=${encodeURIComponent(byDefault.next_page ?? "")}`);
    expect(rest.data).toHaveLength(1);
    expect(rest.next_page).toBeNull();
    expect((await listPage(`agent_id=${prerequisites.agent.id}&limit=100`)).data).toHaveLength(21);
  });

  it("sorts oldest first with order=asc", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "list asc");
    const sessions = await createSessionsInOrder(prerequisites, 4);
    const ids = sessions.map((session) => session.id);
    expect(idsOf(await listPage(`agent_id=${prerequisites.agent.id}&order=asc`))).toEqual(ids);
    expect(idsOf(await listPage(`agent_id=${prerequisites.agent.id}&order=desc`))).toEqual([...ids].reverse());
    const viaSdk = await anthropic.beta.sessions.list({ agent_id: prerequisites.agent.id, order: "asc" });
    expect(viaSdk.data.map((session) => session.id)).toEqual(ids);
  });

  it("filters by created_at[gte|gt|lte|lt]", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "list created_at");
    const [first, middle, last] = await createSessionsInOrder(prerequisites, 3);
    if (!first || !middle || !last) throw new Error("three sessions were created");
    const scope = `agent_id=${prerequisites.agent.id}`;
    const at = encodeURIComponent(middle.created_at);
    expect(idsOf(await listPage(`${scope}&created_at[gte]=${at}`))).toEqual([last.id, middle.id]);
    expect(idsOf(await listPage(`${scope}&created_at[gt]=${at}`))).toEqual([last.id]);
    expect(idsOf(await listPage(`${scope}&created_at[lte]=${at}`))).toEqual([middle.id, first.id]);
    expect(idsOf(await listPage(`${scope}&created_at[lt]=${at}`))).toEqual([first.id]);
    const between = `${scope}&created_at[gt]=${encodeURIComponent(first.created_at)}&created_at[lt]=${encodeURIComponent(last.created_at)}`;
    expect(idsOf(await listPage(between))).toEqual([middle.id]);

    const viaSdk = await anthropic.beta.sessions.list({ agent_id: prerequisites.agent.id, "created_at[gte]": middle.created_at });
    expect(viaSdk.data.map((session) => session.id)).toEqual([last.id, middle.id]);

    // The same instant written with another offset (RFC 3339) selects the same sessions.
    const withOffset = toOffset(middle.created_at, 2 * 60);
    expect(idsOf(await listPage(`${scope}&created_at[gte]=${encodeURIComponent(withOffset)}`))).toEqual([last.id, middle.id]);
    expect(idsOf(await listPage(`${scope}&created_at[lt]=${encodeURIComponent(withOffset)}`))).toEqual([first.id]);
  });

  it("pages forward with next_page over every session once, and back with prev_page", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "list paging");
    const sessions = await createSessionsInOrder(prerequisites, 7);
    const newestFirst = sessions.map((session) => session.id).reverse();
    const scope = `agent_id=${prerequisites.agent.id}&limit=3`;

    const forward: SessionPage[] = [await listPage(scope)];
    for (let guard = 0; guard < 10; guard += 1) {
      const last = forward[forward.length - 1];
      if (!last?.next_page) break;
      forward.push(await listPage(`${scope}&page=${encodeURIComponent(last.next_page)}`));
    }
    expect(forward.map(idsOf)).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
    expect(forward[forward.length - 1]?.next_page).toBeNull();
    expect(forward[0]?.prev_page, "the first page has no previous page").toBeNull();

    // From the last page back to the first, each prev_page is the page seen before it.
    let page = forward[forward.length - 1];
    for (let index = forward.length - 2; index >= 0; index -= 1) {
      expect(page?.prev_page, `page ${index + 2} has a prev_page`).toEqual(expect.any(String));
      page = await listPage(`${scope}&page=${encodeURIComponent(page?.prev_page ?? "")}`);
      expect(idsOf(page), `prev_page of page ${index + 2}`).toEqual(idsOf(forward[index] ?? { data: [] }));
    }

    // The SDK's auto-pagination reaches the same sessions.
    const walked: string[] = [];
    for await (const session of anthropic.beta.sessions.list({ agent_id: prerequisites.agent.id, limit: 2 })) walked.push(session.id);
    expect(walked).toEqual(newestFirst);
  });

  it("pages in ascending order too", async () => {
    const prerequisites = await createSessionPrerequisites(anthropic, "list paging asc");
    const sessions = await createSessionsInOrder(prerequisites, 5);
    const oldestFirst = sessions.map((session) => session.id);
    const scope = `agent_id=${prerequisites.agent.id}&limit=2&order=asc`;
    const seen: string[] = [];
    let page = await listPage(scope);
    seen.push(...idsOf(page));
    for (let guard = 0; guard < 10 && page.next_page; guard += 1) {
      page = await listPage(`${scope}&page=${encodeURIComponent(page.next_page)}`);
      seen.push(...idsOf(page));
    }
    expect(seen).toEqual(oldestFirst);
  });

  it("refuses a bad cursor, order, created_at, limit or include_archived with 400 naming it", async () => {
    // A cursor the console issued, but for another list.
    await Promise.all([createVault(anthropic, "other cursor 1"), createVault(anthropic, "other cursor 2")]);
    const vaultCursor = (await anthropic.beta.vaults.list({ limit: 1 })).next_page;
    expect(vaultCursor).toEqual(expect.any(String));
    const cases: Array<[string, string]> = [
      ["page=not-a-cursor", "page"],
      ["page=%00", "page"],
      ["order=sideways", "order"],
      ["created_at[gte]=yesterday", "created_at"],
      ["created_at[lt]=2026-13-45", "created_at"],
      ["agent_version=0", "agent_version"],
      ["agent_version=1.5", "agent_version"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["include_archived=maybe", "include_archived"],
      [`page=${encodeURIComponent(vaultCursor ?? "")}`, "page"],
    ];
    for (const [query, field] of cases) {
      await expectApiError(await raw("GET", `/v1/sessions?${query}`), 400, "invalid_request_error", field);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Bad input: 4xx envelopes, never a 5xx (SPEC §2)
// ---------------------------------------------------------------------------------------------

describe("bad input on session routes", () => {
  async function fixture(label: string): Promise<{ prerequisites: SessionPrerequisites; session: Session }> {
    const prerequisites = await createSessionPrerequisites(anthropic, label);
    return { prerequisites, session: await createSession(anthropic, prerequisites, { title: "unchanged" }) };
  }

  it("answers malformed JSON and non-object bodies with 400", async () => {
    const { session } = await fixture("malformed");
    for (const path of ["/v1/sessions", `/v1/sessions/${session.id}`]) {
      for (const body of ['{"agent": ', "{agent: 'x'}", "[]", "null", "42", '"session"']) {
        await expectApiError(await raw("POST", path, { rawBody: body }), 400, "invalid_request_error");
      }
    }
    expect((await anthropic.beta.sessions.retrieve(session.id)).title).toBe("unchanged");
  });

  it("answers wrong types with 400 naming the field", async () => {
    const { prerequisites, session } = await fixture("wrong types");
    const base = { agent: prerequisites.agent.id, environment_id: prerequisites.environment.id };
    const createCases: Array<[unknown, string]> = [
      [{ ...base, agent: 42 }, "agent"],
      [{ ...base, agent: { type: "agent" } }, "agent"],
      [{ ...base, agent: { type: "robot", id: prerequisites.agent.id } }, "agent"],
      [{ ...base, agent: { type: "agent", id: prerequisites.agent.id, version: "1" } }, "agent"],
      [{ ...base, agent: { type: "agent", id: prerequisites.agent.id, version: 0 } }, "agent"],
      [{ ...base, agent: { type: "agent", id: prerequisites.agent.id, version: 1.5 } }, "agent"],
      [{ ...base, agent: "" }, "agent"],
      [{ ...base, environment_id: "" }, "environment_id"],
      [{ ...base, environment_id: 7 }, "environment_id"],
      [{ ...base, title: 5 }, "title"],
      [{ ...base, metadata: "team=a" }, "metadata"],
      [{ ...base, metadata: { team: 1 } }, "metadata"],
      [{ ...base, vault_ids: "vlt_x" }, "vault_ids"],
      [{ ...base, vault_ids: [1] }, "vault_ids"],
      [{ ...base, vault_ids: [""] }, "vault_ids"],
    ];
    for (const [body, field] of createCases) {
      await expectApiError(await raw("POST", "/v1/sessions", { body }), 400, "invalid_request_error", field);
    }
    const updateCases: Array<[unknown, string]> = [
      [{ title: ["x"] }, "title"],
      [{ title: "" }, "title"],
      [{ title: "t".repeat(501) }, "title"],
      [{ metadata: ["a"] }, "metadata"],
      [{ metadata: { team: 5 } }, "metadata"],
      [{ vault_ids: null }, "vault_ids"],
      [{ vault_ids: [{ id: "vlt_x" }] }, "vault_ids"],
    ];
    for (const [body, field] of updateCases) {
      await expectApiError(await raw("POST", `/v1/sessions/${session.id}`, { body }), 400, "invalid_request_error", field);
    }
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([session.id]);
    expect((await anthropic.beta.sessions.retrieve(session.id)).title).toBe("unchanged");
  });

  it("answers unknown fields with 400 naming them", async () => {
    const { prerequisites, session } = await fixture("unknown fields");
    const base = { agent: prerequisites.agent.id, environment_id: prerequisites.environment.id };
    await expectApiError(await raw("POST", "/v1/sessions", { body: { ...base, bogus_field: 1 } }), 400, "invalid_request_error", "bogus_field");
    await expectApiError(
      await raw("POST", "/v1/sessions", { body: { ...base, agent: { type: "agent", id: prerequisites.agent.id, extra_agent_field: 1 } } }),
      400,
      "invalid_request_error",
      "extra_agent_field",
    );
    await expectApiError(await raw("POST", `/v1/sessions/${session.id}`, { body: { bogus_field: 1 } }), 400, "invalid_request_error", "bogus_field");
    // The agent and environment of a session are fixed once it exists.
    await expectApiError(
      await raw("POST", `/v1/sessions/${session.id}`, { body: { environment_id: prerequisites.environment.id } }),
      400,
      "invalid_request_error",
      "environment_id",
    );
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([session.id]);
  });

  it("answers oversized values with 400 and oversized bodies with 413", async () => {
    const { prerequisites, session } = await fixture("oversized");
    const base = { agent: prerequisites.agent.id, environment_id: prerequisites.environment.id };
    const cases: Array<[string, unknown, string]> = [
      ["/v1/sessions", { ...base, title: "t".repeat(10_000) }, "title"],
      ["/v1/sessions", { ...base, metadata: { team: "v".repeat(513) } }, "metadata"],
      ["/v1/sessions", { ...base, metadata: { ["k".repeat(65)]: "v" } }, "metadata"],
      ["/v1/sessions", { ...base, environment_id: `env_${"x".repeat(3000)}` }, "environment_id"],
      [`/v1/sessions/${session.id}`, { title: "t".repeat(10_000) }, "title"],
      [`/v1/sessions/${session.id}`, { metadata: { team: "v".repeat(513) } }, "metadata"],
    ];
    for (const [path, body, field] of cases) {
      await expectApiError(await raw("POST", path, { body }), 400, "invalid_request_error", field);
    }
    const huge = JSON.stringify({ ...base, title: "x".repeat(2 * 1024 * 1024) });
    await expectApiError(await raw("POST", "/v1/sessions", { rawBody: huge }), 413, "request_too_large");
    await expectApiError(await raw("POST", `/v1/sessions/${session.id}`, { rawBody: huge }), 413, "request_too_large");
    expect(await sessionIdsOf(prerequisites.agent.id)).toEqual([session.id]);
  });

  it("follows the official title limit of 500 characters", async () => {
    const { prerequisites, session } = await fixture("title limit");
    const longest = await anthropic.beta.sessions.update(session.id, { title: "t".repeat(500) });
    expect(longest.title).toHaveLength(500);
    await expectApiError(createSession(anthropic, prerequisites, { title: "t".repeat(501) }), 400, "invalid_request_error", "title");
    await expectApiError(anthropic.beta.sessions.update(session.id, { title: "t".repeat(501) }), 400, "invalid_request_error", "title");
  });

  it("answers odd ids, query strings and methods with a 4xx envelope", async () => {
    const { session } = await fixture("odd routes");
    const attempts: Array<[string, string]> = [
      ["GET", "/v1/sessions/sesn_%00"],
      ["GET", `/v1/sessions/sesn_${"x".repeat(3000)}`],
      ["GET", "/v1/sessions/sesn_%E0%A4%A"],
      ["POST", "/v1/sessions/..%2F..%2Fetc"],
      ["GET", "/v1/sessions?agent_id=%00"],
      ["GET", `/v1/sessions?agent_id=${"a".repeat(3000)}`],
      ["GET", "/v1/sessions?limit=1&limit=2"],
      ["PATCH", `/v1/sessions/${session.id}`],
      ["PUT", "/v1/sessions"],
      ["GET", `/v1/sessions/${session.id}/archive`],
    ];
    for (const [method, path] of attempts) {
      expectClientErrorOrSuccess(await raw(method, path, method === "GET" ? {} : { body: { title: "odd" } }), `${method} ${path.slice(0, 60)}`);
    }
    expect((await anthropic.beta.sessions.retrieve(session.id)).title).toBe("unchanged");
  });
});

/** A 2xx, or a 4xx in the error envelope: never a 5xx (guardResponses() checks that too). */
function expectClientErrorOrSuccess(response: RawResponse, label: string): void {
  const where = `${label}: ${response.status} ${response.text.slice(0, 200)}`;
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) {
    const body = response.json as { type?: unknown; error?: { type?: unknown; message?: unknown }; request_id?: unknown };
    expect(body?.type, where).toBe("error");
    expect(typeof body?.error?.message, where).toBe("string");
    expect(body.request_id, where).toBe(response.headers.get("request-id"));
  }
}
