import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bootConsole, type BootedConsole } from "@/lib/boot";
import { db } from "@/lib/instances";
import { loadEnv, settings, installSettings } from "@/lib/env";
import { ConsoleError } from "@/lib/errors";
import { authenticateApiKey, authenticateApiKeyInDatabase } from "@/lib/server/api-key-auth";
import { authenticateApiKeyInProcess } from "@/lib/server/api-key-memory";
import { createApiKey, revokeApiKey } from "@/lib/server/api-keys";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { newDataDir } from "@/lib/server/testing/embedded-console";

// A real embedded database in this process, as scripts/start.ts boots it.
let booted: BootedConsole | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  dataDir = await newDataDir("api-key-auth");
  booted = await bootConsole(loadEnv({ CONSOLE_DATA_DIR: dataDir }));
}, 60_000);

afterAll(async () => {
  await booted?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The same booted database under another CONSOLE_API_RATE_LIMIT_PER_MINUTE. */
function useLimit(apiRateLimitPerMinute: number): void {
  installSettings({ ...settings(), CONSOLE_API_RATE_LIMIT_PER_MINUTE: apiRateLimitPerMinute });
}

async function newKey(options: { expiresAt?: Date } = {}): Promise<{ id: string; key: string }> {
  const { apiKey, key } = await createApiKey({ name: "rate limit test", role: "admin", ...options }, SYSTEM_CONTEXT);
  return { id: apiKey.id, key };
}

type Authenticate = typeof authenticateApiKey;

/** The call's outcome: the key's id, null for a refused key, or the rate-limit error. */
async function attempt(key: string, authenticate: Authenticate = authenticateApiKeyInDatabase): Promise<string | null | ConsoleError> {
  try {
    return (await authenticate(key))?.id ?? null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConsoleError);
    return error as ConsoleError;
  }
}

async function counterRows(apiKeyId: string) {
  return db().apiKeyRateLimit.findMany({ where: { apiKeyId } });
}

// PostgreSQL's way (the one statement), run here on the embedded database, which speaks the same SQL.
describe("authenticateApiKeyInDatabase: the rate limit per key", () => {
  it("lets a key make the limit's calls in a minute, refuses the next with the seconds to wait, and leaves other keys alone", async () => {
    useLimit(3);
    const limited = await newKey();
    const other = await newKey();
    for (let call = 0; call < 3; call++) expect(await attempt(limited.key)).toBe(limited.id);

    const refusal = await attempt(limited.key);
    expect(refusal).toBeInstanceOf(ConsoleError);
    const error = refusal as ConsoleError;
    expect(error.type).toBe("rate_limit_error");
    expect(error.status).toBe(429);
    expect(error.message).toContain("3 requests per minute");
    expect(Number.isInteger(error.retryAfterSeconds)).toBe(true);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);

    expect(await attempt(other.key)).toBe(other.id);
  });

  it("counts every one of many concurrent calls exactly once", async () => {
    useLimit(10);
    const { id, key } = await newKey();
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => attempt(key)));
    expect(outcomes.filter((outcome) => outcome === id)).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome instanceof ConsoleError && outcome.type === "rate_limit_error")).toHaveLength(15);
    expect((await counterRows(id)).map((row) => row.requests)).toEqual([25]);
  });

  it("starts a new window, in the same row, once the minute is over", async () => {
    useLimit(2);
    const { id, key } = await newKey();
    await attempt(key);
    await attempt(key);
    expect(await attempt(key)).toBeInstanceOf(ConsoleError);

    await db().$executeRaw`UPDATE api_key_rate_limits SET window_started_at = now() - interval '61 seconds' WHERE api_key_id = ${id}`;
    expect(await attempt(key)).toBe(id);
    expect((await counterRows(id)).map((row) => row.requests)).toEqual([1]);
  });

  it("counts nothing for unknown, revoked or expired keys, and nothing at all with the limit off", async () => {
    useLimit(5);
    const revoked = await newKey();
    await revokeApiKey(revoked.id, SYSTEM_CONTEXT);
    const expired = await newKey({ expiresAt: new Date(Date.now() - 1000) });
    expect(await attempt(revoked.key)).toBeNull();
    expect(await attempt(expired.key)).toBeNull();
    expect(await attempt(`s0_${"x".repeat(43)}`)).toBeNull();
    expect(await counterRows(revoked.id)).toEqual([]);
    expect(await counterRows(expired.id)).toEqual([]);

    useLimit(0);
    const unlimited = await newKey();
    for (let call = 0; call < 20; call++) expect(await attempt(unlimited.key)).toBe(unlimited.id);
    expect(await counterRows(unlimited.id)).toEqual([]);
  });

  it("stamps last use at most once a minute", async () => {
    useLimit(100);
    const { id, key } = await newKey();
    await attempt(key);
    const first = (await db().apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await attempt(key);
    expect((await db().apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(first);
  });

  it("keeps its counters in an unlogged table that loses a key's row with the key", async () => {
    useLimit(100);
    const { id, key } = await newKey();
    await attempt(key);
    const [table] = await db().$queryRaw<{ relpersistence: string }[]>`
      SELECT relpersistence FROM pg_class WHERE relname = 'api_key_rate_limits'`;
    expect(table?.relpersistence).toBe("u");
    expect(await counterRows(id)).toHaveLength(1);
    await db().apiKey.delete({ where: { id } });
    expect(await counterRows(id)).toEqual([]);
  });
});

// The embedded database's way (lib/server/api-key-memory.ts), which authenticateApiKey picks there.
describe("authenticateApiKeyInProcess: the same rules, kept in this process", () => {
  const inProcess = (key: string) => attempt(key, authenticateApiKeyInProcess);

  it("is what authenticateApiKey uses on the embedded database: no counter row is written", async () => {
    useLimit(100);
    const { id, key } = await newKey();
    expect((await authenticateApiKey(key))?.id).toBe(id);
    expect(await counterRows(id)).toEqual([]);
  });

  it("lets a key make the limit's calls in a minute, refuses the next with the seconds to wait, and leaves other keys alone", async () => {
    useLimit(3);
    const limited = await newKey();
    const other = await newKey();
    for (let call = 0; call < 3; call++) expect(await inProcess(limited.key)).toBe(limited.id);
    const refusal = await inProcess(limited.key);
    expect(refusal).toBeInstanceOf(ConsoleError);
    const error = refusal as ConsoleError;
    expect(error.type).toBe("rate_limit_error");
    expect(error.message).toContain("3 requests per minute");
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await inProcess(other.key)).toBe(other.id);
  });

  it("counts every one of many concurrent calls exactly once", async () => {
    useLimit(10);
    const { id, key } = await newKey();
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => inProcess(key)));
    expect(outcomes.filter((outcome) => outcome === id)).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome instanceof ConsoleError && outcome.type === "rate_limit_error")).toHaveLength(15);
  });

  it("starts a new window once the minute is over", async () => {
    useLimit(2);
    const { id, key } = await newKey();
    const start = Date.now();
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    try {
      await inProcess(key);
      await inProcess(key);
      expect(await inProcess(key)).toBeInstanceOf(ConsoleError);
      vi.setSystemTime(start + 61_000);
      expect(await inProcess(key)).toBe(id);
      expect(await inProcess(key)).toBe(id);
      expect(await inProcess(key)).toBeInstanceOf(ConsoleError);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a key from the call after its revocation, though it was remembered", async () => {
    useLimit(0);
    const { id, key } = await newKey();
    expect(await inProcess(key)).toBe(id);
    await revokeApiKey(id, SYSTEM_CONTEXT);
    expect(await inProcess(key)).toBeNull();
  });

  it("refuses unknown keys and a remembered key once it has expired", async () => {
    useLimit(0);
    expect(await inProcess(`s0_${"y".repeat(43)}`)).toBeNull();
    const { id, key } = await newKey({ expiresAt: new Date(Date.now() + 60_000) });
    expect(await inProcess(key)).toBe(id);
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    try {
      expect(await inProcess(key)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("stamps last use on a key's first call, then at most once a minute", async () => {
    useLimit(0);
    const { id, key } = await newKey();
    const lastUsed = async () => (await db().apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await inProcess(key);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await inProcess(key);
    expect(await lastUsed()).toEqual(first);
    // A minute on (the database's clock too: the stamp's own guard reads it), the next call stamps again.
    await db().$executeRaw`UPDATE api_keys SET last_used_at = now() - interval '61 seconds' WHERE id = ${id}`;
    const backdated = await lastUsed();
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    try {
      await inProcess(key);
    } finally {
      vi.useRealTimers();
    }
    expect((await lastUsed())?.getTime()).toBeGreaterThan(backdated?.getTime() ?? 0);
  });
});
