import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bootConsole, type BootedConsole } from "@/lib/boot";
import { openSecret } from "@/lib/crypto/envelope";
import { addGeneratedKeyToDataDir, dropPreviousKeysFromDataDir } from "@/lib/crypto/master-key";
import { loadEnv } from "@/lib/env";
import * as instances from "@/lib/instances";
import { SYSTEM_CONTEXT } from "@/lib/server/audit";
import { createCredential } from "@/lib/server/credentials";
import { countSecretsUnderOldKeys, rewrapStoredSecrets } from "@/lib/server/key-rotation";
import { newDataDir } from "@/lib/server/testing/embedded-console";
import { createVault } from "@/lib/server/vaults";

// Boots a real embedded database in this process, as scripts/start.ts and keys:rotate do.
let booted: BootedConsole | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await shutDown();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function boot(dir: string): Promise<void> {
  booted = await bootConsole(loadEnv({ CONSOLE_DATA_DIR: dir }));
}

async function shutDown(): Promise<void> {
  const current = booted;
  booted = undefined;
  await current?.close();
}

describe("master key rotation (embedded key file)", () => {
  it("moves every secret to the new key without losing it, then drops the old key", { timeout: 180_000 }, async () => {
    dataDir = await newDataDir("rotation");
    const token = `sk-ant-CANARYSECRET-${randomBytes(12).toString("hex")}`;

    await boot(dataDir);
    const oldKeyId = instances.keyring().active.id;
    const vault = await createVault({ display_name: "Rotation", metadata: { team: "a" } }, SYSTEM_CONTEXT);
    const credential = await createCredential(
      vault.id,
      { auth: { type: "static_bearer", token, mcp_server_url: "https://mcp.example.com/sse" } },
      SYSTEM_CONTEXT,
    );
    expect(credential.secretKeyId).toBe(oldKeyId);
    await shutDown();

    await addGeneratedKeyToDataDir(dataDir);
    await boot(dataDir);
    const newKeyId = instances.keyring().active.id;
    expect(newKeyId).not.toBe(oldKeyId);
    expect(await countSecretsUnderOldKeys()).toBe(1);
    expect(await rewrapStoredSecrets()).toEqual({ rewrapped: 1, activeKeyId: newKeyId, left: [], leftCount: 0 });
    expect(await countSecretsUnderOldKeys()).toBe(0);
    await shutDown();

    await dropPreviousKeysFromDataDir(dataDir);
    expect((await readFile(path.join(dataDir, "master.key"), "utf8")).trim().split("\n")).toHaveLength(1);

    // Only the new key is loaded now, and the secret still opens under it.
    await boot(dataDir);
    const [keyring, prisma] = [instances.keyring(), instances.db()];
    expect([...keyring.byId.keys()]).toEqual([newKeyId]);
    const row = await prisma.vaultCredential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(row.secretKeyId).toBe(newKeyId);
    expect(openSecret(row.secretCiphertext ?? new Uint8Array(), newKeyId, keyring, `${credential.id}:secret`)).toBe(token);
  });
});
