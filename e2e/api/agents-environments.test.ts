// Agents and environments through the official SDK (`client.beta.agents`, `client.beta.environments`):
// SPEC §6 (the minimum sessions need), with the §2 conventions every resource follows.
import { setTimeout as sleep } from "node:timers/promises";
import type Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";

import {
  AGENT_MODEL,
  RESERVED,
  client,
  createAgent,
  createEnvironment,
  createSession,
  expectApiError,
  expectTimestamp,
  expectUnknownIdNotFound,
  guardResponses,
  raw,
  uniqueName,
  type Agent,
  type Environment,
  type RawResponse,
} from "./support";

guardResponses();

const anthropic = client();

function expectAgentShape(agent: Agent): void {
  expect(agent.type).toBe("agent");
  expect(agent.id).toMatch(/^agent_[A-Za-z0-9_-]{16,}$/);
  expect(typeof agent.name).toBe("string");
  expect(Number.isInteger(agent.version)).toBe(true);
  expect(agent.version).toBeGreaterThanOrEqual(1);
  expect(typeof agent.model.id).toBe("string");
  expect(agent.metadata !== null && typeof agent.metadata === "object" && !Array.isArray(agent.metadata)).toBe(true);
  expectTimestamp(agent.created_at, "created_at");
  expectTimestamp(agent.updated_at, "updated_at");
  expect(Date.parse(agent.updated_at)).toBeGreaterThanOrEqual(Date.parse(agent.created_at));
}

type CloudNetworking = Extract<Environment["config"], { type: "cloud" }>["networking"];

/** The networking of a cloud environment, the only kind this console has (SPEC §6). */
function networkingOf(environment: Environment): CloudNetworking {
  const { config } = environment;
  if (config.type !== "cloud") expect.fail(`config.type is ${config.type}, not cloud`);
  return config.networking;
}

function expectEnvironmentShape(environment: Environment): void {
  expect(environment.type).toBe("environment");
  expect(environment.id).toMatch(/^env_[A-Za-z0-9_-]{16,}$/);
  expect(typeof environment.name).toBe("string");
  expect(environment.config.type).toBe("cloud");
  expect(["unrestricted", "limited"]).toContain(networkingOf(environment).type);
  expect(environment.metadata !== null && typeof environment.metadata === "object" && !Array.isArray(environment.metadata)).toBe(true);
  expectTimestamp(environment.created_at, "created_at");
  expectTimestamp(environment.updated_at, "updated_at");
}

/** Walks a newest-first list until every wanted id was seen or the list ends. */
async function walkList(
  list: (page: string | undefined) => Promise<{ data: Array<{ id: string }>; next_page: string | null }>,
  wanted: string[],
): Promise<string[]> {
  const seen: string[] = [];
  const remaining = new Set(wanted);
  let page: string | undefined;
  for (let pageCount = 0; pageCount < 500; pageCount += 1) {
    const result = await list(page);
    for (const item of result.data) {
      seen.push(item.id);
      remaining.delete(item.id);
    }
    if (remaining.size === 0 || !result.next_page) break;
    page = result.next_page;
  }
  return seen;
}

function agentIds(options: { includeArchived?: boolean; limit?: number }, wanted: string[]): Promise<string[]> {
  return walkList(
    (page) =>
      anthropic.beta.agents.list({
        limit: options.limit ?? 100,
        ...(options.includeArchived !== undefined ? { include_archived: options.includeArchived } : {}),
        ...(page ? { page } : {}),
      }),
    wanted,
  );
}

function environmentIds(options: { includeArchived?: boolean; limit?: number }, wanted: string[]): Promise<string[]> {
  return walkList(
    (page) =>
      anthropic.beta.environments.list({
        limit: options.limit ?? 100,
        ...(options.includeArchived !== undefined ? { include_archived: options.includeArchived } : {}),
        ...(page ? { page } : {}),
      }),
    wanted,
  );
}

/** `ids` appear in `seen` in exactly this order (other ids may sit between them). */
function expectInOrder(seen: string[], ids: string[]): void {
  const positions = ids.map((id) => seen.indexOf(id));
  expect(
    positions.every((position) => position >= 0),
    `all of ${ids.join(", ")} are listed`,
  ).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

function expectClientError(response: RawResponse, label: string): void {
  expect(response.status, `${label}: ${response.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${label}: ${response.text.slice(0, 200)}`).toBeLessThan(500);
  const body = response.json as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  expect(body?.type, label).toBe("error");
  expect(typeof body?.error?.message, label).toBe("string");
}

// ---------------------------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------------------------

/** With 21 more items made: a list returns 20 by default (with a next page) and at most 100 at limit=100. */
async function expectPageSizes<Item>(
  path: string,
  createFiller: (index: number) => Promise<unknown>,
  listHundred: () => Promise<Item[]>,
  expectShape: (item: Item) => void,
): Promise<void> {
  await Promise.all(Array.from({ length: 21 }, (_, index) => createFiller(index)));
  const byDefault = await raw("GET", path);
  expect((byDefault.json as { data: unknown[] }).data).toHaveLength(20);
  expect((byDefault.json as { next_page: unknown }).next_page).toEqual(expect.any(String));
  const hundred = await listHundred();
  expect(hundred.length).toBeGreaterThanOrEqual(21);
  expect(hundred.length).toBeLessThanOrEqual(100);
  for (const item of hundred) expectShape(item);
}

describe("agents: create and retrieve", () => {
  it("creates version 1 with an agent_ id and retrieve returns the same object", async () => {
    const name = uniqueName("agent shape");
    const agent = await anthropic.beta.agents.create({
      name,
      model: AGENT_MODEL,
      system: "You answer billing questions.",
      description: "Billing helper",
      metadata: { team: "billing" },
    });
    expectAgentShape(agent);
    expect(agent.name).toBe(name);
    expect(agent.model.id).toBe(AGENT_MODEL);
    expect(agent.system).toBe("You answer billing questions.");
    expect(agent.description).toBe("Billing helper");
    expect(agent.metadata).toEqual({ team: "billing" });
    expect(agent.version).toBe(1);
    expect(agent.archived_at).toBeNull();

    expect(await anthropic.beta.agents.retrieve(agent.id)).toEqual(agent);
  });

  it("accepts a model configuration object and defaults the optional fields", async () => {
    const agent = await anthropic.beta.agents.create({ name: uniqueName("model config"), model: { id: AGENT_MODEL } });
    expect(agent.model.id).toBe(AGENT_MODEL);
    expect(agent.metadata).toEqual({});
    expect(agent.system ?? null).toBeNull();
    expect(agent.description ?? null).toBeNull();
  });

  it("requires name and model", async () => {
    await expectApiError(await raw("POST", "/v1/agents", { body: { model: AGENT_MODEL } }), 400, "invalid_request_error", "name");
    await expectApiError(await raw("POST", "/v1/agents", { body: { name: uniqueName("no model") } }), 400, "invalid_request_error", "model");
    for (const name of ["", "   "]) {
      await expectApiError(anthropic.beta.agents.create({ name, model: AGENT_MODEL }), 400, "invalid_request_error", "name");
    }
  });

  it("answers 404 for an unknown agent", async () => {
    await expectUnknownIdNotFound(anthropic.beta.agents, "agent_doesnotexist", { name: "x" });
  });
});

describe("agents: update", () => {
  it("bumps the version on every update and keeps what was omitted", async () => {
    const agent = await createAgent(anthropic, "versions", { system: "v1 prompt", metadata: { keep: "k" } });
    expect(agent.version).toBe(1);

    const renamed = await anthropic.beta.agents.update(agent.id, { name: "  Renamed agent  " });
    expectAgentShape(renamed);
    expect(renamed.id).toBe(agent.id);
    expect(renamed.version).toBe(2);
    expect(renamed.name).toBe("Renamed agent");
    expect(renamed.system).toBe("v1 prompt");
    expect(renamed.model.id).toBe(AGENT_MODEL);
    expect(renamed.metadata).toEqual({ keep: "k" });
    expect(renamed.created_at).toBe(agent.created_at);

    const reprompted = await anthropic.beta.agents.update(agent.id, { system: "v3 prompt", version: 2 });
    expect(reprompted.version).toBe(3);
    expect(reprompted.system).toBe("v3 prompt");
    expect(await anthropic.beta.agents.retrieve(agent.id)).toEqual(reprompted);
  });

  it("refuses a stale version with 409 and changes nothing", async () => {
    const agent = await createAgent(anthropic, "stale");
    await anthropic.beta.agents.update(agent.id, { description: "second", version: 1 });
    await expectApiError(anthropic.beta.agents.update(agent.id, { description: "lost update", version: 1 }), 409, "conflict_error");
    await expectApiError(anthropic.beta.agents.update(agent.id, { description: "future", version: 7 }), 409, "conflict_error");
    const current = await anthropic.beta.agents.retrieve(agent.id);
    expect(current.version).toBe(2);
    expect(current.description).toBe("second");
  });

  it("patches metadata: a string upserts, null deletes, omitted keys stay", async () => {
    const agent = await createAgent(anthropic, "metadata patch", { metadata: { keep: "k", change: "old", remove: "gone" } });
    const patched = await anthropic.beta.agents.update(agent.id, {
      metadata: { change: "new", remove: null, added: "fresh", never_existed: null },
    });
    expect(patched.metadata).toEqual({ keep: "k", change: "new", added: "fresh" });
    expect((await anthropic.beta.agents.retrieve(agent.id)).metadata).toEqual(patched.metadata);
  });
});

describe("agents: list and archive", () => {
  it("lists newest first as {data, next_page}, walking pages without duplicates", async () => {
    const created: Agent[] = [];
    for (let index = 0; index < 5; index += 1) created.push(await createAgent(anthropic, `list ${index}`));
    const wanted = created.map((agent) => agent.id);

    const page = await raw("GET", "/v1/agents?limit=2");
    expect(page.status).toBe(200);
    expect(Object.keys(page.json as object).sort()).toEqual(["data", "next_page"]);

    const seen = await agentIds({ limit: 2 }, wanted);
    expect(new Set(seen).size, "no agent appears twice").toBe(seen.length);
    expectInOrder(seen, [...wanted].reverse());
  });

  it("returns 20 by default and at most 100", async () => {
    await expectPageSizes(
      "/v1/agents",
      (index) => createAgent(anthropic, `agent page filler ${index}`),
      async () => (await anthropic.beta.agents.list({ limit: 100 })).data,
      expectAgentShape,
    );
  });

  it("archive sets archived_at, keeps the agent retrievable and hides it from the default list", async () => {
    const before = await createAgent(anthropic, "archive neighbour before");
    const archived = await createAgent(anthropic, "archived agent");
    const after = await createAgent(anthropic, "archive neighbour after");

    const result = await anthropic.beta.agents.archive(archived.id);
    expectAgentShape(result);
    expectTimestamp(result.archived_at, "archived_at");
    expect(await anthropic.beta.agents.retrieve(archived.id)).toEqual(result);

    const active = await agentIds({}, [after.id, before.id]);
    expect(active).not.toContain(archived.id);
    expectInOrder(active, [after.id, before.id]);

    const all = await agentIds({ includeArchived: true }, [after.id, archived.id, before.id]);
    expectInOrder(all, [after.id, archived.id, before.id]);
  });

  it("refuses a page cursor it did not issue", async () => {
    await expectApiError(await raw("GET", "/v1/agents?page=not-a-cursor"), 400, "invalid_request_error", "page");
  });
});

/** Every agent id a filtered list holds, walking all of its pages (the ranges tested are a few milliseconds wide). */
async function allAgentIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  let page: string | null = null;
  for (let guard = 0; guard < 50; guard += 1) {
    const response = await raw("GET", `/v1/agents?limit=100&${query}${page ? `&page=${encodeURIComponent(page)}` : ""}`);
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    const body = response.json as { data: Agent[]; next_page: string | null };
    ids.push(...body.data.map((agent) => agent.id));
    page = body.next_page;
    if (!page) break;
  }
  return ids;
}

/** `utc` (an RFC 3339 UTC timestamp) as the same instant in a zone `minutes` east of UTC. */
function toOffset(utc: string, minutes: number): string {
  const local = new Date(Date.parse(utc) + minutes * 60_000).toISOString().replace(/Z$/, "");
  return `${local}+${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

describe("agents: created_at filters", () => {
  async function agentsInOrder(): Promise<[Agent, Agent, Agent]> {
    const made: Agent[] = [];
    for (let index = 0; index < 3; index += 1) {
      made.push(await createAgent(anthropic, `created_at ${index}`));
      await sleep(15);
    }
    const [first, middle, last] = made;
    if (!first || !middle || !last) throw new Error("three agents were made");
    return [first, middle, last];
  }

  it("takes the contract's created_at[gte] and created_at[lte] (inclusive) through the SDK", async () => {
    const [first, middle, last] = await agentsInOrder();
    const between = await anthropic.beta.agents.list({ "created_at[gte]": middle.created_at, "created_at[lte]": last.created_at, limit: 100 });
    const ids = between.data.map((agent) => agent.id);
    expectInOrder(ids, [last.id, middle.id]);
    expect(ids).not.toContain(first.id);

    const upTo = await anthropic.beta.agents.list({ "created_at[gte]": first.created_at, "created_at[lte]": middle.created_at, limit: 100 });
    expectInOrder(
      upTo.data.map((agent) => agent.id),
      [middle.id, first.id],
    );
    expect(upTo.data.map((agent) => agent.id)).not.toContain(last.id);
  });

  it("takes created_at[gt] and created_at[lt] (exclusive), alone or combined, in any RFC 3339 offset", async () => {
    const [first, middle, last] = await agentsInOrder();
    const at = (agent: Agent) => encodeURIComponent(agent.created_at);

    const afterMiddle = await allAgentIds(`created_at[gt]=${at(middle)}&created_at[lte]=${at(last)}`);
    expect(afterMiddle).toContain(last.id);
    expect(afterMiddle).not.toContain(middle.id);
    expect(afterMiddle).not.toContain(first.id);

    const beforeMiddle = await allAgentIds(`created_at[gte]=${at(first)}&created_at[lt]=${at(middle)}`);
    expect(beforeMiddle).toContain(first.id);
    expect(beforeMiddle).not.toContain(middle.id);
    expect(beforeMiddle).not.toContain(last.id);

    const strictlyBetween = await allAgentIds(`created_at[gt]=${at(first)}&created_at[lt]=${at(last)}`);
    expect(strictlyBetween).toContain(middle.id);
    expect(strictlyBetween).not.toContain(first.id);
    expect(strictlyBetween).not.toContain(last.id);

    // The same instant written two hours east of UTC bounds the list at the same point.
    const shifted = encodeURIComponent(toOffset(middle.created_at, 120));
    const fromMiddle = await allAgentIds(`created_at[gte]=${shifted}&created_at[lte]=${at(last)}`);
    expectInOrder(fromMiddle, [last.id, middle.id]);
    expect(fromMiddle).not.toContain(first.id);
  });

  it("applies the bounds with include_archived and across pages", async () => {
    const [first, middle, last] = await agentsInOrder();
    await anthropic.beta.agents.archive(middle.id);
    const range = `created_at[gte]=${encodeURIComponent(first.created_at)}&created_at[lte]=${encodeURIComponent(last.created_at)}`;
    expect(await allAgentIds(range)).not.toContain(middle.id);
    const withArchived = await allAgentIds(`${range}&include_archived=true`);
    expectInOrder(withArchived, [last.id, middle.id, first.id]);

    const firstPage = await raw("GET", `/v1/agents?limit=1&include_archived=true&${range}`);
    const { next_page: nextPage } = firstPage.json as { next_page: string | null };
    expect(nextPage, "a one-item page of a range of at least three has a next page").toEqual(expect.any(String));
    const rest = await raw("GET", `/v1/agents?limit=100&include_archived=true&${range}&page=${encodeURIComponent(nextPage ?? "")}`);
    const restIds = (rest.json as { data: Agent[] }).data.map((agent) => agent.id);
    expect([...(firstPage.json as { data: Agent[] }).data.map((agent) => agent.id), ...restIds]).toEqual(withArchived);
  });

  it("refuses a created_at bound that is not an RFC 3339 timestamp with 400 naming it", async () => {
    const cases = [
      "created_at[gte]=yesterday",
      "created_at[gt]=1700000000",
      "created_at[lte]=2026-13-45T00:00:00Z",
      "created_at[lt]=2026-01-01",
      "created_at[gte]=",
      "created_at[between]=2026-01-01T00:00:00Z",
    ];
    for (const query of cases) {
      const name = query.slice(0, query.indexOf("="));
      await expectApiError(await raw("GET", `/v1/agents?${query}`), 400, "invalid_request_error", name);
    }
  });
});

describe("agents: versions", () => {
  /** An agent taken through three versions: a rename with new metadata, then a new system prompt. */
  async function threeVersions(): Promise<[Agent, Agent, Agent]> {
    const first = await createAgent(anthropic, "versioned", { system: "prompt one", metadata: { stage: "one" } });
    await sleep(5);
    const second = await anthropic.beta.agents.update(first.id, { name: uniqueName("versioned renamed"), metadata: { stage: "two" }, version: 1 });
    await sleep(5);
    const third = await anthropic.beta.agents.update(first.id, { system: "prompt three", version: 2 });
    return [first, second, third];
  }

  it("retrieves the agent as it was at each version with ?version=N, and the latest without it", async () => {
    const [first, second, third] = await threeVersions();
    expect(third.version).toBe(3);

    expect(await anthropic.beta.agents.retrieve(first.id, { version: 1 })).toEqual(first);
    expect(await anthropic.beta.agents.retrieve(first.id, { version: 2 })).toEqual(second);
    expect(await anthropic.beta.agents.retrieve(first.id, { version: 3 })).toEqual(third);
    expect(await anthropic.beta.agents.retrieve(first.id)).toEqual(third);

    const versionOne = await anthropic.beta.agents.retrieve(first.id, { version: 1 });
    expectAgentShape(versionOne);
    expect(versionOne.system).toBe("prompt one");
    expect(versionOne.metadata).toEqual({ stage: "one" });
    expect(versionOne.name).toBe(first.name);
  });

  it("keeps past versions readable after archiving, with the agent's archived_at", async () => {
    const [first, second] = await threeVersions();
    const archived = await anthropic.beta.agents.archive(first.id);
    expect(await anthropic.beta.agents.retrieve(first.id, { version: 3 })).toEqual(archived);
    const past = await anthropic.beta.agents.retrieve(first.id, { version: 2 });
    expect(past).toEqual({ ...second, archived_at: archived.archived_at });
  });

  it("answers 404 naming the version for a version the agent never had, and for an unknown agent", async () => {
    const agent = await createAgent(anthropic, "one version");
    for (const version of [2, 2_147_483_647]) {
      await expectApiError(anthropic.beta.agents.retrieve(agent.id, { version }), 404, "not_found_error", [agent.id, `@${version}`]);
    }
    await expectApiError(anthropic.beta.agents.retrieve("agent_doesnotexist", { version: 1 }), 404, "not_found_error", "agent_doesnotexist");
    await expectApiError(anthropic.beta.agents.versions.list("agent_doesnotexist"), 404, "not_found_error", "agent_doesnotexist");
  });

  it("refuses a version that is not an integer of at least 1 with 400 naming version", async () => {
    const agent = await createAgent(anthropic, "bad version");
    for (const version of ["abc", "1.5", "0", "-1", "", "1e2", " 1", "2147483648", "99999999999"]) {
      await expectApiError(await raw("GET", `/v1/agents/${agent.id}?version=${encodeURIComponent(version)}`), 400, "invalid_request_error", "version");
    }
    await expectApiError(await raw("GET", `/v1/agents/${agent.id}?revision=1`), 400, "invalid_request_error", "revision");
  });

  it("lists every version newest first through the SDK's versions.list, as agent objects", async () => {
    const [first, second, third] = await threeVersions();
    const response = await raw("GET", `/v1/agents/${first.id}/versions`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.json as object).sort()).toEqual(["data", "next_page"]);
    expect((response.json as { next_page: unknown }).next_page).toBeNull();

    const page = await anthropic.beta.agents.versions.list(first.id);
    expect(page.data).toEqual([third, second, first]);
    for (const version of page.data) expectAgentShape(version);

    const untouched = await createAgent(anthropic, "only version");
    expect((await anthropic.beta.agents.versions.list(untouched.id)).data).toEqual([untouched]);
  });

  it("pages versions with limit and next_page, each version once, and the SDK walks them all", async () => {
    const agent = await createAgent(anthropic, "many versions");
    for (let version = 1; version < 5; version += 1) {
      await anthropic.beta.agents.update(agent.id, { description: `revision ${version + 1}`, version });
    }
    const pages: number[][] = [];
    let page = await anthropic.beta.agents.versions.list(agent.id, { limit: 2 });
    pages.push(page.data.map((version) => version.version));
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      pages.push(page.data.map((version) => version.version));
    }
    expect(pages).toEqual([[5, 4], [3, 2], [1]]);

    const walked: number[] = [];
    for await (const version of anthropic.beta.agents.versions.list(agent.id, { limit: 3 })) walked.push(version.version);
    expect(walked).toEqual([5, 4, 3, 2, 1]);
  });

  it("refuses bad limits, foreign cursors and unknown parameters on the versions list with 400 naming them", async () => {
    const agent = await createAgent(anthropic, "versions bad input");
    await anthropic.beta.agents.update(agent.id, { description: "second" });
    const other = await createAgent(anthropic, "versions other");
    await anthropic.beta.agents.update(other.id, { description: "second" });
    const otherCursor = (await anthropic.beta.agents.versions.list(other.id, { limit: 1 })).next_page;
    expect(otherCursor).toEqual(expect.any(String));
    const agentsCursor = (await anthropic.beta.agents.list({ limit: 1 })).next_page;

    const cases: Array<[string, string]> = [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=two", "limit"],
      ["page=not-a-cursor", "page"],
      [`page=${encodeURIComponent(otherCursor ?? "")}`, "page"],
      [`page=${encodeURIComponent(agentsCursor ?? "")}`, "page"],
      ["include_archived=true", "include_archived"],
      ["version=1", "version"],
    ];
    for (const [query, field] of cases) {
      await expectApiError(await raw("GET", `/v1/agents/${agent.id}/versions?${query}`), 400, "invalid_request_error", field);
    }
    for (const method of ["POST", "DELETE"]) {
      await expectApiError(await raw(method, `/v1/agents/${agent.id}/versions`), 405, "invalid_request_error");
    }
  });
});

describe("agents: reserved metadata", () => {
  it("refuses sandbox0.managed_agents.* keys at create and in a patch, naming the key", async () => {
    for (const key of [`${RESERVED}role`, `${RESERVED}engine`, `${RESERVED}anything`]) {
      await expectApiError(
        anthropic.beta.agents.create({ name: uniqueName("reserved"), model: AGENT_MODEL, metadata: { [key]: "llm" } }),
        400,
        "invalid_request_error",
        [key, /agent/i],
      );
    }
    const agent = await createAgent(anthropic, "reserved patch");
    await expectApiError(anthropic.beta.agents.update(agent.id, { metadata: { [`${RESERVED}role`]: "llm" } }), 400, "invalid_request_error", [
      `${RESERVED}role`,
      /agent/i,
    ]);
    const unchanged = await anthropic.beta.agents.retrieve(agent.id);
    expect(unchanged.metadata).toEqual({});
    expect(unchanged.version).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Environments
// ---------------------------------------------------------------------------------------------

describe("environments: create and retrieve", () => {
  it("creates a cloud environment with an env_ id and retrieve returns the same object", async () => {
    const name = uniqueName("environment shape");
    const environment = await anthropic.beta.environments.create({
      name,
      description: "Unrestricted sandbox",
      config: { type: "cloud", networking: { type: "unrestricted" } },
      metadata: { team: "platform" },
    });
    expectEnvironmentShape(environment);
    expect(environment.name).toBe(name);
    expect(environment.description).toBe("Unrestricted sandbox");
    expect(networkingOf(environment)).toEqual({ type: "unrestricted" });
    expect(environment.metadata).toEqual({ team: "platform" });
    expect(environment.archived_at).toBeNull();
    expect(await anthropic.beta.environments.retrieve(environment.id)).toEqual(environment);
  });

  it("keeps limited networking with its allowed hosts", async () => {
    const environment = await anthropic.beta.environments.create({
      name: uniqueName("limited"),
      config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["api.example.com", "*.example.org"] } },
    });
    const networking = networkingOf(environment);
    expect(networking.type).toBe("limited");
    expect(networking.type === "limited" ? networking.allowed_hosts : null).toEqual(["api.example.com", "*.example.org"]);
  });

  it("refuses a missing name, a config that is not cloud, and unknown networking", async () => {
    await expectApiError(await raw("POST", "/v1/environments", { body: { config: { type: "cloud" } } }), 400, "invalid_request_error", "name");
    await expectApiError(
      await raw("POST", "/v1/environments", { body: { name: uniqueName("bad config"), config: { type: "on_premises" } } }),
      400,
      "invalid_request_error",
      "config",
    );
    await expectApiError(
      await raw("POST", "/v1/environments", {
        body: { name: uniqueName("bad networking"), config: { type: "cloud", networking: { type: "sometimes" } } },
      }),
      400,
      "invalid_request_error",
      "networking",
    );
  });

  it("answers 404 for an unknown environment", async () => {
    await expectUnknownIdNotFound(anthropic.beta.environments, "env_doesnotexist", { name: "x" });
    await expectApiError(anthropic.beta.environments.delete("env_doesnotexist"), 404, "not_found_error");
  });
});

describe("environments: update", () => {
  it("renames, re-describes and reconfigures, keeping what was omitted", async () => {
    const environment = await anthropic.beta.environments.create({
      name: uniqueName("update env"),
      description: "first",
      config: { type: "cloud", networking: { type: "unrestricted" } },
      metadata: { keep: "k", change: "old", remove: "gone" },
    });
    const renamed = await anthropic.beta.environments.update(environment.id, { name: "Renamed environment" });
    expect(renamed.name).toBe("Renamed environment");
    expect(renamed.description).toBe("first");
    expect(networkingOf(renamed)).toEqual({ type: "unrestricted" });
    expect(renamed.metadata).toEqual(environment.metadata);
    expect(renamed.created_at).toBe(environment.created_at);

    const limited = await anthropic.beta.environments.update(environment.id, {
      description: "second",
      config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["api.example.com"] } },
      metadata: { change: "new", remove: null, added: "fresh" },
    });
    expect(limited.name).toBe("Renamed environment");
    expect(limited.description).toBe("second");
    expect(networkingOf(limited).type).toBe("limited");
    expect(limited.metadata).toEqual({ keep: "k", change: "new", added: "fresh" });
    expect(await anthropic.beta.environments.retrieve(environment.id)).toEqual(limited);
  });

  it("refuses reserved metadata keys at create and in a patch, naming the key", async () => {
    for (const key of [`${RESERVED}role`, `${RESERVED}llm_base_url`]) {
      await expectApiError(anthropic.beta.environments.create({ name: uniqueName("reserved env"), metadata: { [key]: "llm" } }), 400, "invalid_request_error", [
        key,
        /environment/i,
      ]);
    }
    const environment = await createEnvironment(anthropic, "reserved env patch");
    await expectApiError(anthropic.beta.environments.update(environment.id, { metadata: { [`${RESERVED}engine`]: "claude" } }), 400, "invalid_request_error", [
      `${RESERVED}engine`,
      /environment/i,
    ]);
    expect((await anthropic.beta.environments.retrieve(environment.id)).metadata).toEqual({});
  });
});

describe("environments: list, archive and delete", () => {
  it("lists newest first as {data, next_page}, hiding archived ones unless asked", async () => {
    const first = await createEnvironment(anthropic, "env list 1");
    const archived = await createEnvironment(anthropic, "env list archived");
    const third = await createEnvironment(anthropic, "env list 3");
    const result = await anthropic.beta.environments.archive(archived.id);
    expectTimestamp(result.archived_at, "archived_at");
    expect(await anthropic.beta.environments.retrieve(archived.id)).toEqual(result);

    const page = await raw("GET", "/v1/environments?limit=1");
    expect(page.status).toBe(200);
    expect(Object.keys(page.json as object).sort()).toEqual(["data", "next_page"]);

    const active = await environmentIds({ limit: 2 }, [third.id, first.id]);
    expect(new Set(active).size).toBe(active.length);
    expect(active).not.toContain(archived.id);
    expectInOrder(active, [third.id, first.id]);

    const all = await environmentIds({ includeArchived: true, limit: 2 }, [third.id, archived.id, first.id]);
    expectInOrder(all, [third.id, archived.id, first.id]);
  });

  it("returns 20 by default and at most 100", async () => {
    await expectPageSizes(
      "/v1/environments",
      (index) => createEnvironment(anthropic, `env page filler ${index}`),
      async () => (await anthropic.beta.environments.list({ limit: 100 })).data,
      expectEnvironmentShape,
    );
  });

  it("deletes an unused environment with {id, type: environment_deleted}", async () => {
    const environment = await createEnvironment(anthropic, "delete env");
    expect(await anthropic.beta.environments.delete(environment.id)).toEqual({
      id: environment.id,
      type: "environment_deleted",
    });
    await expectApiError(anthropic.beta.environments.retrieve(environment.id), 404, "not_found_error");
    await expectApiError(anthropic.beta.environments.delete(environment.id), 404, "not_found_error");
    const listed = await environmentIds({ includeArchived: true }, [environment.id]);
    expect(listed).not.toContain(environment.id);
  });

  it("refuses delete with 409 while any session uses it, archived sessions included", async () => {
    const environment = await createEnvironment(anthropic, "env in use");
    const agent = await createAgent(anthropic, "env in use");
    const prerequisites = { agent, environment };
    const active = await createSession(anthropic, prerequisites);
    const archivedSession = await createSession(anthropic, prerequisites);
    await anthropic.beta.sessions.archive(archivedSession.id);

    await expectApiError(anthropic.beta.environments.delete(environment.id), 409, "conflict_error");
    await anthropic.beta.sessions.delete(active.id);
    // Only the archived session is left: still in use.
    await expectApiError(anthropic.beta.environments.delete(environment.id), 409, "conflict_error");
    expect((await anthropic.beta.environments.retrieve(environment.id)).id).toBe(environment.id);

    await anthropic.beta.sessions.delete(archivedSession.id);
    expect(await anthropic.beta.environments.delete(environment.id)).toEqual({
      id: environment.id,
      type: "environment_deleted",
    });
  });

  it("refuses delete with 409 for an archived environment that a session still uses", async () => {
    const environment = await createEnvironment(anthropic, "archived env in use");
    const session = await createSession(anthropic, { agent: await createAgent(anthropic, "archived env"), environment });
    await anthropic.beta.environments.archive(environment.id);
    await expectApiError(anthropic.beta.environments.delete(environment.id), 409, "conflict_error");
    await anthropic.beta.sessions.delete(session.id);
    expect((await anthropic.beta.environments.delete(environment.id)).type).toBe("environment_deleted");
  });
});

// ---------------------------------------------------------------------------------------------
// Bad input: 4xx envelopes, never a 5xx (SPEC §2)
// ---------------------------------------------------------------------------------------------

describe("bad input on agent and environment routes", () => {
  interface Paths {
    agents: string;
    agent: string;
    environments: string;
    environment: string;
  }

  async function paths(via: Anthropic): Promise<Paths> {
    const agent = await createAgent(via, "bad input");
    const environment = await createEnvironment(via, "bad input");
    return {
      agents: "/v1/agents",
      agent: `/v1/agents/${agent.id}`,
      environments: "/v1/environments",
      environment: `/v1/environments/${environment.id}`,
    };
  }

  it("answers malformed JSON and non-object bodies with 400", async () => {
    for (const path of Object.values(await paths(anthropic))) {
      for (const body of ['{"name": ', "[]", "null", "42", '"agent"']) {
        await expectApiError(await raw("POST", path, { rawBody: body }), 400, "invalid_request_error");
      }
    }
  });

  it("answers wrong types with 400 naming the field", async () => {
    const { agent, environment } = await paths(anthropic);
    const cases: Array<[string, unknown, string]> = [
      ["/v1/agents", { name: 42, model: AGENT_MODEL }, "name"],
      ["/v1/agents", { name: uniqueName("types"), model: 7 }, "model"],
      ["/v1/agents", { name: uniqueName("types"), model: AGENT_MODEL, system: ["x"] }, "system"],
      ["/v1/agents", { name: uniqueName("types"), model: AGENT_MODEL, metadata: { team: 1 } }, "metadata"],
      [agent, { version: "one" }, "version"],
      [agent, { name: false }, "name"],
      ["/v1/environments", { name: ["x"] }, "name"],
      ["/v1/environments", { name: uniqueName("types"), config: "cloud" }, "config"],
      ["/v1/environments", { name: uniqueName("types"), metadata: "team=a" }, "metadata"],
      [environment, { description: 5 }, "description"],
    ];
    for (const [path, body, field] of cases) {
      await expectApiError(await raw("POST", path, { body }), 400, "invalid_request_error", field);
    }
  });

  it("answers unknown fields with 400 naming them", async () => {
    const { agents, agent, environments, environment } = await paths(anthropic);
    const cases: Array<[string, unknown]> = [
      [agents, { name: uniqueName("unknown"), model: AGENT_MODEL, bogus_field: 1 }],
      [agent, { bogus_field: 1 }],
      [environments, { name: uniqueName("unknown"), bogus_field: 1 }],
      [environment, { bogus_field: 1 }],
    ];
    for (const [path, body] of cases) {
      await expectApiError(await raw("POST", path, { body }), 400, "invalid_request_error", "bogus_field");
    }
  });

  it("answers oversized values with 400 and oversized bodies with 413", async () => {
    const agent = await createAgent(anthropic, "oversized");
    const environment = await createEnvironment(anthropic, "oversized");
    const cases: Array<[string, unknown, string]> = [
      ["/v1/agents", { name: "n".repeat(257), model: AGENT_MODEL }, "name"],
      ["/v1/agents", { name: uniqueName("long system"), model: AGENT_MODEL, system: "s".repeat(100_001) }, "system"],
      ["/v1/agents", { name: uniqueName("long metadata"), model: AGENT_MODEL, metadata: { team: "v".repeat(513) } }, "metadata"],
      [`/v1/agents/${agent.id}`, { name: "n".repeat(257) }, "name"],
      ["/v1/environments", { name: "n".repeat(257) }, "name"],
      ["/v1/environments", { name: uniqueName("long metadata"), metadata: { ["k".repeat(65)]: "v" } }, "metadata"],
      [`/v1/environments/${environment.id}`, { name: "n".repeat(257) }, "name"],
    ];
    for (const [path, body, field] of cases) {
      await expectApiError(await raw("POST", path, { body }), 400, "invalid_request_error", field);
    }
    const huge = JSON.stringify({ name: uniqueName("huge"), model: AGENT_MODEL, system: "x".repeat(2 * 1024 * 1024) });
    await expectApiError(await raw("POST", "/v1/agents", { rawBody: huge }), 413, "request_too_large");
    const hugeEnvironment = JSON.stringify({ name: uniqueName("huge"), description: "x".repeat(2 * 1024 * 1024) });
    await expectApiError(await raw("POST", "/v1/environments", { rawBody: hugeEnvironment }), 413, "request_too_large");
  });

  it("answers odd ids, query strings and methods with a 4xx envelope", async () => {
    const { agent } = await paths(anthropic);
    const attempts: Array<[string, string]> = [
      // Agents are archived, never deleted (SPEC §6 lists no delete).
      ["DELETE", agent],
      ["GET", "/v1/agents/agent_%00"],
      ["GET", `/v1/agents/agent_${"x".repeat(3000)}`],
      ["GET", "/v1/environments/env_%E0%A4%A"],
      ["GET", "/v1/agents?limit=0"],
      ["GET", "/v1/agents?limit=101"],
      ["GET", "/v1/agents?include_archived=maybe"],
      ["GET", "/v1/environments?limit=abc"],
      ["GET", "/v1/environments?page=%00"],
      ["PATCH", "/v1/agents"],
      ["DELETE", "/v1/agents"],
      ["PUT", "/v1/environments"],
    ];
    for (const [method, path] of attempts) {
      expectClientError(await raw(method, path), `${method} ${path.slice(0, 60)}`);
    }
    expect((await raw("GET", agent)).status, "the agent survives DELETE").toBe(200);
  });
});
