// The per-vault credential invariants under concurrent requests (SPEC §4: "These hold under
// concurrent requests and across several server processes"). Each race runs against one process and,
// when scripts/test.ts started a second console on the same PostgreSQL database (CONSOLE_TEST_URL_2),
// split over both: only rules enforced in the database survive the second run.
import type Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";

import {
  createStaticBearer,
  createVault,
  expectApiError,
  guardResponses,
  listAllCredentialIds,
  llmCredentialAuth,
  llmVaultMetadata,
  secret,
  uniqueMcpUrl,
  type Credential,
} from "./support";
import { raceConsoles, type Router } from "./races";

guardResponses();

const { anthropic, consoles, twoProcesses, oneProcess, alternating } = raceConsoles();

interface Outcome {
  created: Credential[];
  refusals: unknown[];
}

async function settle(attempts: Array<Promise<Credential>>): Promise<Outcome> {
  const results = await Promise.allSettled(attempts);
  const created: Credential[] = [];
  const refusals: unknown[] = [];
  for (const result of results) {
    if (result.status === "fulfilled") created.push(result.value);
    else refusals.push(result.reason);
  }
  return { created, refusals };
}

async function expectAllConflicts(refusals: unknown[]): Promise<void> {
  for (const reason of refusals) {
    await expectApiError(Promise.reject(reason), 409, "conflict_error");
  }
}

function sortedIds(credentials: Credential[]): string[] {
  return credentials.map((credential) => credential.id).sort();
}

/** What every console process lists for the vault, sorted: they share one database, so they agree. */
async function listedEverywhere(vaultId: string, includeArchived = false): Promise<string[][]> {
  return Promise.all(consoles.map(async (via) => (await listAllCredentialIds(via, vaultId, includeArchived)).sort()));
}

async function raceTwentyLimit(via: Router): Promise<void> {
  const vault = await createVault(anthropic, "race twenty");
  const { created, refusals } = await settle(Array.from({ length: 30 }, (_, index) => createStaticBearer(via(index), vault.id, uniqueMcpUrl(`race-${index}`))));
  expect(created).toHaveLength(20);
  expect(refusals).toHaveLength(10);
  await expectAllConflicts(refusals);

  for (const listed of await listedEverywhere(vault.id)) expect(listed).toEqual(sortedIds(created));
  // A refused create leaves no record behind, archived or not.
  for (const listed of await listedEverywhere(vault.id, true)) expect(listed).toEqual(sortedIds(created));
}

/** 10 creates racing for a place only one credential may hold: exactly 1 succeeds, 9 get 409, and
 * every process lists that 1, archived or not. */
async function raceForOnePlace(vaultId: string, create: (index: number) => Promise<Credential>): Promise<void> {
  const { created, refusals } = await settle(Array.from({ length: 10 }, (_, index) => create(index)));
  expect(created).toHaveLength(1);
  expect(refusals).toHaveLength(9);
  await expectAllConflicts(refusals);
  for (const listed of await listedEverywhere(vaultId, true)) expect(listed).toEqual(sortedIds(created));
}

async function raceLlmVault(via: Router): Promise<void> {
  const vault = await createVault(anthropic, "race llm", llmVaultMetadata());
  await raceForOnePlace(vault.id, (index) => via(index).beta.vaults.credentials.create(vault.id, { auth: llmCredentialAuth(secret(`llm-race-${index}`)) }));
}

async function raceCanonicalUrl(via: Router): Promise<void> {
  const vault = await createVault(anthropic, "race url");
  const spellings = ["https://race.example.com/mcp", "https://RACE.example.com/mcp", "https://Race.Example.Com/mcp"];
  await raceForOnePlace(vault.id, (index) => createStaticBearer(via(index), vault.id, spellings[index % spellings.length] ?? "https://race.example.com/mcp"));
}

async function raceSecretName(via: Router): Promise<void> {
  const vault = await createVault(anthropic, "race secret name");
  await raceForOnePlace(vault.id, (index) =>
    via(index).beta.vaults.credentials.create(vault.id, {
      auth: {
        type: "environment_variable",
        secret_name: "RACE_TOKEN",
        secret_value: secret(`env-race-${index}`),
        networking: { type: "unrestricted" },
        injection_location: { header: true, body: false },
      },
    }),
  );
}

async function raceArchive(archiveVia: Anthropic, createVia: Anthropic): Promise<void> {
  const vault = await createVault(anthropic, "race archive");
  const creates = Array.from({ length: 10 }, (_, index) => createStaticBearer(createVia, vault.id, uniqueMcpUrl(`archive-race-${index}`)));
  const archive = archiveVia.beta.vaults.archive(vault.id);
  const [{ created, refusals }, archived] = await Promise.all([settle(creates), archive]);
  expect(archived.archived_at).not.toBeNull();
  await expectAllConflicts(refusals);
  expect(created.length + refusals.length).toBe(10);

  // Whatever won the race, an archived vault holds no active credential afterwards.
  for (const listed of await listedEverywhere(vault.id)) expect(listed).toEqual([]);
  for (const listed of await listedEverywhere(vault.id, true)) expect(listed).toEqual(sortedIds(created));
}

describe("concurrent credential creates", () => {
  it("30 parallel creates with distinct URLs: exactly 20 succeed, 10 get 409, 20 are listed", () => raceTwentyLimit(oneProcess));

  it("10 parallel creates into one LLM vault: exactly 1 succeeds", () => raceLlmVault(oneProcess));

  it("10 parallel creates for one canonical mcp_server_url: exactly 1 succeeds", () => raceCanonicalUrl(oneProcess));

  it("10 parallel creates for one secret_name: exactly 1 succeeds", () => raceSecretName(oneProcess));

  it("leaves no active credential behind when creates race an archive of the vault", () => raceArchive(anthropic, anthropic));
});

// Embedded mode runs one process by design (PGlite is single-process), so these need PostgreSQL:
// `npx tsx scripts/postgres.ts run -- npm test`.
describe.skipIf(!twoProcesses)("across two console processes on one PostgreSQL (needs PostgreSQL)", () => {
  it("30 creates split over both processes: exactly 20 succeed, 10 get 409, both list the same 20", () => raceTwentyLimit(alternating));

  it("10 creates into one LLM vault split over both processes: exactly 1 succeeds", () => raceLlmVault(alternating));

  it("10 creates for one canonical mcp_server_url split over both processes: exactly 1 succeeds", () => raceCanonicalUrl(alternating));

  it("10 creates for one secret_name split over both processes: exactly 1 succeeds", () => raceSecretName(alternating));

  it("a vault archive on one process racing creates on the other leaves no active credential", () => raceArchive(alternating(0), alternating(1)));
});
