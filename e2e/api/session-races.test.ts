// The session rules under concurrent requests (SPEC §5: "The invariant also holds when two requests
// race on two server processes"; §3 and §6: a vault or environment any session references cannot be
// deleted; agent updates that name a stale version are refused; lists stay newest first). Each race
// runs on one process and, when scripts/test.ts started a second console on the same PostgreSQL
// database (CONSOLE_TEST_URL_2), split over both: only rules the database enforces survive that.
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";

import {
  MULTIPLE_LLM_VAULTS_MESSAGE,
  createAgent,
  createEnvironment,
  createLlmVault,
  createSession,
  createSessionPrerequisites,
  createVault,
  expectApiError,
  guardResponses,
  type Session,
  type Vault,
} from "./support";
import { raceConsoles, type Router } from "./races";

guardResponses();

const { anthropic, consoles, twoProcesses, oneProcess, alternating } = raceConsoles();

/** 2xx as 200, an API error as its status; anything else (a dropped connection) fails the test. */
function statusOf(result: PromiseSettledResult<unknown>): number {
  if (result.status === "fulfilled") return 200;
  const reason: unknown = result.reason;
  if (reason instanceof Anthropic.APIError && typeof reason.status === "number") return reason.status;
  throw reason;
}

async function expectRefusal(result: PromiseSettledResult<unknown>, status: number, type: string, message?: string): Promise<void> {
  if (result.status === "fulfilled") expect.fail(`expected ${status} ${type}, but the request succeeded`);
  await expectApiError(Promise.reject(result.reason), status, type, message);
}

/** The session as every console process sees it; they share one database, so they must agree. */
async function retrievedEverywhere(sessionId: string): Promise<Session[]> {
  return Promise.all(consoles.map((via) => via.beta.sessions.retrieve(sessionId)));
}

interface PlannedUpdate {
  sessionIndex: number;
  vaultIds: string[];
  /** Two LLM vaults at once: refused whatever else happens. */
  mustBeRefused: boolean;
}

/**
 * 100 updates over a few sessions, each replacing vault_ids with one LLM vault (alone or beside an
 * MCP vault), and every fourth one with two LLM vaults. A replacement that is not atomic (delete
 * the old rows, insert the new ones, each request checking only what it saw) can leave a session
 * holding the LLM vault of one request and the LLM vault of another.
 */
async function raceVaultReplacements(via: Router): Promise<void> {
  const prerequisites = await createSessionPrerequisites(anthropic, "race vault_ids");
  const llmVaults: Vault[] = await Promise.all([0, 1, 2, 3].map((index) => createLlmVault(anthropic, `race llm ${index}`)));
  const mcpVault = await createVault(anthropic, "race mcp");
  const llmIds = new Set(llmVaults.map((vault) => vault.id));
  const sessions = await Promise.all(
    [0, 1, 2, 3, 4].map((index) => createSession(anthropic, prerequisites, { vault_ids: [llmVaults[index % llmVaults.length]?.id ?? ""] })),
  );

  const plan: PlannedUpdate[] = Array.from({ length: 100 }, (_, index) => {
    const first = llmVaults[index % llmVaults.length]?.id ?? "";
    const second = llmVaults[(index + 1) % llmVaults.length]?.id ?? "";
    const sessionIndex = index % sessions.length;
    if (index % 4 === 3) return { sessionIndex, vaultIds: [first, mcpVault.id, second], mustBeRefused: true };
    return { sessionIndex, vaultIds: index % 2 === 0 ? [first] : [mcpVault.id, first], mustBeRefused: false };
  });

  const results = await Promise.allSettled(
    plan.map((update, index) => via(index).beta.sessions.update(sessions[update.sessionIndex]?.id ?? "", { vault_ids: update.vaultIds })),
  );

  const statuses = results.map(statusOf);
  const unexpected = statuses.filter((status) => ![200, 400, 409].includes(status));
  expect(unexpected, "every response is a 2xx, 400 or 409").toEqual([]);
  for (const [index, update] of plan.entries()) {
    const result = results[index];
    if (!result) continue;
    if (update.mustBeRefused) {
      await expectRefusal(result, 400, "invalid_request_error", MULTIPLE_LLM_VAULTS_MESSAGE);
    } else if (result.status === "rejected") {
      // A lost race may be refused as a conflict, never as anything else.
      await expectRefusal(result, 409, "conflict_error");
    }
  }
  const succeeded = statuses.filter((status) => status === 200).length;
  expect(succeeded, "most single-LLM-vault updates get through").toBeGreaterThan(0);

  for (const [sessionIndex, session] of sessions.entries()) {
    const views = await retrievedEverywhere(session.id);
    const [first] = views;
    for (const view of views) {
      const attachedLlm = view.vault_ids.filter((vaultId) => llmIds.has(vaultId));
      expect(attachedLlm.length, `${session.id} holds at most one LLM vault (${view.vault_ids.join(", ")})`).toBeLessThanOrEqual(1);
      expect(view.vault_ids, "every process sees the same vault_ids").toEqual(first?.vault_ids);
    }
    // The final list is one that some request asked for (or the original one when all lost).
    const candidates = [
      session.vault_ids,
      ...plan.flatMap((update, index) => (update.sessionIndex === sessionIndex && results[index]?.status === "fulfilled" ? [update.vaultIds] : [])),
    ];
    expect(candidates, `${session.id} ends with a list some request set`).toContainEqual(first?.vault_ids);
  }
}

interface ReferenceRace {
  creates: Array<PromiseSettledResult<Session>>;
  deleted: PromiseSettledResult<unknown>;
}

/**
 * Session creates naming a vault race that vault's delete. Either the delete wins (409 for none of
 * it, every create 404) or some create wins (the delete 409s): never a session pointing at a vault
 * that is gone.
 */
async function raceCreatesAgainstVaultDelete(createVia: Router, deleteVia: Anthropic, rounds: number): Promise<void> {
  const prerequisites = await createSessionPrerequisites(anthropic, "race delete");
  for (let round = 0; round < rounds; round += 1) {
    const vault = round % 2 === 0 ? await createLlmVault(anthropic, `race delete ${round}`) : await createVault(anthropic, `race delete ${round}`);
    const creates = Array.from({ length: 4 }, (_, index) => createSession(createVia(index + round), prerequisites, { vault_ids: [vault.id] }));
    const deletion = deleteVia.beta.vaults.delete(vault.id);
    const [settledCreates, [deleted]] = await Promise.all([Promise.allSettled(creates), Promise.allSettled([deletion])]);
    const race: ReferenceRace = { creates: settledCreates, deleted: deleted as PromiseSettledResult<unknown> };
    await expectConsistentOutcome(vault, race);
  }
}

/** The same race with updates that attach the vault to existing sessions. */
async function raceUpdatesAgainstVaultDelete(updateVia: Router, deleteVia: Anthropic, rounds: number): Promise<void> {
  const prerequisites = await createSessionPrerequisites(anthropic, "race delete update");
  const sessions = await Promise.all([0, 1, 2, 3].map(() => createSession(anthropic, prerequisites)));
  for (let round = 0; round < rounds; round += 1) {
    const vault = await createLlmVault(anthropic, `race delete update ${round}`);
    const updates = sessions.map((session, index) => updateVia(index + round).beta.sessions.update(session.id, { vault_ids: [vault.id] }));
    const deletion = deleteVia.beta.vaults.delete(vault.id);
    const [settledUpdates, [deleted]] = await Promise.all([Promise.allSettled(updates), Promise.allSettled([deletion])]);
    await expectConsistentOutcome(vault, { creates: settledUpdates, deleted: deleted as PromiseSettledResult<unknown> });
    // Detach again so the next round starts from sessions without vaults.
    await Promise.all(sessions.map((session) => anthropic.beta.sessions.update(session.id, { vault_ids: [] })));
  }
}

/**
 * Session creates racing the delete of their environment (SPEC §6: delete → 409 while sessions use
 * it): either the delete wins and every create 404s, or some create wins and the delete 409s.
 */
async function raceCreatesAgainstEnvironmentDelete(createVia: Router, deleteVia: Anthropic, rounds: number): Promise<void> {
  const agent = await createAgent(anthropic, "race env delete");
  for (let round = 0; round < rounds; round += 1) {
    const environment = await createEnvironment(anthropic, `race env delete ${round}`);
    const creates = Array.from({ length: 4 }, (_, index) => createSession(createVia(index + round), { agent, environment }));
    const deletion = deleteVia.beta.environments.delete(environment.id);
    const [settledCreates, [deleted]] = await Promise.all([Promise.allSettled(creates), Promise.allSettled([deletion])]);
    if (!deleted) throw new Error("the delete settled");
    const createStatuses = settledCreates.map(statusOf);
    const deleteStatus = statusOf(deleted);
    expect([200, 409], `environment delete answered ${deleteStatus}`).toContain(deleteStatus);
    expect(
      createStatuses.filter((status) => ![200, 404].includes(status)),
      "creates answer 2xx or 404",
    ).toEqual([]);
    const created = settledCreates.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    if (deleteStatus === 200) {
      expect(
        created.map((session) => session.id),
        "no session uses a deleted environment",
      ).toEqual([]);
      for (const result of settledCreates) await expectRefusal(result, 404, "not_found_error");
    } else {
      await expectRefusal(deleted, 409, "conflict_error");
      expect(created.length, "a 409 on delete means some session uses the environment").toBeGreaterThan(0);
      for (const via of consoles) expect((await via.beta.environments.retrieve(environment.id)).id).toBe(environment.id);
    }
  }
}

/**
 * Agent updates that all name version 1 (SPEC §6 "update bumps version"; the SDK's `version` guards
 * against concurrent overwrites): exactly one wins, the rest get 409, and the agent ends at version 2.
 */
async function raceAgentVersion(via: Router): Promise<void> {
  const agent = await createAgent(anthropic, "race version");
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, index) => via(index).beta.agents.update(agent.id, { description: `writer ${index}`, version: agent.version })),
  );
  const winners = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  expect(winners, "exactly one update names the current version").toHaveLength(1);
  for (const result of results) {
    if (result.status === "rejected") await expectRefusal(result, 409, "conflict_error");
  }
  const [winner] = winners;
  for (const view of await Promise.all(consoles.map((each) => each.beta.agents.retrieve(agent.id)))) {
    expect(view.version).toBe(2);
    expect(view.description).toBe(winner?.description);
  }
}

/** Adjacent pairs of a newest-first list whose created_at goes up instead of down. */
function createdAtInversions(sessions: Session[]): string[] {
  const inversions: string[] = [];
  for (let index = 1; index < sessions.length; index += 1) {
    const newer = sessions[index - 1];
    const older = sessions[index];
    if (newer && older && Date.parse(older.created_at) > Date.parse(newer.created_at)) {
      inversions.push(`${newer.id} (${newer.created_at}) listed before ${older.id} (${older.created_at})`);
    }
  }
  return inversions;
}

/**
 * Sessions created concurrently list newest first by created_at (SPEC §5 "List: newest first";
 * the official `order` sorts "by created_at"). Up to `rounds` rounds of 30 parallel creates, stopping
 * at the first round whose list contradicts created_at.
 */
async function listOrderAfterConcurrentCreates(via: Router, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    const prerequisites = await createSessionPrerequisites(anthropic, `race order ${round}`);
    await Promise.all(Array.from({ length: 30 }, (_, index) => createSession(via(index), prerequisites)));
    const newestFirst = await anthropic.beta.sessions.list({ agent_id: prerequisites.agent.id, limit: 100 });
    expect(newestFirst.data).toHaveLength(30);
    expect(createdAtInversions(newestFirst.data), `round ${round}: newest first by created_at`).toEqual([]);
    const oldestFirst = await anthropic.beta.sessions.list({ agent_id: prerequisites.agent.id, limit: 100, order: "asc" });
    expect(createdAtInversions([...oldestFirst.data].reverse()), `round ${round}: order=asc by created_at`).toEqual([]);
  }
}

async function expectConsistentOutcome(vault: Vault, race: ReferenceRace): Promise<void> {
  const createStatuses = race.creates.map(statusOf);
  const deleteStatus = statusOf(race.deleted);
  expect([200, 409], `vault delete answered ${deleteStatus}`).toContain(deleteStatus);
  expect(
    createStatuses.filter((status) => ![200, 404].includes(status)),
    "attach answers are 2xx or 404",
  ).toEqual([]);
  const attached = race.creates.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));

  if (deleteStatus === 200) {
    expect(
      attached.map((session) => session.id),
      "no session was attached to a vault that was deleted",
    ).toEqual([]);
    for (const result of race.creates) await expectRefusal(result, 404, "not_found_error");
    for (const via of consoles) await expectApiError(via.beta.vaults.retrieve(vault.id), 404, "not_found_error");
  } else {
    await expectRefusal(race.deleted, 409, "conflict_error");
    expect(attached.length, "a 409 on delete means some session holds the vault").toBeGreaterThan(0);
    for (const via of consoles) expect((await via.beta.vaults.retrieve(vault.id)).id).toBe(vault.id);
    for (const session of attached) {
      for (const view of await retrievedEverywhere(session.id)) expect(view.vault_ids).toContain(vault.id);
    }
  }
}

describe("concurrent session requests on one process", () => {
  it("100 vault_ids replacements never leave a session with two LLM vaults", () => raceVaultReplacements(oneProcess));

  it("session creates racing a vault delete never leave a dangling reference", () => raceCreatesAgainstVaultDelete(oneProcess, anthropic, 6));

  it("session updates racing a vault delete never leave a dangling reference", () => raceUpdatesAgainstVaultDelete(oneProcess, anthropic, 4));

  it("session creates racing an environment delete never leave a session without its environment", () =>
    raceCreatesAgainstEnvironmentDelete(oneProcess, anthropic, 6));

  it("10 agent updates naming the same version: exactly one succeeds", () => raceAgentVersion(oneProcess));

  it("sessions created in parallel list in created_at order", () => listOrderAfterConcurrentCreates(oneProcess, 3));
});

// Embedded mode runs one process by design (PGlite is single-process), so these need PostgreSQL:
// `npx tsx scripts/postgres.ts run -- npm test`.
describe.skipIf(!twoProcesses)("across two console processes on one PostgreSQL (needs PostgreSQL)", () => {
  it("100 vault_ids replacements split over both processes never leave a session with two LLM vaults", () => raceVaultReplacements(alternating));

  it("session creates on one process racing a vault delete on the other never leave a dangling reference", () =>
    raceCreatesAgainstVaultDelete(alternating, consoles[1] ?? anthropic, 10));

  it("session updates on both processes racing a vault delete never leave a dangling reference", () =>
    raceUpdatesAgainstVaultDelete(alternating, consoles[1] ?? anthropic, 6));

  it("session creates on both processes racing an environment delete never leave a session without its environment", () =>
    raceCreatesAgainstEnvironmentDelete(alternating, consoles[1] ?? anthropic, 10));

  it("10 agent updates naming the same version split over both processes: exactly one succeeds", () => raceAgentVersion(alternating));

  // Lists order by (created_at, seq): created_at is stamped at transaction start, so ordering by the
  // insertion sequence alone once listed concurrent creates out of created_at order on PostgreSQL.
  it("sessions created in parallel on both processes list in created_at order", () => listOrderAfterConcurrentCreates(alternating, 40));
});
