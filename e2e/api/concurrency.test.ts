// The per-vault credential invariants under concurrent requests (SPEC §4: "These hold under
// concurrent requests and across several server processes").
import { describe, expect, it } from "vitest";

import {
  client,
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

guardResponses();

const anthropic = client();

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

describe("concurrent credential creates", () => {
  it("30 parallel creates with distinct URLs: exactly 20 succeed, 10 get 409, 20 are listed", async () => {
    const vault = await createVault(anthropic, "race twenty");
    const { created, refusals } = await settle(
      Array.from({ length: 30 }, (_, index) => createStaticBearer(anthropic, vault.id, uniqueMcpUrl(`race-${index}`))),
    );
    expect(created).toHaveLength(20);
    expect(refusals).toHaveLength(10);
    await expectAllConflicts(refusals);

    expect((await listAllCredentialIds(anthropic, vault.id)).sort()).toEqual(sortedIds(created));
    // A refused create leaves no record behind, archived or not.
    expect((await listAllCredentialIds(anthropic, vault.id, true)).sort()).toEqual(sortedIds(created));
  });

  it("10 parallel creates into one LLM vault: exactly 1 succeeds", async () => {
    const vault = await createVault(anthropic, "race llm", llmVaultMetadata());
    const { created, refusals } = await settle(
      Array.from({ length: 10 }, (_, index) =>
        anthropic.beta.vaults.credentials.create(vault.id, { auth: llmCredentialAuth(secret(`llm-race-${index}`)) }),
      ),
    );
    expect(created).toHaveLength(1);
    expect(refusals).toHaveLength(9);
    await expectAllConflicts(refusals);
    expect(await listAllCredentialIds(anthropic, vault.id, true)).toEqual(sortedIds(created));
  });

  it("10 parallel creates for one canonical mcp_server_url: exactly 1 succeeds", async () => {
    const vault = await createVault(anthropic, "race url");
    const spellings = ["https://race.example.com/mcp", "https://RACE.example.com/mcp", "https://Race.Example.Com/mcp"];
    const { created, refusals } = await settle(
      Array.from({ length: 10 }, (_, index) =>
        createStaticBearer(anthropic, vault.id, spellings[index % spellings.length] ?? "https://race.example.com/mcp"),
      ),
    );
    expect(created).toHaveLength(1);
    expect(refusals).toHaveLength(9);
    await expectAllConflicts(refusals);
    expect(await listAllCredentialIds(anthropic, vault.id, true)).toEqual(sortedIds(created));
  });

  it("10 parallel creates for one secret_name: exactly 1 succeeds", async () => {
    const vault = await createVault(anthropic, "race secret name");
    const { created, refusals } = await settle(
      Array.from({ length: 10 }, (_, index) =>
        anthropic.beta.vaults.credentials.create(vault.id, {
          auth: {
            type: "environment_variable",
            secret_name: "RACE_TOKEN",
            secret_value: secret(`env-race-${index}`),
            networking: { type: "unrestricted" },
            injection_location: { header: true, body: false },
          },
        }),
      ),
    );
    expect(created).toHaveLength(1);
    expect(refusals).toHaveLength(9);
    await expectAllConflicts(refusals);
    expect(await listAllCredentialIds(anthropic, vault.id, true)).toEqual(sortedIds(created));
  });

  it("leaves no active credential behind when creates race an archive of the vault", async () => {
    const vault = await createVault(anthropic, "race archive");
    const creates = Array.from({ length: 10 }, (_, index) =>
      createStaticBearer(anthropic, vault.id, uniqueMcpUrl(`archive-race-${index}`)),
    );
    const archive = anthropic.beta.vaults.archive(vault.id);
    const [{ created, refusals }, archived] = await Promise.all([settle(creates), archive]);
    expect(archived.archived_at).not.toBeNull();
    await expectAllConflicts(refusals);
    expect(created.length + refusals.length).toBe(10);

    // Whatever won the race, an archived vault holds no active credential afterwards.
    expect(await listAllCredentialIds(anthropic, vault.id)).toEqual([]);
    expect((await listAllCredentialIds(anthropic, vault.id, true)).sort()).toEqual(sortedIds(created));
  });
});
