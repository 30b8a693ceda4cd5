// Keys that cannot be lost (issue 9, item 3; SPEC §9). A console started with a key that does not
// open what its database holds refuses to start and names the key; the embedded default never
// generates a key into a data dir whose database was used with one; a secret sealed under a key
// this process lacks answers 503 naming it (boundary, test connection) and fails the diagnostics;
// the rolling rotation (a)→(d) keeps every credential usable on two processes under write load;
// keys:rotate skips and reports a row it cannot open and re-wraps the rest. Consoles of this file's
// own: on PostgreSQL, rotations get a database of their own so the suite's rows are never touched.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { masterKeyFromBase64 } from "@/lib/crypto/envelope";
import { expectStartRefused, ownPlacement, sharedDatabaseUrl, sql, startOwnConsole, type OwnConsole } from "./own-console";
import { anthropicModelList, answerJson, startStubUpstream, type StubUpstream } from "./stub-upstream";
import {
  checkOf,
  client,
  createApiKey,
  createLlmVaultOn,
  createSession,
  createSessionPrerequisites,
  expectApiError,
  fetchRuntime,
  getDiagnostics,
  guardResponses,
  raw,
  redact,
  secret,
  takeServerErrors,
} from "./support";

guardResponses();

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const onPostgres = sharedDatabaseUrl() !== undefined;

function newKey(): string {
  return randomBytes(32).toString("base64");
}

function keyId(key: string): string {
  return masterKeyFromBase64(key).id;
}

/** Every token the stub was ever given to hold; it accepts exactly those, so "ok" proves decryption. */
const issuedTokens = new Set<string>();
let stub: StubUpstream;

beforeAll(async () => {
  stub = await startStubUpstream((request, response) => {
    const presented = String(request.headers["x-api-key"] ?? "");
    if (!issuedTokens.has(presented))
      return answerJson(response, 401, { type: "error", error: { type: "authentication_error", message: "stub: unknown key" } });
    if (request.method === "GET" && request.path.endsWith("/v1/models")) return answerJson(response, 200, anthropicModelList());
    return answerJson(response, 200, {
      id: "msg_stub",
      type: "message",
      role: "assistant",
      content: [],
      model: "stub",
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    });
  });
});

afterAll(async () => {
  await stub?.close();
});

function ownClient(own: OwnConsole): Anthropic {
  return client({ baseURL: own.url, apiKey: own.ownerKey ?? undefined });
}

function ownerHeaders(own: OwnConsole): Record<string, string> {
  return own.ownerKey ? { "x-api-key": own.ownerKey } : {};
}

/** An LLM vault on the stub holding one fresh token the stub accepts. */
async function llmVaultOn(anthropic: Anthropic, label: string): Promise<{ vaultId: string; credentialId: string }> {
  const token = secret(`keys-${label}`);
  issuedTokens.add(token);
  const { vault, credentialId } = await createLlmVaultOn(anthropic, `keys ${label}`, stub.origin, token);
  return { vaultId: vault.id, credentialId };
}

/** `POST /v1/vaults/{id}/test`: the outcome, or the error envelope's status and message. */
async function testConnection(own: OwnConsole, vaultId: string): Promise<{ status: number; outcome?: string; message?: string }> {
  const response = await raw("POST", `/v1/vaults/${vaultId}/test`, { baseURL: own.url, headers: ownerHeaders(own) });
  const body = response.json as { outcome?: string; error?: { message?: string } } | undefined;
  return { status: response.status, outcome: body?.outcome, message: body?.error?.message };
}

/** The environment for a tool run beside the consoles: nothing of the suite's database or keys. */
function toolEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["DATABASE_URL", "CONSOLE_DATA_DIR", "CONSOLE_MASTER_KEY", "CONSOLE_MASTER_KEY_ACCEPTED", "CONSOLE_MASTER_KEY_PREVIOUS"]) delete env[name];
  return { ...env, ...settings };
}

/** `npm run keys:rotate` as an operator runs it: its own process, with the given variables. */
async function runKeysRotate(settings: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/rotate-keys.ts"], {
    cwd: ROOT,
    env: toolEnv(settings),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolveCode) => child.once("close", (exitCode) => resolveCode(exitCode)));
  return { code, output };
}

describe("a console whose keys do not open its database refuses to start", () => {
  it("names the key id the sealed rows need when started with another CONSOLE_MASTER_KEY", { timeout: 240_000 }, async () => {
    const { placement, ownerKey, release } = await ownPlacement();
    const rightKey = newKey();
    try {
      const first = await startOwnConsole({ CONSOLE_MASTER_KEY: rightKey, CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement);
      try {
        await llmVaultOn(ownClient(first), "wrong-key");
      } finally {
        await first.stop();
      }
      const wrongKey = newKey();
      const output = await expectStartRefused({ CONSOLE_MASTER_KEY: wrongKey, CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement);
      expect(redact(output)).toContain(keyId(rightKey));
      expect(output).toContain("CONSOLE_MASTER_KEY_ACCEPTED");
      expect(output).not.toContain(rightKey);
      expect(output).not.toContain(wrongKey);
      expect(output).not.toMatch(/Console ready at/);
    } finally {
      await release();
    }
  });

  it.skipIf(onPostgres)("refuses rather than regenerating when the embedded master.key was deleted", { timeout: 240_000 }, async () => {
    const { placement, ownerKey, release } = await ownPlacement();
    const dataDir = placement.dataDir ?? "";
    try {
      // No CONSOLE_MASTER_KEY: the embedded default generates one into the data dir.
      const first = await startOwnConsole({ CONSOLE_MASTER_KEY: "", CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement);
      try {
        await llmVaultOn(ownClient(first), "deleted-key-file");
      } finally {
        await first.stop();
      }
      const keyFile = join(dataDir, "master.key");
      expect(existsSync(keyFile)).toBe(true);
      unlinkSync(keyFile);
      const output = await expectStartRefused({ CONSOLE_MASTER_KEY: "", CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement);
      expect(output).toContain("master.key");
      expect(output).toMatch(/mk_[0-9a-f]{16}/);
      expect(output).toContain("never generated");
      expect(existsSync(keyFile), "no key was generated in its place").toBe(false);
    } finally {
      await release();
    }
  });
});

describe("a secret sealed under a key this process has not loaded (the rolling mistake)", () => {
  it.skipIf(!onPostgres)(
    "answers 503 api_error naming the key on the boundary and the test connection, and fails the diagnostics",
    { timeout: 240_000 },
    async () => {
      const { placement, ownerKey, release } = await ownPlacement();
      const oldKey = newKey();
      const newKeyValue = newKey();
      const consoles: OwnConsole[] = [];
      try {
        // The mistake: one process makes the new key active before every process accepts it.
        const onlyOld = await startOwnConsole({ CONSOLE_MASTER_KEY: oldKey, CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement);
        consoles.push(onlyOld);
        const withNew = await startOwnConsole(
          { CONSOLE_MASTER_KEY: newKeyValue, CONSOLE_MASTER_KEY_ACCEPTED: oldKey, CONSOLE_BOOTSTRAP_API_KEY: ownerKey },
          placement,
        );
        consoles.push(withNew);

        const anthropic = ownClient(withNew);
        const { vaultId } = await llmVaultOn(anthropic, "rolling-mistake");
        const prerequisites = await createSessionPrerequisites(anthropic, "rolling mistake");
        const session = await createSession(anthropic, prerequisites, { vault_ids: [vaultId] });
        const runtimeKey = await createApiKey("runtime", { baseURL: withNew.url, ownerKey, scope: { session_ids: [session.id] } });
        const runtime = await fetchRuntime(session.id, runtimeKey.key, withNew.url);

        // The process that sealed it opens it.
        expect(await testConnection(withNew, vaultId)).toMatchObject({ status: 200, outcome: "ok" });

        const missingId = keyId(newKeyValue);
        const tested = await raw("POST", `/v1/vaults/${vaultId}/test`, { baseURL: onlyOld.url, headers: ownerHeaders(onlyOld) });
        await expectApiError(tested, 503, "api_error", [missingId, "CONSOLE_MASTER_KEY_ACCEPTED"]);
        expect(takeServerErrors(`/v1/vaults/${vaultId}/test`)).toEqual([503]);

        const boundary = await raw("POST", `/boundary/${session.id}/v1/messages`, {
          baseURL: onlyOld.url,
          omitApiKey: true,
          omitBeta: true,
          headers: { "x-api-key": runtime.env.ANTHROPIC_API_KEY, "anthropic-version": "2023-06-01" },
          body: { model: "claude-sonnet-4-6", max_tokens: 8, messages: [{ role: "user", content: "hi" }] },
        });
        await expectApiError(boundary, 503, "api_error", [missingId, "CONSOLE_MASTER_KEY_ACCEPTED"]);
        expect(takeServerErrors(`/boundary/${session.id}`)).toEqual([503]);

        const diagnostics = await getDiagnostics(ownClient(onlyOld), session.id);
        expect(diagnostics.ready).toBe(false);
        const check = checkOf(diagnostics, "master_key_missing");
        expect(check.ok).toBe(false);
        expect(check.message).toContain(missingId);
        expect(check.fix ?? "").toContain("CONSOLE_MASTER_KEY_ACCEPTED");
        expect(checkOf(await getDiagnostics(anthropic, session.id), "master_key_missing").ok).toBe(true);

        // And a process with only the old key cannot start on this database any more.
        const output = await expectStartRefused({ CONSOLE_MASTER_KEY: oldKey, CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement);
        expect(output).toContain(missingId);
      } finally {
        await Promise.all(consoles.map((own) => own.stop()));
        await release();
      }
    },
  );
});

describe("keys:rotate", () => {
  it("skips and reports a row it cannot open, re-wraps the rest and exits non-zero", { timeout: 300_000 }, async () => {
    const { placement, ownerKey, release } = await ownPlacement();
    const oldKey = newKey();
    // Embedded: the key file mode (no CONSOLE_MASTER_KEY), keys:rotate with the console stopped.
    const keySettings = onPostgres ? { CONSOLE_MASTER_KEY: oldKey } : { CONSOLE_MASTER_KEY: "" };
    try {
      const first = await startOwnConsole({ ...keySettings, CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement);
      const vaults: { vaultId: string; credentialId: string }[] = [];
      try {
        for (const label of ["rotate-1", "rotate-2", "rotate-damaged"]) vaults.push(await llmVaultOn(ownClient(first), label));
      } finally {
        await first.stop();
      }
      const damaged = vaults[2]?.credentialId ?? "";
      const [before] = await sql<{ secret_key_id: string }>(placement, "SELECT secret_key_id FROM vault_credentials WHERE id = $1", [damaged]);
      const oldKeyId = before?.secret_key_id ?? "";
      // One flipped bit in the wrapped data key: the row no longer opens under any key.
      await sql(
        placement,
        "UPDATE vault_credentials SET secret_ciphertext = set_byte(secret_ciphertext, 5, get_byte(secret_ciphertext, 5) # 255) WHERE id = $1",
        [damaged],
      );

      const newKeyValue = newKey();
      const rotateSettings: Record<string, string> = onPostgres
        ? { DATABASE_URL: placement.databaseUrl ?? "", CONSOLE_MASTER_KEY: newKeyValue, CONSOLE_MASTER_KEY_ACCEPTED: oldKey }
        : { CONSOLE_DATA_DIR: placement.dataDir ?? "" };
      const rotated = await runKeysRotate(rotateSettings);
      expect(rotated.code, redact(rotated.output)).toBe(1);
      expect(rotated.output).toContain("Re-wrapped 2 credential(s)");
      expect(rotated.output).toContain(`credential ${damaged} (master key ${oldKeyId})`);
      expect(rotated.output).not.toContain("CANARYSECRET");

      const rows = await sql<{ id: string; secret_key_id: string }>(placement, "SELECT id, secret_key_id FROM vault_credentials ORDER BY id");
      const activeKeyId = rows.find((row) => row.id === vaults[0]?.credentialId)?.secret_key_id;
      expect(activeKeyId).not.toBe(oldKeyId);
      expect(Object.fromEntries(rows.map((row) => [row.id, row.secret_key_id]))).toEqual({
        [vaults[0]?.credentialId ?? ""]: activeKeyId,
        [vaults[1]?.credentialId ?? ""]: activeKeyId,
        [damaged]: oldKeyId,
      });

      // The console starts again (the key file kept the old key the damaged row names) and the
      // re-wrapped credentials are usable.
      const again = await startOwnConsole(
        onPostgres
          ? { CONSOLE_MASTER_KEY: newKeyValue, CONSOLE_MASTER_KEY_ACCEPTED: oldKey, CONSOLE_BOOTSTRAP_API_KEY: ownerKey }
          : { CONSOLE_MASTER_KEY: "", CONSOLE_BOOTSTRAP_API_KEY: ownerKey },
        placement,
      );
      try {
        for (const { vaultId } of vaults.slice(0, 2)) expect(await testConnection(again, vaultId)).toMatchObject({ status: 200, outcome: "ok" });
      } finally {
        await again.stop();
      }
    } finally {
      await release();
    }
  });
});

/**
 * Two processes on one PostgreSQL, each restarted in turn for every phase of the rotation while
 * two writers keep creating, rotating and testing credentials through whichever process is up.
 */
/** The vaults the writers create at most. */
const LOAD_VAULTS_MAX = 200;
/** The closing test of every vault on every process, this many at a time. */
const FINAL_CHECKS_AT_ONCE = 8;

describe("the rolling rotation (a)→(d) under write load", () => {
  it.skipIf(!onPostgres)("keeps every credential usable on both processes throughout and leaves all of them re-wrapped", { timeout: 900_000 }, async () => {
    const { placement, ownerKey, release } = await ownPlacement();
    const oldKey = newKey();
    const newKeyValue = newKey();
    const live: OwnConsole[] = [];
    const inFlight = new Map<OwnConsole, number>();
    const failures: string[] = [];
    const vaults: { vaultId: string; credentialId: string }[] = [];
    let stopLoad = false;
    let operations = 0;

    const start = (keys: Record<string, string>) => startOwnConsole({ ...keys, CONSOLE_BOOTSTRAP_API_KEY: ownerKey }, placement);
    const pick = (): OwnConsole | undefined => live[Math.floor(Math.random() * live.length)];

    /** One call through a live process, counted so that a restart waits for it. */
    async function through<T>(work: (own: OwnConsole) => Promise<T>): Promise<T | undefined> {
      const own = pick();
      if (!own) return undefined;
      inFlight.set(own, (inFlight.get(own) ?? 0) + 1);
      try {
        return await work(own);
      } finally {
        inFlight.set(own, (inFlight.get(own) ?? 1) - 1);
      }
    }

    async function writer(index: number): Promise<void> {
      for (let step = 0; !stopLoad; step++) {
        const choice = step % 3;
        try {
          // Creates stop at LOAD_VAULTS_MAX (the rest of the load rotates instead): enough rows for
          // keys:rotate to work through while both serve, few enough to test every one at the end.
          if (vaults.length === 0 || (choice === 0 && vaults.length < LOAD_VAULTS_MAX)) {
            const created = await through((own) => llmVaultOn(ownClient(own), `load-${index}-${step}`));
            if (created) vaults.push(created);
          } else if (choice !== 2) {
            const target = vaults[Math.floor(Math.random() * vaults.length)];
            const token = secret(`rotated-${index}-${step}`);
            issuedTokens.add(token);
            if (target)
              await through((own) =>
                ownClient(own).beta.vaults.credentials.update(target.credentialId, {
                  vault_id: target.vaultId,
                  auth: { type: "static_bearer", token },
                }),
              );
          } else {
            const target = vaults[Math.floor(Math.random() * vaults.length)];
            const result = target ? await through((own) => testConnection(own, target.vaultId)) : undefined;
            if (result && (result.status !== 200 || result.outcome !== "ok"))
              failures.push(`test of ${target?.vaultId}: ${result.status} ${result.outcome ?? ""} ${result.message ?? ""}`);
          }
          operations++;
        } catch (error) {
          failures.push(`writer ${index} step ${step}: ${redact(error instanceof Error ? error.message : String(error))}`);
        }
      }
    }

    /** Takes one process out of rotation, lets its calls finish, and starts its successor. */
    async function restart(index: number, keys: Record<string, string>): Promise<void> {
      const old = live[index];
      if (!old) throw new Error(`no process ${index}`);
      live.splice(index, 1);
      while ((inFlight.get(old) ?? 0) > 0) await new Promise((wake) => setTimeout(wake, 20));
      await old.stop();
      live.splice(index, 0, await start(keys));
    }

    const writers: Promise<void>[] = [];
    try {
      live.push(await start({ CONSOLE_MASTER_KEY: oldKey }));
      live.push(await start({ CONSOLE_MASTER_KEY: oldKey }));
      for (const own of live) vaults.push(await llmVaultOn(ownClient(own), "seed"));
      writers.push(writer(1), writer(2));

      // (a) the new key accepted everywhere; nothing seals under it yet.
      const phaseA = { CONSOLE_MASTER_KEY: oldKey, CONSOLE_MASTER_KEY_ACCEPTED: newKeyValue };
      for (const index of [0, 1]) await restart(index, phaseA);
      // (b) the new key active everywhere, the old one accepted.
      const phaseB = { CONSOLE_MASTER_KEY: newKeyValue, CONSOLE_MASTER_KEY_ACCEPTED: oldKey };
      for (const index of [0, 1]) await restart(index, phaseB);
      // (c) keys:rotate while both serve.
      const rotated = await runKeysRotate({ DATABASE_URL: placement.databaseUrl ?? "", ...phaseB });
      expect(rotated.code, redact(rotated.output)).toBe(0);
      expect(rotated.output).toContain("0 left under older keys");
      // (d) the old key retired everywhere.
      for (const index of [0, 1]) await restart(index, { CONSOLE_MASTER_KEY: newKeyValue });

      stopLoad = true;
      await Promise.all(writers);
      expect(failures, "calls that failed during the rotation").toEqual([]);
      expect(operations, "the writers kept working").toBeGreaterThan(10);

      const keyIds = await sql<{ secret_key_id: string; n: number }>(
        placement,
        "SELECT secret_key_id, count(*)::int AS n FROM vault_credentials WHERE secret_key_id IS NOT NULL GROUP BY secret_key_id",
      );
      expect(keyIds.map((row) => row.secret_key_id)).toEqual([keyId(newKeyValue)]);
      for (const own of live) {
        for (let from = 0; from < vaults.length; from += FINAL_CHECKS_AT_ONCE) {
          const batch = vaults.slice(from, from + FINAL_CHECKS_AT_ONCE);
          const results = await Promise.all(batch.map(async ({ vaultId }) => ({ vaultId, result: await testConnection(own, vaultId) })));
          for (const { vaultId, result } of results) expect(result, `${vaultId} on ${own.url}`).toMatchObject({ status: 200, outcome: "ok" });
        }
      }
    } finally {
      stopLoad = true;
      await Promise.allSettled(writers);
      await Promise.all(live.map((own) => own.stop()));
      await release();
    }
  });
});
