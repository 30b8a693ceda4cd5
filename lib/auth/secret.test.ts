import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadAuthSecret, requireAuthSecretConfig } from "@/lib/auth/secret";
import { ConfigError, loadEnv } from "@/lib/env";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the session secret", () => {
  it("is generated once into the embedded data dir (0600) and read back after", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "console-auth-secret-"));
    const env = loadEnv({ CONSOLE_DATA_DIR: dir });
    const first = await loadAuthSecret(env);
    expect(first.generatedAt).toBe(path.join(dir, "auth.secret"));
    expect(first.secret?.length).toBeGreaterThanOrEqual(32);
    expect((await stat(path.join(dir, "auth.secret"))).mode & 0o777).toBe(0o600);
    const second = await loadAuthSecret(env);
    expect(second).toEqual({ secret: first.secret });
    expect((await readFile(path.join(dir, "auth.secret"), "utf8")).trim()).toBe(first.secret);
  });

  it("comes from AUTH_SECRET when set, and must with PostgreSQL", async () => {
    const secret = "s".repeat(40);
    expect(await loadAuthSecret(loadEnv({ AUTH_SECRET: secret, DATABASE_URL: "postgres://db/console" }))).toEqual({ secret });
    expect(() => requireAuthSecretConfig(loadEnv({ DATABASE_URL: "postgres://db/console" }))).toThrow(ConfigError);
    expect(() => requireAuthSecretConfig(loadEnv({ DATABASE_URL: "postgres://db/console", AUTH_SECRET: secret }))).not.toThrow();
    expect(() => requireAuthSecretConfig(loadEnv({}))).not.toThrow();
  });
});
